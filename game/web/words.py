"""What the web pages around the game say, in the language `candid serve` was started in."""

from __future__ import annotations

from ..engine.i18n import _, language, ngettext


def page_words(players: int) -> dict[str, str]:
    """The texts of index.html and full.html, and the page's `lang` attribute."""
    return {
        "lang": language(),
        "starting": _("Starting your game…"),
        "start": _("Start"),
        "closed": _("The game has closed. Come back in this browser to continue where you left off."),
        "again": _("Play again"),
        "full": _("the server is full"),
        "busy": ngettext(
            "{count} game is being played right now, which is as many as this server runs at once.",
            "{count} games are being played right now, which is as many as this server runs at once.",
            players,
        ).format(count=players),
        "retry": _(
            "This page tries again every minute; you can also reload it yourself. Your saved game, if you have one, is waiting for you."
        ),
    }


def local_only() -> str:
    return _("This game is served on this machine only.")


def own_page_only() -> str:
    return _("This game only accepts connections from its own page.")


def full_now(players: int) -> str:
    return _("The server is full ({count} games are running). Try again later.").format(count=players)
