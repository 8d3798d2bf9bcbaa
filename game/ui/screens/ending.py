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
from textual.widgets import Button, Sparkline, Static

from ...engine import SaveError
from ...engine.i18n import N_, _
from ...engine.present import divergence_summary, path_rows, record_rows
from ...engine.saves import atomic_write
from ...engine.session import Session
from ...engine.textlang import blocks
from ...engine.transcript import transcript
from ..text import runs_content
from ..widgets.footer import Footer
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
            N_("Export transcript"),
            id="export",
            tooltip=N_("The play-through as Markdown, with its sources (downloaded in a browser)"),
        ),
        Binding("u", "undo", N_("Undo"), id="undo", tooltip=N_("Take back the last choice")),
        # Not `n`: in replay `n` follows history, and pressing it on through the last scene must not
        # skip this screen. No key here means "go on", so a key held too long does nothing.
        Binding("m", "title", N_("Title screen"), id="title", tooltip=N_("Back to the title screen (main menu)")),
        Binding("q", "quit", N_("Quit"), id="quit", tooltip=N_("Quit the game")),
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
            yield Static(Content.assemble((_("THE END") + " · ", "dim"), ending.title), id="the-end")
            yield Static(scene_content(s.paragraphs(), s.reply), classes="prose")
            yield Static(Content("\n\n").join(runs_content(b) for b in blocks(s.epilogue())), classes="prose epilogue")
            if not s.story.fiction:
                yield Static(Content(divergence_summary(s) if s.history else ""), id="ending-divergence")
                yield Static(Content(_("Your path against history")), classes="section")
                with Horizontal(id="compare"):
                    yield TimelineColumn(N_("Your path"), path_rows(s, year=True, choices=True))
                    record = record_rows(s.story, s.role, year=True, choices=True)
                    yield TimelineColumn(N_("What really happened"), record, empty=N_("no record for this role"))
            course = s.course()
            tracked = [v for v in s.visible_vars() if isinstance(v.value, int) and not isinstance(v.value, bool)]
            if tracked:
                yield Static(Content(_("How things moved")), classes="section")
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
            count = _("Endings found: {found} of {total}").format(found=len(found), total=len(endings))
            yield Static(Content(count + (f" ({titles})" if titles else "")), id="endings")
            with Horizontal(id="actions"):
                yield Button(Content(_("Export transcript (e)")), id="export", variant="primary")
                yield Button(Content(_("Undo (u)")), id="undo")
                yield Button(Content(_("Title screen (m)")), id="title")
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
            self.notify(_("Your browser is downloading the transcript."), title=_("Exported"), markup=False, timeout=8)
            return
        path = self.game.data_home / "transcripts" / name
        try:
            atomic_write(path, markdown.encode())
        except OSError as exc:
            self.game.show_error(SaveError(_("cannot write the transcript: {reason}").format(reason=exc.strerror)))
            return
        self.notify(_("Transcript written to {path}").format(path=path), title=_("Exported"), markup=False, timeout=8)

    def action_undo(self) -> None:
        self.dismiss("undo")

    def action_title(self) -> None:
        self.game.back_to_title()

    def action_quit(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(0)

        self.app.push_screen(ConfirmScreen(_("Quit now? Endings found are kept; Continue brings you back here.")), answered)
