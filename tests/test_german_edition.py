"""The German edition of the built-in story: played in plain mode, both roles, with no English left.

Runs once the German translation is complete on main; until then it is skipped, and the reason
says how much is still missing (decided from the translation files, not by hand).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from i18n_support import english_left

from game.engine.localize import check_translations
from game.engine.storyfiles import builtin_story


def german_gaps() -> str | None:
    audit = next((a for a in check_translations(builtin_story()) if a.lang == "de"), None)
    if audit is None:
        return "the built-in story has no German translation"
    if audit.missing or audit.stale or audit.problems:
        counts = f"{len(audit.missing)} missing, {len(audit.stale)} stale, {len(audit.problems)} other"
        return f"the German story is not complete yet: {counts} (see `candid check`)"
    return None


@pytest.mark.parametrize("role", ["board", "staff"])
def test_german_plain_play_reaches_an_ending_with_no_english_left(role: str) -> None:
    gaps = german_gaps()
    if gaps:
        pytest.skip(gaps)
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--lang", "de", "--role", role],
        input="1\n" * 400,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "*** ENDE:" in done.stdout
    assert english_left(done.stdout, builtin_story()) == []
