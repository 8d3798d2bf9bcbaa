"""The key footer, redrawn only when the keys it shows have changed.

Textual's footer rebuilds all its key widgets whenever a screen's bindings may have changed: on
every focus move and every `refresh_bindings()`. A scene change does several of those (the text
takes the focus, then the choices), so the play screen spent most of a step rebuilding the same
footer. This one notes what it drew and rebuilds only when the shown keys, their descriptions,
tooltips or enabled states differ.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A footer that skips rebuilding itself when nothing it shows has changed."""

    def __init__(self) -> None:
        super().__init__()
        self._drawn: Hashable | None = None
        self._redraw_pending = False

    def _signature(self) -> Hashable:
        """What `compose` draws from: the shown keys as they stand, and the palette's."""
        active = self.screen.active_bindings
        keys = tuple(
            (b.key, b.action, b.description, b.tooltip, b.group, enabled, tooltip)
            for _node, b, enabled, tooltip in active.values()
            if b.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.show_command_palette else None
        shown_palette = None if palette is None else (palette[1].key, palette[1].description, palette[1].tooltip, palette[2])
        return (keys, shown_palette, self.show_command_palette)

    def compose(self) -> ComposeResult:
        self._drawn = self._signature() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._redraw_pending:
            self._redraw_pending = True
            self.call_after_refresh(self._redraw)

    async def _redraw(self) -> None:
        self._redraw_pending = False
        if self.is_attached and self._signature() != self._drawn:
            await self.recompose()
