"""`candid graph`: the scene graph as Mermaid (through transitions' own GraphMachine) or DOT.

Scenes are states and choices are transitions, as in the play machine; what an author needs to
see is marked: history's choices (★ on the edge), endings, dead ends, unreachable scenes, and
where each role starts.
"""

from __future__ import annotations

import copy
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from transitions import State
from transitions.extensions.diagrams import GraphMachine

from .checks import reachable
from .compiler import CompiledChoice, Story
from .errors import CandidError
from .replay import walk_history

HISTORICAL_MARK = "★"

# Mermaid class (and DOT colour) per mark; the first matching mark of a scene wins.
STYLES: dict[str, dict[str, str]] = {
    "unreachable": {"fillcolor": "lightgrey", "color": "grey"},
    "dead_end": {"fillcolor": "mistyrose", "color": "red"},
    "historical_ending": {"fillcolor": "gold", "color": "black"},
    "ending": {"fillcolor": "palegreen", "color": "black"},
    "start": {"fillcolor": "lightblue", "color": "black"},
    "scene": {"fillcolor": "white", "color": "black"},
}


@dataclass(slots=True)
class SceneNode:
    id: str
    title: str
    marks: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)

    @property
    def style(self) -> str:
        return next((m for m in STYLES if m in self.marks), "scene")

    @property
    def label(self) -> str:
        notes = [m.replace("_", " ") for m in self.marks if m != "start"]
        notes += [f"start of {r}" for r in self.starts]
        return f"{self.title} ({self.id})" + "".join(f" · {n}" for n in notes)


@dataclass(slots=True)
class SceneGraph:
    """What the diagram shows: the scenes in view, their marks, and the choices between them."""

    title: str
    nodes: dict[str, SceneNode]
    edges: list[CompiledChoice]
    starts: dict[str, str]

    def edge_label(self, choice: CompiledChoice) -> str:
        return f"{HISTORICAL_MARK} {choice.id}" if choice.model.historical else choice.id


def scene_graph(story: Story, role: str | None = None) -> SceneGraph:
    """The scenes and choices to draw: every scene, or with `role` those reachable from its start."""
    if role is not None and role not in story.meta.roles:
        raise CandidError(f"no role {role!r}; roles are: {', '.join(story.meta.roles)}")
    roles = [role] if role else list(story.meta.roles)
    starts = {r: story.meta.roles[r].start for r in roles}
    seen: set[str] = set()
    for start in starts.values():
        seen |= reachable(story, start)
    in_view = [s for s in story.scenes if role is None or s in seen]
    finishing = _can_finish(story)
    nodes: dict[str, SceneNode] = {}
    for scene_id in in_view:
        scene = story.scenes[scene_id]
        node = SceneNode(scene_id, scene.model.title)
        if scene_id not in seen:
            node.marks.append("unreachable")
        if scene.ending is None and (scene_id not in finishing or all(c.guard for c in scene.choices)):
            node.marks.append("dead_end")
        if scene.ending is not None:
            node.marks.append("historical_ending" if scene.ending.historical else "ending")
        node.starts = [r for r, s in starts.items() if s == scene_id]
        if node.starts:
            node.marks.append("start")
        nodes[scene_id] = node
    edges = [c for s in in_view for c in story.scenes[s].choices]
    return SceneGraph(story.meta.title, nodes, edges, starts)


@dataclass(slots=True)
class OutlineEntry:
    """A line of the outline: a scene reached by `via`, or (with `repeat`) a pointer to it."""

    scene_id: str
    via: CompiledChoice | None = None
    repeat: str | None = None
    """"above" or "below": the scene is shown in full elsewhere in the outline."""
    children: list[OutlineEntry] = field(default_factory=list)


@dataclass(slots=True)
class Outline:
    """A role's scenes as a tree: the main line (history's path first) along the top level, each
    branch under the scene it leaves, every scene in full once; plus the scenes no role can reach."""

    graph: SceneGraph
    """The role's graph, whose nodes carry each scene's marks."""
    main: list[OutlineEntry]
    unreachable: list[SceneNode]


