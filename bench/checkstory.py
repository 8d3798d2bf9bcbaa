"""A story the size of a real one, for `check`'s exhaustive search: `python -m bench.checkstory`.

130 scenes in five acts, 25 variables (bools and small ints). Like a written story, most variables
belong to one act: set by its choices, read by its later choices and its finale, and never again.
A few run through the whole story (trust, an ally, a scar) and decide the ending. Scenes use the
constructs a real story uses: conditions on choices, once-only choices that come back to the scene,
`taken()`, `visited()`, opposite conditions in place of an unconditional way on, and a sub-scene.

The script writes the story, runs `check` on it and prints what the search did: states, whether it
was exhaustive, and the processor time (not wall-clock: other work on the machine does not count),
with the states the same search keeps when it forgets nothing, for comparison.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

ACTS = 5
GLOBAL = {
    "trust": "{type: int, default: 1, min: 0, max: 3}",
    "standing": "{type: int, default: 0, min: 0, max: 2}",
    "ally": "{type: bool, default: false}",
    "scarred": "{type: bool, default: false}",
    "warned": "{type: bool, default: false}",
}


def _local(act: int) -> dict[str, str]:
    return {
        f"a{act}_met": "{type: bool, default: false}",
        f"a{act}_lied": "{type: bool, default: false}",
        f"a{act}_key": "{type: bool, default: false}",
        f"a{act}_n": "{type: int, default: 0, min: 0, max: 2}",
    }


def story_yaml(scenes: int) -> str:
    variables = dict(GLOBAL)
    for act in range(1, ACTS + 1):
        variables |= _local(act)
    lines = [
        "story:",
        f"  id: checkstory_{scenes}",
        f"  title: A story of {scenes} scenes for the checker",
        '  version: "1.0"',
        "  acts: {" + ", ".join(f"{a}: Act {a}" for a in range(1, ACTS + 1)) + "}",
        "  roles:",
        "    reader: {name: Reader, description: The only role., start: a1_s00}",
        "  variables:",
        *(f"    {name}: {spec}" for name, spec in variables.items()),
    ]
    return "\n".join(lines) + "\n"


def _choice(cid: str, text: str, goto: str | None, *, cond: str | None = None, effects: str | None = None, more: str = "") -> str:
    parts = [f"id: {cid}", f"text: {text}"] + ([f"goto: {goto}"] if goto else [])
    if cond:
        parts.append(f'if: "{cond}"')
    if effects:
        parts.append(f"effects: {effects}")
    if more:
        parts.append(more)
    return "      - {" + ", ".join(parts) + "}"


def _scene(sid: str, act: int, choices: list[str], ending: str | None = None) -> str:
    lines = [f"  - id: {sid}", f"    act: {act}", f"    title: Scene {sid}", "    roles: [reader]", f"    text: Scene {sid} happens."]
    if ending:
        lines.append(f"    ending: {{title: {ending}, epilogue: It ended so.}}")
    else:
        lines += ["    choices:", *choices]
    return "\n".join(lines)


def act_yaml(act: int, per_act: int, rng: random.Random) -> str:
    """One act: a line of scenes with branches, local flags, and a finale that reads them."""
    p = f"a{act}_"
    ids = [f"{p}s{i:02d}" for i in range(per_act)]
    nxt_act = f"a{act + 1}_s00" if act < ACTS else None
    out = ["scenes:"]
    for i, sid in enumerate(ids[:-1]):
        on = ids[i + 1]
        kind = i % 6
        if kind == 0:
            choices = [
                _choice("talk", "Talk", on, effects=f"{{set: {{{p}met: true}}}}"),
                _choice("push", "Push", on, effects=f"{{add: {{{p}n: 1}}}}"),
            ]
        elif kind == 1:
            flag = f"{p}met" if i < 6 else rng.choice([f"{p}met", f"{p}key"])
            choices = [
                _choice("use", "Use what you have", on, cond=flag, effects="{add: {trust: 1}}"),
                _choice("without", "Go without", on, cond=f"not {flag}"),
            ]
        elif kind == 2:
            choices = [
                _choice("look", "Look around", sid, effects=f"{{set: {{{p}key: true}}}}", more="once: true"),
                _choice("ask", "Ask twice", sid, cond=f"taken('{sid}.ask') < 1"),
                _choice("onward", "Move on", on),
            ]
        elif kind == 3:
            choices = [
                _choice("bold", "Be bold", on, cond=f"{p}n > 1", effects=f"{{add: {{{p}n: -2}}, set: {{scarred: true}}}}"),
                _choice("careful", "Be careful", on, cond=f"{p}n <= 1", effects=f"{{add: {{{p}n: 1}}}}"),
            ]
        elif kind == 4:
            side = ids[min(i + 2, len(ids) - 2)]
            choices = [
                _choice("carry", "Carry on", on),
                _choice("skip", "Hurry ahead", side, cond=f"{p}key or ally", effects="{add: {standing: 1}}"),
                _choice("lie", "Lie", on, effects=f"{{set: {{{p}lied: true}}}}"),
            ]
        else:
            choices = [
                _choice("wait", "Wait", on),
                _choice("back", "Go back once more", ids[max(0, i - 2)], cond=f"visited('{sid}') < 2"),
                _choice("help", "Help", on, cond=f"{p}met and not {p}lied", effects="{set: {ally: true}}"),
            ]
        if act == 3 and i == 7:
            choices.append(_choice("counsel", "Seek counsel", on, more="call: counsel"))
        out.append(_scene(sid, act, choices))
    finale = ids[-1]
    if nxt_act:
        out.append(
            _scene(
                finale,
                act,
                [
                    _choice("reward", "Claim the reward", nxt_act, cond=f"{p}n >= 2 or {p}key", effects="{add: {trust: 1}}"),
                    _choice("plain", "Leave quietly", nxt_act, cond=f"{p}n < 2 and not {p}key", effects="{add: {trust: -1}}"),
                ],
            )
        )
    else:
        out.append(
            _scene(
                finale,
                act,
                [
                    _choice("trusted", "Stand with them", "end_trusted", cond="trust >= 3 and ally"),
                    _choice("alone", "Stand alone", "end_alone", cond="not ally or warned"),
                    _choice("scar", "Show the scar", "end_scar", cond="scarred and standing >= 2"),
                    _choice("go", "Walk away", "end_gone", more="fallback: true"),
                ],
            )
        )
        for end in ("end_trusted", "end_alone", "end_scar", "end_gone"):
            out.append(_scene(end, act, [], ending=end.replace("_", " ").title()))
    if act == 3:
        out.append(
            _scene(
                "counsel",
                act,
                [
                    _choice("listen", "Listen", "counsel", effects="{set: {warned: true}}", more="once: true"),
                    _choice("back", "Go back", None, more="return: true"),
                ],
            )
        )
    return "\n".join(out) + "\n"


def write(folder: Path, scenes: int = 130, seed: int = 3) -> Path:
    """Write the story (`scenes` is rounded to whole acts; the sub-scene and endings come on top)."""
    per_act = max(8, (scenes - 5) // ACTS)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.yaml").write_text(story_yaml(scenes), encoding="utf-8")
    for act in range(1, ACTS + 1):
        (folder / f"act{act}.yaml").write_text(act_yaml(act, per_act, rng), encoding="utf-8")
    return folder


def measure(folder: Path, max_states: int) -> dict[str, object]:
    from game.engine.checks import check_story
    from game.engine.compiler import load_story
    from game.engine.explore import explore_states

    story = load_story(folder)
    started = time.process_time()
    found = explore_states(story, max_states)
    search = time.process_time() - started
    started = time.process_time()
    report = check_story(folder, max_states=max_states)
    whole = time.process_time() - started
    everything = explore_states(story, max_states, forget=False)
    return {
        "scenes": len(story.scenes),
        "variables": len(story.meta.variables),
        "states": found.states,
        "exhaustive": found.exhaustive,
        "search_s": round(search, 2),
        "check_s": round(whole, 2),
        "warnings": [str(d) for d in report.diagnostics],
        "states_forgetting_nothing": everything.states if everything.exhaustive else f"over {max_states:,}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checkstory", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenes", type=int, default=130)
    parser.add_argument("--max-states", type=int, default=2_000_000, help="cap for the comparison search that forgets nothing")
    parser.add_argument("--keep", type=Path, help="write the story here instead of a temporary folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(args.keep or Path(tmp) / "story", args.scenes)
        result = measure(folder, args.max_states)
    for key, value in result.items():
        if key != "warnings":
            print(f"{key:>26}: {value}")
    for line in result["warnings"]:  # type: ignore[attr-defined]
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
