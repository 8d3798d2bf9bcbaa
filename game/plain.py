"""Plain mode: the game as lines of text on stdout, choices read from stdin.

For screen readers, pipes and scripts. Moves go through the engine's game controller (the same
autosave and endings as the full-screen game) and everything shown comes from the presentation
model, rendered here as plain lines.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import IO

from .engine import CandidError, SaveError
from .engine.compiler import Story
from .engine.play import Game, Keeper
from .engine.present import (
    BEAT_BREAK,
    STRAIGHT,
    act_heading,
    beats,
    changes_line,
    citation,
    departure,
    divergence_summary,
    heading,
    meter,
    no_departure,
    shown_choices,
)
from .engine.replay import walk_history
from .engine.saves import Profile, SaveStore, atomic_write
from .engine.session import Session
from .engine.textlang import blocks, plain
from .engine.transcript import transcript

HELP = "Type a choice number; u to undo; w for what really happened; s NAME to save; l NAME to load; h for help; q to quit."


class PlainGame:
    def __init__(self, game: Game, out: IO[str], width: int = 78) -> None:
        self.game = game
        self.out = out
        self.width = width
        self.last_act: int | None = None

    @property
    def session(self) -> Session:
        return self.game.session

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def para(self, text: str, prefix: str = "") -> None:
        for block in text.strip().split("\n\n"):
            line = " ".join(block.split())
            self.say(textwrap.fill(prefix + line, self.width) if self.width else prefix + line)
            self.say()

    def act(self, act: int) -> None:
        if act != self.last_act:
            self.say(f"=== {act_heading(act, self.session.story.meta.acts.get(act))} ===")
            self.say()
            self.last_act = act

    def show(self) -> None:
        s = self.session
        for block in blocks(s.reply):
            self.para(plain(block))
        head = heading(s)
        self.act(head.act)
        self.say(f"## {head.title}")
        meta = " · ".join(p for p in (head.moment, head.label.value if head.label else "") if p)
        if meta:
            self.say(meta)
        self.say()
        for i, beat in enumerate(beats(s.paragraphs())):
            if i:
                self.say(BEAT_BREAK.center(self.width or len(BEAT_BREAK)).rstrip())
                self.say()
            for paragraph in beat:
                self.para(paragraph.text, "(dramatised) " if paragraph.dramatised else "")
        if s.ending:
            self.show_ending()
            return
        for choice in shown_choices(s):
            if choice.number is not None:
                self.say(f"  {choice.number}. {choice.text}")
            else:
                self.say(f"  -  {choice.text} (locked: {choice.locked_reason})")
        self.say()

    def show_ending(self) -> None:
        s = self.session
        assert s.ending is not None
        self.say(f"*** THE END: {s.ending.title} ***")
        self.say()
        self.para(plain(s.epilogue()))
        if s.divergence.possible:
            self.say(divergence_summary(s, STRAIGHT))

    def what_happened(self) -> None:
        gone = departure(self.session)
        if gone is None:
            self.say(f"({no_departure(self.session)})")
            return
        self.say(f"You chose: {gone.chose}")
        self.say(f"History chose: {gone.history_chose or '-'}")
        self.say()
        record = gone.record
        if record is not None and record.summary:
            self.para(f"What really happened: {record.summary}")
        if record is not None and record.sources:
            self.say("Sources:")
            for src in record.sources:
                self.say(f"  - {citation(src, STRAIGHT)}")
            self.say()
        if record is not None and record.note:
            self.para(f"Why it matters: {record.note}")

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
        if cmd in ("w", "what"):
            self.what_happened()
            return True
        if cmd in ("u", "undo"):
            if self.game.undo():
                self.say("(undone)")
                self.show()
            else:
                self.say("(nothing to undo)")
            return True
        if cmd[:2] in ("s ", "l ") or cmd in ("s", "l"):
            return self.save_or_load(cmd[0], cmd[2:].strip() or "quicksave")
        # ASCII only: `str.isdigit` also accepts "²", which int() refuses; long numbers are out of range anyway.
        if cmd.isascii() and cmd.isdigit():
            available = [c for c in shown_choices(s) if c.number is not None]
            index = int(cmd) - 1 if len(cmd) < 10 else -1
            if not 0 <= index < len(available):
                self.say(f"(choose 1 to {len(available)})")
                return True
            self.game.choose(available[index].id)
            self.say(f"> {available[index].text}")
            self.say()
            changed = changes_line(self.session)
            if changed:
                self.say(f"[{changed}; now {meter(self.session)}]")
                self.say()
            self.show()
            return self.session.ending is None
        self.say(f"(unknown command {cmd!r}) {HELP}")
        return True

    def save_or_load(self, what: str, slot: str) -> bool:
        if self.game.keeper.store is None:
            self.say("(saving is off)")
            return True
        try:
            if what == "s":
                self.game.save(slot)
                self.say(f"(saved as {slot!r})")
                return True
            loaded = self.game.load(slot)
        except SaveError as exc:
            self.say(f"(save problem: {exc.message}{'; moved to ' + exc.moved_to if exc.moved_to else ''})")
            return True
        self.say(f"(loaded {slot!r})")
        if loaded.lost:
            self.say(f"(the story has changed since; {len(loaded.lost)} step(s) could not be replayed: {loaded.lost[0]})")
        self.last_act = None
        self.show()
        return self.session.ending is None


def run_plain(
    story: Story,
    session: Session,
    stdin: IO[str],
    out: IO[str],
    store: SaveStore | None,
    transcript_to: Path | None = None,
    profile: Profile | None = None,
) -> int:
    """Play in plain mode. With a `store`, the game autosaves and records endings in `profile`
    (the player's own profile when none is given), as the full-screen game does."""
    if store is not None and profile is None:
        profile = Profile()

    def warn(message: str) -> None:
        out.write(f"({message})\n")

    game = PlainGame(Game(session, Keeper(store, profile, warn)), out)
    game.show()
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


def run_replay_plain(story: Story, roles: list[str], out: IO[str], width: int = 78) -> int:
    """Print each role's historical path, beat by beat, in order; 1 if a path is broken."""
    game = PlainGame(Game(Session.new(story, roles[0]), saving=False), out, width)
    broken = False
    for role in roles:
        walk = walk_history(story, role)
        game.say(f"##### {story.meta.title}: the historical path, as {story.meta.roles[role].name.lower()} #####")
        game.say()
        game.last_act = None
        for beat in walk.beats:
            game.act(beat.act)
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
                    game.say(f"  - {citation(src, STRAIGHT)}")
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
