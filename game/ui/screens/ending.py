"""The ending: its title and epilogue, the path set against history, and how things moved."""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Sparkline, Static

from ...engine import SaveError
from ...engine.present import divergence_summary, path_rows, record_rows
from ...engine.saves import atomic_write
from ...engine.session import Session
from ...engine.textlang import blocks
from ...engine.transcript import transcript
from ..text import runs_content
from ..widgets.panels import TimelineColumn
from ..widgets.scene_text import scene_content
from .dialogs import ConfirmScreen

if TYPE_CHECKING:
    from ..app import CandidApp


class EndingScreen(Screen[str]):
    """Dismissed with "undo" when the player takes back the last choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "export",
            "Export transcript",
            id="export",
            tooltip="The play-through as Markdown, with its sources (downloaded in a browser)",
        ),
        Binding("u", "undo", "Undo", id="undo", tooltip="Take back the last choice"),
        # Not `n`: in replay `n` follows history, and pressing it on through the last scene must not
        # skip this screen. No key here means "go on", so a key held too long does nothing.
        Binding("m", "title", "Title screen", id="title", tooltip="Back to the title screen (main menu)"),
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit the game"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        s = self.session
        ending = s.ending
        assert ending is not None
        with VerticalScroll(id="ending"):
            yield Static(Content.assemble(("THE END · ", "dim"), ending.title), id="the-end")
            yield Static(scene_content(s.paragraphs(), s.reply), classes="prose")
            yield Static(Content("\n\n").join(runs_content(b) for b in blocks(s.epilogue())), classes="prose epilogue")
            if not s.story.fiction:
                yield Static(Content(divergence_summary(s) if s.history else ""), id="ending-divergence")
                yield Static("Your path against history", classes="section")
                with Horizontal(id="compare"):
                    yield TimelineColumn("Your path", path_rows(s, year=True, choices=True))
                    record = record_rows(s.story, s.role, year=True, choices=True)
                    yield TimelineColumn("What really happened", record, empty="no record for this role")
            course = s.course()
            tracked = [v for v in s.visible_vars() if isinstance(v.value, int) and not isinstance(v.value, bool)]
            if tracked:
                yield Static("How things moved", classes="section")
                for var in tracked:
                    values = [float(cast(int, step[var.name])) for step in course]
                    with Horizontal(classes="course"):
                        yield Static(Content(var.label), classes="course-label")
                        line = Sparkline(values, classes="course-line")
                        # A few steps spread over a wide line look like blocks, not a course.
                        line.styles.width = min(40, max(8, 3 * len(values)))
                        yield line
                        yield Static(Content(f"{int(values[0])} → {int(values[-1])}"), classes="course-value")
            found = self.game.profile.endings_found(s.story)
            endings = [scene for scene in s.story.scenes.values() if scene.ending is not None]
            titles = ", ".join(scene.ending.title for scene in endings if scene.id in found and scene.ending)
            yield Static(Content(f"Endings found: {len(found)} of {len(endings)}" + (f" ({titles})" if titles else "")), id="endings")
            with Horizontal(id="actions"):
                yield Button("Export transcript (e)", id="export", variant="primary")
                yield Button("Undo (u)", id="undo")
                yield Button("Title screen (m)", id="title")
        yield Footer()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        await self.run_action(f"{event.button.id}")

    def action_export(self) -> None:
        name = f"{self.session.story.id}-{time.strftime('%Y%m%d-%H%M%S')}.md"
        markdown = transcript(self.session)
        if self.app.is_web:
            # In a browser the server's disk is no use to the player: the browser downloads it instead.
            self.app.deliver_text(io.StringIO(markdown), save_filename=name, mime_type="text/markdown", name="transcript")
            self.notify("Your browser is downloading the transcript.", title="Exported", markup=False, timeout=8)
            return
        path = self.game.data_home / "transcripts" / name
        try:
            atomic_write(path, markdown.encode())
        except OSError as exc:
            self.game.show_error(SaveError(f"cannot write the transcript: {exc.strerror}"))
            return
        self.notify(f"Transcript written to {path}", title="Exported", markup=False, timeout=8)

    def action_undo(self) -> None:
        self.dismiss("undo")

    def action_title(self) -> None:
        self.game.back_to_title()

    def action_quit(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(0)

        self.app.push_screen(ConfirmScreen("Quit now? Endings found are kept; Continue brings you back here."), answered)
