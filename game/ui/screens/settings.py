"""Settings: theme, text reveal speed, reduced motion, language. Each change applies and persists at once."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, Switch

from ...engine.i18n import interface_languages

if TYPE_CHECKING:
    from ..app import CandidApp

PACE_CHOICES = [("Slow (12 s a scene)", "slow"), ("Steady (7 s a scene)", "steady"), ("Brisk (4 s a scene)", "brisk")]
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch"}
"""Each language by its own name, as a player looking for it expects to read it."""
REVEAL_CHOICES = [("Instant", "instant"), ("Typewriter, fast", "fast"), ("Typewriter, slow", "slow")]


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="close")]

    @property
    def game(self) -> CandidApp:
        return cast("CandidApp", self.app)

    def compose(self) -> ComposeResult:
        settings = self.game.settings
        themes = sorted(self.app.available_themes)
        with Vertical(classes="dialog"):
            yield Static("Settings", classes="heading")
            yield Label("Theme")
            # A theme named in settings.json that is not installed (edited, or from another version) shows the one in use.
            shown = settings.theme if settings.theme in themes else self.app.theme
            yield Select([(name, name) for name in themes], value=shown, allow_blank=False, id="theme")
            if os.environ.get("NO_COLOR"):
                yield Static(Content.styled("NO_COLOR is set: colours are off whatever the theme.", "italic"))
            yield Label("Text reveal")
            yield Select(REVEAL_CHOICES, value=settings.reveal, allow_blank=False, id="reveal")
            with Horizontal(classes="switch-row"):
                yield Switch(settings.reduced_motion, id="reduced")
                yield Label("Reduced motion (no animation, text at once)")
            yield Label("Language")
            langs = interface_languages()
            yield Select([(LANGUAGE_NAMES.get(lang, lang), lang) for lang in langs], value=self.game.lang, allow_blank=False, id="language")
            yield Label("Replay auto-advance pace")
            yield Select(PACE_CHOICES, value=settings.replay_pace, allow_blank=False, id="pace")
            yield Static(Content.styled("Changes are saved at once. Esc to close.", "dim"), classes="hint")

    @on(Select.Changed, "#theme")
    def _theme(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.game.settings.theme = event.value
            self.game.apply_settings(save=True)

    @on(Select.Changed, "#reveal")
    def _reveal(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.game.settings.reveal = event.value
            self.game.apply_settings(save=True)

    @on(Select.Changed, "#pace")
    def _pace(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.game.settings.replay_pace = event.value
            self.game.apply_settings(save=True)

    @on(Select.Changed, "#language")
    def _language(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.game.lang:
            self.game.settings.language = event.value
            self.game.apply_settings(save=True)
            self.game.switch_language(event.value)

    @on(Switch.Changed, "#reduced")
    def _reduced(self, event: Switch.Changed) -> None:
        self.game.settings.reduced_motion = event.value
        self.game.apply_settings(save=True)

    def action_close(self) -> None:
        self.dismiss(None)
