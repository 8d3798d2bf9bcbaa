"""The continuity suite: seeded random play-throughs must never show text that contradicts the state.

Each role is walked a few thousand times, choosing uniformly among the open options. Every paragraph
shown (scene text and ending epilogues) is checked against the probes of `tests/probes_board.py`
and `tests/probes_staff.py`; along every path the scene dates must not run backwards and an act
heading must never announce an act the player skips; over all runs every conditional passage (and
its `else`) must be shown at least once. A planted story (`tests/stories/continuity_plant`) proves
that each check can fail.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import pytest
from continuity import Probe, Seen

from game.engine.compiler import Story, load_story
from game.engine.loader import builtin_story
from game.engine.models import Passage, parse_when
from game.engine.session import Session
from game.engine.textlang import plain

RUNS_PER_ROLE = 2000
SEED = 20261201

# Conditional passages that no play-through can show, with the reason the exhaustive reasoning
# gives. Keys are (scene id, index of the item in the scene's `text` list, "if" or "else").
NEVER_SHOWN_BY_DESIGN: dict[tuple[str, int, str], str] = {}


def _load_probes(module_name: str) -> list[Probe]:
    """A role's probes; a role whose probe file does not exist yet has none (and no failure)."""
    try:
        module: ModuleType = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return []
        raise
    probes: list[Probe] = module.PROBES
    return probes


ALL_PROBES: list[Probe] = _load_probes("probes_board") + _load_probes("probes_staff")


@dataclass
class Report:
    """What the walks found: every failure is a readable line naming the run, scene and text."""

    contradictions: list[str] = field(default_factory=list)
    backward_dates: list[str] = field(default_factory=list)
    act_headings: list[str] = field(default_factory=list)
    shown: set[tuple[str, int, str]] = field(default_factory=set)
    runs: int = 0
    paragraphs: int = 0
    _kinds: set[str] = field(default_factory=set)

    def note(self, bucket: list[str], line: str) -> None:
        # A broken probe can fire thousands of times: keep the first run of each distinct failure.
        kind = re.sub(r" run \d+ ", " ", line)
        if kind not in self._kinds:
            self._kinds.add(kind)
            bucket.append(line)


def _when_key(when: str) -> tuple[tuple[int, ...], int]:
    """A date and how many of its fields were written (2 = month, 3 = day, 5 = minute)."""
    moment = parse_when(when)
    fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute)
    written = 2 + len([g for g in re.split(r"[- :]", when.strip())[2:] if g])
    return fields, min(written, 5)


def _not_before(later: str, earlier: str) -> bool:
    """`later` is not before `earlier`, compared only as precisely as both are written."""
    (a, na), (b, nb) = _when_key(later), _when_key(earlier)
    n = min(na, nb)
    return a[:n] >= b[:n]


def _conditional_items(story: Story, scene_id: str) -> list[tuple[int, Passage]]:
    text = story.scenes[scene_id].model.text
    if isinstance(text, str):
        return []
    return [(i, item) for i, item in enumerate(text) if isinstance(item, Passage) and item.if_ is not None]


def _mark_shown(story: Story, session: Session, shown_texts: Sequence[str], into: set[tuple[str, int, str]]) -> None:
    texts = set(shown_texts)
    compiled = story.scenes[session.scene_id].passages
    for index, _passage in _conditional_items(story, session.scene_id):
        # Shown text is the passage as rendered (emphasis marks gone, values filled in).
        if plain(session.render(compiled[index].template)) in texts:
            into.add((session.scene_id, index, "if"))
        other = compiled[index].else_template
        if other is not None and plain(session.render(other)) in texts:
            into.add((session.scene_id, index, "else"))


