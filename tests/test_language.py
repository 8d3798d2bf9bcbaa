"""The story language's constructs, each a rule of the kernel: through the kernel, a Session, plain
mode, saves, undo, randomtest and the exhaustive search."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from authoring_support import CLOCKWORK, write_story

from game.engine import ChoiceError, StoryError, rules
from game.engine.checks import check_story
from game.engine.compiler import load_story
from game.engine.explore import explore_states
from game.engine.play import Game
from game.engine.randomtest import FastStory, run_randomtest, walk
from game.engine.saves import SaveStore
from game.engine.session import Session
from game.engine.textlang import Run
from game.engine.transcript import transcript
from game.plain import PlainGame

STORY = """\
story:
  id: lang
  title: Lang
  version: "1.0"
  roles:
    a: {name: A, description: Role a, start: hub}
  variables:
    n: {type: int, default: 0, min: 0, max: 9}
    die: {type: int, default: 1, min: 1, max: 6}
    mood: {type: enum, values: [calm, cross], default: calm}
    met: {type: bool, default: false}
"""

SCENES = """\
scenes:
  - id: hub
    act: 1
    title: Hub
    roles: [a]
    effects:
      - add: {n: 1}
      - if: "n >= 3"
        set: {mood: cross}
    text: "Visit {visited('hub')}, n is {n}, mood {mood}."
    choices:
      - id: ask
        text: "Ask{if taken('hub.ask') > 0} again{end}"
        once: true
        goto: hub
        reply: "You asked, and n was {n}."
      - id: talk
        text: Talk to the friend
        call: friend
        goto: hub
      - id: dice
        text: Throw the die
        goto: thrown
        effects: [{roll: {die: [1, 6]}}, {if: "die == 6", set: {met: true}}]
      - id: wait
        text: Wait
        fallback: true
        goto: end
  - id: friend
    act: 1
    title: Friend
    roles: [a]
    text: "The friend nods."
    choices:
      - id: deeper
        text: Go deeper
        call: friend_two
        goto: friend
        if: "not met"
      - id: back
        text: Go back
        return: true
        effects: {set: {met: true}}
        reply: "The friend waves."
  - id: friend_two
    act: 1
    title: Deeper
    roles: [a]
    text: "Deeper still."
    choices:
      - id: up
        text: Up
        return: true
  - id: thrown
    act: 1
    title: Thrown
    roles: [a]
    text: "The die shows {die}."
    choices:
      - id: six
        text: Claim the prize
        if: "die == 6 and met"
        goto: end
      - id: home
        text: Go home
        goto: end
  - id: end
    act: 1
    title: End
    roles: [a]
    text: "Done."
    ending: {title: End, epilogue: "n ended at {n}."}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_story(tmp_path / "lang", STORY, SCENES)


def available(session: Session) -> list[str]:
    return [c.id for c in session.choices() if c.available]


def test_effects_on_entering_apply_at_the_start_and_on_each_arrival(folder: Path) -> None:
    session = Session.new(load_story(folder))
    assert session.vars["n"] == 1 and session.vars["mood"] == "calm"
    session.choose("ask")
    assert session.vars["n"] == 2
    session.choose("talk")
    session.choose("back")
    # The conditional block sees the add before it: n reached 3 on this arrival.
    assert (session.vars["n"], session.vars["mood"]) == (3, "cross")


def test_once_only_choices_disappear_and_fallbacks_open_when_nothing_else_is(folder: Path) -> None:
    session = Session.new(load_story(folder))
    assert available(session) == ["ask", "talk", "dice"]
    session.choose("ask")
    assert available(session) == ["talk", "dice"]
    assert "ask" not in [c.id for c in session.choices(include_locked=True)]
    with pytest.raises(ChoiceError):
        session.choose("ask")
    with pytest.raises(ChoiceError):
        session.choose("wait")  # a fallback, while other choices are open


def test_fallback_is_offered_when_every_other_choice_is_closed(tmp_path: Path) -> None:
    scenes = SCENES.replace("        text: Talk to the friend\n", "        text: Talk to the friend\n        once: true\n")
    scenes = scenes.replace("        text: Throw the die\n", '        text: Throw the die\n        if: "n > 5"\n')
    session = Session.new(load_story(write_story(tmp_path / "fb", STORY, scenes)))
    session.choose("ask")
    session.choose("talk")
    session.choose("back")
    assert available(session) == ["wait"]
    session.choose("wait")
    assert session.scene_id == "end"


