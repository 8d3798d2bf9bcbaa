"""Settings: theme, text reveal, reduced motion, language, replay pace, text width, spoilers. Each change applies and persists at once."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, Switch

from ...engine.i18n import interface_languages

if TYPE_CHECKING:
    from ..app import CandidApp

HEADING = "Settings"
PACE_CHOICES = [
    ("Slow (160 words a minute)", "slow"),
    ("Steady (230 words a minute)", "steady"),
    ("Brisk (320 words a minute)", "brisk"),
]
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
"""Each language by its own name, as a player looking for it expects to read it."""
REVEAL_CHOICES = [("Instant", "instant"), ("Typewriter, fast", "fast"), ("Typewriter, slow", "slow")]
WIDTH_CHOICES = [
    ("Narrow (60 columns)", "narrow"),
    ("Medium (72 columns)", "medium"),
    ("Wide (100 columns)", "wide"),
    ("Full width", "full"),
]
LABELS = {
    "theme": "Theme",
    "reveal": "Text reveal",
    "reduced": "Reduced motion (no animation, text at once)",
    "language": "Language",
    "pace": "Replay auto-advance: reading pace",
    "width": "Text width",
    "ahead": "Timeline (t) lists the record still ahead (spoilers)",
    "read_first": "Choices wait until the scene is read",
}
NO_COLOR = "NO_COLOR is set: colours are off whatever the theme."
HINT = "Changes are saved at once. Esc to close."


def theme_label(name: str) -> str:
    """A theme's name as a person would write it: `textual-dark` → `Textual dark`."""
    return name.replace("-", " ").capitalize()


def theme_preview(app: CandidApp, name: str) -> Content:
    """A few cells in the theme's own colours, so a theme can be judged before it is picked."""
    theme = app.available_themes[name]
    swatches = [c for c in (theme.background, theme.primary, theme.accent, theme.success, theme.warning, theme.error) if c]
    return Content.assemble(*[("  ", f"on {colour}") for colour in swatches])


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="close")]

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        settings = self.game.settings
        themes = sorted(self.app.available_themes)
        with Vertical(classes="dialog"):
            yield Static(HEADING, classes="heading")
            with VerticalScroll(classes="body"):
                yield Label(LABELS["theme"])
                # A theme named in settings.json that is not installed (edited, or from another version) shows the one in use.
                shown = settings.theme if settings.theme in themes else self.app.theme
                yield Select([(theme_label(name), name) for name in themes], value=shown, allow_blank=False, id="theme")
                yield Static(theme_preview(self.game, shown), id="theme-preview")
                if os.environ.get("NO_COLOR"):
                    yield Static(Content.styled(NO_COLOR, "italic"))
                yield Label(LABELS["reveal"])
                yield Select(REVEAL_CHOICES, value=settings.reveal, allow_blank=False, id="reveal")
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.reduced_motion, id="reduced")
                    yield Label(LABELS["reduced"])
                yield Label(LABELS["language"])
                langs = interface_languages()
                yield Select(
                    [(LANGUAGE_NAMES.get(lang, lang), lang) for lang in langs], value=self.game.lang, allow_blank=False, id="language"
                )
                yield Label(LABELS["width"])
                yield Select(WIDTH_CHOICES, value=settings.text_width, allow_blank=False, id="width")
                yield Label(LABELS["pace"])
                yield Select(PACE_CHOICES, value=settings.replay_pace, allow_blank=False, id="pace")
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.show_ahead, id="ahead")
                    yield Label(LABELS["ahead"])
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.read_first, id="read_first")
                    yield Label(LABELS["read_first"])
            yield Static(Content.styled(HINT, "dim"), classes="hint")

    @on(Select.Changed)
    def _selected(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        settings = self.game.settings
        name = {"theme": "theme", "reveal": "reveal", "pace": "replay_pace", "width": "text_width"}.get(event.select.id or "")
        if name is None:
            return
        setattr(settings, name, event.value)
        if name == "theme":
            self.query_one("#theme-preview", Static).update(theme_preview(self.game, event.value))
        self.game.apply_settings(save=True)

    @on(Select.Changed, "#language")
    def _language(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.game.lang:
            self.game.settings.language = event.value
            self.game.apply_settings(save=True)
            self.game.switch_language(event.value)

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        name = {"reduced": "reduced_motion", "ahead": "show_ahead", "read_first": "read_first"}.get(event.switch.id or "")
        if name is None:
            return
        setattr(self.game.settings, name, event.value)
        self.game.apply_settings(save=True)

    def action_close(self) -> None:
        self.dismiss(None)
