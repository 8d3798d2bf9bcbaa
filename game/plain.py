"""Plain mode: the game as lines of text on stdout, choices read from stdin.

For screen readers, pipes and scripts. Every rule comes from the engine's Session.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .engine import AUTOSAVE, CandidError, SaveError, SaveStore, Session, Story, atomic_write, transcript, walk_history
from .engine.models import Source
from .engine.session import Divergence
from .engine.textlang import blocks, plain

HELP = "Type a choice number; u to undo; s NAME to save; l NAME to load; h for help; q to quit."


class PlainGame:
    def __init__(self, session: Session, out: IO[str], store: SaveStore | None, width: int = 78) -> None:
        self.session = session
        self.out = out
        self.store = store
        self.width = width
        self.last_act: int | None = None
        self.on_ending: Callable[[Session], None] | None = None

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def para(self, text: str, prefix: str = "") -> None:
        for block in text.strip().split("\n\n"):
            line = " ".join(block.split())
            self.say(textwrap.fill(prefix + line, self.width) if self.width else prefix + line)
            self.say()

    def show(self) -> None:
        s = self.session
        model = s.scene.model
        for block in blocks(s.reply):
            self.para(plain(block))
        if model.act != self.last_act:
            act_title = s.story.meta.acts.get(model.act)
            self.say(f"=== Act {model.act}{': ' + act_title if act_title else ''} ===")
            self.say()
            self.last_act = model.act
        self.say(f"## {model.title}")
        meta = " · ".join(p for p in (s.header, model.label.value if model.label else "") if p)
        if meta:
            self.say(meta)
        self.say()
        for paragraph in s.paragraphs():
            self.para(paragraph.text, "(dramatised) " if paragraph.dramatised else "")
        if s.ending:
            self.show_ending()
            return
        number = 0
        for choice in s.choices(include_locked=True):
            if choice.available:
                number += 1
                self.say(f"  {number}. {choice.text}")
            elif choice.locked_reason:
                self.say(f"  -  {choice.text} (locked: {choice.locked_reason})")
        self.say()

    def show_ending(self) -> None:
        s = self.session
        assert s.ending is not None
        self.say(f"*** THE END: {s.ending.title} ***")
        self.say()
        self.para(plain(s.epilogue()))
        if s.divergence.possible:
            self.say(divergence_line(s.divergence, s.on_historical_path))
        if self.on_ending:
            self.on_ending(s)

    def autosave(self) -> None:
        if self.store is None:
            return
        try:
            self.store.save(self.session, AUTOSAVE)
        except (OSError, SaveError) as exc:
            self.say(f"(autosave failed: {exc})")

    def handle(self, line: str) -> bool:
        """Act on one input line; False means the game is over (ending reached or quit)."""
        cmd = line.strip()
        s = self.session
        if not cmd:
            return True
        if cmd in ("q", "quit"):
            return False
        if cmd in ("h", "help", "?"):
            self.say(HELP)
            return True
        if cmd in ("u", "undo"):
            if s.undo():
                self.say("(undone)")
                self.autosave()
                self.show()
            else:
                self.say("(nothing to undo)")
            return True
        if cmd[:2] in ("s ", "l ") or cmd in ("s", "l"):
            return self.save_or_load(cmd[0], cmd[2:].strip() or "quicksave")
        # ASCII only: `str.isdigit` also accepts "²", which int() refuses; long numbers are out of range anyway.
        if cmd.isascii() and cmd.isdigit():
            available = [c for c in s.choices() if c.available]
            index = int(cmd) - 1 if len(cmd) < 10 else -1
            if not 0 <= index < len(available):
                self.say(f"(choose 1 to {len(available)})")
                return True
            s.choose(available[index].id)
            self.say(f"> {available[index].text}")
            self.say()
            self.autosave()
            self.show()
            return s.ending is None
        self.say(f"(unknown command {cmd!r}) {HELP}")
        return True

    def save_or_load(self, what: str, slot: str) -> bool:
        if self.store is None:
            self.say("(saving is off)")
            return True
        try:
            if what == "s":
                self.store.save(self.session, slot)
                self.say(f"(saved as {slot!r})")
                return True
            loaded = self.store.load(slot)
        except SaveError as exc:
            self.say(f"(save problem: {exc.message}{'; moved to ' + exc.moved_to if exc.moved_to else ''})")
            return True
        self.session = loaded.session
        self.say(f"(loaded {slot!r})")
        if loaded.lost:
            self.say(f"(the story has changed since; {len(loaded.lost)} step(s) could not be replayed: {loaded.lost[0]})")
        self.last_act = None
        self.show()
        return self.session.ending is None


def divergence_line(div: Divergence, on_path: bool) -> str:
    if on_path:
        return "You followed history at every decision."
    first = div.first
    where = f" First departure: {first.scene_id} ({first.choice_text!r})." if first else ""
    return f"Divergence from history: {div.score} of {div.possible} ({div.percent}%).{where}"


def run_plain(
    story: Story, session: Session, stdin: IO[str], out: IO[str], store: SaveStore | None, transcript_to: Path | None = None
) -> int:
    game = PlainGame(session, out, store)
    game.show()
    # No autosave yet: that would overwrite the last play-through's autosave before `l autosave` could resume it.
    try:
        for line in [] if session.ending else stdin:
            try:
                if not game.handle(line):
                    break
            except CandidError as exc:
                game.say(f"({exc.message})")
    except KeyboardInterrupt:
        game.say("(interrupted; the game is autosaved)")
    if transcript_to is not None:
        try:
            atomic_write(transcript_to, transcript(game.session).encode("utf-8"))
        except OSError as exc:
            game.say(f"(could not write the transcript to {transcript_to}: {exc.strerror or exc})")
            return 1
        game.say(f"(transcript written to {transcript_to})")
    return 0


def format_source(src: Source) -> str:
    text = f'{src.outlet}, "{src.title}", {src.date}'
    return f"{text}, {src.url}" if src.url else text


def run_replay_plain(story: Story, roles: list[str], out: IO[str], width: int = 78) -> int:
    """Print each role's historical path, beat by beat, in order; 1 if a path is broken."""
    game = PlainGame(Session.new(story, roles[0]), out, None, width)
    broken = False
    for role in roles:
        walk = walk_history(story, role)
        game.say(f"##### {story.meta.title}: the historical path, as {story.meta.roles[role].name.lower()} #####")
        game.say()
        game.last_act = None
        for beat in walk.beats:
            if beat.act != game.last_act:
                act_title = story.meta.acts.get(beat.act)
                game.say(f"=== Act {beat.act}{': ' + act_title if act_title else ''} ===")
                game.say()
                game.last_act = beat.act
            game.say(f"## {beat.title}")
            game.say(" · ".join(p for p in (beat.header, beat.label.value if beat.label else "") if p))
            game.say()
            for paragraph in beat.paragraphs:
                game.para(paragraph.text, "(dramatised) " if paragraph.dramatised else "")
            if beat.taken is not None:
                game.say(f"History's choice: {beat.taken.text}")
                for other in beat.others:
                    closed = "" if other.available else " (closed at this point)"
                    game.say(f"  Not taken: {other.text}{closed}")
                if beat.taken.note:
                    game.para(f"Why it matters: {beat.taken.note}")
                else:
                    game.say()
            if beat.history is not None:
                game.para(f"What really happened: {beat.history.summary}")
                game.say("Sources:")
                for src in beat.history.sources:
                    game.say(f"  - {format_source(src)}")
                game.say()
        ending = walk.session.ending
        if ending is not None:
            game.say(f"*** THE END: {ending.title} ***")
            game.say()
            game.para(plain(walk.session.epilogue()))
        for problem in walk.problems:
            broken = True
            game.say(f"(the historical path is broken: {problem})")
        game.say()
    return 1 if broken else 0
