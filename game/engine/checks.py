"""`candid check`: load errors plus the warnings that make a story better.

Each rule is one function below that yields diagnostics; `check_story` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import lints
from .analysis import static_reach, variables_read, variables_written
from .compiler import CompiledScene, Story, Where, load_story
from .errors import Diagnostic, Severity, StoryError
from .explore import MAX_STATES, Exploration, coverage
from .models import Label, parse_when
from .replay import historical_path
from .report import Report
from .searchcache import searched


def check_story(folder: str | Path | None, *, exhaustive: bool = True, max_states: int = MAX_STATES) -> Report:
    """Load a story and lint it. Load errors come back as a report, never raised.

    `exhaustive=False` skips the coverage search; `max_states` caps it (a budget in states).
    """
    try:
        story = load_story(folder)
    except StoryError as exc:
        return Report(exc.diagnostics)
    return check_loaded(story, exhaustive=exhaustive, max_states=max_states)


def check_loaded(story: Story, *, exhaustive: bool = True, max_states: int = MAX_STATES) -> Report:
    """`check_story` of a story already loaded."""
    # The search and its findings are reused while the play graph is unchanged.
    found, covered = searched(story, max_states) if exhaustive else (None, None)
    diags = list(lint(story, found, covered))
    diags.sort(key=lambda d: (d.file, d.line, d.col))
    numbers = stats(story)
    if found is not None:
        numbers |= {"states": found.states, "exhaustive": int(found.exhaustive)}
    return Report(diags, numbers, story)


def _warn(where: Where, code: str, message: str) -> Diagnostic:
    return Diagnostic(where.file, where.line, where.col, Severity.WARNING, code, message)


def lint(story: Story, found: Exploration | None = None, covered: list[Diagnostic] | None = None) -> Iterator[Diagnostic]:
    """Every rule; `found` is the exhaustive search's result when it was run, `covered` the
    coverage diagnostics already drawn from it (else they are drawn here)."""
    yield from unreachable(story)
    yield from dead_ends(story, found)
    yield from variables(story)
    yield from unbounded(story)
    yield from role_membership(story)
    yield from historical_paths(story)
    yield from lints.conditions(story)
    yield from lints.values(story)
    if found is not None:
        yield from covered if covered is not None else coverage(story, found)


def reachable(story: Story, start: str) -> set[str]:
    """Scenes reachable from `start` ignoring conditions (an upper bound)."""
    return static_reach(story, [start])


def unreachable(story: Story) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for role in story.meta.roles.values():
        seen |= reachable(story, role.start)
    for scene_id, facts in story.facts.items():
        if scene_id not in seen:
            if scene_id in story.endings:
                yield _warn(facts.where, "unreachable-ending", f"ending {scene_id!r} is reached by no path from any start")
            else:
                yield _warn(facts.where, "unreachable", f"scene {scene_id!r} is reached by no path from any start")


def dead_ends(story: Story, found: Exploration | None = None) -> Iterator[Diagnostic]:
    """Scenes whose every choice may close. Withdrawn where the exhaustive search proved that no
    reachable state is stuck there, or where two conditions are each other's opposite."""
    proved = found is not None and found.exhaustive
    for scene_id, facts in story.facts.items():
        moves = story.graph.moves(scene_id)
        if scene_id not in story.endings and moves and all(m.guard for m in moves):
            if proved and scene_id not in found.stuck:  # type: ignore[union-attr]
                continue
            if lints.covered([m.guard for m in moves if m.guard is not None and not m.once]):
                continue
            yield _warn(facts.where, "dead-end", f"every choice of {scene_id!r} has a condition: when all are closed the player is stuck")


def variables(story: Story) -> Iterator[Diagnostic]:
    read, written = variables_read(story), variables_written(story)
    # A constant only shown in text is a setting (a name, say); a condition on a constant is a mistake.
    decided = variables_read(story, text=False)
    for name, var in story.meta.variables.items():
        where = story.meta_where[f"variables.{name}"]
        if name not in read and name not in written and not var.visible:
            yield _warn(where, "unused-variable", f"variable {name!r} is declared but never used")
        elif name in decided and name not in written:
            yield _warn(where, "constant-variable", f"variable {name!r} is read but never changed")
        elif name in written and name not in read and not var.visible:
            message = f"variable {name!r} is changed but never read: no condition or text uses it, and it is not `visible`"
            yield _warn(where, "write-only", message)


