"""The engine and the command line's non-UI paths never import Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def loaded_textual(code: str) -> bool:
    probe = f"{code}\nimport sys\nprint(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.strip() == "True"


def test_engine_does_not_import_textual() -> None:
    assert not loaded_textual("import game.engine, game.engine.transcript")


def test_cli_imports_textual_only_for_the_ui() -> None:
    assert not loaded_textual("import game.cli")
    assert loaded_textual("import game.ui")
