"""The player's language: interface strings through gettext, dates and numbers through Babel.

One language is in force per process (a `serve` visitor has a process of its own): front ends
set it once from `--lang`, the settings or the environment, and every message asked for after
that comes in it. The catalogues are `game/locale/<lang>/LC_MESSAGES/candid.po`, compiled in
memory with Babel when first needed, so no binary `.mo` file is kept in the repository.
English is the source language: it needs no catalogue, and Babel is imported only for others.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path

SOURCE = "en"
DOMAIN = "candid"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the locale is read from, in gettext's order of precedence."""

_current: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE


def interface_languages() -> list[str]:
    """Languages the interface is translated into, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE, *(lang for lang in found if lang != SOURCE)]


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (an empty one for English or an unknown language)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == SOURCE or not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def set_language(lang: str | None) -> str:
    """Make `lang` the language of every message from now on; returns the language in force."""
    global _current, _language
    _language = lang or SOURCE
    _current = catalogue(_language)
    return _language


def language() -> str:
    return _language


def _(message: str) -> str:
    """A message of the interface in the player's language."""
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet: a module-level constant is
    marked with this and passed through `_()` where it is shown, in the language then in force."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


def quotes() -> tuple[str, str]:
    """The typographic quotes of the language: “…” in English, „…“ in German."""
    return pgettext("opening quote", "“"), pgettext("closing quote", "”")


def quoted(text: str) -> str:
    """`text` between the language's typographic quotes."""
    left, right = quotes()
    return f"{left}{text}{right}"


def normalise(name: str) -> str:
    """`de_DE.UTF-8`, `de-de`, `de_DE@euro` → `de_DE`; `de` stays `de`."""
    base = name.split(".")[0].split("@")[0].replace("-", "_")
    lang, _sep, region = base.partition("_")
    return f"{lang.lower()}_{region.upper()}" if region else lang.lower()


def candidates(name: str) -> list[str]:
    """The forms of a locale to look for, most specific first: `de_AT` then `de`."""
    full = normalise(name)
    short = full.split("_")[0]
    return [full, short] if full != short else [full]


def from_environment(available: list[str], env: Mapping[str, str] | None = None) -> str | None:
    """The first language of the environment that is in `available`, or None.

    Follows gettext: the first of LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set decides,
    and LANGUAGE may list several (`de:fr`). `C` and `POSIX` mean English.
    """
    env = os.environ if env is None else env
    for var in ENV_VARS:
        value = env.get(var, "")
        if not value:
            continue
        for item in value.split(":") if var == "LANGUAGE" else [value]:
            if item in ("C", "POSIX") or item.startswith("C."):
                return SOURCE if SOURCE in available else None
            for form in candidates(item):
                if form in available:
                    return form
        if var != "LANGUAGE":
            return None
    return None


# --- dates and numbers -------------------------------------------------------------------------


def _babel_locale() -> str:
    return _language


def date_text(moment: datetime, *, weekday: bool = True, day: bool = True, year: bool = True) -> str:
    """A date as a header shows it: `Fri 17 Nov 2023` in English, `Fr., 17. Nov. 2023` in German."""
    if _language == SOURCE:
        if not day:
            return f"{moment:%b %Y}"
        text = (f"{moment:%a} " if weekday else "") + f"{moment.day} {moment:%b}"
        return text + (f" {moment:%Y}" if year else "")
    from babel.dates import format_skeleton

    skeleton = ("E" if weekday and day else "") + ("y" if year else "") + "MMM" + ("d" if day else "")
    return str(format_skeleton(skeleton, moment, locale=_babel_locale()))


def time_text(moment: datetime) -> str:
    """A clock time: `12:00` (24-hour in both languages, as the story's sources write it)."""
    return f"{moment:%H:%M}"


def number_text(value: int) -> str:
    """A whole number: `12,000` in English, `12.000` in German."""
    if _language == SOURCE:
        return str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_babel_locale()))


def percent_text(value: int) -> str:
    """A whole percentage: `30%` in English, `30 %` in German."""
    if _language == SOURCE:
        return f"{value}%"
    from babel.numbers import format_percent

    return str(format_percent(value / 100, locale=_babel_locale()))


def clock_text(seconds: float) -> str:
    """A local time stamp (when a save was made): `17 Nov 12:00`."""
    moment = datetime.fromtimestamp(seconds)
    return f"{date_text(moment, weekday=False, year=False)} {time_text(moment)}"


__all__ = [
    "N_",
    "SOURCE",
    "_",
    "candidates",
    "catalogue",
    "clock_text",
    "date_text",
    "from_environment",
    "interface_languages",
    "language",
    "ngettext",
    "normalise",
    "number_text",
    "percent_text",
    "pgettext",
    "quoted",
    "quotes",
    "set_language",
    "time_text",
]
