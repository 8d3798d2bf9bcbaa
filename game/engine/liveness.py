"""What a play-through must still remember at each scene: the live-variable analysis of the search.

A variable (or a scene's visit count, or a choice's count) is *live* at a scene when some guard
that can still be met from there reads it: a choice's condition, an effect block's condition, or
the condition of an effect on entering a scene. Everything else can be forgotten, and two states
that differ only in forgotten values have the same futures, so the search folds them into one.

The answer is computed once per story in time linear in its size: the scene graph's strongly
connected components (an iterative Tarjan walk) come out sinks first, so each component's live set
is its own readers joined with the sets of the components it leads to, all already known. Sets
are Python ints used as bit masks, one bit per thing tracked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .analysis import scene_graph

if TYPE_CHECKING:
    from .compiler import Story
    from .conditions import Condition


def onward(story: Story) -> dict[str, tuple[str, ...]]:
    """Where each scene can lead: its choices' targets, and for a scene with a `return`, every
    scene a call comes back to (which one depends on the call stack)."""
    comebacks = {m.push for m in story.graph.all_moves() if m.push is not None}
    graph = {}
    for scene_id, targets in scene_graph(story).items():
        found = set(targets)
        if comebacks and any(m.returns for m in story.graph.moves(scene_id)):
            found |= comebacks
        graph[scene_id] = tuple(sorted(found))
    return graph


def guards_at(story: Story) -> dict[str, list[Condition]]:
    """The guards decided while a play-through stands at (or enters) each scene."""
    found: dict[str, list[Condition]] = {}
    for scene_id in story.graph.ids:
        moves = story.graph.moves(scene_id)
        guards = [m.guard for m in moves]
        guards += [b.guard for m in moves for b in m.more]
        guards += [b.guard for b in story.enter.get(scene_id, ())]
        found[scene_id] = [g for g in guards if g is not None]
    return found


def components(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Strongly connected components, each listed after every component it leads to (Tarjan's
    algorithm, iterative so a long chain of scenes cannot overflow Python's stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, at = work[-1]
            targets = graph[node]
            if at < len(targets):
                work[-1] = (node, at + 1)
                nxt = targets[at]
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found


def ahead(graph: Mapping[str, Sequence[str]], own: Mapping[str, int]) -> dict[str, int]:
    """For each scene, the union of `own` over every scene reachable from it (itself included)."""
    result: dict[str, int] = {}
    for component in components(graph):
        members = set(component)
        mask = 0
        for scene in component:
            mask |= own.get(scene, 0)
            for nxt in graph[scene]:
                if nxt not in members:
                    mask |= result[nxt]
        for scene in component:
            result[scene] = mask
    return result


def _bits(slots: Mapping[tuple[str, str], int], names: Iterable[tuple[str, str]]) -> int:
    mask = 0
    for name in names:
        slot = slots.get(name)
        if slot is not None:
            mask |= 1 << slot
    return mask


class Live:
    """Which of the search's kept variables, visit counts and choice counts are live at each scene.

    The masks are worked out for every scene at once (linear in the story); the flags a state is
    cut down with are made only for the scenes the search meets, when first asked."""

    def __init__(self, story: Story, names: Sequence[str], tracked: Sequence[str], counted: Sequence[str]) -> None:
        self.order = [*(("v", n) for n in names), *(("s", s) for s in tracked), *(("c", k) for k in counted)]
        self.sizes = (len(names), len(names) + len(tracked))
        slots = {item: i for i, item in enumerate(self.order)}
        own: dict[str, int] = {}
        reads: dict[int, int] = {}
        """What each guard reads, by its id: a story shares one compiled condition among the
        choices that repeat it, so most are worked out once."""
        for scene_id, guards in guards_at(story).items():
            mask = 0
            for guard in guards:
                bits = reads.get(id(guard))
                if bits is None:
                    bits = reads[id(guard)] = (
                        _bits(slots, [("v", n) for n in guard.reads])
                        | _bits(slots, [("s", s) for s in guard.visited])
                        | _bits(slots, [("c", k) for k in guard.taken])
                    )
                mask |= bits
            # A once-only choice reads its own count to decide whether it is still open.
            mask |= _bits(slots, [("c", m.key) for m in story.graph.moves(scene_id) if m.once])
            own[scene_id] = mask
        self.masks = ahead(onward(story), own)
        self.full = (1 << len(self.order)) - 1
        self.flags: dict[str, Flags | None] = {}
        self.forgotten: dict[str, tuple[int, ...]] = {}

    def at(self, scene: str) -> Flags | None:
        """(variables, visits, counts) flags for `scene`, or None when everything kept is live there."""
        if scene in self.flags:
            return self.flags[scene]
        mask = self.masks[scene]
        found: Flags | None = None
        if mask != self.full:
            flags = tuple(bool(mask >> i & 1) for i in range(len(self.order)))
            a, b = self.sizes
            found = (flags[:a], flags[a:b], flags[b:])
        self.flags[scene] = found
        return found

    def dead(self, scene: str) -> tuple[int, ...]:
        """The positions, in the order variables, visits, counts, of what is not live at `scene`."""
        found = self.forgotten.get(scene)
        if found is None:
            mask = self.masks[scene]
            found = self.forgotten[scene] = tuple(i for i in range(len(self.order)) if not mask >> i & 1)
        return found


Flags = tuple[tuple[bool, ...], tuple[bool, ...], tuple[bool, ...]]


__all__ = ["Flags", "Live", "ahead", "components", "guards_at", "onward"]