def scene_outline(story: Story, role: str) -> Outline:
    """The outline of what `role` can reach from its start.

    The main line stays on the top level rather than nesting deeper at every decision, so a long
    story stays readable in a narrow terminal: history's path, then (where history has no choice,
    or in a story without history) each scene's first choice to a scene not yet on the line.
    """
    graph = scene_graph(story, role)
    beats = walk_history(story, role).beats
    line = [b.scene_id for b in beats]
    # The choice that leads to each scene of the line (none to the first).
    vias: list[CompiledChoice | None] = [None]
    vias += [story.scenes[b.scene_id].choice(b.taken.id) if b.taken else None for b in beats[:-1]]
    on_line = set(line)
    while (onward := next((c for c in story.scenes[line[-1]].choices if c.goto and c.goto not in on_line), None)) is not None:
        assert onward.goto is not None
        line.append(onward.goto)
        vias.append(onward)
        on_line.add(onward.goto)
    shown: set[str] = set()
    main: list[OutlineEntry] = []
    for i, scene_id in enumerate(line):
        shown.add(scene_id)
        entry = OutlineEntry(scene_id, vias[i])
        entry.children = _branches(story, scene_id, vias[i + 1] if i + 1 < len(line) else None, shown, on_line)
        main.append(entry)
    everything = scene_graph(story)
    unreachable = [node for node in everything.nodes.values() if "unreachable" in node.marks]
    return Outline(graph, main, unreachable)


def _branches(story: Story, scene_id: str, skip: CompiledChoice | None, shown: set[str], on_line: set[str]) -> list[OutlineEntry]:
    """The choices out of a scene, depth first, so that a pointer "above" is always above.

    Iterative: a long chain of scenes without history would overflow Python's recursion limit.
    """
    top: list[OutlineEntry] = []
    stack = [(top, iter([c for c in story.scenes[scene_id].choices if c is not skip]))]
    while stack:
        into, choices = stack[-1]
        choice = next(choices, None)
        if choice is None:
            stack.pop()
            continue
        target = choice.goto
        if target is None:
            continue
        if target in shown or target in on_line:
            into.append(OutlineEntry(target, choice, repeat="above" if target in shown else "below"))
            continue
        shown.add(target)
        entry = OutlineEntry(target, choice)
        into.append(entry)
        stack.append((entry.children, iter(story.scenes[target].choices)))
    return top


def _can_finish(story: Story) -> set[str]:
    """Scenes from which some ending can be reached, ignoring conditions."""
    into: dict[str, set[str]] = {s: set() for s in story.scenes}
    for choice in story.choices():
        for target in choice.targets:
            into[target].add(choice.scene_id)
    done = {s for s, scene in story.scenes.items() if scene.ending is not None}
    queue = deque(done)
    while queue:
        for source in into[queue.popleft()]:
            if source not in done:
                done.add(source)
                queue.append(source)
    return done


class _LabelledState(State):
    """A state that carries a label for the diagram (core State has no such attribute)."""

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = label


class _SceneGraphMachine(GraphMachine):
    state_cls = _LabelledState

    def __init__(self, **kwargs: Any) -> None:
        # A copy, so the class-level styles of GraphMachine stay untouched for other users.
        styles = copy.deepcopy(GraphMachine.style_attributes)
        node_styles = styles["node"]
        assert isinstance(node_styles, dict)
        node_styles.update(STYLES)
        self.style_attributes = styles
        super().__init__(**kwargs)


class _Model:
    """The object the diagram machine is bound to; it never moves."""


