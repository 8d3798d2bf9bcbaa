"""The runtime session: choices, effects, visits, undo, history and how far play has left history."""

from __future__ import annotations

import pytest

from game.engine import ChoiceError
from game.engine.compiler import Story, load_story
from game.engine.replay import historical_path
from game.engine.session import Session

pytestmark = pytest.mark.usefixtures("json_each_step")


@pytest.fixture
def loop_story() -> Story:
    return load_story("tests/stories/loop")


def texts(session: Session) -> list[str]:
    return [p.text for p in session.paragraphs()]


def test_new_session_starts_at_the_role_start(tiny_story: Story) -> None:
    s = Session.new(tiny_story, "other")
    assert (s.role, s.scene_id, s.start) == ("other", "start", "start")
    assert dict(s.vars) == {"trust": 50, "told": False, "mood": "calm"} and s.role == "other"
    assert dict(s.visits) == {"start": 1}
    assert s.history == [] and s.path == [] and not s.undo()
    assert s.ending is None
    assert Session.new(tiny_story).role == "hero"


def test_choices_and_locked_choices_with_reasons(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    assert [c.id for c in s.choices()] == ["ship", "hold"]
    ship = s.choices()[0]
    assert (ship.text, ship.available, ship.historical, ship.goto, ship.note) == ("Ship it", True, True, "launch", "This is what happened.")
    s.choose("ship")
    assert [c.id for c in s.choices()] == ["wait"]
    locked = s.choices(include_locked=True)[1]
    assert (locked.id, locked.available, locked.locked_reason) == ("secret", False, "You never told anyone.")
    with pytest.raises(ChoiceError, match=r"You never told anyone\."):
        s.choose("secret")
    with pytest.raises(ChoiceError, match="has no choice 'fly'"):
        s.choose("fly")
    assert s.scene_id == "launch" and len(s.history) == 1


def test_effects_add_set_and_clamp(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    s.choose("hold")  # trust 50 - 60 is clamped to the minimum 0
    assert (s.vars["trust"], s.vars["told"], s.vars["mood"]) == (0, True, "grim")
    s.choose("relent")
    assert s.vars["trust"] == 0
    assert [c.id for c in s.choices()] == ["wait", "secret"]  # told and trust >= 0
    high = Session.new(tiny_story, overrides={"trust": 95})
    high.choose("ship")
    assert high.vars["trust"] == 100


def test_conditional_passages_follow_the_variables(tiny_story: Story) -> None:
    assert texts(Session.new(tiny_story)) == ["You stand at the window. [bold]Not markup[/bold].", "They are wary."]
    assert texts(Session.new(tiny_story, overrides={"trust": 61}))[1] == "They trust you."
    assert texts(Session.new(tiny_story, overrides={"trust": 60}))[1] == "They are wary."


def test_passage_without_else_disappears(loop_story: Story) -> None:
    s = Session.new(loop_story)
    assert texts(s) == ["A hall with a locked vault.", "The vault is unseen."]


def test_visit_counts_and_visited_conditions(loop_story: Story) -> None:
    s = Session.new(loop_story)
    s.choose("search")
    assert [c.id for c in s.choices()] == ["search", "leave"]
    s.choose("search")
    assert dict(s.visits) == {"hall": 3}
    assert s.vars["coins"] == 2
    s.choose("open")
    assert [c.id for c in s.choices()] == ["back", "take"]  # hall visited 3 times
    s.choose("back")
    assert dict(s.visits) == {"hall": 4, "vault": 1}
    assert (s.vars["coins"], s.vars["door_open"]) == (0, True)
    assert texts(s) == ["A hall with a locked vault.", "You have seen the vault.", "The vault door stands open."]


def test_visited_condition_locks_until_enough_visits(loop_story: Story) -> None:
    s = Session.new(loop_story, overrides={"coins": 2})
    s.choose("open")
    assert [c.id for c in s.choices()] == ["back"]
    assert s.choices(include_locked=True)[1].locked_reason == "You have not searched enough."
    with pytest.raises(ChoiceError, match="not searched enough"):
        s.choose("take")


def test_ending(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    s.choose("ship")
    s.choose("wait")
    assert s.ending is not None
    assert (s.ending.title, s.ending.historical, s.scene_id) == ("History", True, "end_real")
    assert s.choices(include_locked=True) == []
    with pytest.raises(ChoiceError):
        s.choose("wait")


def test_undo_is_unlimited_and_goes_back_to_the_start(loop_story: Story) -> None:
    s = Session.new(loop_story)
    states = []
    for choice in ["search", "search", "open", "back", "search", "search", "open", "take"]:
        states.append((s.scene_id, dict(s.vars), dict(s.visits), list(s.path)))
        s.choose(choice)
    assert s.ending is not None
    while states:
        assert s.undo()
        assert (s.scene_id, dict(s.vars), dict(s.visits), list(s.path)) == states.pop()
    assert not s.undo()
    assert (s.scene_id, dict(s.visits), s.history) == ("hall", {"hall": 1}, [])


def test_restart_returns_to_the_start(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    s.choose("hold")
    s.choose("relent")
    s.restart()
    assert (s.scene_id, dict(s.vars), dict(s.visits), s.path) == ("start", s.initial, {"start": 1}, [])


def test_history_records_each_step(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    s.choose("hold")
    s.choose("relent")
    s.choose("wait")
    assert s.path == ["start.hold", "held.relent", "launch.wait"]
    hold, relent, wait = s.history
    assert (hold.choice_text, hold.historical, hold.history_choice, hold.weight, hold.departed) == ("Hold it", False, "ship", 2, True)
    assert (relent.history_choice, relent.departed) == (None, False)
    assert (wait.historical, wait.departed) == (True, False)


def test_on_historical_path_and_divergence(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    s.choose("ship")
    assert s.on_historical_path
    s.choose("wait")
    div = s.divergence
    assert (div.score, div.possible, div.percent, div.first) == (0, 3, 0, None)

    s = Session.new(tiny_story)
    s.choose("hold")
    assert not s.on_historical_path
    s.choose("relent")
    s.choose("wait")
    div = s.divergence
    assert (div.score, div.possible, div.percent) == (2, 3, 67)
    assert div.first is not None and div.first.key == "start.hold"
    s.restart()
    assert s.on_historical_path and s.divergence.possible == 0 and s.divergence.percent == 0


def test_no_historical_options_means_no_divergence(loop_story: Story) -> None:
    s = Session.new(loop_story)
    s.choose("leave")
    assert s.on_historical_path
    assert (s.divergence.score, s.divergence.possible, s.divergence.percent) == (0, 0, 0)


def test_warps_start_and_overrides(tiny_story: Story) -> None:
    s = Session.new(tiny_story, start="launch", overrides={"told": True, "trust": 500, "mood": "x"})
    assert (s.scene_id, s.start, dict(s.visits)) == ("launch", "launch", {"launch": 1})
    assert (s.vars["trust"], s.vars["told"], s.vars["mood"]) == (100, True, "x")
    assert [c.id for c in s.choices()] == ["wait", "secret"]
    s.choose("secret")
    s.restart()
    assert s.scene_id == "launch" and s.vars["told"] is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "villain"}, "no role 'villain'"),
        ({"start": "nowhere"}, "no scene 'nowhere'"),
        ({"overrides": {"nobody": 1}}, "no variable 'nobody'"),
        ({"overrides": {"role": "other"}}, "no variable 'role'"),
        ({"overrides": {"trust": "high"}}, "trust is int, not str"),
        ({"overrides": {"trust": True}}, "trust is int, not bool"),
        ({"overrides": {"told": 1}}, "told is bool, not int"),
    ],
)
def test_bad_warps_are_refused(tiny_story: Story, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ChoiceError, match=message):
        Session.new(tiny_story, **kwargs)  # type: ignore[arg-type]


def test_moment_is_the_latest_dated_scene(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    assert s.moment is not None and s.moment.isoformat() == "2022-11-15T09:00:00"
    s.choose("hold")
    assert s.moment is not None and s.moment.isoformat() == "2022-11-15T09:00:00"
    assert s.header == "" and s.label is not None and s.label.value == "counterfactual"


def test_visible_vars(tiny_story: Story) -> None:
    [trust] = Session.new(tiny_story).visible_vars()
    assert (trust.name, trust.label, trust.value, trust.min, trust.max) == ("trust", "Trust", 50, 0, 100)


def test_replay_follows_a_path_and_stops_where_it_no_longer_fits(tiny_story: Story) -> None:
    s = Session.new(tiny_story)
    assert s.replay(["start.hold", "held.relent"]) == []
    assert s.scene_id == "launch"
    s = Session.new(tiny_story)
    lost = s.replay(["start.ship", "launch.secret", "end_secret.x"])
    assert lost == ["step 2: launch.secret: You never told anyone.", "end_secret.x"]
    assert s.path == ["start.ship"]
    s = Session.new(tiny_story)
    assert s.replay(["held.relent"])[0].startswith("step 1: expected to be in 'held'")


def test_historical_path_walks_history(tiny_story: Story) -> None:
    scenes, problems = historical_path(tiny_story, "hero")
    assert [s.id for s in scenes] == ["start", "launch", "end_real"]
    assert problems == []