def unbounded(story: Story) -> Iterator[Diagnostic]:
    """An int that effects keep adding to, with no `max` (or keep taking from, with no `min`), can
    grow without end in a loop. It saves and loads at any size, but the story rarely means it."""
    adds = [add for blocks in story.enter.values() for block in blocks for add in block.adds]
    for move in story.graph.all_moves():
        adds += move.adds
        adds += [add for block in move.more for add in block.adds]
    grows: set[str] = set()
    shrinks: set[str] = set()
    for name, delta, _low, _high in adds:
        (grows if delta > 0 else shrinks).add(name)
    for name, var in story.meta.variables.items():
        where = story.meta_where[f"variables.{name}"]
        if name in grows and var.max is None:
            yield _warn(where, "unbounded-variable", f"variable {name!r} grows through `add` effects and has no `max`: give it one")
        if name in shrinks and var.min is None:
            yield _warn(where, "unbounded-variable", f"variable {name!r} shrinks through `add` effects and has no `min`: give it one")


def role_membership(story: Story) -> Iterator[Diagnostic]:
    for role_id, role in story.meta.roles.items():
        for scene_id in sorted(reachable(story, role.start)):
            facts = story.facts[scene_id]
            if role_id not in facts.roles:
                yield _warn(facts.where, "role", f"scene {scene_id!r} is reached by role {role_id!r} but does not list it in `roles`")


def historical_paths(story: Story) -> Iterator[Diagnostic]:
    for role_id, role in story.meta.roles.items():
        if not any(f.label == Label.HISTORICAL for f in story.facts.values() if role_id in f.roles):
            continue  # a story without history (e.g. pure fiction) has no path to check
        start = story.facts[role.start]
        scenes, problems = historical_path(story, role_id)
        for problem in problems:
            yield _warn(start.where, "historical-path", f"role {role_id!r}: {problem}")
        yield from _chronology(scenes, role_id)
        recorded = story.meta.historical_paths.get(role_id)
        if recorded is not None and not problems:
            actual = [f"{a.id}.{a.historical_choice.id}" for a in scenes if a.historical_choice]
            if actual != recorded:
                yield _warn(
                    story.meta_where[f"historical_paths.{role_id}"],
                    "historical-path-changed",
                    f"role {role_id!r}: {_path_diff(recorded, actual)}",
                )


def _chronology(scenes: list[CompiledScene], role_id: str) -> Iterator[Diagnostic]:
    last = None
    for scene in scenes:
        if scene.model.label is Label.HISTORICAL and scene.model.when:
            moment = parse_when(scene.model.when)
            if last is not None and moment < last[0]:
                yield _warn(
                    scene.where,
                    "chronology",
                    f"role {role_id!r}: {scene.id!r} ({scene.model.when}) comes after {last[1]!r} "
                    "on the historical path but is dated earlier",
                )
            last = (moment, scene.id)


def _path_diff(recorded: list[str], actual: list[str]) -> str:
    """A readable account of how the story's historical path differs from the recorded one."""
    import difflib

    lines = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=recorded, b=actual, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag in ("replace", "delete"):
            lines.append("was " + ", ".join(recorded[i1:i2]))
        if tag in ("replace", "insert"):
            lines.append("now " + ", ".join(actual[j1:j2]))
        lines[-1] += f" (at step {i1 + 1})"
    return "historical path differs from the recorded one: " + "; ".join(lines)


def stats(story: Story) -> dict[str, int]:
    facts = story.facts.values()
    return {
        "scenes": len(story.facts),
        "choices": sum(len(f.places) for f in facts),
        "endings": len(story.endings),
        "words": sum(f.words for f in facts),
        "historical_scenes": sum(1 for f in facts if f.label == Label.HISTORICAL),
        "sources": sum(f.sources for f in facts),
    }