def test_replies_render_after_the_move_and_come_back_with_undo(folder: Path) -> None:
    session = Session.new(load_story(folder))
    asked = (Run("You asked, and n was 2."),)
    assert not session.reply
    session.choose("ask")
    assert list(session.reply) == list(asked)
    session.choose("talk")
    assert not session.reply
    session.undo()
    assert list(session.reply) == list(asked)


def test_choice_text_and_counts_read_taken(folder: Path) -> None:
    story = load_story(folder)
    session = Session.new(story)
    assert session.choice_text(story.scenes["hub"].choices[0]) == "Ask"
    session.choose("ask")
    assert session.state.choices["hub.ask"] == 1
    assert session.choice_text(story.scenes["hub"].choices[0]) == "Ask again"


def test_calls_return_to_the_caller_and_nest(folder: Path) -> None:
    session = Session.new(load_story(folder))
    session.choose("talk")
    assert (session.scene_id, session.state.calls) == ("friend", ("hub",))
    session.choose("deeper")
    assert (session.scene_id, session.state.calls) == ("friend_two", ("hub", "friend"))
    session.choose("up")
    assert (session.scene_id, session.state.calls) == ("friend", ("hub",))
    session.choose("back")
    assert (session.scene_id, session.state.calls) == ("hub", ())
    assert session.reply == (Run("The friend waves."),)
    assert session.path == ["hub.talk", "friend.deeper", "friend_two.up", "friend.back"]
    while session.undo():
        pass
    assert (session.scene_id, session.state.calls) == ("hub", ())


def test_a_return_is_closed_with_nothing_to_return_to(folder: Path) -> None:
    session = Session.new(load_story(folder), start="friend_two")
    assert available(session) == []


def test_calls_are_bounded(folder: Path) -> None:
    story = load_story(folder)
    move = story.scenes["hub"].choice("talk")
    assert move is not None
    deep = rules.State("hub", "a", {"n": 0, "die": 1, "mood": "calm", "met": False}, {}, {}, 0, ("hub",) * rules.MAX_CALLS)
    assert not rules.allows(deep, move.move)


def test_draws_come_from_the_seed_and_replay_through_undo_and_saves(folder: Path, candid_home: Path) -> None:
    story = load_story(folder)
    faces = set()
    for seed in range(40):
        session = Session.new(story, seed=seed * 0x9E3779B97F4A7C15 % 2**64)
        session.choose("dice")
        faces.add(session.vars["die"])
        again = Session.new(story, seed=session.seed)
        again.choose("dice")
        assert again.state == session.state
        # Undo takes the stream back with everything else.
        before = session.state
        session.undo()
        session.choose("dice")
        assert session.state == before
        store = SaveStore(story)
        store.save(session, "rolled")
        assert store.load("rolled").session.state == session.state
    assert faces == {1, 2, 3, 4, 5, 6}


def test_fast_walk_draws_like_a_session(folder: Path) -> None:
    story = load_story(folder)
    fast = FastStory(story)
    for seed in range(30):
        result = walk(fast, "a", random.Random(seed))
        rng = random.Random(seed)
        session = Session.new(story, seed=rng.getrandbits(64))
        while session.ending is None:
            options = available(session)
            session.choose(options[int(rng.random() * len(options))])
        assert [fast.keys[k] for k in result.path] == session.path
        assert result.vars == dict(session.vars)


def test_exhaustive_search_tries_every_outcome_of_a_draw(folder: Path, tmp_path: Path) -> None:
    found = explore_states(load_story(folder))
    assert found.exhaustive and "thrown.six" in found.taken
    # Here the talk and the die are always open, so the fallback is never needed.
    assert "hub.wait" not in found.taken
    # A prize that needs a seven can never be claimed: the search says so.
    never = write_story(tmp_path / "never", STORY.replace("max: 6}", "max: 7}"), SCENES.replace("die == 6 and met", "die == 7"))
    codes = {(d.code, d.message.split(" ")[1]) for d in check_story(never).diagnostics}
    assert ("never-taken", "'thrown.six'") in codes


def test_randomtest_reaches_everything(folder: Path) -> None:
    result = run_randomtest(load_story(folder), 300, seed=5, avoid_used=True)
    assert not result.errors and result.untaken == ["hub.wait"] and not result.unreached


