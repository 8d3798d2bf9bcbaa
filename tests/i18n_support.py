"""What "no English left" means for the German edition: no sentence of the English story, and no
message of the interface, shows in the output."""

from __future__ import annotations

import re
from pathlib import Path

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


def english_left(output: str, story: Path) -> list[str]:
    flat = " ".join(output.split())
    return sorted(phrase for phrase in english_phrases(story) if phrase in flat)
