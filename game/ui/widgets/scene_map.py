"""The scene map: a role's outline (see `scene_outline`) as a tree, each line marked like `candid graph`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

if TYPE_CHECKING:
    from ...engine.graph import Outline, OutlineEntry

# In front, where a narrow terminal does not cut it off.
HERE = "here ▸ "

MAX_NESTING = 50
"""Branches nest this deep in the map at most; deeper ones go on at this depth."""


@dataclass(frozen=True, slots=True)
class MapItem:
    """What a line of the map shows: the choice leading there, the scene, and how it is marked."""

    scene_id: str
    text: str
    style: str
    """A style of the graph (`SceneNode.style`), or "repeat" for a pointer to a scene shown elsewhere."""
    via: str = ""
    """The edge label of the choice leading here (`SceneGraph.edge_label`), if any."""
    historical: bool = False
    """Whether that choice is history's."""
    here: bool = False

    @property
    def plain(self) -> str:
        return (HERE if self.here else "") + (f"{self.via} → " if self.via else "") + self.text


class SceneMap(Tree[MapItem]):
    """Posts `Picked` when a scene's line is selected (Enter or a click)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "scene-map--edge",
        "scene-map--history",
        "scene-map--here",
        *(f"scene-map--{style}" for style in ("unreachable", "dead_end", "historical_ending", "ending", "start", "scene", "repeat")),
    }
    DEFAULT_CSS = """
    SceneMap {
        /* Partial styles drop a colour's alpha, so muted text is dim rather than $text-muted. */
        & > .scene-map--edge { text-style: dim; }
        & > .scene-map--history { color: $warning; text-style: bold; }
        & > .scene-map--here { color: $accent; text-style: bold; }
        & > .scene-map--unreachable { text-style: dim; }
        & > .scene-map--dead_end { color: $error; }
        & > .scene-map--historical_ending { color: $warning; text-style: bold; }
        & > .scene-map--ending { color: $success; }
        & > .scene-map--start { text-style: bold; }
        & > .scene-map--repeat { text-style: dim italic; }
    }
    """

    @dataclass
    class Picked(Message):
        scene_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Scenes"), id=id)
        self.show_root = False
        self.guide_depth = 3
        # Enter picks a scene; folding stays on space, so picking never folds a branch by the way.
        self.auto_expand = False
        self.center_scroll = True
        self.here_node: TreeNode[MapItem] | None = None

    def show(self, outline: Outline, here: str) -> None:
        """Show the outline, with the cursor on the scene `here`."""
        self.clear()
        self.here_node = None
        self._add(self.root, outline, outline.main, here)
        if outline.unreachable:
            lost = self.root.add(Text(f"Unreachable ({len(outline.unreachable)})"))
            for node in outline.unreachable:
                self._node(lost, MapItem(node.id, node.label, node.style, here=node.id == here), leaf=True)
        self.root.expand_all()
        if self.here_node is not None:
            # Lines get their numbers at the next refresh; the cursor can only move then.
            self.call_after_refresh(self.move_cursor, self.here_node)

    def _add(self, parent: TreeNode[MapItem], outline: Outline, entries: Iterable[OutlineEntry], here: str) -> None:
        """Add the entries under `parent`, depth first. Iterative, and branches nested deeper than
        MAX_NESTING continue at that depth: a story may nest thousands of branches."""
        stack: list[tuple[TreeNode[MapItem], Iterator[OutlineEntry], int]] = [(parent, iter(entries), 0)]
        while stack:
            into, pending, depth = stack[-1]
            entry = next(pending, None)
            if entry is None:
                stack.pop()
                continue
            via = outline.graph.edge_label(entry.via) if entry.via else ""
            historical = entry.via is not None and entry.via.model.historical
            if entry.repeat:
                text = f"{entry.scene_id} (see {entry.repeat})"
                self._node(into, MapItem(entry.scene_id, text, "repeat", via, historical), leaf=True)
                continue
            scene = outline.graph.nodes[entry.scene_id]
            item = MapItem(entry.scene_id, scene.label, scene.style, via, historical, here=entry.scene_id == here)
            if depth >= MAX_NESTING:
                self._node(into, item, leaf=True)
                stack.append((into, iter(entry.children), depth))
                continue
            node = self._node(into, item, leaf=not entry.children)
            stack.append((node, iter(entry.children), depth + 1))

    def _node(self, parent: TreeNode[MapItem], item: MapItem, *, leaf: bool) -> TreeNode[MapItem]:
        # A Text label: scene ids and titles are author text, never parsed as markup.
        node = parent.add_leaf(Text(item.plain), item) if leaf else parent.add(Text(item.plain), item)
        if item.here:
            self.here_node = node
        return node

    def render_label(self, node: TreeNode[MapItem], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        item = node.data
        # Component styles exist only once mounted (as in Textual's DirectoryTree).
        if item is None or not self.is_mounted:
            return label
        start = len(label.plain) - len(item.plain)
        if item.here:
            label.stylize_before(self.get_component_rich_style("scene-map--here", partial=True), start, start + len(HERE))
            start += len(HERE)
        if item.via:
            end = start + len(item.via) + len(" → ")
            edge = "scene-map--history" if item.historical else "scene-map--edge"
            label.stylize_before(self.get_component_rich_style(edge, partial=True), start, end)
            start = end
        label.stylize_before(self.get_component_rich_style(f"scene-map--{item.style}", partial=True), start)
        return label

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[MapItem]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Picked(event.node.data.scene_id))
        else:
            event.node.toggle()
