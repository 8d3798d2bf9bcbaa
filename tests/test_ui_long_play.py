"""A long play-through must not make each scene change do more work: the screen keeps its widgets,
the timeline draws only the rows that are new, and a scene change lays the screen out no more
often late in the game than early on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import Screen

from bench import gen
from game.engine.compiler import Story, load_story
from game.ui import make_app
from game.ui.screens import PlayScreen
from game.ui.widgets import ChoiceList
from game.ui.widgets.panels import RowLines

STEPS = 40
SIZE = (100, 32)


@pytest.fixture(scope="module")
def long_story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return load_story(gen.generate(tmp_path_factory.mktemp("long") / "story", 120))


def _onward(story: Story, screen: PlayScreen) -> str:
    """The key of an open choice that does not end the game."""
    here = story.scenes[screen.session.scene_id]
    goto = {c.id: c.goto for c in here.choices if c.goto is not None}
    available = screen.query_one(ChoiceList).available
    return next(str(n) for n, c in enumerate(available, 1) if story.scenes[goto[c.id]].ending is None)


async def test_work_per_scene_change_does_not_grow(long_story: Story, candid_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[int] = [0]
    layouts: list[int] = [0]
    original_draw, original_layout = RowLines._draw, Screen._refresh_layout

    def counting_draw(self: RowLines, item: tuple[str, str], width: int) -> object:
        drawn[-1] += 1
        return original_draw(self, item, width)

    def counting_layout(self: Screen[object], *args: object, **kwargs: object) -> None:
        layouts[-1] += 1
        original_layout(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RowLines, "_draw", counting_draw)
    monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
    app = make_app(long_story, role="reader")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        widgets = len(list(screen.query("*")))
        for _ in range(STEPS):
            before = screen.session.scene_id
            drawn.append(0)
            layouts.append(0)
            key = _onward(long_story, screen)
            while screen.session.scene_id == before:  # a text too long to read at a glance takes a key more
                await pilot.press(key)
                await pilot.pause()
            assert len(app.screen_stack) == 2  # the title, this game: no ending, no dialog on top
        assert len(screen.session.history) == STEPS
        assert len(list(screen.query("*"))) == widgets
        path = list(screen.query(RowLines))[1]
        assert path.text.count("\n") + 1 >= 2 * (STEPS + 1)  # the whole path is still drawn: a date and a title a scene
        # Each step draws the new path row (its date and title), perhaps a new date in the record: a
        # handful of items, however long the path already is.
        steps_drawn, steps_layouts = drawn[1:], layouts[1:]  # the first count is the start's
        assert max(steps_drawn[5:]) <= 6
        assert sum(steps_layouts[-10:]) <= sum(steps_layouts[:10])
