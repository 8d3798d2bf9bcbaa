"""Templates and enumerations in a story: checked at load with positions, shown in play and transcripts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from authoring_support import write_story

from game.engine import StoryError
from game.engine.checks import check_story
from game.engine.compiler import load_story
from game.engine.play import Game
from game.engine.session import Session
from game.engine.textlang import Run
from game.engine.transcript import transcript
from game.plain import PlainGame

STORY = """\
story:
  id: t
  title: T
  version: "1.0"
  roles:
    a: {name: A, description: Role a, start: one}
  variables:
    mood: {type: enum, values: [calm, angry, wary], default: calm}
    fuel: {type: int, default: 2, min: 0, max: 5}
    lit: {type: bool, default: false}
    name: {type: str, default: Ada}
"""

SCENES = """\
scenes:
  - id: one
    act: 1
    title: One
    roles: [a]
    label: dramatised
    text:
      - "{name} is *{mood}*; {fuel} tanks."
      - if: lit
        text: "The lamp burns."
        else: "The lamp is {if fuel > 1}ready{else}empty{end}."
    choices:
      - id: light
        text: "Light the lamp {if fuel > 3}(plenty of fuel){end}"
        goto: one
        if: "not lit"
        locked_reason: "It is lit, and {name} knows it."
        effects: {set: {lit: true, mood: wary}}
      - id: sail
        text: "**Sail** while {if mood in ['calm', 'wary']}it is quiet{else}you can{end}"
        goto: two
        effects: {add: {fuel: 1}}
  - id: two
    act: 1
    title: Two
    roles: [a]
    label: dramatised
    text: "Arrived."
    ending: {title: Home, epilogue: "{name} came home *{mood}*, with {fuel} tanks."}
