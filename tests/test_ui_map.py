"""The authors' scene map: opened from the command palette, marked like `candid graph`, and a warp."""

from __future__ import annotations

from pathlib import Path

from authoring_support import STORY_HEAD, scene, write_story
from textual.pilot import Pilot
from textual.widgets.tree import TreeNode

from game.engine.compiler import Story, load_story
from game.ui import make_app
from game.ui.commands import GameCommands
from game.ui.screens import EndingScreen, MapScreen, PlayScreen
from game.ui.widgets import SceneMap
from game.ui.widgets.scene_map import MapItem

SIZE = (100, 30)


def lines(node: TreeNode[MapItem], depth: int = 0) -> list[str]:
    """The tree's labels in order, indented two spaces per level."""
    found = []
    for child in node.children:
        found.append("  " * depth + str(child.label))
        found += lines(child, depth + 1)
    return found


async def open_map(pilot: Pilot[int]) -> SceneMap:
    await pilot.press("ctrl+p", *"map")
    # The palette searches in a worker; Enter picks its best hit only once the search is done.
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MapScreen), type(pilot.app.screen).__name__
    return pilot.app.screen.query_one(SceneMap)


async def test_map_from_the_palette_shows_the_tiny_story_and_warps(tiny_story: Story) -> None:
    app = make_app(tiny_story, start="start")
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_map(pilot)
        assert lines(tree.root) == [
            "here ▸ The decision (start) · start of hero",
            "  hold → Held back (held)",
            "    relent → launch (see below)",
            "    give_up → Otherwise (end_alt) · ending",
            "★ ship → Launch (launch)",
            "  secret → Secret (end_secret) · ending",
            "★ wait → As it was (end_real) · historical ending",
        ]
        assert tree.cursor_node is not None and tree.cursor_node is tree.here_node
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.scene_id == "held"
        assert app.screen.session.role == "hero"


async def test_a_pointer_warps_to_the_scene_it_points_at(tiny_story: Story) -> None:
    app = make_app(tiny_story, start="start")
    async with app.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.scene_id == "launch"


async def test_map_marks_dead_ends_and_lists_unreachable_scenes(tmp_path: Path) -> None:
    scenes = (
        "scenes:\n"
        + scene("one", "{id: go, text: Go, goto: two, historical: true}", '{id: trap, text: Trap, goto: trap, if: "not k"}')
        + scene("two", "{id: fin, text: Fin, goto: done}").replace("title: Two", 'title: "[bold]Two[/bold]"')
        + scene("trap", "{id: loop, text: Loop, goto: trap}")
        + scene("lost", "{id: back, text: Back, goto: one, effects: {set: {k: true}}}")
        + scene("done", ending=True)
    )
    folder = write_story(tmp_path / "marked", STORY_HEAD + "  variables:\n    k: {type: bool, default: false}\n", scenes)
    app = make_app(load_story(folder), start="two")
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_map(pilot)
        assert lines(tree.root) == [
            "One (one) · start of a",
            "  trap → Trap (trap) · dead end",
            "    loop → trap (see above)",
            "here ▸ ★ go → [bold]Two[/bold] (two)",
            "fin → Done (done) · ending",
            "Unreachable (1)",
            "  Lost (lost) · unreachable",
        ]
        styles = {n.data.scene_id: n.data.style for n in tree.root.children[0].children if n.data}
        assert styles == {"trap": "dead_end"}
        await pilot.press("end", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.scene_id == "lost"


async def test_warp_from_the_ending_screen_leaves_it(tiny_story: Story) -> None:
    app = make_app(tiny_story, start="end_alt")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await open_map(pilot)
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.scene_id == "start"


async def test_map_is_for_authors_only_and_escape_closes_it(tiny_story: Story) -> None:
    app = make_app(tiny_story)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "1")
        await pilot.pause()
        assert "Scene map" not in [name for name, _help, _run in GameCommands(app.screen).commands()]
    author = make_app(tiny_story, start="launch")
    async with author.run_test(size=SIZE) as pilot:
        await open_map(pilot)
        await pilot.press("escape")
        assert isinstance(author.screen, PlayScreen)
        assert author.screen.session.scene_id == "launch"
