"""Defaults the command line shows in its help, kept apart from the modules that use them so that
building the parser (which every command does) imports no play code."""

from __future__ import annotations

DEFAULT_RUNS = 1000
"""Play-throughs `candid randomtest` makes unless told (`-n`)."""
DEFAULT_MAX_STEPS = 1000
"""Steps after which a random play-through counts as a loop (`--max-steps`)."""
