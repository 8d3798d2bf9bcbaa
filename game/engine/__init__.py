"""The headless engine: load, check and play stories. Never imports Textual.

The package itself holds only what every command needs (the errors and the check report), so
that importing it costs nothing; everything else is imported from its own module, by layer:

- playing: `compiler` (load_story, Story), `rules` (the play kernel), `session` (Session),
  `play` (the game controller: autosave, endings, rebase), `present` (what front ends show),
  `saves`, `replay`, `transcript`;
- authoring: `checks` (check_story), `checkcache`, `analysis`, `explore`, `randomtest`, `graph`,
  `scaffold`.

Importing the playing modules never imports the checker or the `transitions` diagram extension.
"""

from __future__ import annotations

from .errors import CandidError, ChoiceError, ConditionError, Diagnostic, SaveError, Severity, StoryError
from .report import Report

__all__ = ["CandidError", "ChoiceError", "ConditionError", "Diagnostic", "Report", "SaveError", "Severity", "StoryError"]
