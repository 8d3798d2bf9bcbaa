"""The play screen's keys (replay adds its own to these)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ...engine.i18n import N_

PLAY_KEYS: list[BindingType] = [
    Binding("escape", "menu", N_("Menu"), id="menu", tooltip=N_("Resume, save, load, settings, title screen, quit")),
    Binding(
        "space,enter",
        "read_on",
        N_("Read on"),
        show=False,
        id="read_on",
        tooltip=N_("Type out the rest, show the next part, or scroll to the choices"),
    ),
    Binding("u", "undo", N_("Undo"), id="undo", tooltip=N_("Take back the last choice (as many times as you like)")),
    Binding("s", "save", N_("Save"), show=False, id="save", tooltip=N_("Save to a named slot")),
    Binding("l", "load", N_("Load"), show=False, id="load", tooltip=N_("Load a saved game")),
    Binding("h", "log", N_("Log"), id="log", tooltip=N_("The play-through so far; pick a scene there to go back to it")),
    Binding("t", "timeline", N_("Timeline"), id="timeline", tooltip=N_("The record beside your path")),
    Binding("w", "what_happened", N_("What happened"), id="what_happened", tooltip=N_("What really happened where you left history")),
    Binding("v", "stats", N_("Stats"), show=False, id="stats", tooltip=N_("What each stat means, and where it stands")),
    Binding("p", "toggle_panel", N_("Panel"), show=False, id="panel", tooltip=N_("Show or hide the side panel")),
    Binding("question_mark", "help", N_("Help"), id="help", tooltip=N_("Every key")),
    Binding("q", "quit", N_("Quit"), show=False, id="quit", tooltip=N_("Quit (the game is autosaved)")),
    Binding("pageup", "scroll_text(-1)", N_("Text up"), show=False, priority=True, id="text_up", tooltip=N_("Scroll the scene text up")),
    Binding(
        "pagedown",
        "scroll_text(1)",
        N_("Text down"),
        show=False,
        priority=True,
        id="text_down",
        tooltip=N_("Scroll the scene text down"),
    ),
    *[Binding(str(n), f"choose({n})", show=False, id=f"choose_{n}") for n in range(1, 10)],
]

__all__ = ["PLAY_KEYS"]
