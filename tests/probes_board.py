"""Continuity probes for the board role: sentences and the facts about the play-through they assert."""

from __future__ import annotations

from continuity import Probe

PROBES: list[Probe] = []
