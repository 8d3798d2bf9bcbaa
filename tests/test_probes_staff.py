"""The staff story against its own probes, its dates and its choice order, on seeded random play."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime

import pytest
from continuity import Probe, Seen
from probes_staff import PROBES

from game.engine.compiler import Story, load_story
from game.engine.loader import builtin_story
from game.engine.models import parse_when
from game.engine.replay import walk_history
from game.engine.session import Session

RUNS = 1500


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(builtin_story())


def _shown(session: Session) -> list[str]:
    texts = [p.text for p in session.paragraphs()]
    if session.ending:
        texts.append(session.ending.epilogue)
    return texts


def _seen(session: Session) -> Seen:
    return Seen(session.scene_id, dict(session.vars), dict(session.visits), tuple(session.path))


def walk(story: Story, seed: int) -> Iterator[tuple[Seen, list[str]]]:
    """Every scene of one uniform random staff play-through, with what it showed."""
    rng = random.Random(seed)
    session = Session.new(story, "staff")
    while True:
        yield _seen(session), _shown(session)
        if session.ending:
            return
        session.choose(rng.choice([c.id for c in session.choices() if c.available]))


@pytest.fixture(scope="module")
def walks(story: Story) -> list[list[tuple[Seen, list[str]]]]:
    return [list(walk(story, seed)) for seed in range(RUNS)]


def test_probes_hold_on_random_play(walks: list[list[tuple[Seen, list[str]]]]) -> None:
    failures: dict[str, str] = {}
    for run in walks:
        for seen, texts in run:
            for probe in PROBES:
                for text in texts:
                    if probe.applies(seen.scene, text) and not probe.holds(seen) and probe.name not in failures:
                        failures[probe.name] = f"{probe.why}\n  at {seen.scene} after {' > '.join(seen.path)}\n  text: {text[:160]}"
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_probes_fire_on_a_planted_contradiction(story: Story) -> None:
    session = Session.new(story, "staff")
    seen = _seen(session)
    planted = {
        "staff_came_late_needs_the_letter": "You came late, and you are in the fourth onboarding group.",
        "staff_microsoft_lifeboat_not_before_nadella": "Seven hundred people are going to Microsoft tomorrow.",
        "staff_unsent_letter_needs_a_draft": "You read your own unsent letter again.",
        "staff_bare_sam": "A breakdown in communication between Sam and the board.",
        "staff_after_the_letter_needs_the_letter": "A month after the letter, the floors are dark.",
    }
    by_name: dict[str, Probe] = {p.name: p for p in PROBES}
    for name, text in planted.items():
        probe = by_name[name]
        assert probe.applies(seen.scene, text) and not probe.holds(seen), name


def test_probe_variables_exist(story: Story) -> None:
    seen = _seen(Session.new(story, "staff"))
    for probe in PROBES:
        assert probe.role == "staff"
        probe.holds(seen)  # a probe naming an undeclared variable raises here


def _moment(story: Story, scene_id: str) -> tuple[datetime, bool] | None:
    model = story.scenes[scene_id].model
    return (parse_when(model.when), bool(model.approximate)) if model.when else None


def test_dates_never_run_backwards_between_linked_staff_scenes(story: Story) -> None:
    backwards = []
    for scene in story.scenes.values():
        if "staff" not in scene.model.roles:
            continue
        here = _moment(story, scene.id)
        for choice in scene.choices:
            there = _moment(story, choice.goto) if choice.goto else None
            if here is None or there is None:
                continue
            (a, a_approx), (b, b_approx) = here, there
            if a_approx or b_approx:
                a, b = a.replace(hour=0, minute=0), b.replace(hour=0, minute=0)
            if b < a:
                backwards.append(f"{scene.id}.{choice.id} -> {choice.goto}")
    assert not backwards


def test_pressing_1_does_not_replay_staff_history(story: Story) -> None:
    session = Session.new(story, "staff")
    while not session.ending:
        session.choose(next(c.id for c in session.choices() if c.available))
    assert not session.on_historical_path


def test_historical_choice_position_varies(story: Story) -> None:
    positions = []
    for beat in walk_history(story, "staff").beats:
        if beat.taken is not None:
            ids = [c.model.id for c in story.scenes[beat.scene_id].choices]
            positions.append(ids.index(beat.taken.id))
    assert positions.count(0) <= len(positions) * 2 // 3
    assert {0, 1, 2} <= set(positions)


def test_act_headings_only_for_acts_played(story: Story, walks: list[list[tuple[Seen, list[str]]]]) -> None:
    # A new act heading must open an act the player plays, not announce an ending alone or go back.
    wrong = set()
    for run in walks:
        last_act = None
        for seen, _ in run:
            scene = story.scenes[seen.scene]
            act = scene.model.act
            if act != last_act:
                if last_act is not None and act < last_act:
                    wrong.add(f"{seen.scene}: back to act {act} after act {last_act}")
                elif scene.ending is not None:
                    wrong.add(f"{seen.scene}: heading for act {act} shown only for the ending")
                last_act = act
    assert not wrong, sorted(wrong)
