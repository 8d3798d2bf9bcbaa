"""The endings gallery: computed per role in the engine, shown from the title screen."""

from __future__ import annotations

from textual.widgets import OptionList

from game.engine.compiler import Story
from game.engine.gallery import epilogue, gallery
from game.engine.saves import Profile
from game.ui import make_app
from game.ui.screens import GalleryScreen, InfoScreen, TitleScreen
from game.ui.screens.gallery import locked_hint


def test_each_role_lists_its_endings_and_only_found_ones_are_named(tiny_story: Story) -> None:
    shown = gallery(tiny_story, {"end_alt"})
    assert [g.role for g in shown] == ["hero", "other"]
    hero = shown[0]
    assert [e.scene_id for e in hero.entries] == ["end_real", "end_alt", "end_secret"]
    assert hero.found == 1
    found, locked = hero.entries[1], hero.entries[0]
    assert found.found and found.title == "Never"
    assert not locked.found and locked.title is None and not locked.historical  # history's ending is not told either


def test_a_locked_ending_hints_where_it_lies_without_naming_it(tiny_story: Story) -> None:
    entries = {e.scene_id: e for e in gallery(tiny_story, set())[0].entries}
    secret = entries["end_secret"]
    assert secret.via == ("Launch",)
    assert secret.guarded  # its only way in has a condition
    assert not entries["end_alt"].guarded
    hint = " ".join(locked_hint(secret))
    assert "Launch" in hint and "some paths" in hint
    assert "Secret" not in hint and "door" not in hint


def test_a_found_ending_reads_again(tiny_story: Story) -> None:
    assert "".join(r.text for r in epilogue(tiny_story, "hero", "end_alt")) == "In reality it shipped."


async def test_the_title_screen_opens_the_gallery_and_a_found_ending_reads_again(tiny_story: Story) -> None:
    Profile().record_ending(tiny_story, "end_alt")
    app = make_app(tiny_story)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        menu = app.screen.query_one("#menu", OptionList)
        await pilot.press(str(menu.get_option_index("endings") + 1))
        await pilot.pause()
        assert isinstance(app.screen, GalleryScreen)
        listed = app.screen.query_one("#gallery", OptionList)
        text = "\n".join(str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count))
        assert "Hero · 1 of 3 found" in text and "Other · 1 of 3 found" in text
        assert "Never" in text and "Secret" not in text and "History" not in text
        locked = listed.get_option("hero:end_secret")
        assert locked.disabled
        listed.highlighted = listed.get_option_index("hero:end_alt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen)
        assert "In reality it shipped." in str(app.screen.body)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
