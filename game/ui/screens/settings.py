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

from ...engine.i18n import N_, _, interface_languages

if TYPE_CHECKING:
    from ..app import CandidApp

HEADING = N_("Settings")
PACE_CHOICES = [
    (N_("Slow (160 words a minute)"), "slow"),
    (N_("Steady (230 words a minute)"), "steady"),
    (N_("Brisk (320 words a minute)"), "brisk"),
]
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
"""Each language by its own name, as a player looking for it expects to read it."""
REVEAL_CHOICES = [(N_("Instant"), "instant"), (N_("Typewriter, fast"), "fast"), (N_("Typewriter, slow"), "slow")]
WIDTH_CHOICES = [
    (N_("Narrow (60 columns)"), "narrow"),
    (N_("Medium (72 columns)"), "medium"),
    (N_("Wide (100 columns)"), "wide"),
    (N_("Full width"), "full"),
]
LABELS = {
    "theme": N_("Theme"),
    "reveal": N_("Text reveal"),
    "reduced": N_("Reduced motion (no animation, text at once)"),
    "language": N_("Language"),
    "pace": N_("Replay auto-advance: reading pace"),
    "width": N_("Text width"),
    "ahead": N_("Timeline (t) lists the record still ahead (spoilers)"),
    "read_first": N_("Choices wait until the scene is read"),
}
NO_COLOR = N_("NO_COLOR is set: colours are off whatever the theme.")
HINT = N_("Changes are saved at once. Esc to close.")


def options(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A Select's options, their names in the player's language."""
    return [(_(name), value) for name, value in choices]


def theme_label(name: str) -> str:
    """A theme's name as a person would write it: `textual-dark` → `Textual dark`."""
    return name.replace("-", " ").capitalize()


def theme_preview(app: CandidApp, name: str) -> Content:
    """A few cells in the theme's own colours, so a theme can be judged before it is picked."""
    theme = app.available_themes[name]
    swatches = [c for c in (theme.background, theme.primary, theme.accent, theme.success, theme.warning, theme.error) if c]
    return Content.assemble(*[("  ", f"on {colour}") for colour in swatches])


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"), id="close")]

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        settings = self.game.settings
        themes = sorted(self.app.available_themes)
        with Vertical(classes="dialog"):
            yield Static(Content(_(HEADING)), classes="heading")
            with VerticalScroll(classes="body"):
                yield Label(Content(_(LABELS["theme"])))
                # A theme named in settings.json that is not installed (edited, or from another version) shows the one in use.
                shown = settings.theme if settings.theme in themes else self.app.theme
                yield Select([(theme_label(name), name) for name in themes], value=shown, allow_blank=False, id="theme")
                yield Static(theme_preview(self.game, shown), id="theme-preview")
                if os.environ.get("NO_COLOR"):
                    yield Static(Content.styled(_(NO_COLOR), "italic"))
                yield Label(Content(_(LABELS["reveal"])))
                yield Select(options(REVEAL_CHOICES), value=settings.reveal, allow_blank=False, id="reveal")
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.reduced_motion, id="reduced")
                    yield Label(Content(_(LABELS["reduced"])))
                yield Label(Content(_(LABELS["language"])), id="language-label")
                langs = interface_languages()
                yield Select(
                    [(LANGUAGE_NAMES.get(lang, lang), lang) for lang in langs], value=self.game.lang, allow_blank=False, id="language"
                )
                yield Label(Content(_(LABELS["width"])))
                yield Select(options(WIDTH_CHOICES), value=settings.text_width, allow_blank=False, id="width")
                yield Label(Content(_(LABELS["pace"])))
                yield Select(options(PACE_CHOICES), value=settings.replay_pace, allow_blank=False, id="pace")
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.show_ahead, id="ahead")
                    yield Label(Content(_(LABELS["ahead"])))
                with Horizontal(classes="switch-row"):
                    yield Switch(settings.read_first, id="read_first")
                    yield Label(Content(_(LABELS["read_first"])))
            yield Static(Content.styled(_(HINT), "dim"), classes="hint")

    async def retranslate(self) -> None:
        """Redraw in the language just chosen, the language row still in focus."""
        await self.recompose()
        row = self.query_one("#language", Select)
        row.focus(scroll_visible=False)
        self.call_after_refresh(self.show_language_row)

    def show_language_row(self) -> None:
        """The language row in view with its label above it (focus alone would show the box only)."""
        row = self.query_one("#language", Select)
        label = self.query_one("#language-label", Label)
        self.query_one(".body", VerticalScroll).scroll_to_region(label.virtual_region.union(row.virtual_region), animate=False, top=True)

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