def mermaid(graph: SceneGraph) -> str:
    """A Mermaid state diagram, drawn by transitions' GraphMachine (no Graphviz needed).

    Mermaid names are the scene ids with an `id_` prefix, because a bare id such as `note` or
    `state` is a Mermaid keyword; the labels carry the real ids.
    """
    starts = [_mermaid_name(s) for s in dict.fromkeys(graph.starts.values()) if s in graph.nodes]
    model = _Model()
    states = [{"name": _mermaid_name(n.id), "label": _mermaid_text(n.label)} for n in graph.nodes.values()]
    # All transitions at once: GraphMachine redraws the whole graph after every add_transition.
    transitions = [
        {
            "trigger": choice.key,
            "source": _mermaid_name(choice.scene_id),
            "dest": _mermaid_name(choice.goto),
            "label": _mermaid_text(graph.edge_label(choice)),
        }
        for choice in graph.edges
        if choice.goto in graph.nodes
    ]
    machine = _SceneGraphMachine(
        model=model,
        states=states,
        transitions=transitions,
        initial=starts[0] if starts else None,
        auto_transitions=False,
        graph_engine="mermaid",
        # transitions writes the title as the whole front-matter block, so it must be YAML itself.
        title=f"title: {json.dumps(graph.title)}",
    )
    diagram = machine.model_graphs[id(model)]
    diagram.reset_styling()
    for node in graph.nodes.values():
        diagram.set_node_style(_mermaid_name(node.id), node.style)
    source: str = getattr(model, "get_graph")().source  # noqa: B009 - bound by GraphMachine at runtime
    extra = [f"  [*] --> {s}" for s in starts[1:]]
    legend = [f"  %% {HISTORICAL_MARK} marks history's choice; classes: {', '.join(STYLES)}"]
    return "\n".join([source.rstrip(), *extra, *legend]) + "\n"


def _mermaid_name(scene_id: str) -> str:
    return f"id_{scene_id}"


def _mermaid_text(text: str) -> str:
    # Mermaid has no backslash escape inside a quoted label; entity codes are its way.
    return " ".join(text.split()).replace(";", "#59;").replace('"', "#quot;")


def dot(graph: SceneGraph) -> str:
    """Graphviz DOT text, written directly.

    transitions' own DOT backends need the `graphviz` or `pygraphviz` packages (and silently fall
    back to Mermaid without them), so the text is written here and needs neither; render it with
    Graphviz's `dot -Tsvg` wherever that is installed.
    """
    lines = [
        "digraph story {",
        f"  label={_dot_str(graph.title)};",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled"];',
    ]
    for node in graph.nodes.values():
        style = STYLES[node.style]
        attrs = f"label={_dot_str(node.label)}, fillcolor={_dot_str(style['fillcolor'])}, color={_dot_str(style['color'])}"
        if node.starts:
            attrs += ", peripheries=2"
        lines.append(f"  {_dot_str(node.id)} [{attrs}];")
    for role, start in graph.starts.items():
        if start in graph.nodes:
            lines.append(f'  "start:{role}" [shape=point, label=""];')
            lines.append(f'  "start:{role}" -> {_dot_str(start)} [label={_dot_str(role)}];')
    for choice in graph.edges:
        if choice.goto in graph.nodes:
            attrs = f"label={_dot_str(graph.edge_label(choice))}"
            if choice.model.historical:
                attrs += ', penwidth=2, color="goldenrod"'
            if choice.guard is not None:
                attrs += ", style=dashed"
            lines.append(f"  {_dot_str(choice.scene_id)} -> {_dot_str(choice.goto)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_str(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(story: Story, fmt: str = "mermaid", role: str | None = None) -> str:
    graph = scene_graph(story, role)
    if fmt == "dot":
        return dot(graph)
    if fmt == "mermaid":
        return mermaid(graph)
    raise CandidError(f"unknown graph format {fmt!r}; use mermaid or dot")


__all__ = [
    "HISTORICAL_MARK",
    "Outline",
    "OutlineEntry",
    "SceneGraph",
    "SceneNode",
    "dot",
    "mermaid",
    "render",
    "scene_graph",
    "scene_outline",
]
