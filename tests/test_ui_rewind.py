"""Rewind: back to any earlier scene at once, from the log or the timeline, after asking."""

from __future__ import annotations

from textual.widgets import OptionList

from game.engine.compiler import Story
from game.engine.play import Game, Keeper
from game.engine.saves import AUTOSAVE, Profile, SaveStore
from game.engine.session import Session
from game.ui import make_app
from game.ui.screens import ConfirmScreen, PlayScreen, TimelineScreen
from game.ui.screens.rewind import LogScreen

SIZE = (80, 24)


def played(story: Story, *choices: str) -> Game:
    game = Game(Session.new(story, "hero"), Keeper(SaveStore(story), Profile()))
    for choice in choices:
        game.choose(choice)
    return game


def test_rewind_is_undo_n_times_with_one_autosave(tiny_story: Story, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    game = played(tiny_story, "hold", "relent")
    store = game.keeper.store
    assert store is not None
    writes: list[list[str]] = []
    save = store.save

    def counted(session: Session, slot: str = AUTOSAVE) -> object:
        writes.append(session.path)
        return save(session, slot)

    monkeypatch.setattr(store, "save", counted)
    assert game.rewind(1) == 1
    assert game.session.scene_id == "held" and game.session.path == ["start.hold"]
    assert writes == [["start.hold"]]
    # Past the start it stops at the start; like undo, a game back at its start leaves the autosave be.
    assert game.rewind(5) == 1
    assert game.session.scene_id == "start" and game.session.history == []
    assert writes == [["start.hold"]]
    assert store.load(AUTOSAVE).session.path == ["start.hold"]
    assert game.rewind(1) == 0


def test_rewind_matches_undoing_step_by_step(tiny_story: Story) -> None:
    rewound, undone = played(tiny_story, "hold", "relent"), played(tiny_story, "hold", "relent")
    rewound.rewind(2)
    undone.undo()
    undone.undo()
    assert rewound.session.state == undone.session.state


async def test_picking_a_scene_in_the_log_goes_back_there_after_a_yes(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        play.take("hold")
        play.take("relent")
        await pilot.pause()
        assert play.session.scene_id == "launch"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        log = app.screen.query_one("#log", OptionList)
        assert log.get_option("step-2").disabled  # where the player is now
        assert log.highlighted == log.get_option_index("step-1")
        log.highlighted = log.get_option_index("step-0")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "The decision" in app.screen.question and "2 choices" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen) and play.session.scene_id == "launch"
        await pilot.press("enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert play.session.scene_id == "start" and play.session.history == []
        assert play.query_one("#choices").display  # a scene gone back to is shown read, its choices there


async def test_the_timeline_leads_to_the_log_to_go_back(tiny_story: Story) -> None:
    app = make_app(tiny_story, role="hero")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        play.take("hold")
        play.take("relent")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        await pilot.press("enter", "y")  # the last choice is highlighted: back one scene
        await pilot.pause()
        assert play.session.scene_id == "held"
    assert SaveStore(tiny_story).load(AUTOSAVE).session.path == ["start.hold"]
