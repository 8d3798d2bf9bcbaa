"""How a scene stands to the record, and its in-world dates: plain Python, no pydantic, so that what
play shows (labels, headers, the historical path) needs no model import."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from .i18n import _, date_text, time_text

WHEN_PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2})(?: (\d{2}):(\d{2}))?)?$")


class Label(StrEnum):
    """How a scene stands to the record."""

    HISTORICAL = "historical"
    DRAMATISED = "dramatised"
    COUNTERFACTUAL = "counterfactual"


def parse_when(value: str) -> datetime:
    """Turn a `when` string into a datetime (missing day/time become 1 / 00:00)."""
    m = WHEN_PATTERN.match(value)
    if m is None:
        raise ValueError(f"`when` {value!r} is not YYYY-MM-DD HH:MM, YYYY-MM-DD or YYYY-MM")
    year, month, day, hour, minute = m.groups()
    try:
        return datetime(int(year), int(month), int(day or 1), int(hour or 0), int(minute or 0))
    except ValueError as exc:
        raise ValueError(f"`when` {value!r}: {exc}") from None


def format_when(value: str, tz: str, approximate: bool = False) -> str:
    """Header form of a `when` in the player's language: `Fri 17 Nov 2023 · 12:00 PT`."""
    m = WHEN_PATTERN.match(value)
    if m is None:
        return value
    moment = parse_when(value)
    if m.group(3) is None:
        text = date_text(moment, day=False)
    elif m.group(4) is None:
        text = date_text(moment)
    else:
        text = f"{date_text(moment)} · {time_text(moment)} {tz}"
    return _("around {date}").format(date=text) if approximate else text


__all__ = ["WHEN_PATTERN", "Label", "format_when", "parse_when"]
