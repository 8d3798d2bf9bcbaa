"""The presentation model: what a front end shows, decided once, as plain frozen objects.

The Textual screens, plain mode, replay and transcripts render these; none of them works out
wording, numbering or which locked choices show on its own. Text here is plain text (never
markup); a front end adds only its own styling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .compiler import CompiledScene, Story
from .i18n import N_, _, date_text, percent_text, quotes
from .record import Label, format_when, parse_when
from .replay import historical_path
from .session import Paragraph, Session
from .textlang import Runs, blocks, plain

if TYPE_CHECKING:
    from .models import Source

CURLY = None
"""The typographic quotes of the player's language (“…” in English, „…“ in German)."""
STRAIGHT = ('"', '"')
"""Plain mode quotes with ASCII marks, which every screen reader and pipe handles."""
Quotes = tuple[str, str] | None


def marks(kind: Quotes) -> tuple[str, str]:
    return quotes() if kind is None else kind


def act_heading(act: int, title: str | None) -> str:
    """`Act 1: One`, or `Act 1` for an act without a title."""
    return _("Act {number}: {title}").format(number=act, title=title) if title else _("Act {number}").format(number=act)


def label_text(label: Label | None) -> str:
    """How a scene stands to the record, in the player's language (empty in fiction)."""
    names = {Label.HISTORICAL: _("historical"), Label.DRAMATISED: _("dramatised"), Label.COUNTERFACTUAL: _("counterfactual")}
    return names[label] if label is not None else ""


def citation(src: Source, kind: Quotes = CURLY) -> str:
    """One source as the game cites it: `Outlet, “Title”, date, url`. Titles stay as published."""
    left, right = marks(kind)
    text = f"{src.outlet}, {left}{src.title}{right}, {src.date}"
    return f"{text}, {src.url}" if src.url else text


@dataclass(frozen=True, slots=True)
class Heading:
    """Where and when the scene is, and how true."""

    act: int
    act_title: str | None
    act_line: str
    title: str
    moment: str
    """`Fri 17 Nov 2023 · 12:00 PT · Google Meet`; empty when the scene has neither."""
    label: Label | None
    """None in fiction, which shows no badge."""
    fiction: bool = False
    """The story is not a docudrama: no badge, no record beside the path, no divergence."""


def heading(session: Session) -> Heading:
    model = session.scene.model
    acts = session.story.meta.acts
    title = acts.get(model.act)
    return Heading(model.act, title, act_heading(model.act, title), model.title, session.header, model.label, session.story.fiction)


@dataclass(frozen=True, slots=True)
class ShownChoice:
    """A choice as listed: open ones numbered from 1 in order; locked ones only with a reason."""

    id: str
    number: int | None
    """None for a locked choice: it is shown but cannot be picked."""
    text: str
    historical: bool
    locked_reason: str | None
    note: str | None
    runs: Runs = ()
    """`text` with its emphasis."""


def shown_choices(session: Session) -> list[ShownChoice]:
    shown = []
    number = 0
    for choice in session.choices(include_locked=True):
        if choice.available:
            number += 1
            shown.append(ShownChoice(choice.id, number, choice.text, choice.historical, None, choice.note, choice.runs))
        elif choice.locked_reason:
            shown.append(ShownChoice(choice.id, None, choice.text, choice.historical, choice.locked_reason, choice.note, choice.runs))
    return shown


@dataclass(frozen=True, slots=True)
class StatChange:
    """How one visible stat moved with the last choice."""

    label: str
    before: object
    after: object

    @property
    def text(self) -> str:
        """`Cohesion −8`, `Cohesion +5`, or `Told yes` for a stat that is not a number."""
        if isinstance(self.after, int) and not isinstance(self.after, bool) and isinstance(self.before, int):
            delta = self.after - self.before
            return f"{self.label} {'+' if delta > 0 else '−'}{abs(delta)}"
        return f"{self.label} {value_text(self.after)}"


def stat_changes(session: Session) -> list[StatChange]:
    """What the last choice changed among the stats the player sees (empty at the start)."""
    before = session.before_last
    if before is None:
        return []
    return [StatChange(v.label, before[v.name], v.value) for v in session.visible_vars() if before.get(v.name) != v.value]


def changes_line(session: Session) -> str:
    """The cue after a choice: `Cohesion −8 · Legitimacy +5`, or "" when nothing the player sees moved."""
    return " · ".join(change.text for change in stat_changes(session))


def meter(session: Session) -> str:
    """The visible stats on one line: `Trust 50 · Told yes`."""
    return " · ".join(f"{v.label} {value_text(v.value)}" for v in session.visible_vars())


