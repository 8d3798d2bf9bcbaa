"""The interface's language on screen: key descriptions that follow it.

Textual reads a binding's description and tooltip as a class's `BINDINGS` give them, merged once
per class. Ours are written in English and marked with `N_`; `localize_bindings` puts copies in
the language in force in each of our classes (so every screen built later has them) and in the
nodes already on screen, at start and whenever the player switches language in Settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from ..engine.i18n import N_, _

PALETTE = N_("palette")
"""Textual's own name for the command palette key in the footer."""

_english: dict[type[DOMNode], BindingsMap] = {}
"""Each class's bindings as written, kept from before the first translation."""
_english_app: WeakKeyDictionary[App[Any], BindingsMap] = WeakKeyDictionary()
"""Each app's own bindings as written (Textual adds the command palette's when the app is made)."""


def translated(binding: Binding) -> Binding:
    """A copy of `binding` whose description and tooltip are in the player's language."""
    return replace(
        binding,
        description=_(binding.description) if binding.description else "",
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def translated_map(source: BindingsMap) -> BindingsMap:
    return BindingsMap.from_keys({key: [translated(b) for b in bindings] for key, bindings in source.key_to_bindings.items()})


def _classes(base: type[DOMNode] = DOMNode) -> Iterator[type[DOMNode]]:
    for cls in base.__subclasses__():
        yield cls
        yield from _classes(cls)


def _ours(cls: type[DOMNode]) -> bool:
    return cls.__module__.startswith("game.ui") and cls._merged_bindings is not None and not issubclass(cls, App)


def localize_bindings(app: App[Any]) -> None:
    """Every key description of the game in the player's language: in its classes, in the nodes
    on screen now (the footer redraws), and the app's own (the command palette's)."""
    for cls in {cls for cls in _classes() if _ours(cls)}:
        english = _english.setdefault(cls, cls._merged_bindings or BindingsMap())
        cls._merged_bindings = translated_map(english)
    english_app = _english_app.setdefault(app, app._bindings.copy())
    app._bindings = translated_map(english_app)
    for screen in app.screen_stack:
        for node in (screen, *screen.walk_children(with_self=False)):
            if type(node) in _english:
                node._bindings = translated_map(_english[type(node)])
        screen.refresh_bindings()
