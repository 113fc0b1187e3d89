"""A member's double-aid flags in words for the match page: what, when, from which
programme or company, and whether a family member received it. The flags are stored as
the builder found them (``MatchMember.flags``, a list of dicts); a flag that carries its
own ``text`` reads as that."""

from __future__ import annotations

from datetime import date

from portal.core.formatting import long_date
from portal.core.labels import AID_SOURCE_LABELS, label
from portal.core.text import lazy_gettext as _l


def _when(flag: dict) -> str:
    raw = flag.get("received_on") or flag.get("date") or ""
    try:
        return long_date(date.fromisoformat(str(raw)[:10])) if raw else ""
    except ValueError:
        return str(raw)


def flag_line(flag) -> str:
    """One flag as a sentence ("PKH, 10 Januari 2025, PKH (keluarga satu KK)")."""
    if not isinstance(flag, dict):
        return str(flag)
    if flag.get("text"):
        return str(flag["text"])
    what = flag.get("category_name") or flag.get("category") or ""
    source = flag.get("company") or flag.get("programme") or flag.get("source") or ""
    parts = [str(what), _when(flag), label(AID_SOURCE_LABELS, source) if source else ""]
    line = ", ".join(p for p in parts if p)
    if flag.get("family"):
        line = str(_l("%(aid)s (a family member on the same KK)", aid=line))
    return line


def flag_lines(flags) -> list[str]:
    return [flag_line(flag) for flag in flags or []]