def walk(story: Story, role: str, runs: int, seed: int, probes: Iterable[Probe], report: Report | None = None) -> Report:
    """Play `runs` seeded random play-throughs of `role` and collect every continuity failure."""
    report = report or Report()
    probes = [p for p in probes if p.role == role]
    cache: dict[tuple[str, str], list[Probe]] = {}

    def matching(scene_id: str, text: str) -> list[Probe]:
        # The same paragraphs come back in run after run: search each one once per scene.
        key = (scene_id, text)
        if key not in cache:
            cache[key] = [p for p in probes if p.applies(scene_id, text)]
        return cache[key]

    rng = random.Random(f"{seed}:{role}")
    for run in range(runs):
        session = Session.new(story, role)
        last_when: tuple[str, str] | None = None
        last_act: int | None = None
        acts_seen: set[int] = set()
        for _ in range(500):  # far beyond any path: the for-else below fails a play-through that loops
            scene = story.scenes[session.scene_id]
            model = scene.model
            where = f"{role} run {run} at {session.scene_id}"
            if model.when:
                if last_when and not _not_before(model.when, last_when[1]):
                    report.note(report.backward_dates, f"{where}: {model.when} comes after {last_when[0]} ({last_when[1]})")
                last_when = (session.scene_id, model.when)
            if model.act != last_act:
                if model.act in acts_seen or (last_act is not None and model.act < last_act):
                    report.note(report.act_headings, f"{where}: heading for act {model.act} again after act {last_act}")
                elif session.ending is not None:
                    report.note(report.act_headings, f"{where}: heading for act {model.act} shown only for the ending")
                acts_seen.add(model.act)
                last_act = model.act
            texts = [p.text for p in session.paragraphs()]
            _mark_shown(story, session, texts, report.shown)
            if session.ending is not None:
                texts.append(session.ending.epilogue)
            report.paragraphs += len(texts)
            seen: Seen | None = None
            for text in texts:
                for probe in matching(session.scene_id, text):
                    # The state is copied only when a probe asks about it.
                    seen = seen or Seen(session.scene_id, dict(session.vars), dict(session.visits), tuple(session.path))
                    if not probe.holds(seen):
                        first = " ".join(text.split())[:90]
                        report.note(report.contradictions, f"{where}: probe {probe.name!r} ({probe.why}): {first!r}")
            if session.ending is not None:
                break
            open_ids = [c.id for c in session.choices() if c.available]
            assert open_ids, f"{where}: no open choice"
            session.choose(rng.choice(open_ids))
        else:
            raise AssertionError(f"{role} run {run}: no ending after 500 choices")
        report.runs += 1
    return report


def never_shown(story: Story, report: Report, roles: Iterable[str]) -> list[str]:
    roles = set(roles)
    missing = []
    for scene_id, scene in story.scenes.items():
        if not roles & set(scene.model.roles):
            continue
        for index, passage in _conditional_items(story, scene_id):
            branches = ["if", "else"] if passage.else_ is not None else ["if"]
            for branch in branches:
                key = (scene_id, index, branch)
                if key not in report.shown and key not in NEVER_SHOWN_BY_DESIGN:
                    missing.append(f"{scene_id} text[{index}] ({branch}: {passage.if_}): {passage.text[:60]!r}")
    return missing


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(builtin_story())


@pytest.fixture(scope="module")
def walked(story: Story) -> Report:
    report = Report()
    for role in story.meta.roles:
        walk(story, role, RUNS_PER_ROLE, SEED, ALL_PROBES, report)
    return report


def test_probes_are_well_formed(story: Story) -> None:
    names = [p.name for p in ALL_PROBES]
    assert len(names) == len(set(names)), "probe names must be unique"
    for probe in ALL_PROBES:
        assert probe.role in story.meta.roles, probe.name
        assert probe.scenes is None or probe.scenes <= set(story.scenes), probe.name


def test_walks_cover_both_roles(story: Story, walked: Report) -> None:
    assert walked.runs == RUNS_PER_ROLE * len(story.meta.roles)
    assert walked.paragraphs > walked.runs * 10


def test_no_text_contradicts_the_state(walked: Report) -> None:
    assert walked.contradictions == [], "\n".join(walked.contradictions)


def test_dates_never_run_backwards(walked: Report) -> None:
    assert walked.backward_dates == [], "\n".join(walked.backward_dates)


@pytest.mark.parametrize("role", ["board", "staff"])
def test_act_headings_only_for_acts_played(walked: Report, role: str) -> None:
    mine = [line for line in walked.act_headings if line.startswith(f"{role} ")]
    assert mine == [], "\n".join(mine)


