"""A play-through as Markdown: every scene met, the choices taken, history beside them, the sources.

Shared by the ending screen's "export transcript" and plain mode. The text of each scene is the
text as the player saw it, so the session's history is replayed afresh to resolve conditional
passages at each point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .compiler import CompiledScene
from .i18n import _
from .present import BEAT_BREAK, beats, citation, divergence_summary, label_text
from .record import format_when
from .session import Session, Step
from .textlang import markdown

if TYPE_CHECKING:
    from .models import Source


def transcript(session: Session) -> str:
    """The play-through so far as a Markdown document, ending with the sources it cites."""
    story = session.story
    role = story.meta.roles[session.role]
    out: list[str] = [f"# {story.meta.title}", ""]
    if story.meta.premise:
        out += [f"*{story.meta.premise}*", ""]
    out += [_("Role: {role}. Story version {version}.").format(role=role.name, version=story.meta.version), ""]
    sources: list[Source] = []
    replayed = session.fresh()
    for step in session.history:
        out += _scene(replayed, sources)
        out += _step(replayed.scene, step)
        replayed.choose(step.choice_id)
    out += _scene(replayed, sources)
    ending = replayed.ending
    if ending is not None:
        out += ["## " + _("The end: {title}").format(title=ending.title), "", markdown(replayed.epilogue()), ""]
    if session.divergence.possible:
        out += ["## " + _("Against history"), "", divergence_summary(session), ""]
        out += _side_by_side(session)
    if sources:
        out += ["## " + _("Sources"), ""]
        out += [f"{i}. {citation(src)}" for i, src in enumerate(sources, 1)]
        out.append("")
    return "\n".join(out)


def _scene(session: Session, sources: list[Source]) -> list[str]:
    scene = session.scene
    model = scene.model
    meta = " · ".join(part for part in (session.header, label_text(model.label)) if part)
    lines = [f"## {model.title}", "", *([f"*{meta}*", ""] if meta else [])]
    for i, beat in enumerate(beats(session.paragraphs())):
        if i:
            lines += [BEAT_BREAK, ""]  # a thematic break in Markdown, as in the scene file
        for paragraph in beat:
            prefix = _("(dramatised)") + " " if paragraph.dramatised else ""
            lines += [prefix + markdown(paragraph.runs), ""]
    if model.history is not None:
        refs = []
        for src in model.history.sources:
            if src not in sources:
                sources.append(src)
            refs.append(f"[{sources.index(src) + 1}]")
        lines += [_("Sources: {references}").format(references=", ".join(refs)), ""]
    return lines


def _step(scene: CompiledScene, step: Step) -> list[str]:
    as_history = " *" + _("(as history did)") + "*" if step.historical else ""
    lines = ["**" + _("You chose:") + f"** {step.choice_text}{as_history}", ""]
    if step.reply:
        lines += [markdown(step.reply), ""]
    history = scene.model.history
    if step.departed and step.history_text is not None:
        lines += ["**" + _("History chose:") + f"** {step.history_text}", ""]
        if history is not None:
            lines += ["> " + _("What really happened: {summary}").format(summary=history.summary.strip()), ""]
    return lines


def _side_by_side(session: Session) -> list[str]:
    """A dated table of each decision that had a historical option: the player's choice and history's."""
    rows = []
    story = session.story
    for step in session.history:
        if step.history_choice is None:
            continue
        scene = story.scenes[step.scene_id]
        model = scene.model
        when = format_when(model.when, model.tz or story.meta.tz, model.approximate) if model.when else ""
        theirs = step.history_text or step.history_choice
        mark = "=" if step.historical else "≠"
        rows.append(f"| {_cell(when)} | {_cell(model.title)} | {_cell(step.choice_text)} | {mark} | {_cell(theirs)} |")
    if not rows:
        return []
    columns = (_("when"), _("scene"), _("your choice"), _("history's choice"))
    head = ["| {} | {} | {} | | {} |".format(*columns), "| --- | --- | --- | --- | --- |"]
    return [*head, *rows, ""]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
