"""Measurements taken inside a fresh process: `python -m bench.probe KIND ARGS...` prints one JSON object.

Each probe runs in its own interpreter so that imports, caches and the garbage collector start
from nothing, as they do for a player or an author. Probes whose subject is not built yet print
`{"missing": "..."}` instead of failing.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

Result = dict[str, Any]


def memory() -> Result:
    """Current and peak resident memory of this process, in MiB (Linux /proc; zeros elsewhere)."""
    found = {"rss_mib": 0.0, "peak_mib": 0.0}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found["rss_mib"] = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                found["peak_mib"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found


def probe_load(story: str) -> Result:
    """Load a story for play: parse, validate, compile, build the machine, start a session."""
    t0 = time.process_time()
    from game.engine.compiler import load_story
    from game.engine.session import Session

    t1 = time.process_time()
    loaded = load_story(story)
    t2 = time.process_time()
    loaded.machine  # noqa: B018 - building it is what is measured
    t3 = time.process_time()
    session = Session.new(loaded)
    first = session.choices()[0].id
    session.choose(first)
    t4 = time.process_time()
    return {"import_s": t1 - t0, "load_s": t2 - t1, "machine_s": t3 - t2, "first_step_s": t4 - t3, **memory()}


def probe_check(story: str) -> Result:
    """`check_story` inside the process (the CLI adds interpreter start and printing)."""
    t0 = time.process_time()
    from game.engine.checks import check_story

    t1 = time.process_time()
    report = check_story(story)
    t2 = time.process_time()
    return {"import_s": t1 - t0, "check_s": t2 - t1, "errors": len(report.errors), **memory()}


def probe_yaml(story: str) -> Result:
    """Reference: PyYAML's C loader over the same files (listing and reading them included), nothing
    else: no positions, no models, no checks; the processor time of that loop, without start-up."""
    import yaml

    t0 = time.process_time()
    files = sorted(Path(story).glob("**/*.yaml"))
    for path in files:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return {"yaml_s": time.process_time() - t0, "files": len(files), **memory()}


def probe_randomtest(story: str, runs: str, seed: str) -> Result:
    """A whole `run_randomtest` call (set-up, play, report), and its play loop alone: the same
    play-throughs walked again on the same prepared story (each scene's moves are compiled the first
    time a walk arrives there, so the second pass is the loop and nothing else)."""
    try:
        from game.engine.randomtest import FastStory, run_randomtest, walk
    except ImportError:
        return {"missing": "game.engine.randomtest"}
    from game.engine.compiler import load_story

    loaded = load_story(story)
    run_randomtest(loaded, 1, seed=int(seed))  # first-call costs (imports, the collector) are not the call's
    t0 = time.process_time()
    result = run_randomtest(loaded, int(runs), seed=int(seed))
    t1 = time.process_time()
    fast = FastStory(loaded)
    role = next(iter(loaded.basics.starts))

    def play() -> None:
        rng = random.Random(int(seed))
        taken = [0] * len(fast.keys)
        for _ in range(int(runs)):
            walk(fast, role, rng, taken=taken)

    play()
    t2 = time.process_time()
    play()
    t3 = time.process_time()
    steps = sum(k * n for k, n in result.steps.items())
    return {
        "call_s": t1 - t0,
        "play_s": t3 - t2,
        "runs": int(runs),
        "steps": steps,
        "errors": len(result.errors),
        **memory(),
    }


def probe_dictwalk(story: str, runs: str, seed: str) -> Result:
    """Baseline: random walks over the same graph held as a plain dict of scene -> targets."""
    from game.engine.compiler import load_story

    loaded = load_story(story)
    graph = {sid: [c.goto for c in scene.choices] for sid, scene in loaded.scenes.items()}
    start = next(iter(loaded.meta.roles.values())).start
    rng = random.Random(int(seed))
    steps = 0
    t0 = time.process_time()
    for _ in range(int(runs)):
        here = start
        for _ in range(1000):
            targets = graph[here]
            if not targets:
                break
            here = targets[rng.randrange(len(targets))]
            steps += 1
    elapsed = time.process_time() - t0
    return {"play_s": elapsed, "runs": int(runs), "steps": steps, **memory()}


def _story_for_ui(story: str) -> Any:
    """The story the UI probes play: `story`, or the built-in one when `story` is empty."""
    from game.engine.compiler import load_story

    return load_story(story or None)


def probe_ui_bare() -> Result:
    """Baseline: a bare Textual app that exits as soon as it is mounted."""
    from textual.app import App

    class Bare(App[None]):
        def on_mount(self) -> None:
            self.exit()

    Bare().run(headless=True, size=(100, 32))
    return {**memory()}


def probe_ui_bare_step(steps: str) -> Result:
    """Baseline: a bare Textual app whose key press rewrites a paragraph and a list of three options."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Footer, OptionList, Static
    from textual.widgets.option_list import Option

    class Bare(App[None]):
        BINDINGS: ClassVar = [("1", "step", "Step")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Static(id="text", markup=False)
            yield OptionList(id="options", markup=False)
            yield Footer()

        def action_step(self) -> None:
            self.count += 1
            self.query_one("#text", Static).update(f"{'word ' * 80}{self.count}")
            options = self.query_one("#options", OptionList)
            options.clear_options()
            options.add_options([Option(f"{i}. choice {self.count}") for i in range(1, 4)])

    app = Bare()
    samples: list[float] = []

    async def play() -> None:
        async with app.run_test(headless=True, size=(100, 32)) as pilot:
            await pilot.pause()
            for _ in range(int(steps)):
                before = time.process_time()
                await pilot.press("1")
                await pilot.pause()
                samples.append(time.process_time() - before)

    asyncio.run(play())
    return {"cpu_ms": [s * 1000 for s in samples], **memory()}


def probe_ui_start(story: str) -> Result:
    """`candid` from process start to its first interactive screen (the title menu), headless."""
    import game.cli  # noqa: F401 - the command line's imports are part of what a player waits for

    try:
        from game.ui import make_app
    except ImportError:
        return {"missing": "game.ui.make_app"}

    app = make_app(_story_for_ui(story), home=Path(os.environ["CANDID_HOME"]))
    shown: list[str] = []

    async def leave(pilot: Any) -> None:
        await pilot.pause()  # until the menu is filled in and the app waits for a key
        shown.append(type(pilot.app.screen).__name__)
        pilot.app.exit()

    app.run(headless=True, size=(100, 32), auto_pilot=leave)
    return {"screen": shown[0] if shown else "", **memory()}


def probe_ui_step(story: str, steps: str) -> Result:
    """CPU time per scene change, inside the app: press a choice key, wait until the app is idle.

    Each step takes the first open choice that does not end the game (when there is one), so that
    a long story gives as many steps as asked for."""
    try:
        from game.ui import make_app
        from game.ui.screens import PlayScreen
        from game.ui.widgets import ChoiceList
    except ImportError:
        return {"missing": "game.ui.make_app"}
    import asyncio

    loaded = _story_for_ui(story)
    app = make_app(loaded, role=next(iter(loaded.meta.roles)), home=Path(os.environ["CANDID_HOME"]))
    samples: list[float] = []

    def onward(scene_id: str, shown: list[Any]) -> int:
        """The number of the first choice shown whose destination is not an ending (else 1)."""
        scene = loaded.scenes[scene_id]
        for number, choice in enumerate(shown, 1):
            found = scene.choice(choice.id)
            goto = found.goto if found is not None else None
            if goto is not None and loaded.scenes[goto].ending is None:
                return number
        return 1

    async def play() -> None:
        async with app.run_test(headless=True, size=(100, 32)) as pilot:
            await pilot.press("1")  # New game (the role is given)
            await pilot.pause()
            for _ in range(int(steps)):
                screen = app.screen
                if not isinstance(screen, PlayScreen) or screen.session.ending is not None:
                    break
                before_scene = screen.session.scene_id
                number = onward(before_scene, list(screen.query_one(ChoiceList).available))
                before = time.process_time()
                await pilot.press(str(number))
                await pilot.pause()
                spent = time.process_time() - before
                if screen.session.scene_id != before_scene:
                    samples.append(spent)

    asyncio.run(play())
    if not samples:
        return {"missing": "no scene change happened"}
    return {"cpu_ms": [s * 1000 for s in samples], **memory()}


PROBES: dict[str, Callable[..., Result]] = {
    "load": probe_load,
    "check": probe_check,
    "yaml": probe_yaml,
    "randomtest": probe_randomtest,
    "dictwalk": probe_dictwalk,
    "ui-bare": probe_ui_bare,
    "ui-start": probe_ui_start,
    "ui-bare-step": probe_ui_bare_step,
    "ui-step": probe_ui_step,
}


def main(argv: list[str]) -> int:
    kind, *args = argv
    print(json.dumps(PROBES[kind](*args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
