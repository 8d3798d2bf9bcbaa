"""Moving on without a click: a scene whose only open choice is marked `auto` passes by itself.

One rule (`rules.auto_move`), made by the game's controller after every change; the exhaustive
search and randomtest take a scene's only open move anyway."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from authoring_support import STORY_HEAD, write_story

from game.engine import rules
from game.engine.compiler import Story, load_story
from game.engine.explore import explore_states
from game.engine.play import Game
from game.engine.randomtest import run_randomtest
from game.engine.saves import SaveStore
from game.engine.session import Session
from game.engine.textlang import Runs
from game.plain import run_plain

SCENES = """\
scenes:
  - id: one
    act: 1
    title: One
    roles: [a]
    label: dramatised
    text: At the door.
    choices:
      - {id: go, text: Go through, goto: hall, reply: The door creaks., effects: {set: {key: true}}}
      - {id: stay, text: Stay, goto: gate}
  - id: hall
    act: 1
    title: Hall
    roles: [a]
    label: dramatised
    text: A long hall you cross without stopping.
    choices:
      - {id: walk, text: Walk on, goto: gate, auto: true, reply: Your steps echo.}
  - id: gate
    act: 1
    title: Gate
    roles: [a]
    label: dramatised
    text: The gate.
    choices:
      - {id: open, text: Open it, goto: done, if: key}
      - {id: around, text: Go round, goto: done, fallback: true, auto: true}
  - id: done
    act: 1
    title: Done
    roles: [a]
    label: dramatised
    text: Out.
    ending: {title: Out, epilogue: Out you went.}
"""


@pytest.fixture
def story(tmp_path: Path) -> Story:
    return load_story(write_story(tmp_path / "auto", STORY_HEAD + "  variables:\n    key: {type: bool, default: false}\n", SCENES))


def _words(runs: Runs) -> str:
    return "".join(r.text for r in runs)


def test_the_rule_takes_only_a_lone_open_auto_move(story: Story) -> None:
    moves = {s: [c.move for c in story.scenes[s].choices] for s in story.scenes}
    start = rules.start("hall", "a", story.defaults())
    assert rules.auto_move(start, moves["hall"]) is moves["hall"][0]
    at_gate = rules.start("gate", "a", story.defaults())
    assert rules.auto_move(at_gate, moves["gate"]) is moves["gate"][1]  # the fallback, alone and auto
    opened = rules.start("gate", "a", {"key": True})
    assert rules.auto_move(opened, moves["gate"]) is None  # the fallback is closed: the player decides
    assert rules.auto_move(rules.start("one", "a", story.defaults()), moves["one"]) is None


def test_the_controller_passes_through_and_shows_what_it_passed(story: Story) -> None:
    game = Game(Session.new(story))
    game.choose("go")
    session = game.session
    assert session.scene_id == "gate" and session.path == ["one.go", "hall.walk"]
    assert [s.auto for s in session.history] == [False, True]
    assert _words(session.reply) == "The door creaks.\n\nA long hall you cross without stopping.\n\nYour steps echo."
    assert [c.id for c in session.choices()] == ["open"]


def test_a_lone_fallback_marked_auto_moves_on_to_the_ending(story: Story) -> None:
    game = Game(Session.new(story))
    game.choose("stay")
    assert game.session.scene_id == "done" and game.session.path == ["one.stay", "gate.around"]
    assert _words(game.session.reply) == "The gate."


def test_undo_goes_back_past_the_moves_made_by_themselves(story: Story) -> None:
    game = Game(Session.new(story))
    game.choose("go")
    assert game.undo()
    assert game.session.scene_id == "one" and game.session.path == []
    assert not game.undo()


def test_a_game_that_begins_on_a_passing_scene_moves_on(story: Story) -> None:
    game = Game(Session.new(story, start="hall"))
    # No key: at the gate only the fallback is open, and it moves on too.
    assert game.session.path == ["hall.walk", "gate.around"] and game.session.scene_id == "done"
    assert not game.undo()  # the player has decided nothing yet


def test_save_and_load_keep_the_passage(story: Story, tmp_path: Path) -> None:
    game = Game(Session.new(story))
    game.choose("go")
    store = SaveStore(story, tmp_path / "home")
    store.save(game.session, "mid")
    loaded = store.load("mid").session
    assert loaded.state == game.session.state and loaded.path == game.session.path
    assert loaded.reply == game.session.reply
    again = Game(loaded)
    assert again.undo() and again.session.scene_id == "one"


def test_plain_mode_shows_the_passed_scene_and_never_asks_there(story: Story) -> None:
    out = io.StringIO()
    run_plain(story, Session.new(story), io.StringIO("1\n"), out, None)
    text = out.getvalue()
    assert "A long hall you cross without stopping." in text and "Your steps echo." in text
    assert "Walk on" not in text  # never offered as a choice
    assert "Open it" in text


def test_randomtest_and_the_search_follow_the_same_rule(story: Story) -> None:
    found = explore_states(story)
    assert found.exhaustive and found.stuck == {}
    assert found.taken == {"one.go", "one.stay", "hall.walk", "gate.open", "gate.around"}
    result = run_randomtest(story, 50, seed=1)
    assert not result.errors and not result.untaken


async def test_the_full_screen_game_passes_through_and_undoes_past_it(story: Story, candid_home: Path) -> None:
    from textual.widgets import OptionList

    from game.ui import make_app
    from game.ui.screens import PlayScreen
    from game.ui.widgets import SceneText

    app = make_app(story)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # the title screen's first entry: a new game
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        await pilot.press("1")  # go through the door: the hall passes by itself
        text = screen.query_one(SceneText).text
        assert text.startswith("The door creaks.") and "A long hall you cross without stopping." in text
        assert "The gate." in text
        prompts = [str(o.prompt) for o in screen.query_one("#choices", OptionList)._options]
        assert len(prompts) == 1 and "Open it" in prompts[0]
        await pilot.press("u")
        assert screen.query_one(SceneText).text.startswith("At the door.")
