"""Shared fixtures: every test gets its own CANDID_HOME, so no test touches a real home."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import Story, load_story


@pytest.fixture(autouse=True)
def candid_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def tiny_story() -> Story:
    return load_story("tests/stories/tiny")
