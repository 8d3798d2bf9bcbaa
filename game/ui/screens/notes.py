"""What the play screen's windows say: the scene's title line, the log, `w`'s note, the stats, the keys.

UI strings of these windows sit here, in one place, each through gettext.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.screen import Screen

from ...engine.i18n import N_, _, percent_text, quoted
from ...engine.present import LEFT_HISTORY_NOTE, Entry, Standing, act_heading, citation, departure, record_rows, record_scenes, value_text
from ...engine.session import Session
from ..text import blocks, prose
from ..widgets.panels import bar


def scene_title(act_title: str | None, act: int, title: str) -> Content:
    """The line above the text, "Act 1: One · The decision"; a scene named like its act says it once."""
    if act_title == title:
        return Content.assemble((act_heading(act, None) + ": ", "dim"), title)
    return Content.assemble((act_heading(act, act_title) + " · ", "dim"), title)


def divergence_line(where: Standing) -> Content:
    """The line under the text: on the historical path, or how far off it and since where."""
    if where.kind == "start":
        return Content("")
    if where.kind == "on-path":
        return Content.assemble(("● ", "$success"), _("On the historical path"))
    percent = percent_text(where.percent)
    if where.kind == "left-here":
        return Content.assemble(
            ("○ ", "$warning"),
            _("You left history here ({percent} diverged).").format(percent=percent) + " ",
            ("w", "bold"),
            _(": what really happened"),
            ("\n" + _(LEFT_HISTORY_NOTE), "dim italic") if where.first else "",
        )
    if where.since:
        off = _("Off the historical path since {scene} ({percent} diverged)").format(scene=quoted(where.since), percent=percent)
    else:
        off = _("Off the historical path ({percent} diverged)").format(percent=percent)
    return Content.assemble(("○ ", "$warning"), off)


def history_note(session: Session) -> Content | None:
    """Where the player's last choice left history: history's choice, what happened, the sources."""
    gone = departure(session)
    if gone is None:
        return None
    parts: list[Content | str | tuple[str, str]] = [
        (_("You chose:") + " ", "bold"),
        gone.chose,
        "\n",
        (_("History chose:") + " ", "bold"),
        gone.history_chose or "—",
        "\n\n",
    ]
    record = gone.record
    if record is not None and record.summary:
        parts += [Content("\n\n").join(prose(b) for b in blocks(record.summary)), "\n\n", (_("Sources"), "bold underline")]
        for src in record.sources:
            parts += ["\n• ", citation(src)]
    if record is not None and record.note:
        parts += ["\n\n", (record.note, "italic")]
    return Content.assemble(*parts)


def log_rows(session: Session) -> list[Content]:
    """A row per choice taken (its scene, when and where, and the choice), then where the player is now."""
    rows: list[Content] = []
    for step in session.history:
        scene = session.story.scenes[step.scene_id]
        mark = _("history's choice") if step.historical else (_("you left history") if step.departed else "")
        rows.append(
            Content.assemble(
                (scene.model.title, "bold"),
                ("\n" + session.story.header(scene), "dim") if scene.model.when or scene.model.place else "",
                "\n→ ",
                step.choice_text,
                (f" ({mark})", "italic") if mark else "",
            )
        )
    rows.append(Content.assemble((_("Now:") + " ", "bold"), session.scene.model.title))
    return rows


HELP_GENERAL: list[Entry] = [
    ("tab", N_("Move between the choices and the text")),
    ("ctrl+q", N_("Quit at once (the game is autosaved)")),
    ("", N_("The choices show once the scene is read: Space, Enter, PgDn or a number reads on to them.")),
    ("", N_("A key that does nothing else completes text that is still being typed out.")),
]
HELP_PALETTE = ("ctrl+p", N_("Commands: save, load, restart, undo"))
HELP_PALETTE_AUTHOR = ("ctrl+p", N_("Commands: save, load, restart, undo, and for authors the scene map and jump to a scene"))


def help_content(screen: Screen[Any], author: bool = False) -> Content:
    """The game's keys as currently bound (a remapped key shows as remapped), then a few general ones.

    The scene map and jumps exist only for authors (`--watch`, `--from`, `--set`); only they hear of them."""
    rows: list[Entry] = [("1–9", _("Choose a numbered choice (or arrows and Enter, or a click)"))]
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        # Our own bindings carry ids; widget and system keys are summarised below instead.
        if not binding.id or binding.id.startswith("choose_") or binding.id in seen:
            continue
        seen.add(binding.id)
        key = screen.app.get_key_display(binding)
        rows.append((key, f"{binding.description}" + (f" — {binding.tooltip}" if binding.tooltip else "")))
    rows += [(key, _(text)) for key, text in (HELP_PALETTE_AUTHOR if author else HELP_PALETTE, *HELP_GENERAL)]
    return Content("\n").join(Content.assemble((f"{key:<10}", "bold"), text) for key, text in rows)


def stats_content(session: Session) -> Content:
    """Each stat the player sees: its name, where it stands, and what it means (from story.yaml)."""
    rows = []
    for var in session.visible_vars():
        value = var.value
        if isinstance(value, int) and not isinstance(value, bool) and var.min is not None and var.max is not None:
            shown = Content.assemble(
                (bar(value, var.min, var.max), "$accent"),
                " " + _("{value} (of {low}–{high})").format(value=value, low=var.min, high=var.max),
            )
        else:
            shown = Content(value_text(value))
        about = Content.styled(var.description, "italic") if var.description else Content.styled(_("(no description)"), "dim")
        rows.append(Content.assemble((var.label, "bold"), "\n", shown, "\n", about))
    if not rows:
        return Content.styled(_("This role has no stats to show."), "dim")
    return Content("\n\n").join(rows)


def timeline_rows(s: Session, spoil: bool) -> tuple[list[Entry], list[Entry], int]:
    """The record up to now, the record still ahead (empty unless `spoil`), and how many rows of
    it are hidden. Without `spoil` the scene being played shows no choice: it is still undecided."""
    past = record_rows(s.story, s.role, s.moment, year=True, choices=True)
    if not spoil:
        bare = record_rows(s.story, s.role, s.moment, year=True)
        here = {i for i, scene in enumerate(record_scenes(s.story, s.role, s.moment)) if scene.id == s.scene_id}
        past = [bare[i] if i in here else row for i, row in enumerate(past)]
    ahead = record_rows(s.story, s.role, year=True, choices=True)[len(past) :]
    return past, ahead if spoil else [], 0 if spoil else len(ahead)
