"""Story text and player input are shown literally: markup in them appears as written and does nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.content import Content
from textual.widgets import OptionList, Static

from game.engine.compiler import load_story
from game.ui import make_app
from game.ui.screens import PlayScreen, RoleScreen, TitleScreen
from game.ui.widgets import SceneText

CLICK = "[@click=app.quit]press[/]"


def markup_story(folder: Path) -> Path:
    story = folder / "story"
    shutil.copytree(Path(__file__).parent / "stories" / "tiny", story)
    meta = story / "story.yaml"
    text = meta.read_text().replace("description: The only role.", f'description: "Bold [b]role[/b] {CLICK}"')
    meta.write_text(text.replace("title: Tiny", 'title: "Tiny [red]x[/red]"'))
    scenes = story / "scenes.yaml"
    text = scenes.read_text().replace("text: Ship it", f'text: "Ship [bold]it {CLICK}"')
    scenes.write_text(text.replace('"They are wary."', f'"They are *wary* {CLICK} [/bold]"'))
    return story


async def test_markup_in_story_text_is_literal(tmp_path: Path) -> None:
    app = make_app(load_story(markup_story(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        assert "Tiny [red]x[/red]" in str(app.screen.query_one("#plain-title", Static).render())
        await pilot.press("1")
        assert isinstance(app.screen, RoleScreen)
        roles = app.screen.query_one(OptionList)
        assert f"Bold [b]role[/b] {CLICK}" in str(roles.get_option_at_index(0).prompt)
        await pilot.press("1")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert f"They are wary {CLICK} [/bold]" in screen.query_one(SceneText).text
        prose = screen.query_one("#prose", Static)
        visual = prose.visual
        assert isinstance(visual, Content) and CLICK in visual.plain
        # The emphasis on *wary* is a span: the check below looks at real spans, not at none.
        assert any(str(span.style) == "italic" for span in visual.spans)
        assert not any("@click" in str(span.style) for span in visual.spans)
        choices = screen.query_one("#choices", OptionList)
        assert str(choices.get_option_at_index(0).prompt) == f"1. Ship [bold]it {CLICK}"
        await pilot.click(prose)
        await pilot.click(choices, offset=(20, 1))
        await pilot.pause()
        assert app.is_running
        assert screen.session.scene_id == "launch"


def test_emphasis_is_italic_and_nothing_else() -> None:
    from game.ui.text import prose

    content = prose("a *quiet* word [b]x[/b] and **")
    assert content.plain == "a quiet word [b]x[/b] and **"
    assert [(s.start, s.end, s.style) for s in content.spans] == [(2, 7, "italic")]