def test_plain_mode_and_transcript_show_replies(folder: Path) -> None:
    session = Session.new(load_story(folder))
    out = io.StringIO()
    game = PlainGame(Game(session), out)
    game.show()
    for line in ("1", "1", "2"):
        game.handle(line)
    text = out.getvalue()
    assert "> Ask\n\nYou asked, and n was 2.\n\n## Hub" in text
    assert "The friend waves." in text
    document = transcript(game.session)
    assert "**You chose:** Ask\n\nYou asked, and n was 2." in document


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("call: friend\n", "call: frend\n", "call: no scene 'frend' (did you mean 'friend'?) [unknown-scene]"),
        ("return: true\n        effects", "goto: hub\n        return: true\n        effects", "a choice needs `goto`"),
        ("roll: {die: [1, 6]}", "roll: {die: [0, 6]}", "effects.roll: [0, 6] reaches outside 'die'"),
        ("roll: {die: [1, 6]}", "roll: {mood: [1, 6]}", "effects.roll: 'mood' is str; a roll gives a whole number"),
        ("roll: {die: [1, 6]}", "roll: {die: [6, 1]}", "roll die: 6 is greater than 1"),
        ('if: "die == 6", set', 'if: "die = 6", set', "use == to compare"),
        ("taken('hub.ask') > 0", "taken('hub.asks') > 0", "taken(): no choice 'hub.asks' (did you mean 'hub.ask'?)"),
        ("add: {n: 1}", "add: {m: 1}", "effects.add: unknown variable 'm'"),
    ],
)
def test_construct_mistakes_are_load_errors(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SCENES
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path / "bad", STORY, SCENES.replace(old, new, 1)))
    assert any(expected in str(d) for d in caught.value.diagnostics), caught.value.diagnostics


def test_the_second_example_passes_strict_check_exhaustively() -> None:
    report = check_story(CLOCKWORK)
    assert [str(d) for d in report.diagnostics] == []
    story = load_story(CLOCKWORK)
    assert story.fiction and explore_states(story).exhaustive
    # Every construct is there.
    choices = [c.model for c in story.choices()]
    assert all(any(test(c) for c in choices) for test in (_once, _fallback, _reply, _call, _returns, _conditional_effects))
    assert any(block.rolls for blocks in story.enter.values() for block in blocks)
    assert any(v.values for v in story.meta.variables.values())


def _once(c: object) -> bool:
    return bool(getattr(c, "once", False))


def _fallback(c: object) -> bool:
    return bool(getattr(c, "fallback", False))


def _reply(c: object) -> bool:
    return getattr(c, "reply", None) is not None


def _call(c: object) -> bool:
    return getattr(c, "call", None) is not None


def _returns(c: object) -> bool:
    return bool(getattr(c, "return_", False))


def _conditional_effects(c: object) -> bool:
    effects = getattr(c, "effects", [])
    return isinstance(effects, list) and any(block.if_ for block in effects)


def test_a_docudrama_needs_labels_and_fiction_does_not(tmp_path: Path) -> None:
    labelled = SCENES.replace("    title: Hub\n", "    title: Hub\n    label: dramatised\n")
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path / "mixed", STORY, labelled))
    assert all("a scene needs `label`" in d.message for d in caught.value.diagnostics)
    assert len(caught.value.diagnostics) == 4
    assert load_story(write_story(tmp_path / "fiction", STORY, SCENES)).fiction
    assert not load_story(Path(__file__).parent / "stories" / "tiny").fiction


def test_the_search_forgets_choice_counts_nothing_ahead_reads(tmp_path: Path) -> None:
    story = STORY.replace("  variables:\n", "  variables:\n    k: {type: int, default: 0, min: 0, max: 3}\n")
    scenes = """\
scenes:
  - {id: hub, act: 1, title: Prologue, roles: [a], text: P., choices: [
      {id: a, text: A, once: true, goto: hub}, {id: b, text: B, once: true, goto: hub}, {id: go, text: Go, goto: yard}]}
  - {id: yard, act: 1, title: Yard, roles: [a], text: Y., choices: [
      {id: more, text: More, goto: yard, effects: {add: {k: 1}}}, {id: out, text: Out, goto: end, if: "k >= 2"}]}
  - {id: end, act: 1, title: End, roles: [a], text: E., ending: {title: End, epilogue: E.}}
"""
    found = explore_states(load_story(write_story(tmp_path / "forget", story, scenes)))
    # 4 prologue states (a and b taken or not); in the yard the prologue's once-only choices can
    # never be met again, so k alone tells states apart: 4 there, and 1 at the end, where nothing
    # is read any more (not 4 x 6).
    assert found.exhaustive and found.states == 9
