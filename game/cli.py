"""The `candid` command line. Each command is a small function; engine work stays in the engine.

Textual is imported only by the commands that open the UI, so `check` and friends start fast.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .engine.conditions import Value
from .engine.errors import CandidError, StoryError
from .engine.randomtest import DEFAULT_MAX_STEPS, DEFAULT_RUNS

if TYPE_CHECKING:
    from .engine.compiler import Story

Handler = Callable[[argparse.Namespace], int]


def _story_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", nargs="?", help="story folder (default: the built-in story)")


def _role_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", help="role to play (e.g. board, staff)")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser and the names of its commands (a bare story argument means `play`)."""
    parser = argparse.ArgumentParser(prog="candid", description="Not Consistently Candid: play, replay and author the story.")
    sub = parser.add_subparsers(dest="command")

    play = sub.add_parser("play", help="play a story (the default command)")
    _story_arg(play)
    _role_arg(play)
    play.add_argument("--from", dest="start", metavar="SCENE", help="start at this scene (author warp)")
    play.add_argument("--set", dest="overrides", action="append", default=[], metavar="VAR=VALUE", help="set a variable at the start")
    play.add_argument("--seed", type=int, help="seed recorded with the play-through (for reproducible runs)")
    play.add_argument("--plain", action="store_true", help="line-oriented mode: text on stdout, choices from stdin")
    play.add_argument("--watch", action="store_true", help="reload scene files when they change (authors)")
    play.add_argument("--transcript", metavar="FILE", help="with --plain: write a Markdown transcript here at the end")
    play.set_defaults(handler=cmd_play)

    replay = sub.add_parser("replay", help="walk the historical path; branch off at any decision")
    _story_arg(replay)
    _role_arg(replay)
    replay.add_argument("--plain", action="store_true", help="print the whole historical path and exit")
    replay.set_defaults(handler=cmd_replay)

    serve = sub.add_parser("serve", help="play in a web browser (needs the web extra)")
    _story_arg(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.set_defaults(handler=cmd_serve)

    check = sub.add_parser("check", help="validate and lint a story")
    _story_arg(check)
    check.add_argument("--strict", action="store_true", help="warnings count as errors")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--quick", action="store_true", help="skip the exhaustive coverage search (never-taken, never-reached, stuck)")
    check.add_argument(
        "--max-states",
        type=_positive,
        metavar="N",
        help="states the exhaustive search may visit before it samples instead (default 200,000)",
    )
    check.set_defaults(handler=cmd_check)

    graph = sub.add_parser("graph", help="print the scene graph (Mermaid or Graphviz DOT)")
    _story_arg(graph)
    graph.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    graph.add_argument("--role", help="only the scenes reachable from this role's start")
    graph.set_defaults(handler=cmd_graph)

    rt = sub.add_parser("randomtest", help="seeded random play-throughs: coverage and errors")
    _story_arg(rt)
    rt.add_argument("-n", "--runs", type=int, default=DEFAULT_RUNS, help=f"number of play-throughs (default {DEFAULT_RUNS})")
    rt.add_argument("--seed", type=int, help="seed for the random choices (default: a fresh one, printed)")
    rt.add_argument("--role", help="play only this role (default: all roles in turn)")
    rt.add_argument("--avoid-used", action="store_true", help="prefer choices not taken yet (better coverage)")
    rt.add_argument(
        "--max-steps",
        type=int,
        default=DEFAULT_MAX_STEPS,
        help=f"steps before a play-through counts as a loop (default {DEFAULT_MAX_STEPS})",
    )
    rt.add_argument("--format", choices=["text", "json"], default="text")
    rt.set_defaults(handler=cmd_randomtest)

    schema = sub.add_parser("schema", help="print the JSON Schema of scene files (or the story file)")
    what = schema.add_mutually_exclusive_group()
    what.add_argument("--story-file", action="store_true", help="the schema of story.yaml instead")
    what.add_argument("--markdown", action="store_true", help="the field reference of both files, as Markdown")
    what.add_argument("--write", metavar="DIR", help="write scene.schema.json and story.schema.json (and AUTHORING.md's reference) in DIR")
    schema.set_defaults(handler=cmd_schema)

    init = sub.add_parser("init", help="start a new story in a folder: a first scene, an ending, the schemas")
    init.add_argument("folder", metavar="DIR", nargs="?", default=".", help="where to write it (default: this folder; created if missing)")
    init.set_defaults(handler=cmd_init)

    new = sub.add_parser("new", help="scaffold a scene file that passes `check`")
    new.add_argument("scene_id", metavar="SCENE_ID", help="id of the new scene (lower case, digits, _)")
    new.add_argument("--story", help="story folder (default: the built-in story)")
    new.add_argument("--role", help="the role the scene belongs to (default: the story's first)")
    new.add_argument("--ending", action="store_true", help="make it an ending instead of a scene with a choice")
    new.add_argument("--dir", dest="folder", metavar="DIR", help="sub-folder of the story to write it in (default: the story folder)")
    new.set_defaults(handler=cmd_new)
    return parser, set(sub.choices)


def load_story(story: str | None) -> Story:
    """The story named on the command line, loaded only by the commands that need it."""
    from .engine.compiler import load_story as load

    return load(story)


def parse_overrides(story_types: dict[str, type], items: Sequence[str]) -> dict[str, Value]:
    """`--set VAR=VALUE` pairs, typed by the story's declarations."""
    result: dict[str, Value] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep:
            raise CandidError(f"--set {item!r}: expected VAR=VALUE")
        if name not in story_types:
            known = list(story_types)
            listed = ", ".join(known) if known else "(none)"
            raise CandidError(f"--set {item!r}: no variable {name!r}{_near(name, known)}; variables are: {listed}")
        kind = story_types[name]
        if kind is bool:
            if raw.lower() not in ("true", "false"):
                raise CandidError(f"--set {name}: expected true or false")
            result[name] = raw.lower() == "true"
        elif kind is int:
            try:
                result[name] = int(raw)
            except ValueError:
                raise CandidError(f"--set {name}: expected a whole number") from None
        else:
            result[name] = raw
    return result


def _near(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def cmd_play(args: argparse.Namespace) -> int:
    story = load_story(args.story)
    overrides = parse_overrides(story.var_types, args.overrides)
    if args.start is not None and args.start not in story.scenes:
        raise CandidError(f"--from {args.start!r}: no such scene{_near(args.start, list(story.scenes))}")
    if args.role and args.role not in story.meta.roles:
        raise CandidError(f"no role {args.role!r}; roles are: {', '.join(story.meta.roles)}")
    if args.plain:
        from .engine.play import started
        from .engine.saves import SaveStore
        from .plain import run_plain

        session = started(story, args.role, start=args.start, overrides=overrides)
        transcript_to = Path(args.transcript) if args.transcript else None
        return run_plain(story, session, sys.stdin, sys.stdout, SaveStore(story), transcript_to)
    if args.transcript:
        raise CandidError("--transcript goes with --plain (in the full-screen game, export from the ending screen)")
    from .ui import run_app

    return run_app(story, role=args.role, start=args.start, overrides=overrides, watch=args.watch)


def cmd_replay(args: argparse.Namespace) -> int:
    story = load_story(args.story)
    if args.role and args.role not in story.meta.roles:
        raise CandidError(f"no role {args.role!r}; roles are: {', '.join(story.meta.roles)}")
    if args.plain:
        from .plain import run_replay_plain

        return run_replay_plain(story, [args.role] if args.role else list(story.meta.roles), sys.stdout)
    from .ui import run_replay

    return run_replay(story, role=args.role)


def cmd_serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("textual_serve") is None:
        raise CandidError("candid serve needs the web extra: pip install 'not-consistently-candid[web]' (in a checkout: '.[web]')")
    from .engine.saves import data_home
    from .web import banner, check_address, serve

    # Load once here so a broken story is reported now, not in every visitor's browser.
    story = load_story(args.story)
    folder = story.folder if args.story else None
    home = data_home() / "web"
    try:
        check_address(args.host, args.port)
        for line in banner(story.meta.title, args.host, args.port, home):
            print(line, flush=True)
        serve(folder, title=story.meta.title, host=args.host, port=args.port, home=home)
    except OSError as exc:
        raise CandidError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .engine.checkcache import check_with_cache

    report = check_with_cache(args.story, exhaustive=not args.quick, max_states=args.max_states)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for diag in report.diagnostics:
            print(diag)
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
        else:
            print(f"{len(report.errors)} errors", file=sys.stderr)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    return 1 if failed else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from .engine.graph import render as render_graph

    print(render_graph(load_story(args.story), args.format, args.role), end="")
    return 0


def cmd_randomtest(args: argparse.Namespace) -> int:
    from .engine.randomtest import run_randomtest

    story = load_story(args.story)
    roles = [args.role] if args.role else None
    result = run_randomtest(story, args.runs, seed=args.seed, roles=roles, avoid_used=args.avoid_used, max_steps=args.max_steps)
    print(json.dumps(result.as_dict(), indent=2) if args.format == "json" else result.text())
    return 1 if result.errors else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .engine.scaffold import reference_markdown, scene_schema, schema_text, story_schema, write_docs

    if args.write:
        for path in write_docs(Path(args.write)):
            print(f"wrote {path}")
    elif args.markdown:
        print(reference_markdown(), end="")
    else:
        print(schema_text(story_schema() if args.story_file else scene_schema()), end="")
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
    print(f"wrote {path}")
    print(f"next: add a choice with `goto: {args.scene_id}` to a scene that should lead here, then run `candid check`.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
    if not argv or (argv[0] not in commands and argv[0] not in ("-h", "--help")):
        argv = ["play", *argv]
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except StoryError as exc:
        for diag in exc.diagnostics:
            print(diag, file=sys.stderr)
        return 1
    except CandidError as exc:
        print(f"candid: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
