"""The built-in story: it loads, checks clean, and keeps the promises the story brief makes."""

from __future__ import annotations

from collections import Counter, deque

import pytest

from game.engine.checks import check_story
from game.engine.compiler import Story, load_story
from game.engine.loader import builtin_story
from game.engine.models import Label, parse_when
from game.engine.replay import walk_history


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