def value_text(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the play-through stands against history, after the last step."""

    kind: str
    """`start` (no step yet), `on-path`, `left-here` (the last step left history) or `off-path`."""
    percent: int
    since: str | None
    """The title of the scene where the player first left history."""
    first: bool = False
    """The last step is the first time the player left history (`LEFT_HISTORY_NOTE` is due)."""


def standing(session: Session) -> Standing:
    div = session.divergence
    if not session.history:
        return Standing("start", 0, None)
    if session.on_historical_path:
        return Standing("on-path", div.percent, None)
    since = session.story.scenes[div.first.scene_id].model.title if div.first else None
    last = session.history[-1]
    return Standing("left-here" if last.departed else "off-path", div.percent, since, div.first is last)


def divergence_summary(session: Session, kind: Quotes = CURLY) -> str:
    """The account at the end (and in transcripts): how far, and where the player first left."""
    if session.on_historical_path:
        return _("You followed history at every decision.")
    div = session.divergence
    text = _("Divergence from history: {score} of {possible} ({percent}).").format(
        score=div.score, possible=div.possible, percent=percent_text(div.percent)
    )
    if div.first is not None:
        first = session.story.scenes[div.first.scene_id].model
        left, right = marks(kind)
        chosen = f"{left}{div.first.choice_text}{right}"
        if first.when:
            when = format_when(first.when, first.tz or session.story.meta.tz, first.approximate)
            more = _("First departure: {scene}, {when}, choosing {choice}.").format(scene=first.title, when=when, choice=chosen)
        else:
            more = _("First departure: {scene}, choosing {choice}.").format(scene=first.title, choice=chosen)
        text += " " + more
    return text


@dataclass(frozen=True, slots=True)
class Record:
    """What really happened at a scene: the summary, why history's choice matters, the sources."""

    summary: str | None
    note: str | None
    sources: tuple[Source, ...]


def record(session: Session, scene_id: str | None = None) -> Record | None:
    scene = session.story.scenes[scene_id or session.scene_id]
    history = scene.model.history
    hist = scene.historical_choice
    note = hist.model.note if hist is not None else None
    if history is None and not note:
        return None
    return Record(history.summary if history else None, note, tuple(history.sources) if history else ())


@dataclass(frozen=True, slots=True)
class Departure:
    """Where the last step left history: the player's choice, history's, and the record."""

    chose: str
    history_chose: str | None
    record: Record | None


LEFT_HISTORY_NOTE = N_("Your choice differs from what really happened; the percentage weighs every decision so far where you did.")
"""Said beside the first "you left history", so the player knows what it measures (a message: show `_(LEFT_HISTORY_NOTE)`)."""


def no_departure(session: Session) -> str:
    """Why there is nothing to set against history (what `w` says when `departure` is None)."""
    if not session.history:
        return _("You have not chosen anything yet. Once a choice of yours leaves history, w shows what really happened there.")
    return _("Your last choice did not leave history; there is nothing to set against it.")


def departure(session: Session) -> Departure | None:
    """None unless the last step left history (what `w`, "what really happened", shows)."""
    if not session.history or not session.history[-1].departed:
        return None
    step = session.history[-1]
    return Departure(step.choice_text, step.history_text, record(session, step.scene_id))


# --- beats: "continue" points inside a long scene --------------------------------------------
BEAT_BREAK = "* * *"
"""A paragraph of scene text holding only this marks a pause: the reader continues when ready."""


def beats(paragraphs: Sequence[Paragraph]) -> list[list[Paragraph]]:
    """The scene's paragraphs split at each `* * *` paragraph, one Paragraph per block of text.

    Always at least one beat; a break at the very start or end, or two in a row, makes no empty beat.
    """
    result: list[list[Paragraph]] = [[]]
    for paragraph in paragraphs:
        for block in blocks(paragraph.runs):
            if plain(block).strip() == BEAT_BREAK:
                if result[-1]:
                    result.append([])
            else:
                result[-1].append(Paragraph(block, paragraph.dramatised))
    if len(result) > 1 and not result[-1]:
        result.pop()
    return result


# --- the record beside the path: rows for the timelines ---------------------------------------
Entry = tuple[str, str]
"""A timeline row: (short date, text)."""


def short_when(scene: CompiledScene, year: bool = False) -> str:
    """`15 Nov` (or `15 Nov 2022`), `Nov 2022` for a month only; "" for an undated scene."""
    when = scene.model.when
    if not when:
        return ""
    moment = parse_when(when)
    if len(when) == 7:
        return date_text(moment, day=False)
    text = date_text(moment, weekday=False, year=year)
    return f"~{text}" if scene.model.approximate else text


def record_scenes(story: Story, role: str, until: datetime | None = None) -> list[CompiledScene]:
    """The historical scenes on the role's historical path, up to `until` when given."""
    scenes, _problems = historical_path(story, role)
    result = []
    for scene in scenes:
        when = scene.model.when
        if scene.model.label is not Label.HISTORICAL or not when:
            continue
        if until is not None and parse_when(when) > until:
            continue
        result.append(scene)
    return result


def record_rows(story: Story, role: str, until: datetime | None = None, *, year: bool = False, choices: bool = False) -> list[Entry]:
    rows = []
    for scene in record_scenes(story, role, until):
        text = scene.model.title
        hist = scene.historical_choice
        if choices and hist is not None:
            text += f" → {hist.model.text}"
        if choices and scene.ending is not None:
            text += " " + _("(ending: {title})").format(title=scene.ending.title)
        rows.append((short_when(scene, year), text))
    return rows


def path_rows(session: Session, *, year: bool = False, choices: bool = False) -> list[Entry]:
    rows = []
    for step in session.history:
        scene = session.story.scenes[step.scene_id]
        text = scene.model.title + (f" → {step.choice_text}" if choices else "")
        if choices and step.departed:
            text += " " + _("(left history)")
        rows.append((short_when(scene, year), text))
    current = session.scene
    text = current.model.title
    if choices and current.ending is not None:
        text += " " + _("(ending: {title})").format(title=current.ending.title)
    rows.append((short_when(current, year), text))
    return rows


__all__ = [
    "BEAT_BREAK",
    "CURLY",
    "LEFT_HISTORY_NOTE",
    "STRAIGHT",
    "Departure",
    "Entry",
    "Heading",
    "Record",
    "ShownChoice",
    "Standing",
    "StatChange",
    "act_heading",
    "beats",
    "changes_line",
    "citation",
    "departure",
    "divergence_summary",
    "heading",
    "label_text",
    "marks",
    "meter",
    "no_departure",
    "path_rows",
    "record",
    "record_rows",
    "record_scenes",
    "short_when",
    "shown_choices",
    "standing",
    "stat_changes",
    "value_text",
]
