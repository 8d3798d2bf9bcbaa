"""The headless engine: load, check and play stories. Never imports Textual."""

from .checks import Report, check_story
from .compiler import CompiledChoice, CompiledScene, Story, load_story
from .conditions import compile_condition
from .errors import CandidError, ChoiceError, ConditionError, Diagnostic, SaveError, Severity, StoryError
from .loader import builtin_story, resolve_story
from .models import Label, Scene, SceneFile, StoryFile, format_when
from .replay import Beat, Walk, historical_path, walk_history
from .saves import AUTOSAVE, Loaded, Profile, SaveStore, SlotInfo, atomic_write, data_home
from .session import ChoiceView, Divergence, Paragraph, Session, Step, VarView
from .transcript import transcript

__all__ = [
    "AUTOSAVE",
    "Beat",
    "CandidError",
    "ChoiceError",
    "ChoiceView",
    "CompiledChoice",
    "CompiledScene",
    "ConditionError",
    "Diagnostic",
    "Divergence",
    "Label",
    "Loaded",
    "Paragraph",
    "Profile",
    "Report",
    "SaveError",
    "SaveStore",
    "Scene",
    "SceneFile",
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
    "format_when",
    "historical_path",
    "load_story",
    "resolve_story",
    "transcript",
    "walk_history",
]
