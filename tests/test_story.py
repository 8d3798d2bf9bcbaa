"""The built-in story: it loads, checks clean, and keeps the promises the story brief makes."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, deque

import pytest

from game.engine.checks import check_story
from game.engine.compiler import Story, load_story
from game.engine.loader import builtin_story
from game.engine.models import Label, parse_when
from game.engine.replay import walk_history
from game.engine.session import Session


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(builtin_story())


def test_check_strict_is_clean() -> None:
    report = check_story(builtin_story())
    assert report.errors == []
    assert report.warnings == []


def test_size(story: Story) -> None:
    stats = check_story(builtin_story()).stats
    assert stats["scenes"] >= 70
    assert stats["words"] >= 30_000
    assert stats["endings"] >= 10


@pytest.mark.parametrize("role", ["board", "staff"])
def test_endings_per_role_all_reachable(story: Story, role: str) -> None:
    start = story.meta.roles[role].start
    seen = {start}
    queue = deque([start])
    while queue:
        for choice in story.scenes[queue.popleft()].choices:
            for target in choice.targets:
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    endings = {s.id for s in story.scenes.values() if s.ending and role in s.model.roles}
    assert len(endings) >= 4
    assert endings <= seen
    historical = [e for e in endings if (ending := story.scenes[e].ending) is not None and ending.historical]
    assert len(historical) == 1


def test_every_ending_is_reached_by_random_play(story: Story) -> None:
    from game.engine.randomtest import run_randomtest

    for role in story.meta.roles:
        result = run_randomtest(story, runs=3000, seed=11, roles=[role], avoid_used=True)
        reached = {e for e, n in result.reached.items() if n}
        endings = {s.id for s in story.scenes.values() if s.ending and role in s.model.roles}
        assert endings <= reached, f"{role}: never reached {sorted(endings - reached)}"
        assert not result.errors


@pytest.mark.parametrize("role", ["board", "staff"])
def test_historical_path_is_complete_and_chronological(story: Story, role: str) -> None:
    walk = walk_history(story, role)
    assert walk.problems == []
    ending = walk.session.ending
    assert ending is not None and ending.historical
    assert {b.act for b in walk.beats} == set(range(1, 7))
    assert walk.session.on_historical_path
    moments = [parse_when(story.scenes[b.scene_id].model.when or "") for b in walk.beats if b.label is Label.HISTORICAL]
    assert moments == sorted(moments)
    recorded = story.meta.historical_paths[role]
    assert recorded == [f"{b.scene_id}.{b.taken.id}" for b in walk.beats if b.taken]


def test_historical_scenes_are_dated_and_sourced(story: Story) -> None:
    for scene in story.scenes.values():
        if scene.model.label is Label.HISTORICAL:
            assert scene.model.when, scene.id
            assert scene.model.history and scene.model.history.sources, scene.id
            for source in scene.model.history.sources:
                assert source.outlet and source.title and source.date, scene.id


@pytest.mark.parametrize("role", ["board", "staff"])
def test_five_decisions_per_act(story: Story, role: str) -> None:
    decisions = Counter(s.model.act for s in story.scenes.values() if role in s.model.roles and len(s.choices) >= 2)
    assert all(decisions[act] >= 5 for act in range(1, 7)), decisions


def test_every_decision_on_the_path_offers_history_and_an_alternative(story: Story) -> None:
    for role in story.meta.roles:
        for beat in walk_history(story, role).beats:
            if beat.taken is not None:
                assert beat.taken.note, f"{beat.scene_id}: historical choice without a note"
                assert beat.others, f"{beat.scene_id}: history is the only option"


def test_staff_player_is_the_fictional_composite(story: Story) -> None:
    assert "fictional" in story.meta.roles["staff"].description
    staff_text = " ".join(p.text for s in story.scenes.values() if "staff" in s.model.roles for p in s.passages)
    assert "Reyes" in staff_text


@pytest.mark.parametrize("role", ["board", "staff"])
def test_pressing_1_every_time_does_not_replay_history(role: str) -> None:
    # `yes 1 | candid play --plain`: the first open option must not always be history's.
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--role", role],
        input="1\n" * 400,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "*** THE END:" in done.stdout
    assert "You followed history at every decision." not in done.stdout


def test_board_history_is_not_always_in_the_same_place(story: Story) -> None:
    positions: Counter[str] = Counter()
    for scene in story.scenes.values():
        if "board" in scene.model.roles and scene.historical_choice is not None:
            ids = [c.id for c in scene.choices]
            index = ids.index(scene.historical_choice.id)
            positions["first" if index == 0 else "last" if index == len(ids) - 1 else "middle"] += 1
    total = sum(positions.values())
    assert positions["first"] < 0.6 * total, positions
    assert positions["last"] + positions["middle"] >= 0.4 * total, positions


def test_board_endings_are_balanced_under_random_play(story: Story) -> None:
    from game.engine.randomtest import run_randomtest

    result = run_randomtest(story, runs=2000, seed=1, roles=["board"])
    shares = {e: result.reached[e] / result.runs for e in result.endings if e.startswith("board_")}
    assert shares and not result.errors
    assert all(0.02 <= share <= 0.30 for share in shares.values()), shares


def test_board_did_not_lose_words(story: Story) -> None:
    # The engine's count (passages, their `else`, epilogues) for the board's scenes before the
    # second draft was 16,485 words; the rewrite may move words around but not lose them.
    words = 0
    for scene in story.scenes.values():
        if "board" in scene.model.roles:
            words += sum(len(p.text.split()) + len((p.else_text or "").split()) for p in scene.passages)
            words += len(scene.ending.epilogue.split()) if scene.ending else 0
    assert words >= 16_485


def test_board_counterfactual_passages_in_historical_scenes_are_marked(story: Story) -> None:
    # A passage of a historical scene that depends on a counterfactual choice (a `b_` flag or a
    # visit to a counterfactual scene) must be marked dramatised, unless it is the text history
    # itself shows and has no invented `else`.
    on_path: dict[str, Session] = {}
    session = Session.new(story, "board")
    for key in [*story.meta.historical_paths["board"], None]:
        on_path[session.scene_id] = session.fresh()
        on_path[session.scene_id].replay(session.path)
        if key is not None:
            session.choose(key.partition(".")[2])
    counterfactual = re.compile(r"\bb_\w+|visited\(\"board_a\d_cf_")
    unmarked = []
    for scene in story.scenes.values():
        if "board" not in scene.model.roles or scene.model.label is not Label.HISTORICAL:
            continue
        for passage in scene.passages:
            source = scene.model.text[scene.passages.index(passage)]
            if passage.guard is None or passage.dramatised or not counterfactual.search(getattr(source, "if_", "") or ""):
                continue
            here = on_path.get(scene.id)
            historical = here is not None and bool(passage.guard.test(here.state))
            if not historical or passage.else_text:
                unmarked.append(f"{scene.id}: {passage.text[:60]!r}")
    assert unmarked == [], "\n".join(unmarked)
