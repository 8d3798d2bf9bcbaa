"""Shared fixtures: every test gets its own CANDID_HOME, so no test touches a real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.compiler import Story, load_story
from game.engine.i18n import set_language


@pytest.fixture(autouse=True)
def candid_home(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path))
    # The story cache gets a folder of its own, so tests can see exactly what the game saved.
    monkeypatch.setenv("CANDID_CACHE", str(tmp_path_factory.mktemp("cache")))
    # The player's language comes from the environment: tests start in English whatever the machine's locale.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield tmp_path
    set_language(None)


@pytest.fixture
def tiny_story() -> Story:
    return load_story("tests/stories/tiny")


@pytest.fixture(params=["straight", "through-json"])
def json_each_step(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a session test twice: as is, and with the kernel state saved to JSON and loaded back
    after every step (as ink's runtime tests do), which must not change any result."""
    if request.param == "through-json":
        import json

        from game.engine.rules import State
        from game.engine.session import Session

        straight = Session.choose

        def choose(self: Session, choice_id: str) -> object:
            scene = straight(self, choice_id)
            restored = State.from_json(json.loads(json.dumps(self.state.to_json())))
            assert restored == self.state
            self.state = restored
            return scene

        monkeypatch.setattr(Session, "choose", choose)
    return str(request.param)
