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
from .engine.i18n import SOURCE, _, language, ngettext
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
    label_text,
    meter,
    no_departure,
    shown_choices,
)
from .engine.replay import walk_history
from .engine.safetext import visible
from .engine.saves import Profile, SaveStore, atomic_write
from .engine.session import Session
from .engine.textlang import blocks, plain
from .engine.transcript import transcript

MAX_ECHO = 60
"""An unknown command is quoted back up to this many characters."""


def help_text() -> str:
    return _("Type a choice number; u to undo; w for what really happened; s NAME to save; l NAME to load; h for help; q to quit.")


def dramatised() -> str:
    """The mark before an invented passage."""
    return _("(dramatised)") + " "


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
        self.out.write(visible(text) + "\n")

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
        meta = " · ".join(p for p in (head.moment, label_text(head.label)) if p)
        if meta:
            self.say(meta)
        self.say()
        for i, beat in enumerate(beats(s.paragraphs())):
            if i:
                self.say(BEAT_BREAK.center(self.width or len(BEAT_BREAK)).rstrip())
                self.say()
            for paragraph in beat:
                self.para(paragraph.text, dramatised() if paragraph.dramatised else "")
        if s.ending:
            self.show_ending()
            return
        for choice in shown_choices(s):
            if choice.number is not None:
                self.say(f"  {choice.number}. {choice.text}")
            else:
                self.say(f"  -  {choice.text} " + _("(locked: {reason})").format(reason=choice.locked_reason))
        self.say()

    def show_ending(self) -> None:
        s = self.session
        assert s.ending is not None
        self.say(_("*** THE END: {title} ***").format(title=s.ending.title))
        self.say()
        self.para(plain(s.epilogue()))
        if s.divergence.possible:
            self.say(divergence_summary(s, STRAIGHT))

    def what_happened(self) -> None:
        gone = departure(self.session)
        if gone is None:
            self.say(f"({no_departure(self.session)})")
            return
        self.say(_("You chose: {choice}").format(choice=gone.chose))
        self.say(_("History chose: {choice}").format(choice=gone.history_chose or "-"))
        self.say()
        record = gone.record
        if record is not None and record.summary:
            self.para(_("What really happened: {summary}").format(summary=record.summary))
        if record is not None and record.sources:
            self.say(_("Sources:"))
            for src in record.sources:
                self.say(f"  - {citation(src, STRAIGHT)}")
            self.say()
        if record is not None and record.note:
            self.para(_("Why it matters: {note}").format(note=record.note))

    def handle(self, line: str) -> bool:
        """Act on one input line; False means the game is over (ending reached or quit)."""
        cmd = line.strip()
        s = self.session
        if not cmd:
            return True
        if cmd in ("q", "quit"):
            return False
        if cmd in ("h", "help", "?"):
            self.say(help_text())
            return True
        if cmd in ("w", "what"):
            self.what_happened()
            return True
        if cmd in ("u", "undo"):
            if self.game.undo():
                self.say(_("(undone)"))
                self.show()
            else:
                self.say(_("(nothing to undo)"))
            return True
        if cmd[:2] in ("s ", "l ") or cmd in ("s", "l"):
            return self.save_or_load(cmd[0], cmd[2:].strip() or "quicksave")
        # ASCII only: `str.isdigit` also accepts "²", which int() refuses; long numbers are out of range anyway.
        if cmd.isascii() and cmd.isdigit():
            available = [c for c in shown_choices(s) if c.number is not None]
            index = int(cmd) - 1 if len(cmd) < 10 else -1
            if not 0 <= index < len(available):
                self.say(_("(choose 1 to {last})").format(last=len(available)))
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
        shown = cmd if len(cmd) <= MAX_ECHO else cmd[:MAX_ECHO] + "…"
        self.say(_("(unknown command {command!r})").format(command=shown) + " " + help_text())
        return True

    def save_or_load(self, what: str, slot: str) -> bool:
        if self.game.keeper.store is None:
            self.say(_("(saving is off)"))
            return True
        try:
            if what == "s":
                self.game.save(slot)
                self.say(_("(saved as {slot!r})").format(slot=slot))
                return True
            loaded = self.game.load(slot)
        except SaveError as exc:
            moved = _("; moved to {place}").format(place=exc.moved_to) if exc.moved_to else ""
            self.say(_("(save problem: {problem}{moved})").format(problem=exc.message, moved=moved))
            return True
        self.say(_("(loaded {slot!r})").format(slot=slot))
        if loaded.lost:
            count = len(loaded.lost)
            lost = ngettext(
                "(the story has changed since; {count} step could not be replayed: {first})",
                "(the story has changed since; {count} steps could not be replayed: {first})",
                count,
            )
            self.say(lost.format(count=count, first=loaded.lost[0]))
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
        out.write(visible(f"({message})") + "\n")

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
        game.say(_("(interrupted; the game is autosaved)"))
    if transcript_to is not None:
        try:
            atomic_write(transcript_to, transcript(game.session).encode("utf-8"))
        except OSError as exc:
            game.say(_("(could not write the transcript to {path}: {problem})").format(path=transcript_to, problem=exc.strerror or exc))
            return 1
        game.say(_("(transcript written to {path})").format(path=transcript_to))
    return 0


def run_replay_plain(story: Story, roles: list[str], out: IO[str], width: int = 78) -> int:
    """Print each role's historical path, beat by beat, in order; 1 if a path is broken."""
    game = PlainGame(Game(Session.new(story, roles[0]), saving=False), out, width)
    broken = False
    for role in roles:
        walk = walk_history(story, role)
        name = story.meta.roles[role].name
        # English runs the role's name into the sentence in lower case; German keeps a noun's capital.
        name = name.lower() if language() == SOURCE else name
        title = _("{title}: the historical path, as {role}").format(title=story.meta.title, role=name)
        game.say(f"##### {title} #####")
        game.say()
        game.last_act = None
        for beat in walk.beats:
            game.act(beat.act)
            game.say(f"## {beat.title}")
            game.say(" · ".join(p for p in (beat.header, label_text(beat.label)) if p))
            game.say()
            for paragraph in beat.paragraphs:
                game.para(paragraph.text, dramatised() if paragraph.dramatised else "")
            if beat.taken is not None:
                game.say(_("History's choice: {choice}").format(choice=beat.taken.text))
                for other in beat.others:
                    closed = "" if other.available else " " + _("(closed at this point)")
                    game.say("  " + _("Not taken: {choice}").format(choice=other.text) + closed)
                if beat.taken.note:
                    game.para(_("Why it matters: {note}").format(note=beat.taken.note))
                else:
                    game.say()
            if beat.history is not None:
                game.para(_("What really happened: {summary}").format(summary=beat.history.summary))
                game.say(_("Sources:"))
                for src in beat.history.sources:
                    game.say(f"  - {citation(src, STRAIGHT)}")
                game.say()
        ending = walk.session.ending
        if ending is not None:
            game.say(_("*** THE END: {title} ***").format(title=ending.title))
            game.say()
            game.para(plain(walk.session.epilogue()))
        for problem in walk.problems:
            broken = True
            game.say(_("(the historical path is broken: {problem})").format(problem=problem))
        game.say()
    return 1 if broken else 0
