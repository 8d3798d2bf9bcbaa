"""The `candid` command line. Each command is a small function; engine work stays in the engine.

Textual is imported only by the commands that open the UI, so `check` and friends start fast.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .authorcli import cmd_check, cmd_graph, cmd_init, cmd_new, cmd_randomtest, cmd_schema, cmd_translate
from .engine.defaults import DEFAULT_MAX_STEPS, DEFAULT_RUNS
from .engine.errors import CandidError, StoryError
from .engine.i18n import _
from .engine.safetext import visible, visible_name

if TYPE_CHECKING:
    from .engine.compiler import Story
    from .engine.conditions import Value

Handler = Callable[[argparse.Namespace], int]
# As in game/web/games.py, which needs the web extra to import.
MAX_PLAYERS_DEFAULT, IDLE_MINUTES_DEFAULT = 20, 30.0


def _story_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", nargs="?", help="story folder (default: the built-in story)")


def _role_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", help="role to play (e.g. board, staff)")


def _lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", metavar="LANG", help="language to play in, e.g. de (default: the environment's, when the story has it)")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not 0 < value < 10**6:
            raise argparse.ArgumentTypeError(f"{text!r}: give a number above 0")
        return value

    return parse


def _whole_number(text: str) -> int:
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
    _lang_arg(play)
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
    _lang_arg(replay)
    replay.add_argument("--plain", action="store_true", help="print the whole historical path and exit")
    replay.set_defaults(handler=cmd_replay)

    serve = sub.add_parser("serve", help="play in a web browser (needs the web extra)")
    _story_arg(serve)
    _lang_arg(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--max-players",
        type=_positive(int),
        default=20,
        metavar="N",
        help="games at once; more visitors get a 'server full' page (default: 20)",
    )
    serve.add_argument(
        "--idle-minutes",
        type=_positive(float),
        default=30.0,
        metavar="M",
        help="close a game idle this long; it is autosaved (default: 30)",
    )
    serve.set_defaults(handler=cmd_serve)

    check = sub.add_parser("check", help="validate and lint a story")
    _story_arg(check)
    check.add_argument("--strict", action="store_true", help="warnings (missing and stale translations among them) count as errors")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--quick", action="store_true", help="skip the exhaustive coverage search (never-taken, never-reached, stuck)")
    check.add_argument(
        "--max-states",
        type=_whole_number,
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

    tr = sub.add_parser("translate", help="write the translation files of a new language, or the entries still missing")
    _story_arg(tr)
    tr.add_argument("--lang", required=True, metavar="LANG", help="language code of the translation, e.g. de")
    tr.add_argument("--missing", action="store_true", help="add only the entries the language's files lack (never touches translated ones)")
    tr.set_defaults(handler=cmd_translate)

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


def pick_language(story: str | None, asked: str | None, saved: str | None = None) -> str:
    """The language to play in, made the interface's: `--lang`, else the saved setting, else the
    environment's when the story is translated into it; English otherwise."""
    from .engine.i18n import SOURCE, candidates, from_environment, interface_languages, set_language
    from .engine.localize import languages
    from .engine.storyfiles import resolve_story

    story_langs = languages(resolve_story(story))
    known = sorted({SOURCE, *story_langs, *interface_languages()})
    lang = None
    for wanted in (asked, saved):
        if wanted:
            lang = next((form for form in candidates(wanted) if form in known), None)
            if lang is None and wanted is asked:
                raise CandidError(_("--lang {lang}: no such translation; languages: {known}").format(lang=asked, known=", ".join(known)))
            if lang is not None:
                break
    return set_language(lang or from_environment([SOURCE, *story_langs]) or SOURCE)


def load_in(story: str | None, lang: str) -> Story:
    """The story in `lang`; strings not (or no longer) translated are shown in English, and said so."""
    from .engine.localize import load_localized

    loaded, audit = load_localized(story, lang)
    if audit is not None and audit.fallbacks:
        note = _("candid: {count} of {total} story texts are not translated into {lang} yet and show in English (candid check lists them)")
        print(note.format(count=audit.fallbacks, total=audit.total, lang=lang), file=sys.stderr)
    return loaded


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
            result[name] = visible_name(raw)
    return result


def _near(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _saved_language() -> str | None:
    from .ui.settings import Settings, config_home

    return Settings.load(config_home()).language or None


def cmd_play(args: argparse.Namespace) -> int:
    lang = pick_language(args.story, args.lang, None if args.plain else _saved_language())
    story = load_in(args.story, lang)
    overrides = parse_overrides(story.var_types, args.overrides)
    if args.start is not None and args.start not in story.scenes:
        raise CandidError(f"--from {args.start!r}: no such scene{_near(args.start, list(story.scenes))}")
    if args.role and args.role not in story.meta.roles:
        raise CandidError(_("no role {role!r}; roles are: {roles}").format(role=args.role, roles=", ".join(story.meta.roles)))
    if args.plain:
        from .engine.play import started
        from .engine.saves import SaveStore
        from .plain import run_plain

        session = started(story, args.role, start=args.start, overrides=overrides)
        transcript_to = Path(args.transcript) if args.transcript else None
        if transcript_to is not None:
            _check_transcript(transcript_to)
        return run_plain(story, session, sys.stdin, sys.stdout, SaveStore(story), transcript_to)
    if args.transcript:
        raise CandidError(_("--transcript goes with --plain (in the full-screen game, export from the ending screen)"))
    from .ui import run_app

    return run_app(story, role=args.role, start=args.start, overrides=overrides, watch=args.watch, lang=lang)


def _check_transcript(path: Path) -> None:
    """Refuse, before play, a transcript path the game could not write as a plain file."""
    from .engine.files import check_regular

    try:
        check_regular(path)
    except OSError as exc:
        raise CandidError(f"--transcript {str(path)!r}: {exc.strerror}") from None
    if path.is_dir() or not path.parent.is_dir():
        raise CandidError(f"--transcript {str(path)!r}: give a file name in an existing folder")


def cmd_replay(args: argparse.Namespace) -> int:
    lang = pick_language(args.story, args.lang, None if args.plain else _saved_language())
    story = load_in(args.story, lang)
    if args.role and args.role not in story.meta.roles:
        raise CandidError(_("no role {role!r}; roles are: {roles}").format(role=args.role, roles=", ".join(story.meta.roles)))
    if args.plain:
        from .plain import run_replay_plain

        return run_replay_plain(story, [args.role] if args.role else list(story.meta.roles), sys.stdout)
    from .ui import run_replay

    return run_replay(story, role=args.role, lang=lang)


def cmd_serve(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("textual_serve") is None:
        raise CandidError("candid serve needs the web extra: pip install 'not-consistently-candid[web]' (in a checkout: '.[web]')")
    from .engine.saves import data_home
    from .web import banner, check_address, serve

    # Load once here so a broken story is reported now, not in every visitor's browser.
    lang = pick_language(args.story, args.lang) if args.lang else None
    story = load_in(args.story, lang) if lang else load_story(args.story)
    folder = story.folder if args.story else None
    home = data_home() / "web"
    try:
        check_address(args.host, args.port)
        for line in banner(story.meta.title, args.host, args.port, home, args.max_players, args.idle_minutes):
            print(visible(line), flush=True)
        serve(
            folder,
            title=story.meta.title,
            host=args.host,
            port=args.port,
            home=home,
            lang=lang,
            max_players=args.max_players,
            idle_minutes=args.idle_minutes,
        )
    except OSError as exc:
        raise CandidError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
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
            print(visible(str(diag)), file=sys.stderr)
        return 1
    except CandidError as exc:
        print(visible(f"candid: {exc.message}"), file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
