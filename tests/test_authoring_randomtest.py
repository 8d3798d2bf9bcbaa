"""`candid randomtest`: seeded, reproducible, the same paths as a Session, errors with their paths."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from authoring_support import EXAMPLE, STORY_HEAD, TINY, run, scene, stories, write_story

from game.engine import CandidError
from game.engine.compiler import Story, load_story
from game.engine.randomtest import FastStory, run_randomtest, walk
from game.engine.session import Session


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDID_HOME", str(tmp_path / "home"))


def session_walk(
    story: Story, role: str, rng: random.Random, taken: set[str] | None, max_steps: int = 1000
) -> tuple[list[str], dict[str, object]]:
    """The same random policy as `walk`, played through Session (and so through transitions)."""
    session = Session.new(story, role, seed=rng.getrandbits(64))
    for _ in range(max_steps):
        if session.ending is not None:
            break
        options = [c for c in session.choices() if c.available]
        if not options:
            break
        if taken is not None:
            fresh = [c for c in options if f"{session.scene_id}.{c.id}" not in taken]
            options = fresh or options
        choice = options[int(rng.random() * len(options))]
        if taken is not None:
            taken.add(f"{session.scene_id}.{choice.id}")
        session.choose(choice.id)
    return session.path, dict(session.vars)


def _looping(folder: Path) -> Path:
    """Loops, visit counts, clamped adds and sets in guards: what the fast walk must get exactly right."""
    return write_story(
        folder,
        STORY_HEAD + "  variables:\n    n: {type: int, default: 1, min: 0, max: 4}\n    mood: {type: str, default: calm}\n",
        "scenes:\n"
        + scene(
            "one",
            "{id: up, text: Up, goto: two, effects: {add: {n: 2}}}",
            "{id: down, text: Down, goto: two, effects: {add: {n: -3}, set: {mood: low}}}",
            "{id: leave, text: Leave, goto: done, if: \"visited('two') >= 3 or mood == 'low' and n == 0\"}",
        )
        + scene("two", "{id: back, text: Back, goto: one}", "{id: jump, text: Jump, goto: done, if: \"n == 4 and visited('one') > 2\"}")
        + scene("done", ending=True),
    )


@pytest.mark.parametrize("folder", [*stories(), None], ids=lambda p: p.name if p else "looping")
@pytest.mark.parametrize("avoid_used", [False, True])
def test_fast_walk_matches_session_walk(folder: Path | None, avoid_used: bool, tmp_path: Path) -> None:
    story = load_story(folder or _looping(tmp_path / "looping"))
    fast = FastStory(story)
    for role in story.meta.roles:
        for seed in range(25):
            taken_counts = [0] * len(fast.keys)
            taken_keys: set[str] = set()
            fast_rng, slow_rng = random.Random(seed), random.Random(seed)
            for _ in range(4):  # several runs share the "used" memory, as in a real randomtest
                result = walk(fast, role, fast_rng, taken=taken_counts, avoid_used=avoid_used)
                path, values = session_walk(story, role, slow_rng, taken_keys if avoid_used else None)
                assert [fast.keys[k] for k in result.path] == path
                assert result.vars == values


def test_same_seed_same_result() -> None:
    story = load_story(EXAMPLE)
    first = run_randomtest(story, 300, seed=42).as_dict()
    assert run_randomtest(story, 300, seed=42).as_dict() == first
    assert any(run_randomtest(story, 300, seed=s).as_dict()["endings"] != first["endings"] for s in range(43, 48))


def test_json_fields_and_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "randomtest", str(TINY), "-n", "300", "--seed", "7", "--format", "json")
    data = json.loads(out)
    assert code == 0
    for key in ("runs", "errors", "scenes_total", "scenes_visited", "choices_total", "choices_taken", "endings_total", "endings_reached"):
        assert key in data
    assert data["runs"] == 300 and data["errors"] == []
    assert (data["scenes_total"], data["choices_total"], data["endings_total"]) == (6, 6, 3)
    assert data["endings_reached"] == 3 and sum(data["endings"].values()) == 300
    assert data["variables"]["trust"]["min"] == 0 and data["variables"]["trust"]["max"] == 70
    assert set(data["variables"]["told"]["values"]) == {"true", "false"}


def test_role_limits_the_space() -> None:
    story = load_story(EXAMPLE)
    result = run_randomtest(story, 200, seed=1, roles=["deckhand"])
    assert result.roles == ["deckhand"]
    assert "quay" not in result.scenes and "hold" in result.visited
    with pytest.raises(CandidError, match="no role 'pilot'"):
        run_randomtest(story, 10, roles=["pilot"])


def test_avoid_used_reaches_more(tmp_path: Path) -> None:
    """A fan of twenty choices: uniform play over 25 runs misses some; avoiding used options takes all."""
    choices = [f"{{id: c{i}, text: C{i}, goto: done}}" for i in range(20)]
    folder = write_story(tmp_path / "fan", STORY_HEAD, "scenes:\n" + scene("one", *choices) + scene("done", ending=True))
    story = load_story(folder)
    assert run_randomtest(story, 20, seed=3, avoid_used=True).untaken == []
    assert run_randomtest(story, 20, seed=3).untaken != []


def test_stuck_is_an_error_with_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_story(
        tmp_path / "stuck",
        STORY_HEAD + "  variables:\n    k: {type: bool, default: false}\n",
        "scenes:\n"
        + scene("one", "{id: in, text: In, goto: room}", "{id: out, text: Out, goto: done}")
        + scene("room", '{id: door, text: Door, goto: done, if: "k"}', "{id: key, text: Key, goto: done, effects: {set: {k: true}}, if: k}")
        + scene("done", ending=True),
    )
    code, out, _ = run(capsys, "randomtest", str(folder), "-n", "50", "--seed", "1", "--format", "json")
    data = json.loads(out)
    assert code == 1
    [error] = data["errors"]
    assert error["kind"] == "stuck" and error["scene"] == "room" and error["path"] == ["one.in"]
    assert error["file"].endswith("scenes.yaml") and error["line"] > 0
    code, text, _ = run(capsys, "randomtest", str(folder), "-n", "50", "--seed", "1")
    assert code == 1 and "stuck: scene 'room'" in text and "path: one.in" in text


def test_loop_is_an_error(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "loop",
        STORY_HEAD,
        "scenes:\n"
        + scene("one", "{id: on_, text: Onward, goto: two}")
        + scene("two", "{id: back, text: Back, goto: one}")
        + scene("done", ending=True),
    )
    result = run_randomtest(load_story(folder), 5, seed=0, max_steps=50)
    [error] = result.errors
    assert error.kind == "loop" and error.runs == 5 and error.steps == 50
    assert error.path[-2:] in (["one.on_", "two.back"], ["two.back", "one.on_"])
    assert "done" not in result.scenes  # unreachable scenes are check's business, not coverage


@pytest.mark.parametrize("folder", stories(), ids=lambda p: p.name)
def test_cli_on_every_story(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "randomtest", str(folder), "-n", "200", "--seed", "5", "--avoid-used")
    assert "random play-throughs (seed 5" in out
    assert code == (1 if "stuck:" in out or "loop:" in out else 0)


def test_bad_counts_are_clear(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "randomtest", str(TINY), "-n", "0")
    assert code == 1 and "at least 1" in err


def test_role_scoped_variables_count_only_their_roles_endings() -> None:
    story = load_story(EXAMPLE)
    result = run_randomtest(story, 300, seed=4)
    deckhand_runs = 150  # roles alternate, and every example play-through ends
    assert sum(result.variables["trust"].values()) == deckhand_runs
    assert sum(result.variables["fuel"].values()) == 300


def test_only_the_scenes_play_reaches_are_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """randomtest compiles a scene's moves when a play-through first arrives there: a scene no
    play-through reaches costs nothing, and each reached scene is compiled once."""
    from game.engine import rules

    story = load_story(EXAMPLE)
    compiled: list[str] = []
    real = rules.compile_move

    def counting(move: rules.Move, **kwargs: bool) -> object:
        compiled.append(move.key)
        return real(move, **kwargs)

    monkeypatch.setattr(rules, "compile_move", counting)
    result = run_randomtest(story, 1, seed=3)
    arrived = {key.partition(".")[0] for key in compiled}
    stopped = {s for s in result.visited if s not in story.endings}
    assert arrived == stopped  # every scene a walk stood in (not the ending), and no other
    assert len(compiled) == len(set(compiled))
    assert len(arrived) < len(story.scenes)