"""


def story_at(tmp_path: Path, story: str = STORY, scenes: str = SCENES) -> Path:
    return write_story(tmp_path / "s", story, scenes)


def errors(tmp_path: Path, story: str = STORY, scenes: str = SCENES) -> list[str]:
    with pytest.raises(StoryError) as caught:
        load_story(story_at(tmp_path, story, scenes))
    return [f"{d.line}:{d.col}: {d.message} [{d.code}]" for d in caught.value.diagnostics]


def test_templates_render_for_the_state(tmp_path: Path) -> None:
    session = Session.new(load_story(story_at(tmp_path)))
    assert [p.text for p in session.paragraphs()] == ["Ada is calm; 2 tanks.", "The lamp is ready."]
    assert session.paragraphs()[0].runs == (Run("Ada is "), Run("calm", "italic"), Run("; 2 tanks."))
    light, sail = session.choices(include_locked=True)
    assert light.text == "Light the lamp "
    assert sail.runs[0] == Run("Sail", "bold") and sail.text == "Sail while it is quiet"
    session.choose("light")
    light = session.choices(include_locked=True)[0]
    assert not light.available and light.locked_reason == "It is lit, and Ada knows it."
    assert [p.text for p in session.paragraphs()] == ["Ada is wary; 2 tanks.", "The lamp burns."]
    session.choose("sail")
    assert session.epilogue() == (Run("Ada came home "), Run("wary", "italic"), Run(", with 3 tanks."))
    assert session.history[0].choice_text == "Light the lamp "


def test_plain_mode_and_transcript_render_the_same_rule(tmp_path: Path) -> None:
    session = Session.new(load_story(story_at(tmp_path)))
    out = io.StringIO()
    game = PlainGame(Game(session), out)
    game.show()
    game.handle("1")
    game.handle("1")
    text = out.getvalue()
    assert "Ada is calm; 2 tanks." in text and "1. Sail while it is quiet" in text
    assert "(locked: It is lit, and Ada knows it.)" in text
    assert "Ada came home wary, with 3 tanks." in text
    assert "{" not in text and "*calm*" not in text and "**Sail**" not in text
    document = transcript(game.session)
    assert "Ada is *calm*; 2 tanks." in document
    assert "Ada came home *wary*, with 3 tanks." in document
    assert "**You chose:** Sail while it is quiet" in document


ENUM_CASES = [
    (
        STORY.replace("default: calm}", "default: clam}"),
        SCENES,
        "8:62: variables.mood.default: 'clam' is not one of its values (did you mean 'calm'?) [type]",
    ),
    (
        STORY.replace("type: enum, values: [calm, angry, wary]", "type: enum"),
        SCENES,
        "8:11: story.variables.mood: `values` belongs with `type: enum`",
    ),
    (
        STORY.replace("type: int, default: 2", "type: int, values: [a], default: 2"),
        SCENES,
        "9:11: story.variables.fuel: `values` belongs with `type: enum`",
    ),
    (
        STORY.replace("values: [calm, angry, wary]", "values: [calm, calm]"),
        SCENES,
        "8:11: story.variables.mood: `values` lists each value once",
    ),
    (STORY, SCENES.replace("mood: wary}", "mood: wery}"), "18:42: effects.set: 'wery' is not a value of 'mood' (did you mean 'wary'?)"),
    (
        STORY,
        SCENES.replace("mood in ['calm', 'wary']", "mood in ['calm', 'wray']"),
        "20:52: scenes[one].choices[sail].text: 'wray' is not a value of 'mood' (did you mean 'wary'?)",
    ),
]


@pytest.mark.parametrize(("story", "scenes", "expected"), ENUM_CASES)
def test_enumeration_mistakes_are_load_errors_with_positions(tmp_path: Path, story: str, scenes: str, expected: str) -> None:
    found = errors(tmp_path, story, scenes)
    assert any(e.startswith(expected) for e in found), found


TEXT_CASES = [
    (
        '"{name} is *{mood}*; {fuel} tanks."',
        '"{nmae} is here."',
        "8:11: scenes[one].text[0]: unknown variable 'nmae' (did you mean 'name'?) [text]",
    ),
    ('"The lamp burns."', '"The lamp {if lit}burns."', "10:25: scenes[one].text[1].text: `{if …}` is never closed with `{end}` [text]"),
    ('"It is lit, and {name} knows it."', '"It is {lit}."', "17:32: scenes[one].choices[light].locked_reason: a true/false value"),
    ('"{name} came home *{mood}*, with {fuel} tanks."', '"Home {end}"', "29:43: scenes[two].ending.epilogue: `{end}` without"),
]


@pytest.mark.parametrize(("old", "new", "expected"), TEXT_CASES)
def test_template_mistakes_point_at_the_column(tmp_path: Path, old: str, new: str, expected: str) -> None:
    found = errors(tmp_path, scenes=SCENES.replace(old, new))
    assert any(e.startswith(expected) for e in found), found


def test_multiline_text_points_at_its_start_and_quotes_the_place(tmp_path: Path) -> None:
    scenes = SCENES.replace('"The lamp burns."', "|\n          The lamp\n          burns {if lit} brightly.")
    found = errors(tmp_path, scenes=scenes)
    assert found == ["10:15: scenes[one].text[1].text: `{if …}` is never closed with `{end}` (at “{if lit} brightly.”) [text]"]


def test_variables_read_only_in_text_are_used_settings(tmp_path: Path) -> None:
    story = STORY + "    shown: {type: int, default: 1}\n"

    def about_shown(scenes: str, folder: str) -> set[str]:
        report = check_story(write_story(tmp_path / folder, story, scenes), exhaustive=False)
        return {d.code for d in report.diagnostics if "'shown'" in d.message}

    assert about_shown(SCENES, "unread") == {"unused-variable"}
    # Shown in text it is used; being constant there is a setting (a name, say), not a mistake.
    assert about_shown(SCENES.replace('"Arrived."', '"Arrived at {shown}."'), "shown") == set()
    # Read by a condition and never changed, it is one.
    assert about_shown(SCENES.replace('if: "not lit"', 'if: "not lit and shown > 0"'), "tested") == {"constant-variable"}


def test_the_night_ferry_and_emphasis_of_existing_text_are_unchanged() -> None:
    from game.ui.text import prose

    content = prose("a *quiet* word [b]x[/b] and **")
    assert content.plain == "a quiet word [b]x[/b] and **"
    assert [(s.start, s.end, s.style) for s in content.spans] == [(2, 7, "italic")]
