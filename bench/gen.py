"""Synthetic stories in our format, for measuring the engine at sizes no author has written yet.

A story of N scenes: one scene per file, about 80 words of text each, three choices per scene (one
of them conditional), every choice changing two of the four variables, about 5% of scenes endings.
Choices `go_on` and `skip` lead one and two scenes ahead and are never locked, so every scene is
reachable from the start; the third jumps anywhere, which makes loops and long walks possible.
The same N and seed give the same files, byte for byte.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

VARIABLES = ("trust", "money", "press", "nerve")
ENDING_EVERY = 20
THRESHOLD = 40
_SENTENCE = (
    "the board met again late on friday and nobody said what everyone already knew about the "
    "memo that had gone round the office twice before lunch while investors waited on a call "
    "that would decide whether the lab kept its charter or its staff or neither of them in the "
    "end a letter was drafted signed unsigned and signed again by people who had not slept"
)
WORDS = tuple(_SENTENCE.split())


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    id: str
    text: str
    goto: int
    needs: str | None
    """The variable that must be at least THRESHOLD for the choice to be open."""
    adds: dict[str, int]


@dataclass(frozen=True, slots=True)
class SceneSpec:
    index: int
    text: str
    choices: list[ChoiceSpec]


def scene_id(i: int) -> str:
    return f"s{i:05d}"


def is_ending(i: int, n: int) -> bool:
    return i == n - 1 or (i > 0 and i % ENDING_EVERY == ENDING_EVERY - 1)


def _text(rng: random.Random, words: int = 80) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _adds(rng: random.Random) -> dict[str, int]:
    a, b = rng.sample(VARIABLES, 2)
    return {a: rng.choice((-15, -10, -5, 5, 10, 15)), b: rng.choice((-10, -5, 5, 10))}


def plan(n: int, seed: int = 7) -> list[SceneSpec]:
    """The story's shape as plain data: what `generate` writes, and what the baseline walks."""
    if n < 3:
        raise ValueError("a synthetic story needs at least 3 scenes")
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        text = _text(rng)
        choices: list[ChoiceSpec] = []
        if not is_ending(i, n):
            jump = rng.randrange(n)
            var = rng.choice(VARIABLES)
            choices = [
                ChoiceSpec("go_on", "Carry on", (i + 1) % n, None, _adds(rng)),
                ChoiceSpec("skip", "Skip ahead", (i + 2) % n, None, _adds(rng)),
                ChoiceSpec("jump", "Take the long way", jump, var, _adds(rng)),
            ]
        specs.append(SceneSpec(i, text, choices))
    return specs


def scene_yaml(spec: SceneSpec, n: int) -> str:
    i = spec.index
    lines = [
        "scenes:",
        f"  - id: {scene_id(i)}",
        f"    act: {1 + i * 3 // n}",
        f"    title: Scene {i}",
        f'    when: "2023-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}"',
        "    place: The office",
        "    roles: [reader]",
        "    label: dramatised",
        "    text: >-",
        textwrap.fill(spec.text, 90, initial_indent="      ", subsequent_indent="      "),
    ]
    if not spec.choices:
        lines += ["    ending:", f"      title: Ending {i}", "      epilogue: It ended here, as these things do."]
    else:
        lines.append("    choices:")
    for c in spec.choices:
        adds = ", ".join(f"{k}: {v}" for k, v in c.adds.items())
        lines += [f"      - id: {c.id}", f"        text: {c.text}", f"        goto: {scene_id(c.goto)}"]
        if c.needs:
            lines += [f'        if: "{c.needs} >= {THRESHOLD}"', f"        locked_reason: Not enough {c.needs}."]
        lines.append(f"        effects: {{add: {{{adds}}}}}")
    return "\n".join(lines) + "\n"


def story_yaml(n: int) -> str:
    variables = "\n".join(
        f"    {v}: {{type: int, default: 50, min: 0, max: 100, visible: true, label: {v.capitalize()}}}" for v in VARIABLES
    )
    return (
        "story:\n"
        f"  id: synthetic_{n}\n"
        f"  title: Synthetic story of {n} scenes\n"
        '  version: "1.0"\n'
        "  acts: {1: One, 2: Two, 3: Three}\n"
        "  roles:\n"
        "    reader:\n"
        "      name: Reader\n"
        "      description: The only role.\n"
        f"      start: {scene_id(0)}\n"
        "  variables:\n"
        f"{variables}\n"
    )


def generate(folder: Path, n: int, seed: int = 7) -> Path:
    """Write a story of `n` scenes into `folder` (created; existing scene files are replaced)."""
    scenes = folder / "scenes"
    scenes.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(story_yaml(n), encoding="utf-8")
    for spec in plan(n, seed):
        (scenes / f"{scene_id(spec.index)}.yaml").write_text(scene_yaml(spec, n), encoding="utf-8")
    return folder