def test_every_conditional_passage_is_shown(story: Story, walked: Report) -> None:
    missing = never_shown(story, walked, story.meta.roles)
    assert missing == [], "never shown over all runs:\n" + "\n".join(missing)


def test_exemptions_are_still_needed(story: Story, walked: Report) -> None:
    # An exemption for a passage that random play does show (or that no longer exists) is stale.
    for key in NEVER_SHOWN_BY_DESIGN:
        scene_id, index, branch = key
        assert scene_id in story.scenes, key
        assert any(i == index for i, _ in _conditional_items(story, scene_id)), key
        assert key not in walked.shown, f"{key} is shown after all; drop the exemption"
        assert branch in ("if", "else")


# --- the suite catches what it is meant to catch ----------------------------------------------


@pytest.fixture(scope="module")
def planted() -> Story:
    return load_story("tests/stories/continuity_plant")


PLANT_PROBES = [
    Probe(
        name="seat_filled",
        role="director",
        pattern=r"took the empty seat",
        holds=lambda s: s.vars["seat_filled"] is True,
        why="the seat was filled",
    ),
]


def test_plant_contradiction_is_caught(planted: Story) -> None:
    report = walk(planted, "director", 200, 1, PLANT_PROBES)
    # One flag set by two different choices: leaving the seat empty still tells of a new director.
    assert any("seat_filled" in line and "plant_after" in line for line in report.contradictions), report.contradictions


def test_plant_backward_date_is_caught(planted: Story) -> None:
    report = walk(planted, "director", 200, 1, [])
    assert any("plant_flashback" in line for line in report.backward_dates), report.backward_dates


def test_plant_skipped_act_heading_is_caught(planted: Story) -> None:
    report = walk(planted, "director", 200, 1, [])
    assert any("shown only for the ending" in line for line in report.act_headings), report.act_headings


def test_plant_dead_passage_is_caught(planted: Story) -> None:
    report = walk(planted, "director", 200, 1, [])
    missing = never_shown(planted, report, ["director"])
    assert any("plant_after" in line and "calm > 90" in line for line in missing), missing
    assert not any("seat_touched" in line for line in missing), "both branches of the live passage were shown"


def test_every_probe_fails_on_some_wrong_state(story: Story) -> None:
    # Each probe is tried against deliberately wrong states (all off, all on, and each one flag,
    # visit or choice flipped from those): a probe whose fact holds in all of them could never fail.
    never_fails = []
    for role in story.meta.roles:
        states = list(_wrong_states(story, role))
        never_fails += [p.name for p in ALL_PROBES if p.role == role and all(p.holds(s) for s in states)]
    assert [p for p in ALL_PROBES if p.role == "board"], "the board role has no probes"
    assert never_fails == [], f"probes that can never fail: {never_fails}"


def _wrong_states(story: Story, role: str) -> Iterable[Seen]:
    defaults = story.defaults()
    low = {n: (False if isinstance(v, bool) else 0 if isinstance(v, int) else v) for n, v in defaults.items()}
    high = {n: (True if isinstance(v, bool) else 100 if isinstance(v, int) else v) for n, v in defaults.items()}
    scenes = [sid for sid, s in story.scenes.items() if role in s.model.roles]
    keys = [f"{sid}.{c.id}" for sid in scenes for c in story.scenes[sid].choices]
    everywhere = {sid: 1 for sid in scenes}
    yield Seen("nowhere", low, {}, ())
    yield Seen("nowhere", high, everywhere, tuple(keys))
    for name, value in defaults.items():
        if isinstance(value, bool | int):
            yield Seen("nowhere", {**low, name: high[name]}, {}, ())
            yield Seen("nowhere", {**high, name: low[name]}, everywhere, tuple(keys))
    for sid in scenes:
        yield Seen("nowhere", low, {sid: 1}, ())
        yield Seen("nowhere", high, {k: v for k, v in everywhere.items() if k != sid}, tuple(keys))
    for key in keys:
        yield Seen("nowhere", low, {}, (key,))
        yield Seen("nowhere", high, everywhere, tuple(k for k in keys if k != key))
