"""The author's commands of `candid`: check, graph, randomtest, schema, translate, init, new.

`game/cli.py` builds the parser and plays; these only print what the engine reports.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .engine.safetext import visible

if TYPE_CHECKING:
    from .engine.compiler import Story


def _load(story: str | None) -> Story:
    from .engine.compiler import load_story

    return load_story(story)


def cmd_check(args: argparse.Namespace) -> int:
    from .engine.checkcache import check_with_cache
    from .engine.storyfiles import resolve_story

    report = check_with_cache(args.story, exhaustive=not args.quick, max_states=args.max_states)
    folder = resolve_story(args.story)
    audits = []
    # Only a translated story pays for importing the translation audit (and pydantic with it).
    if not report.errors and (folder / "translations").is_dir():
        from .engine.localize import check_translations

        audits = check_translations(folder)
    for audit in audits:
        report.diagnostics += audit.diagnostics
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for diag in report.diagnostics:
            print(visible(str(diag)))
        if report.stats:
            s = report.stats
            search = ""
            if "states" in s:
                search = f"; {s['states']:,} states searched" + ("" if s["exhaustive"] else " (then sampled)")
            print(
                f"{s['scenes']} scenes, {s['choices']} choices, {s['endings']} endings, {s['words']} words, "
                f"{s['historical_scenes']} historical scenes, {s['sources']} sources: "
                f"{len(report.errors)} errors, {len(report.warnings)} warnings{search}"
            )
            for audit in audits:
                print(
                    f"{audit.lang}: {audit.translated} of {audit.total} strings translated, "
                    f"{len(audit.missing)} missing, {len(audit.stale)} stale"
                )
        else:
            print(f"{len(report.errors)} errors", file=sys.stderr)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    return 1 if failed else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .engine.graph import render as render_graph

    print(render_graph(_load(args.story), args.format, args.role), end="")
    return 0


def cmd_randomtest(args: argparse.Namespace) -> int:
    from .engine.randomtest import run_randomtest

    story = _load(args.story)
    roles = [args.role] if args.role else None
    result = run_randomtest(story, args.runs, seed=args.seed, roles=roles, avoid_used=args.avoid_used, max_steps=args.max_steps)
    print(json.dumps(result.as_dict(), indent=2) if args.format == "json" else result.text())
    return 1 if result.errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .engine.scaffold import reference_markdown, scene_schema, schema_text, story_schema, write_docs

    if args.write:
        for path in write_docs(Path(args.write)):
            print(visible(f"wrote {path}"))
    elif args.markdown:
        print(reference_markdown(), end="")
    else:
        print(schema_text(story_schema() if args.story_file else scene_schema()), end="")
    return 0


def cmd_translate(args: argparse.Namespace) -> int:
    from .engine.storyfiles import display_name, resolve_story
    from .engine.translate import write_translation

    written = write_translation(resolve_story(args.story), args.lang, missing=args.missing)
    for item in written:
        print(f"{'wrote' if item.created else 'added to'} {display_name(item.path)}: {item.entries} entries")
    if not written:
        print(f"nothing to add: every string has an entry in {args.lang}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .engine.starter import init_story

    written = init_story(Path(args.folder))
    for path in written:
        print(f"wrote {path}")
    folder = shlex.quote(args.folder)
    print(f"next: `candid play {folder}` to try it, `candid new SCENE_ID --story {folder}` to add a scene, `candid check {folder}`.")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .engine.scaffold import new_scene

    path = new_scene(args.scene_id, args.story, role=args.role, ending=args.ending, folder=args.folder)
    print(visible(f"wrote {path}"))
    print(f"next: add a choice with `goto: {args.scene_id}` to a scene that should lead here, then run `candid check`.")
    return 0
