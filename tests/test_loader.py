"""The loader: every bad input is an error at file:line:col, collected, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import MINI_STORY, write_story
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine import Severity, StoryError, yamlfast, yamlsrc
from game.engine.checks import check_story
from game.engine.compiler import load_story

BAD = Path("tests/stories/bad")
S, C = "story.yaml", "scenes.yaml"

# name: (file, line, col, message fragment, number of errors)
EXPECTED: dict[str, tuple[str, int, int, str, int]] = {
    "yaml_syntax": (C, 4, 3, "did not find expected '-' indicator", 1),
    "duplicate_key": (S, 5, 3, "duplicate key 'title'", 1),
    "alias": (C, 4, 12, "anchors and aliases (&name, *name) are not allowed", 2),
    "lone_anchor": (S, 3, 10, "anchors and aliases", 1),
    "merge_key": (C, 24, 7, "merge keys (<<) are not allowed", 1),
    "billion_laughs": (C, 24, 5, "anchors and aliases", 10),
    "tab_indent": (C, 3, 1, "tab character", 1),
    "invalid_utf8": (S, 3, 14, "not valid UTF-8", 1),
    "stray_bom": (C, 7, 14, "byte-order mark", 1),
    "control_char_escape": (C, 7, 11, "control character U+001B is not allowed in text", 1),
    "control_char_raw": (C, 7, 14, "control character U+0007 is not allowed", 1),
    "python_tag": (S, 1, 8, "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed", 1),
    "python_tag_scalar": (C, 7, 11, "python/name:os.system' is not allowed", 1),
    "yes_no_as_text": (S, 3, 10, "story.title: `no` is read by YAML as the boolean false; put it in quotes", 1),
    "float_version": (S, 4, 12, "story.version: `1.10` is read by YAML as the number 1.1", 1),
    "sexagesimal_title": (C, 4, 12, "scenes[start].title: `12:30` is read by YAML as the number 750", 1),
    "unquoted_date_place": (C, 6, 12, "scenes[start].place: `2023-11-17` is read by YAML as a date", 1),
    "unquoted_date_text": (C, 22, 11, "scenes[finish].text: `2023-11-17` is read by YAML as a date", 1),
    "bool_choice_id": (C, 9, 13, "scenes[start].choices[0].id: `on` is read by YAML as the boolean true", 1),
    "null_text": (C, 15, 15, "scenes[start].choices[stay].text: `null` is read by YAML as null", 1),
    "bool_variable_name": (S, 9, 5, "story.variables: `on` is read by YAML as the boolean true; put it in quotes", 1),
    "bool_default_for_str": (S, 9, 32, "story.variables.mood.default: `off` is read by YAML as the boolean false", 1),
    "unknown_key": (C, 19, 5, "scenes[finish]: unknown key `titel` (did you mean `title`?)", 1),
    "unknown_key_story": (S, 4, 3, "story: unknown key `verison` (did you mean `version`?)", 1),
    "wrong_type": (C, 18, 10, "scenes[finish].act: should be a valid integer", 1),
    "wrong_type_list": (C, 5, 12, "scenes[start].roles: should be a valid list", 1),
    "bad_label": (C, 6, 12, "scenes[start].label: should be 'historical', 'dramatised' or 'counterfactual'", 1),
    "bad_id": (C, 14, 13, "scenes[start].choices[1].id: String should match pattern", 1),
    "bad_when": (C, 6, 11, "scenes[start].when: `when` '2023-02-30': day is out of range", 1),
    "huge_number": (C, 13, 32, "scenes[start].choices[go].effects.add.trust: should be less than or equal to 1000000000", 1),
    "empty_file": (C, 1, 1, "file is empty", 1),
    "not_a_mapping": (C, 1, 1, "should be a valid dictionary", 1),
    "no_scenes": (C, 1, 9, "scenes: List should have at least 1 item", 1),
    "default_out_of_range": (S, 8, 12, "story.variables.trust: `default` is outside `min`..`max`", 1),
    "historical_without_when": (C, 2, 5, "scenes[start]: a historical scene needs `when`", 1),
    "ending_with_choices": (C, 17, 5, "scenes[finish]: an ending scene has no choices", 1),
    "else_without_if": (C, 8, 9, "scenes[start].text[0]: `else` without `if` is never shown", 1),
    "locked_reason_without_if": (C, 14, 9, "scenes[start].choices[stay]: `locked_reason` without `if`", 1),
    "duplicate_choice": (C, 2, 5, "scenes[start]: duplicate choice id 'go'", 1),
    "files_outside": (S, 1, 1, "'../elsewhere/*.yaml' points outside the story folder", 2),
    # found by the story compiler, after every file has loaded
    "unknown_goto": (C, 11, 15, "goto: no scene 'finsh' (did you mean 'finish'?)", 1),
    "duplicate_scene": (C, 24, 9, "scene id 'finish' is already used at", 1),
    "unknown_start": (S, 6, 60, "start scene 'begin' does not exist", 1),
    "unknown_role": (C, 20, 13, "roles: no role 'heroine' (did you mean 'hero'?)", 1),
    "variable_unknown_role": (S, 9, 46, "variables.mood.roles: no role 'heroo' (did you mean 'hero'?)", 1),
    "source_bad_date": (C, 25, 45, "scenes[finish].history.sources[0].date: '2023-02-30' is not a real date", 1),
    "reserved_variable": (S, 9, 14, "`visited` is reserved", 1),
    "effect_unknown_variable": (C, 13, 32, "effects.add: unknown variable 'trsut' (did you mean 'trust'?)", 1),
    "effect_add_to_str": (C, 13, 31, "'mood' is str; only int variables can be added to", 1),
    "effect_set_wrong_type": (C, 13, 31, "effects.set: 'mood' is str, not int", 1),
    # conditions: the column is the offending token inside the quoted condition
    "cond_unknown_name": (C, 12, 28, "scenes[start].choices[go].if: unknown variable 'trst' (did you mean 'trust'?)", 1),
    "cond_assign": (C, 12, 20, "use == to compare", 1),
    "cond_attribute": (C, 12, 14, "attribute access (a.b) is not allowed", 1),
    "cond_call": (C, 12, 22, 'the only functions allowed are visited("scene_id") and taken', 1),
    "cond_visited_unknown": (C, 12, 22, "visited(): no scene 'strat' (did you mean 'start'?)", 1),
    "cond_type_mismatch": (C, 12, 22, "cannot compare str with int", 1),
    "cond_not_bool": (C, 12, 14, "condition must be bool, but this is int", 1),
    "cond_too_deep": (C, 12, 114, "nested more than 24 levels deep", 1),
    "cond_too_long": (C, 12, 13, "at most 500 characters", 1),
    "cond_syntax": (C, 12, 22, "not a valid condition", 1),
    "cond_passage": (C, 9, 22, "scenes[start].text[1].if: cannot compare str with int", 1),
}


def test_every_bad_fixture_is_in_the_table() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_story_reports_its_problem_at_file_line_col(name: str) -> None:
    file, line, col, fragment, count = EXPECTED[name]
    with pytest.raises(StoryError) as caught:
        load_story(BAD / name)
    errors = [d for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == count, errors
    first = errors[0]
    assert first.file == f"tests/stories/bad/{name}/{file}"
    assert (first.line, first.col) == (line, col), str(first)
    assert fragment in first.message
    assert str(first).startswith(f"tests/stories/bad/{name}/{file}:{line}:{col}: error: ")
    assert all(d.file == first.file for d in errors)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_bad_story_without_raising(name: str) -> None:
    report = check_story(BAD / name)
    assert report.story is None
    assert report.errors
    assert report.stats == {}


def test_errors_in_two_files_are_reported_together(tmp_path: Path) -> None:
    story = MINI_STORY.replace("title: Mini", "title: [Mini")
    write_story(tmp_path, story, scenes=(BAD / "wrong_type" / C).read_text())
    with pytest.raises(StoryError) as caught:
        load_story(tmp_path)
    where = {(Path(d.file).name, d.line, d.col) for d in caught.value.diagnostics}
    assert ("story.yaml", 4, 10) in where
    assert ("scenes.yaml", 18, 10) in where


def test_errors_in_two_scene_files_are_reported_together(tmp_path: Path) -> None:
    good = (BAD / "unknown_key" / C).read_text().replace("titel", "title")
    write_story(
        tmp_path,
        scenes=good.replace("id: go", "id: Go"),
        more=good.replace("id: start", "id: other").replace("id: finish", "id: other_end").replace("act: 1", "act: 0", 1),
    )
    with pytest.raises(StoryError) as caught:
        load_story(tmp_path)
    found = sorted((Path(d.file).name, d.line, d.col) for d in caught.value.diagnostics)
    assert found == [("more.yaml", 3, 10), ("scenes.yaml", 9, 13)]


def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    scenes = (BAD / "unknown_key" / C).read_text().replace("titel", "title")
    padding = "# padding\n" * (yamlfast.MAX_FILE_BYTES // 10 + 1)
    write_story(tmp_path, scenes=scenes + padding)
    with pytest.raises(StoryError) as caught:
        load_story(tmp_path)
    [diag] = caught.value.diagnostics
    assert (Path(diag.file).name, diag.line, diag.col, diag.code) == ("scenes.yaml", 1, 1, "too-large")
    assert f"the limit is {yamlfast.MAX_FILE_BYTES}" in diag.message


def test_leading_bom_is_accepted(tmp_path: Path) -> None:
    scenes = (BAD / "unknown_key" / C).read_text().replace("titel", "title")
    write_story(tmp_path, scenes=b"\xef\xbb\xbf" + scenes.encode())
    assert set(load_story(tmp_path).scenes) == {"start", "finish"}


def test_windows_line_endings_are_read_as_plain_newlines(tmp_path: Path) -> None:
    folder = tmp_path / "crlf"
    shutil.copytree("tests/stories/tiny", folder)
    for path in folder.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    story = load_story(folder)
    assert story.meta.title == "Tiny"
    assert all("\r" not in p.text for s in story.scenes.values() for p in s.passages)


def test_quoted_values_are_text(tmp_path: Path) -> None:
    story = MINI_STORY.replace("title: Mini", 'title: "no"').replace('version: "1.0"', 'version: "1.10"')
    scenes = (BAD / "unknown_key" / C).read_text().replace("titel: Finish", "titel: '12:30'").replace("titel", "title")
    loaded = load_story(write_story(tmp_path, story, scenes=scenes))
    assert (loaded.meta.title, loaded.meta.version, loaded.scenes["finish"].model.title) == ("no", "1.10", "12:30")


def test_missing_folder_and_missing_story_file(tmp_path: Path) -> None:
    with pytest.raises(StoryError, match="no such story folder"):
        load_story(tmp_path / "nowhere")
    with pytest.raises(StoryError, match=r"no story\.yaml in this folder"):
        load_story(tmp_path)


def test_story_yaml_path_resolves_to_its_folder() -> None:
    assert load_story("tests/stories/tiny/story.yaml").id == "tiny"


def test_symlink_out_of_the_story_folder_is_refused(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "story", scenes=(BAD / "unknown_key" / C).read_text().replace("titel", "title"))
    outside = tmp_path / "outside.yaml"
    outside.write_text("scenes: []\n")
    (folder / "evil.yaml").symlink_to(outside)
    with pytest.raises(StoryError, match="points outside the story folder"):
        load_story(folder)


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(tmp_path: Path) -> None:
    scenes = (BAD / "unknown_key" / C).read_text().replace("titel: Finish", "title: Finish\n    zzz: 1")
    with pytest.raises(StoryError, match=r"unknown key `zzz`; allowed: id, act, title"):
        load_story(write_story(tmp_path, scenes=scenes))


def test_unquoted_value_for_an_int_variable_gets_no_quoting_advice(tmp_path: Path) -> None:
    scenes = (BAD / "unknown_key" / C).read_text().replace("titel", "title").replace("{add: {trust: 1}}", "{set: {trust: yes}}")
    with pytest.raises(StoryError) as caught:
        load_story(write_story(tmp_path, scenes=scenes))
    [diag] = caught.value.diagnostics
    assert diag.message == "effects.set: 'trust' is int, not bool"


# --- yamlsrc directly ---------------------------------------------------------------------------


def _problems(raw: bytes) -> list[yamlsrc.Problem]:
    with pytest.raises(yamlsrc.YamlProblems) as caught:
        yamlsrc.parse_bytes(raw)
    return caught.value.problems


def test_billion_laughs_fails_on_the_aliases() -> None:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 30)]
    problems = _problems("\n".join(lines).encode())
    assert {p.code for p in problems} == {"yaml-alias"}
    assert (problems[0].line, problems[0].col) == (1, 5)
    assert len(problems) == 10


def test_deep_nesting_is_refused_without_crashing_the_process() -> None:
    # libyaml's composer recurses in C: before the depth check this killed Python with SIGSEGV.
    code = (
        "from game.engine import yamlsrc\n"
        "for raw in (b'a: ' + b'[' * 200000, b'- ' * 200000 + b'x', b'a: ' + b'{x: ' * 100000 + b'1' + b'}' * 100000):\n"
        "    try:\n"
        "        yamlsrc.parse_bytes(raw)\n"
        "    except yamlsrc.YamlProblems as exc:\n"
        "        print(exc.problems[0].code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["yaml-depth", "yaml-depth", "yaml-depth"]


def test_depth_limit_is_exact() -> None:
    inner = yamlfast.MAX_DEPTH - 1  # the top-level mapping is the first level
    yamlsrc.parse_bytes(b"a: " + b"[" * inner + b"]" * inner)
    [problem] = _problems(b"a: " + b"[" * (inner + 1) + b"]" * (inner + 1))
    assert (problem.code, problem.line, problem.col) == ("yaml-depth", 1, 3 + yamlfast.MAX_DEPTH)


@pytest.mark.parametrize(
    ("raw", "code", "line", "col"),
    [
        (b"", "empty", 1, 1),
        (b"# only a comment\n", "empty", 1, 1),
        (b"a: 1\na: 2\n", "duplicate-key", 2, 1),
        (b"a: 1\n? [x]\n: 2\n", "yaml-key", 2, 3),
        (b"a: !custom 1\n", "yaml-tag", 1, 4),
        (b"a: !!binary aGk=\n", "yaml-tag", 1, 4),
        (b"a: !!set {x}\n", "yaml-tag", 1, 4),
        (b"a: !!omap [x: 1]\n", "yaml-tag", 1, 4),
        (b"a: 1\n--- \nb: 2\n", "yaml-syntax", 2, 1),
        (b"a: 2023-13-45\n", "yaml-value", 1, 4),
        (b"a:\n\tb: 1\n", "yaml-syntax", 2, 1),
        (b"a: b\xc3\n", "encoding", 1, 5),
        (b"a: 1\nb: \xef\xbb\xbfx\n", "encoding", 2, 4),
        (b"a: &x 1\n", "yaml-alias", 1, 4),
    ],
)
def test_parse_bytes_problems(raw: bytes, code: str, line: int, col: int) -> None:
    [problem] = _problems(raw)
    assert (problem.code, problem.line, problem.col) == (code, line, col), problem


def test_plain_scalars_remember_their_surprise() -> None:
    doc = yamlsrc.parse_bytes(b"a: no\nb: 'no'\nc: 1.10\nd: 12:30\ne: 2023-11-17\nf: ~\n")
    assert doc.data == {"a": False, "b": "no", "c": 1.1, "d": 750, "e": doc.data["e"], "f": None}
    assert doc.surprise(("a",)) == "`no` is read by YAML as the boolean false; put it in quotes to keep it as text"
    assert doc.surprise(("b",)) is None
    assert "the number 1.1" in (doc.surprise(("c",)) or "")
    assert "the number 750" in (doc.surprise(("d",)) or "")
    assert "a date (2023-11-17)" in (doc.surprise(("e",)) or "")
    assert "null" in (doc.surprise(("f",)) or "")


def test_positions_follow_the_data_path() -> None:
    doc = yamlsrc.parse_bytes(b"top:\n  items:\n    - x\n    - {k: v}\n")
    assert doc.position(("top", "items", 1, "k")) == (4, 11)
    assert doc.position(("top", "items", 0)) == (3, 7)
    assert doc.position(("top", "missing")) == (2, 3)


# --- property tests: whatever the bytes, only our error types escape ------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?~\n\t  abcxyz019._\\\ufeff\u00e9<=")), max_size=120)
GOOD_SCENES = (BAD / "unknown_key" / C).read_text().replace("titel", "title")


def _load_text(story: str | bytes, scenes: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "story.yaml").write_bytes(story.encode("utf-8", "surrogatepass") if isinstance(story, str) else story)
        (folder / "scenes.yaml").write_bytes(scenes.encode("utf-8", "surrogatepass") if isinstance(scenes, str) else scenes)
        try:
            load_story(folder)
        except StoryError as exc:
            assert exc.diagnostics
            assert all(d.file and d.message for d in exc.diagnostics)


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_random_bytes_only_raise_yaml_problems(raw: bytes) -> None:
    try:
        yamlsrc.parse_bytes(raw)
    except yamlsrc.YamlProblems as exc:
        assert exc.problems and all(p.line >= 1 and p.col >= 1 for p in exc.problems)


@given(YAMLISH)
@settings(max_examples=500, deadline=None)
def test_random_yamlish_text_only_raises_yaml_problems(text: str) -> None:
    try:
        yamlsrc.parse_bytes(text.encode("utf-8", "surrogatepass"))
    except yamlsrc.YamlProblems as exc:
        assert exc.problems


@given(YAMLISH)
@settings(max_examples=200, deadline=None)
def test_random_scene_file_only_raises_story_error(text: str) -> None:
    _load_text(MINI_STORY, text)


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    """The source with a few characters deleted, replaced or inserted."""
    text = source
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["delete", "replace", "insert"]))
        piece = draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\" \n\tx1#")), min_size=1, max_size=3))
        if what == "delete":
            text = text[:at] + text[at + len(piece) :]
        elif what == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at:]
    return text


@given(mutated(GOOD_SCENES))
@settings(max_examples=300, deadline=None)
def test_mutated_scene_file_only_raises_story_error(text: str) -> None:
    _load_text(MINI_STORY, text)


@given(mutated(MINI_STORY))
@settings(max_examples=200, deadline=None)
def test_mutated_story_file_only_raises_story_error(text: str) -> None:
    _load_text(text, GOOD_SCENES)


def test_a_condition_error_names_the_scene_and_choice_by_id_from_a_cached_parse(tmp_path: Path) -> None:
    from authoring_support import STORY_HEAD, scene, write_story

    folder = write_story(
        tmp_path / "story",
        STORY_HEAD,
        "scenes:\n" + scene("one", '{id: magic, text: Magic, goto: two, if: "nosuch > 1"}') + scene("two", ending=True),
    )
    messages = []
    for _ in range(2):  # the second load takes the file's parse from the cache, which keeps no data
        report = check_story(folder)
        messages.append([d.message for d in report.errors])
    assert messages[0] == messages[1]
    assert any(m.startswith("scenes[one].choices[magic].if:") for m in messages[0]), messages
