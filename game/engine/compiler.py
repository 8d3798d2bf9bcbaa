"""Loading a story: from the play cache when it vouches for the files, else compiled from source.

`load_story` is what everything that plays or checks calls. An unchanged story comes back from
the play cache (`playcache.py`) in one read, without pydantic, the YAML parser or the checker;
after an edit, only the changed files are compiled again (`increment.py`); anything else is read,
validated and compiled whole (`compiling.py`), and then remembered.
The loaded form itself is `story.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, Severity, StoryError
from .gcpause import paused_gc
from .story import CompiledChoice, CompiledPassage, CompiledScene, Story, Where, build_machine
from .storyfiles import resolve_story

if TYPE_CHECKING:
    from .loader import StorySource


def load_story(story: str | Path | None = None) -> Story:
    """Load, validate and compile a story folder (None: the built-in story). Raises StoryError."""
    from . import playcache

    folder = resolve_story(story)
    with paused_gc(freeze=True):
        data = playcache.read_data(folder)
        cached = playcache.load_unchanged(folder, data) if data is not None else None
        if cached is not None:
            return cached
        before = playcache.Snapshot.take(folder)
        if data is not None and before is not None:
            from .increment import load_edited

            edited = load_edited(folder, before, data)
            if edited is not None:
                return edited
        from .loader import read_source

        try:
            source = read_source(folder)
        except RecursionError:
            raise StoryError([Diagnostic(str(story), 0, 0, Severity.ERROR, "invalid", "story is nested too deeply")]) from None
        loaded = compile_story(source)
        playcache.save(loaded, before)
        return loaded


def compile_story(source: StorySource) -> Story:
    from .compiling import compile_story as compile_whole

    return compile_whole(source)


__all__ = ["CompiledChoice", "CompiledPassage", "CompiledScene", "Story", "Where", "build_machine", "compile_story", "load_story"]
