"""Architecture rules that tests enforce: the engine stays headless, and untrusted input stays data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import game.engine

ENGINE = Path("game/engine")
SOURCES = sorted(ENGINE.glob("*.py"))


def test_importing_the_engine_loads_no_textual() -> None:
    code = "import game.engine, sys; assert not any(m.startswith('textual') for m in sys.modules), 'textual imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_running_check_and_plain_play_loads_no_textual() -> None:
    code = (
        "import io, sys\n"
        "from game.cli import main\n"
        "sys.stdin = io.StringIO('1\\n1\\n')\n"
        "assert main(['check', 'tests/stories/tiny']) == 0\n"
        "assert main(['play', 'tests/stories/tiny', '--plain']) == 0\n"
        "assert not any(m.startswith('textual') for m in sys.modules), 'textual imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_engine_source_never_imports_textual() -> None:
    assert SOURCES
    pattern = re.compile(r"^\s*(import|from)\s+textual\b", re.MULTILINE)
    assert [p.name for p in SOURCES if pattern.search(p.read_text())] == []


def test_engine_source_has_no_eval_exec_pickle_or_unsafe_yaml() -> None:
    forbidden = re.compile(r"\b(eval|exec)\(|\bpickle\b|\bmarshal\b|yaml\.load\(|yaml\.(Unsafe|Full)?Loader\b|\bimportlib\.import_module\b")
    found = {p.name: forbidden.findall(p.read_text()) for p in SOURCES}
    # The play cache alone reads `marshal`: plain data of our own, in the user's cache folder,
    # behind a checksum, never code (tests/test_playcache.py).
    found["playcache.py"] = [hit for hit in found.get("playcache.py", []) if hit != ("", "")]
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_public_api_is_complete() -> None:
    for name in game.engine.__all__:
        assert hasattr(game.engine, name), name


def test_playing_imports_neither_the_checker_nor_the_diagram_extension() -> None:
    code = (
        "import sys\n"
        "import game.engine.play, game.engine.present, game.engine.transcript, game.plain\n"
        "from game.engine.compiler import load_story\n"
        "from game.engine.session import Session\n"
        "s = Session.new(load_story('tests/stories/tiny'))\n"
        "s.choose('ship')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('game.engine.', 'transitions.')))\n"
        "print(' '.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "game.engine.rules" in loaded and "transitions.core" in loaded  # the probe did play
    for heavy in ("game.engine.checks", "game.engine.explore", "game.engine.graph", "transitions.extensions.diagrams"):
        assert heavy not in loaded, heavy


def _engine_imports() -> dict[str, set[str]]:
    """Each engine module's imports of other engine modules, at module level or in functions."""
    pattern = re.compile(r"^\s*from \.(\w*) import ([\w, ]+)", re.MULTILINE)
    graph: dict[str, set[str]] = {}
    for path in SOURCES:
        found = set()
        for module, names in pattern.findall(path.read_text()):
            found |= {module} if module else {n.strip() for n in names.split(",")}
        graph[path.stem] = found & {p.stem for p in SOURCES}
    return graph


def test_no_import_cycle_inside_the_engine() -> None:
    graph = _engine_imports()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != 1, " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_starting_the_game_imports_neither_the_checker_nor_the_diagrams() -> None:
    code = (
        "import sys, game.cli\n"
        "from game.ui import make_app\n"
        "from game.engine.compiler import load_story\n"
        "make_app(load_story(None))\n"
        "heavy = ('game.engine.checks', 'game.engine.explore', 'game.engine.graph', 'transitions.extensions.diagrams')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
