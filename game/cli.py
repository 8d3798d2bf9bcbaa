"""The `candid` command line. Each command is a small function; engine work stays in the engine.

Textual is imported only by the commands that open the UI, so `check` and friends start fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable, Sequence

from .engine import CandidError, Session, StoryError, check_story, load_story
from .engine.conditions import Value

Handler = Callable[[argparse.Namespace], int]


def _story_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", nargs="?", help="story folder (default: the built-in story)")


def _role_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", help="role to play (e.g. board, staff)")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
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
    check.set_defaults(handler=cmd_check)

    schema = sub.add_parser("schema", help="print the JSON Schema of scene files (or the story file)")
    schema.add_argument("--story-file", action="store_true", help="the schema of story.yaml instead")
    schema.set_defaults(handler=cmd_schema)
    return parser, set(sub.choices)


def parse_overrides(story_types: dict[str, type], items: Sequence[str]) -> dict[str, Value]:
    """`--set VAR=VALUE` pairs, typed by the story's declarations."""
    result: dict[str, Value] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in story_types or name == "role":
            raise CandidError(f"--set {item!r}: expected VAR=VALUE with a declared variable")
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


def cmd_play(args: argparse.Namespace) -> int:
    story = load_story(args.story)
    overrides = parse_overrides(story.var_types, args.overrides)
    if args.role and args.role not in story.meta.roles:
        raise CandidError(f"no role {args.role!r}; roles are: {', '.join(story.meta.roles)}")
    if args.plain:
        from .engine import SaveStore
        from .plain import run_plain

        session = Session.new(story, args.role, start=args.start, overrides=overrides)
        return run_plain(story, session, sys.stdin, sys.stdout, SaveStore(story))
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
    from .engine import data_home
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
    report = check_story(args.story)
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for diag in report.diagnostics:
            print(diag)
        if report.story is not None:
            s = report.stats
            print(
                f"{s['scenes']} scenes, {s['choices']} choices, {s['endings']} endings, {s['words']} words, "
                f"{s['historical_scenes']} historical scenes, {s['sources']} sources: "
                f"{len(report.errors)} errors, {len(report.warnings)} warnings"
            )
        else:
            print(f"{len(report.errors)} errors", file=sys.stderr)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .engine.models import SceneFile, StoryFile

    model = StoryFile if args.story_file else SceneFile
    print(json.dumps(model.model_json_schema(by_alias=True), indent=2))
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
