"""The scene map (authors): every scene a role can reach, marked like `candid graph`; Enter warps there."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...engine.compiler import Story
from ..widgets import Footer, SceneMap
from .dialogs import CLOSE


class MapScreen(Screen[str | None]):
    """Dismissed with the id of the scene picked, or None."""

    AUTO_FOCUS = "SceneMap"
    BINDINGS: ClassVar[list[BindingType]] = CLOSE

    def __init__(self, story: Story, role: str, here: str) -> None:
        super().__init__()
        self.story, self.role, self.here = story, role, here

    def compose(self) -> ComposeResult:
        # The graph module brings the checker and transitions' diagrams: imported when the map opens, not at start.
        from ...engine.graph import HISTORICAL_MARK

        role = self.story.meta.roles[self.role]
        yield Static(Content.assemble(("Scene map", "bold"), f" · {role.name}"), id="map-heading")
        yield SceneMap(id="map")
        yield Static(
            Content.assemble(
                (f"{HISTORICAL_MARK} ", "$warning"),
                "history's choice. History's path (then first choices) runs down the left, branches under the scene they leave. ",
                ("Enter", "bold"),
                " warps there, ",
                ("space", "bold"),
                " folds.",
            ),
            id="map-legend",
        )
        yield Footer()

    def on_mount(self) -> None:
        from ...engine.graph import scene_outline

        self.query_one(SceneMap).show(scene_outline(self.story, self.role), self.here)

    @on(SceneMap.Picked)
    def _picked(self, event: SceneMap.Picked) -> None:
        self.dismiss(event.scene_id)

    def action_close(self) -> None:
        self.dismiss(None)
