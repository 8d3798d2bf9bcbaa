"""What a save may hold: the limits shared by the save store (`saves.py`) and the save file's model
(`savefile.py`, pydantic's, imported only when a save is read)."""

from __future__ import annotations

import re

MAX_PATH = 250_000
"""The longest play-through that saves; longer ones are refused at save time, never at load time."""
MAX_SAVE_BYTES = MAX_PATH * 140 + 1024 * 1024
SLOT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$")
LATEST_TIME = 253402300799.0
"""The end of year 9999: a `saved_at` beyond it (or not a number) is not a real save time."""
Value = int | bool | str
"""Any value play can reach: ints have no bound here (`add` effects and `--set` can pass 10**9)."""

__all__ = ["LATEST_TIME", "MAX_PATH", "MAX_SAVE_BYTES", "SLOT_PATTERN", "Value"]
