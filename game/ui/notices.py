"""What the app says in its questions and notes, in the player's language, worded in one place."""

from __future__ import annotations

from ..engine import StoryError
from ..engine.i18n import N_, _, ngettext, quoted
from ..engine.saves import PREVIOUS

MAX_SHOWN_ERRORS = 5
ASK_REPLACE = N_("Your game in progress ({where}, {steps}) is replaced by {what}. {then}")
REPLACED_BY = {
    "new": (N_("the new game once you make its first choice"), N_("Start a new game?")),
    "load": (N_("the game you load"), N_("Load it?")),
    "branch": (N_("this one from here on"), N_("Branch off?")),
}


def choices_count(steps: int) -> str:
    """`1 choice`, `12 choices`."""
    return ngettext("{count} choice", "{count} choices", steps).format(count=steps)


def replace_question(what: str, where: str, steps: int) -> str:
    """Asked before a new game, a load or a branch replaces the game in progress (at `where`)."""
    replaced, question = REPLACED_BY[what]
    return _(ASK_REPLACE).format(where=quoted(where), steps=choices_count(steps), what=_(replaced), then=_(question))


def save_lost(lost: list[str]) -> str:
    """A save loaded only in part: how many steps the changed story could not replay, and the first."""
    text = ngettext(
        "The story has changed since this save; {count} step could not be replayed: {first}",
        "The story has changed since this save; {count} steps could not be replayed: {first}",
        len(lost),
    )
    return text.format(count=len(lost), first=lost[0])


def reloaded_note(lost: list[str]) -> str:
    """After an author's edit is reloaded: the steps of the game that no longer fit, if any."""
    if not lost:
        return _("Story reloaded")
    note = ngettext("{count} step no longer fits: {first}", "{count} steps no longer fit: {first}", len(lost))
    return _("Story reloaded") + "; " + note.format(count=len(lost), first=lost[0])


def reload_failed_text(error: StoryError) -> str:
    """A broken edit: its first errors, and that the last good story stays."""
    shown = [str(d) for d in error.diagnostics if d.severity.value == "error"][:MAX_SHOWN_ERRORS]
    more = len(error.diagnostics) - len(shown)
    text = "\n".join(shown) + ("\n" + _("…and {count} more").format(count=more) if more > 0 else "")
    return text + "\n" + _("Keeping the last good story.")


def previous_kept_note(slot: str) -> str:
    """A replaced game was filed under `slot` (the previous game): how to bring it back."""
    name = _("previous game") if slot == PREVIOUS else slot
    return _("Your previous game was kept: Load → {slot} brings it back.").format(slot=quoted(name))
