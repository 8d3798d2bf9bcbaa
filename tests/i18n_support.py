"""What "no English left" means for the German edition: no phrase of the English story, and no
message of the interface, shows in the output, except what the translation itself quotes in
English (posts and chants as they were published)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir

from game.engine.translations import source_strings

GAME = Path(__file__).resolve().parents[1] / "game"


def interface_messages() -> list[str | tuple[str, ...]]:
    """Every message the interface asks gettext for: a text, or (singular, plural)."""
    return [message for _file, _line, message, _comments, _context in extract_from_dir(str(GAME))]


def english_phrases(story: Path) -> set[str]:
    """Stretches of English of three words or more: from the story's strings and the interface's messages."""
    texts = [text for scenes in source_strings(story).values() for strings in scenes.values() for text in strings.values()]
    texts += [form for message in interface_messages() for form in (message if isinstance(message, tuple) else (message,))]
    phrases = set()
    for text in texts:
        for piece in re.split(r"\{[^}]*\}|[\n*.!?;:,()“”\"]", text):
            words = piece.split()
            if len(words) >= 3:
                phrases.add(" ".join(words))
    return phrases


def kept_in_translation(story: Path, lang: str) -> str:
    """All the translated texts of a language, flattened: English a translator kept on purpose
    (a post quoted as it was published, a chant) shows here too, and is not a leftover."""
    texts = []
    for path in sorted((story / "translations" / lang).glob("**/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        texts += [entry.get("text", "") for entries in data.values() for entry in entries.values()]
    return " ".join(" ".join(texts).split())


def english_left(output: str, story: Path, lang: str = "de") -> list[str]:
    """English phrases in `output` that the translation does not itself quote."""
    flat = " ".join(output.split())
    kept = kept_in_translation(story, lang)
    return sorted(phrase for phrase in english_phrases(story) if phrase in flat and phrase not in kept)
