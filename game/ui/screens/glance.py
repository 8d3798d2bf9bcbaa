"""Whether a new scene's text may be read at a glance: shown whole beside its choices (see
`PlayScreen.first_look`), guessed from the screen as it is laid out now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.widgets import Static

from ..widgets import ChoiceList, SceneText

if TYPE_CHECKING:
    from .play import PlayScreen

GLANCE_SPARE = 3
"""Lines kept spare for the lines above the text (title, change cue), which may grow by a line or two."""


def may_fit(screen: PlayScreen) -> bool:
    """A guess, erring on the side of no (a wrong yes costs a layout more, never a wrong screen):
    the new text, with the new choices below it, fits in the room the text, the choices and the
    line under the text take now, with a few lines to spare for the lines above the text."""
    text = screen.query_one(SceneText)
    choices = screen.query_one(ChoiceList)
    more = screen.query_one("#more", Static)
    prose = text.query_one("#prose", Static)
    main_width = screen.query_one("#main").size.width
    if not (prose.size.width and text.size.height and main_width):
        return False
    room = text.scrollable_content_region.height
    room += (choices.outer_size.height if choices.display else 0) + (more.outer_size.height if more.display else 0)
    gutter = choices.styles.gutter
    choices_height = choices.get_content_height(Size(0, 0), Size(0, 0), main_width - gutter.width) + gutter.height
    prose_height = prose.get_content_height(Size(0, 0), Size(0, 0), prose.size.width)
    return prose_height + choices_height + GLANCE_SPARE <= room


__all__ = ["GLANCE_SPARE", "may_fit"]
