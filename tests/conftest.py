"""Shared fixtures: every test gets its own CANDID_HOME, so no test touches a real home."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import Story, load_story


@pytest.fixture(autouse=True)
def candid_home(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path))
    # The story cache gets a folder of its own, so tests can see exactly what the game saved.
    monkeypatch.setenv("CANDID_CACHE", str(tmp_path_factory.mktemp("cache")))
    return tmp_path


@pytest.fixture
def tiny_story() -> Story:
    return load_story("tests/stories/tiny")
