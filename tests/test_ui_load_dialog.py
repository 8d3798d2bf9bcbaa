"""The Load dialog: older generations and the previous game restorable, saves deleted (after asking),
and a word to the player whenever a replaced game was kept."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from game.engine import SaveError
from game.engine.compiler import Story
from game.engine.play import Game, Keeper
from game.engine.saves import AUTOSAVE, PREVIOUS, Profile, SaveStore
from game.engine.session import Session
from game.ui import make_app
from game.ui.screens import ConfirmScreen, LoadScreen, PlayScreen, TitleScreen

SIZE = (80, 24)


def notices(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def saved(story: Story, slot: str, *choices: str) -> None:
    session = Session.new(story, "hero")
    for choice in choices:
        session.choose(choice)
    SaveStore(story).save(session, slot)


def test_delete_removes_a_slot_with_its_generations_and_nothing_else(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    for choices in ((), ("ship",), ("hold",)):
        saved(tiny_story, "mine", *choices)
    saved(tiny_story, "other", "ship")
    assert [i.generation for i in store.generations("mine")] == [0, 1, 2]
    assert store.delete("mine") == 3
    assert not store.exists("mine") and store.generations("mine") == []
    assert [s.slot for s in store.slots()] == ["other"]
    assert store.delete("mine") == 0


def test_delete_refuses_a_name_that_is_not_a_slot(tiny_story: Story) -> None:
    with pytest.raises(SaveError):
        SaveStore(tiny_story).delete("../profile")


def test_the_keeper_says_where_a_replaced_game_went(tiny_story: Story) -> None:
    kept: list[str] = []
    keeper = Keeper(SaveStore(tiny_story), Profile(), kept=kept.append)
    first = Game(Session.new(tiny_story, "hero"), keeper)
    first.choose("hold")
    assert kept == []  # nothing was there to keep
    second = Game(Session.new(tiny_story, "hero"), keeper)
    second.choose("ship")
    assert kept == [PREVIOUS]
    second.choose("wait")
    assert kept == [PREVIOUS]  # once per replacement, not at every step


async def test_an_older_generation_is_listed_and_restored_after_asking(tiny_story: Story) -> None:
    saved(tiny_story, "mine", "hold")
    saved(tiny_story, "mine", "ship")
    saved(tiny_story, AUTOSAVE, "hold", "relent")
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_load_game()
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        listed = app.screen.query_one("#slots", OptionList)
        ids = [str(listed.get_option_at_index(i).id) for i in range(listed.option_count)]
        assert ids.index("mine.1") == ids.index("mine") + 1
        assert "one save before" in listed.get_option_at_index(ids.index("mine.1")).prompt.plain  # type: ignore[union-attr]
        listed.highlighted = ids.index("mine.1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # the autosaved game would be replaced
        await pilot.press("y")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert play.session.path == ["start.hold"]
        assert any("previous game" in n for n in notices(app))
        # The game it replaced is one Load away.
        assert SaveStore(tiny_story).load(PREVIOUS).session.path == ["start.hold", "held.relent"]


async def test_the_previous_game_is_offered_by_name_and_comes_back(tiny_story: Story) -> None:
    store = SaveStore(tiny_story)
    saved(tiny_story, AUTOSAVE, "hold")
    store.keep_previous()
    saved(tiny_story, AUTOSAVE, "ship")
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_load_game()
        await pilot.pause()
        listed = app.screen.query_one("#slots", OptionList)
        index = listed.get_option_index(PREVIOUS)
        assert "the one last replaced" in listed.get_option_at_index(index).prompt.plain  # type: ignore[union-attr]
        listed.highlighted = index
        await pilot.press("enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.session.path == ["start.hold"]
    # Loading it swapped the two: the game that was in the autosave is now the previous one.
    assert store.load(PREVIOUS).session.path == ["start.ship"]
    assert store.load(AUTOSAVE).session.path == ["start.hold"]


async def test_a_save_is_deleted_only_after_a_yes(tiny_story: Story) -> None:
    saved(tiny_story, "mine", "hold")
    saved(tiny_story, "mine", "ship")
    saved(tiny_story, "keep", "ship")
    store = SaveStore(tiny_story)
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_load_game()
        await pilot.pause()
        listed = app.screen.query_one("#slots", OptionList)
        listed.highlighted = listed.get_option_index("mine.1")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 older version" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert store.exists("mine")
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert not store.exists("mine") and store.generations("mine") == []
        ids = [str(listed.get_option_at_index(i).id) for i in range(listed.option_count)]
        assert ids == ["keep"]
        await pilot.press("d", "y")
        await pilot.pause()
        assert not app.screen.query_one("#slots", OptionList).display
        assert app.screen.query_one("#no-saves").display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_a_new_game_over_one_in_progress_says_it_was_kept(tiny_story: Story) -> None:
    saved(tiny_story, AUTOSAVE, "hold")
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert not any("previous game" in n for n in notices(app))  # nothing replaced until a choice
        play.take("ship")
        await pilot.pause()
        assert any("previous game" in n for n in notices(app))
    assert SaveStore(tiny_story).load(PREVIOUS).session.path == ["start.hold"]
