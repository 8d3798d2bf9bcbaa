"""The engine's transcript writer and the variables' course, replayed from the session history."""

from __future__ import annotations

from game.engine.compiler import Story
from game.engine.saves import SaveStore
from game.engine.session import Session
from game.engine.transcript import transcript


def test_transcript_follows_the_play_through_with_history_and_sources(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero")
    for choice in ("hold", "relent", "secret"):
        session.choose(choice)
    text = transcript(session)
    assert text.startswith("# Tiny\n")
    assert text.index("## The decision") < text.index("## Held back") < text.index("## Launch") < text.index("## Secret")
    assert "They are wary." in text
    assert "They trust you." not in text
    assert "**You chose:** Hold it\n\n**History chose:** Ship it" in text
    assert "> What really happened: It shipped." in text
    assert "## The end: Secret" in text
    assert "Divergence from history: 3 of 3 (100%)." in text
    assert text.rstrip().endswith("2. Blog, “Launch”, 2022-11-30")


def test_transcript_on_history_says_so(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero")
    session.choose("ship")
    session.choose("wait")
    text = transcript(session)
    assert "You followed history at every decision." in text
    assert "History chose" not in text


def test_transcript_is_the_same_after_a_save_and_load(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero", overrides={"trust": 70})
    session.choose("hold")
    store = SaveStore(tiny_story)
    store.save(session, "t")
    assert transcript(store.load("t").session) == transcript(session)


def test_course_replays_the_variables_step_by_step(tiny_story: Story) -> None:
    session = Session.new(tiny_story, "hero")
    session.choose("hold")
    session.choose("relent")
    course = session.course()
    assert [values["trust"] for values in course] == [50, 0, 0]
    assert [values["told"] for values in course] == [False, True, True]
    session.undo()
    assert len(session.course()) == 2
