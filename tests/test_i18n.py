"""Story translations: applied, fallen back from, found stale; the interface's language and formats."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from i18n_support import english_left, interface_messages

from game.cli import main
from game.engine.compiler import load_story
from game.engine.errors import StoryError
from game.engine.i18n import catalogue, date_text, from_environment, number_text, percent_text, quotes, set_language
from game.engine.localize import check_translations, load_localized
from game.engine.session import Session
from game.engine.translations import source_hash

DUO = Path("tests/stories/duo")
DE_SCENES = Path("translations/de/scenes.yaml")


@pytest.fixture
def duo(tmp_path: Path) -> Path:
    folder = tmp_path / "duo"
    shutil.copytree(DUO, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


def test_a_complete_translation_replaces_every_string() -> None:
    story, audit = load_localized(DUO, "de")
    assert audit is not None and audit.total == audit.translated == 40 and not audit.diagnostics
    session = Session.new(story, "chair")
    assert story.meta.title == "Die Abstimmung" and story.meta.roles["clerk"].name == "Der Protokollführer"
    assert [p.text for p in session.paragraphs()] == [
        "Die Mitglieder kommen eines nach dem anderen dazu. Du zählst 2 freundliche Gesichter.",
        "Niemand ahnt etwas.",
        "Du hast gerade genug Rückhalt.",
    ]
    assert [c.text for c in session.choices(include_locked=True)] == ["Die Abstimmung ausrufen", "Eine Woche warten"]


def test_a_translation_changes_no_id_condition_or_effect() -> None:
    english = load_story(DUO)
    german, _audit = load_localized(DUO, "de")
    assert german.fingerprint == english.fingerprint
    assert [c.key for c in german.choices()] == [c.key for c in english.choices()]
    for ours, theirs in zip(german.choices(), english.choices(), strict=True):
        assert (ours.model.goto, ours.model.if_, ours.model.effects) == (theirs.model.goto, theirs.model.if_, theirs.model.effects)
    session = Session.new(german, "chair")
    session.choose("call")
    assert session.vars["votes"] == 3 and session.scene_id == "morning"


def test_a_missing_entry_shows_the_english_and_is_reported(duo: Path) -> None:
    entry = duo / DE_SCENES
    edit(entry, 'text: "Niemand ahnt etwas."', 'text: ""')
    story, audit = load_localized(duo, "de")
    assert audit is not None and audit.fallbacks == 1
    (missing,) = audit.missing
    assert (missing.line, missing.code) == (line_of(entry, "text.1.else:"), "translation-missing")
    assert "meeting.text.1.else" in missing.message
    paragraphs = [p.text for p in Session.new(story, "chair").paragraphs()]
    assert paragraphs[1] == "Nobody suspects a thing." and paragraphs[0].startswith("Die Mitglieder")


def test_play_says_how_many_strings_fall_back(duo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    edit(duo / DE_SCENES, 'text: "Die Sitzung"', 'text: ""')
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("q\n"))
    assert main(["play", str(duo), "--plain", "--lang", "de"]) == 0
    out, err = capsys.readouterr()
    assert "## The meeting" in out and "Akt 1: Die Nacht" in out
    assert "1 von 40 Texten der Geschichte sind noch nicht übersetzt" in err


def test_editing_one_english_sentence_makes_exactly_that_entry_stale(duo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [a.diagnostics for a in check_translations(duo)] == [[]]
    edit(duo / "scenes.yaml", 'text: "Nothing happens."', 'text: "Nothing at all happens."')
    (audit,) = check_translations(duo)
    assert audit.missing == [] and audit.problems == []
    (stale,) = audit.stale
    entry = duo / DE_SCENES
    assert stale.file.endswith(str(DE_SCENES)) and stale.line == line_of(entry, 'hash: "6e3b5022"') - 2
    assert "quiet_end.text is stale" in stale.message and source_hash("Nothing at all happens.") in stale.message
    story, _audit = load_localized(duo, "de")
    assert story.scenes["quiet_end"].passages[0].text == "Nothing at all happens."
    assert main(["check", str(duo)]) == 0
    assert main(["check", str(duo), "--strict"]) == 1
    out = capsys.readouterr().out
    assert f"{stale.file}:{stale.line}:3: warning: de: quiet_end.text is stale" in out
    assert "de: 39 of 40 strings translated, 0 missing, 1 stale" in out


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("Die Nachricht ist draußen. Mitglieder haben unterschrieben.", "tags must be the English's"),
        ("Die Nachricht ist draußen. {votes} {votes} Mitglieder.", "tags must be the English's"),
        ("Die Nachricht {if votes > 1}ist draußen.", "never closed"),
        ("Die Nachricht ist draußen. {stimmen} Mitglieder.", "stimmen"),
    ],
)
def test_a_translated_template_must_compile_and_keep_the_tags(duo: Path, translation: str, problem: str) -> None:
    entry = duo / DE_SCENES
    edit(entry, 'text: "Die Nachricht ist draußen. {votes} Mitglieder haben unterschrieben."', f'text: "{translation}"')
    with pytest.raises(StoryError) as raised:
        load_localized(duo, "de")
    (diag,) = raised.value.diagnostics
    assert diag.code == "translation-template" and problem in diag.message
    assert (diag.file, diag.line) == (str(entry), line_of(entry, '"c1650b33"') - 2) or diag.file.endswith(str(DE_SCENES))


def test_values_may_move_within_their_sentence(duo: Path) -> None:
    edit(
        duo / DE_SCENES,
        'text: "Die Nachricht ist draußen. {votes} Mitglieder haben unterschrieben."',
        'text: "Unterschrieben haben {votes}."',
    )
    _story, audit = load_localized(duo, "de")
    assert audit is not None and not audit.errors


def test_a_broken_translation_file_is_an_error_with_its_place(duo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (duo / DE_SCENES).write_text("meeting:\n  title: [not, an, entry]\n", "utf-8")
    assert main(["play", str(duo), "--plain", "--lang", "de"]) == 1
    err = capsys.readouterr().err
    assert f"{DE_SCENES}:2:10: error: meeting.title: expected `hash` and `text`" in err and "Traceback" not in err


def test_translate_writes_a_skeleton_and_then_only_what_is_missing(duo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translate", str(duo), "--lang", "fr"]) == 0
    assert "fr/scenes.yaml: 30 entries" in capsys.readouterr().out
    (audit,) = [a for a in check_translations(duo) if a.lang == "fr"]
    assert (audit.translated, len(audit.missing)) == (0, 40)
    assert main(["translate", str(duo), "--lang", "fr"]) == 1
    # Take two entries out of the German file, one of them from a scene left with none: --missing puts back exactly those.
    entry = duo / DE_SCENES
    before = entry.read_text("utf-8")
    kept = before.replace('  choice.deny:\n    # Deny everything\n    hash: "1331d286"\n    text: "Alles abstreiten"\n', "")
    start = kept.index("quiet_end:")
    entry.write_text(kept[:start], "utf-8")
    assert main(["translate", str(duo), "--lang", "de", "--missing"]) == 0
    after = entry.read_text("utf-8")
    assert after.startswith(kept[: kept.index("  choice.announce:")])
    assert 'text: "Es verkünden"' in after and 'text: "Alles abstreiten"' not in after
    (audit,) = [a for a in check_translations(duo) if a.lang == "de"]
    assert sorted(d.message.split()[1] for d in audit.missing) == [
        "morning.choice.deny",
        "quiet_end.ending.epilogue",
        "quiet_end.ending.title",
        "quiet_end.text",
        "quiet_end.title",
    ]
    assert audit.problems == [] and audit.stale == []


def test_the_language_comes_from_the_environment_when_the_story_has_it() -> None:
    available = ["en", "de"]
    assert from_environment(available, {"LANG": "de_DE.UTF-8"}) == "de"
    assert from_environment(available, {"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}) == "de"
    assert from_environment(available, {"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}) == "de"
    assert from_environment(available, {"LC_ALL": "C", "LANG": "de_DE.UTF-8"}) == "en"
    assert from_environment(available, {"LANG": "fr_FR.UTF-8"}) is None
    assert from_environment(available, {}) is None


def test_play_follows_the_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("q\n"))
    assert main(["play", str(DUO), "--plain"]) == 0
    assert "## Die Sitzung" in capsys.readouterr().out


def test_an_unknown_language_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(DUO), "--plain", "--lang", "xx"]) == 1
    assert "--lang xx: no such translation; languages: de, en" in capsys.readouterr().err


def test_dates_numbers_and_quotes_follow_the_language() -> None:
    moment = datetime(2023, 11, 17, 12, 0)
    assert (date_text(moment), number_text(12000), percent_text(30), quotes()) == ("Fri 17 Nov 2023", "12000", "30%", ("“", "”"))
    set_language("de")
    assert date_text(moment) == "Fr., 17. Nov. 2023"
    assert date_text(moment, weekday=False, year=False) == "17. Nov."
    assert (number_text(12000), percent_text(30), quotes()) == ("12.000", "30\xa0%", ("„", "“"))


def test_the_german_catalogue_translates_every_interface_message() -> None:
    german = catalogue("de")
    untranslated = []
    for message in interface_messages():
        if isinstance(message, tuple):
            if german.ngettext(message[0], message[1], 2) == message[1]:
                untranslated.append(message[1])
        elif german.gettext(message) == message and message not in ("“", "”"):
            untranslated.append(message)
    assert untranslated == []


def test_german_plain_play_of_both_roles_leaves_no_english(tmp_path: Path) -> None:
    outputs = []
    for role, moves in (("chair", "1\n2\n"), ("clerk", "1\n1\n")):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "game",
                "play",
                str(DUO),
                "--plain",
                "--lang",
                "de",
                "--role",
                role,
                "--transcript",
                str(tmp_path / role),
            ],
            input=moves + "w\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert "*** ENDE:" in done.stdout
        outputs += [done.stdout, (tmp_path / role).read_text("utf-8")]
    assert "Fr., 17. Nov. 2023 · 12:00 PT" in outputs[0] and "Rolle: Der Protokollführer." in outputs[3]
    assert english_left("\n".join(outputs), DUO) == []
    assert english_left("The members join one by one.", DUO) != []
