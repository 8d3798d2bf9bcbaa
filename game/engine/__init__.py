"""The headless engine: load, check and play stories. Never imports Textual.

The light names (errors, the check report) load with the package; the rest on first use, all at
once, so a command that needs little (`check` answered from the cache) does not pay for pydantic,
the models and transitions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CandidError, ChoiceError, ConditionError, Diagnostic, SaveError, Severity, StoryError
from .report import Report

if TYPE_CHECKING:
    from .checks import check_story
    from .compiler import CompiledChoice, CompiledScene, Story, load_story
    from .conditions import compile_condition
    from .explore import Exploration, explore_states
    from .graph import HISTORICAL_MARK, Outline, OutlineEntry, SceneGraph, SceneNode, scene_graph, scene_outline
    from .graph import render as render_graph
    from .loader import builtin_story, resolve_story
    from .models import Label, Scene, SceneFile, StoryFile, format_when
    from .randomtest import Result as RandomTestResult
    from .randomtest import run_randomtest
    from .replay import Beat, Walk, historical_path, walk_history
    from .saves import AUTOSAVE, Loaded, Profile, SaveStore, SlotInfo, atomic_write, data_home
    from .scaffold import new_scene, reference_markdown, scene_schema, schema_text, story_schema, write_docs
    from .session import ChoiceView, Divergence, Paragraph, Session, Step, VarView
    from .transcript import transcript


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _load()
    return globals()[name]


def _load() -> None:
    from .checks import check_story
    from .compiler import CompiledChoice, CompiledScene, Story, load_story
    from .conditions import compile_condition
    from .explore import Exploration, explore_states
    from .graph import HISTORICAL_MARK, Outline, OutlineEntry, SceneGraph, SceneNode, scene_graph, scene_outline
    from .graph import render as render_graph
    from .loader import builtin_story, resolve_story
    from .models import Label, Scene, SceneFile, StoryFile, format_when
    from .randomtest import Result as RandomTestResult
    from .randomtest import run_randomtest
    from .replay import Beat, Walk, historical_path, walk_history
    from .saves import AUTOSAVE, Loaded, Profile, SaveStore, SlotInfo, atomic_write, data_home
    from .scaffold import new_scene, reference_markdown, scene_schema, schema_text, story_schema, write_docs
    from .session import ChoiceView, Divergence, Paragraph, Session, Step, VarView
    from .transcript import transcript

    globals().update({name: value for name, value in locals().items() if name in __all__})


__all__ = [
    "AUTOSAVE",
    "HISTORICAL_MARK",
    "Beat",
    "CandidError",
    "ChoiceError",
    "ChoiceView",
    "CompiledChoice",
    "CompiledScene",
    "ConditionError",
    "Diagnostic",
    "Divergence",
    "Exploration",
    "Label",
    "Loaded",
    "Outline",
    "OutlineEntry",
    "Paragraph",
    "Profile",
    "RandomTestResult",
    "Report",
    "SaveError",
    "SaveStore",
    "Scene",
    "SceneFile",
    "SceneGraph",
    "SceneNode",
    "Session",
    "Severity",
    "SlotInfo",
    "Step",
    "Story",
    "StoryError",
    "StoryFile",
    "VarView",
    "Walk",
    "atomic_write",
    "builtin_story",
    "check_story",
    "compile_condition",
    "data_home",
    "explore_states",
    "format_when",
    "historical_path",
    "load_story",
    "new_scene",
    "reference_markdown",
    "render_graph",
    "resolve_story",
    "run_randomtest",
    "scene_graph",
    "scene_outline",
    "scene_schema",
    "schema_text",
    "story_schema",
    "transcript",
    "walk_history",
    "write_docs",
]
