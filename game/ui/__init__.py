"""The Textual UI. It asks the engine for everything; it never re-implements a rule."""

from .app import CandidApp, make_app, run_app, run_replay

__all__ = ["CandidApp", "make_app", "run_app", "run_replay"]
