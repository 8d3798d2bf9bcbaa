"""The play kernel: one `step`, an immutable state that survives JSON, and fast paths held to it."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest
from authoring_support import stories

from game.engine import ChoiceError, rules
from game.engine.compiler import Story, load_story
from game.engine.explore import explore_states
from game.engine.rules import State
from game.engine.session import Session


def through_json(state: State) -> State:
    return State.from_json(json.loads(json.dumps(state.to_json())))


def test_step_is_pure_and_counts_visits_and_choices(tiny_story: Story) -> None:
    first = rules.start("start", "hero", tiny_story.defaults())
    hold = tiny_story.scenes["start"].choice("hold")
    assert hold is not None
    after = rules.step(first, hold.move)
    assert (first.scene, dict(first.vars), dict(first.visits), dict(first.choices)) == (
        "start",
        {"trust": 50, "told": False, "mood": "calm"},
        {"start": 1},
        {},
    )
    assert (after.scene, dict(after.vars), dict(after.visits), dict(after.choices)) == (
        "held",
        {"trust": 0, "told": True, "mood": "grim"},
        {"start": 1, "held": 1},
        {"start.hold": 1},
    )
    assert after.role == "hero" and "role" not in after.vars
    with pytest.raises(TypeError):
        after.vars["trust"] = 3  # type: ignore[index]


def test_step_refuses_locked_moves_and_moves_of_other_scenes(tiny_story: Story) -> None:
    state = rules.start("launch", "hero", tiny_story.defaults())
    secret = tiny_story.scenes["launch"].choice("secret")
    ship = tiny_story.scenes["start"].choice("ship")
    assert secret is not None and ship is not None
    with pytest.raises(ChoiceError, match="You never told anyone"):
        rules.step(state, secret.move)
    with pytest.raises(ChoiceError, match="not in scene 'launch'"):
        rules.step(state, ship.move)


def test_every_field_survives_json() -> None:
    state = State("a", "hero", {"n": 3, "b": True, "s": "x"}, {"a": 2}, {"a.go": 1}, 12345, ("b", "c"))
    assert through_json(state) == rules.Cursor.of(state).freeze() == state


def _random_play(story: Story, role: str, seed: int, steps: int = 200) -> list[str]:
    rng = random.Random(seed)
    session = Session.new(story, role)
    for _ in range(steps):
        options = [c for c in session.choices() if c.available]
        if session.ending or not options:
            break
        session.choose(options[int(rng.random() * len(options))].id)
    return session.path


@pytest.mark.parametrize("folder", stories(), ids=lambda p: p.name)
def test_play_through_json_at_every_step_matches_straight_play(folder: Path) -> None:
    """Ink's runtime tests play twice: straight, and saved and loaded between steps."""
    story = load_story(folder)
    for role in story.meta.roles:
        for seed in range(6):
            straight = Session.new(story, role)
            state = straight.state
            for key in _random_play(story, role, seed):
                choice = story.scenes[straight.scene_id].choice(key.partition(".")[2])
                assert choice is not None
                straight.choose(choice.id)
                state = rules.step(through_json(state), choice.move)
                assert state == straight.state
                open_now = rules.open_moves(through_json(state), [c.move for c in story.scenes[state.scene].choices])
                assert [c.id for c in straight.choices() if c.available] == [m.key.partition(".")[2] for m in open_now]


@pytest.mark.parametrize("folder", [f for f in stories() if f.name != "scenes"], ids=lambda p: p.name)
def test_exhaustive_search_finds_what_the_kernel_can_play(folder: Path) -> None:
    """On a small story, the search's reached scenes and taken choices are exactly those the kernel
    reaches by breadth-first play over its own full states."""
    story = load_story(folder)
    found = explore_states(story)
    assert found.exhaustive
    seen: set[tuple[object, ...]] = set()
    reached: set[str] = set()
    taken: set[str] = set()
    for role in story.meta.roles:
        frontier = [Session.new(story, role).state]
        for _ in range(60):  # deep enough for these stories; full states grow with each loop
            following = []
            for state in frontier:
                reached.add(state.scene)
                if story.scenes[state.scene].ending:
                    continue
                for move in rules.open_moves(state, [c.move for c in story.scenes[state.scene].choices]):
                    taken.add(move.key)
                    # Every seed a draw could start from: the search tries every outcome of a draw.
                    for seed in SPREAD if _draws(story, move) else [state.seed]:
                        nxt = rules.step(replace(state, seed=seed), move)
                        key = (
                            nxt.scene,
                            tuple(nxt.vars.items()),
                            tuple(sorted(nxt.visits.items())),
                            tuple(sorted(nxt.choices.items())),
                            nxt.calls,
                        )
                        if key not in seen:
                            seen.add(key)
                            following.append(nxt)
            frontier = following[:5000]
    assert (reached, taken) == (found.reached, found.taken)


SPREAD = [i * 0x9E3779B97F4A7C15 & (2**64 - 1) for i in range(12)]
"""Seeds whose first draw from 1..6 gives every outcome."""


def _draws(story: Story, move: rules.Move) -> bool:
    return any(block.rolls for block in (*move.more, *story.enter.get(move.dest, ())))


def test_the_seed_survives_a_save(tiny_story: Story) -> None:
    from game.engine.saves import SaveStore

    session = Session.new(tiny_story, "hero", seed=987654321)
    session.choose("hold")
    SaveStore(tiny_story).save(session, "seeded")
    loaded = SaveStore(tiny_story).load("seeded").session
    assert loaded.seed == 987654321 and loaded.state == session.state
    assert loaded.fresh().state == rules.start("start", "hero", tiny_story.defaults(), seed=987654321)


def test_the_search_on_the_built_in_story_takes_what_the_kernel_takes() -> None:
    """The built-in story is too big to search exhaustively: the first levels of the kernel's own
    breadth-first play (through `rules.step`, on full states keyed by what conditions read) must
    all be in a capped search, and the search must take nothing the kernel refuses."""
    from game.engine.analysis import condition_reads

    story = load_story(None)
    names, tracked = condition_reads(story)
    cap = 20_000
    found = explore_states(story, max_states=cap)
    reached: set[str] = set()
    taken: set[str] = set()
    keys: set[tuple[object, ...]] = set()
    # The search takes the roles in turn and the cap is shared: the first role is searched first.
    for role, meta in list(story.meta.roles.items())[:1]:
        frontier = [rules.start(meta.start, role, story.defaults())]
        while frontier and len(keys) + sum(len(story.scenes[s.scene].choices) for s in frontier) < cap // 4:
            following = []
            for state in frontier:
                reached.add(state.scene)
                if story.scenes[state.scene].ending:
                    continue
                for choice in story.scenes[state.scene].choices:
                    if rules.allows(state, choice.move):
                        taken.add(choice.key)
                        nxt = rules.step(state, choice.move)
                        key = (nxt.scene, role, *(nxt.vars[n] for n in names), *(nxt.visits.get(t, 0) for t in tracked))
                        if key not in keys:
                            keys.add(key)
                            following.append(nxt)
            frontier = following
    assert taken and taken <= found.taken and reached <= found.reached
    every_key = {c.key for c in story.choices()}
    assert found.taken <= every_key
