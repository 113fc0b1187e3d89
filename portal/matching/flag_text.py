"""A member's double-aid flags as the match pages list them: each in the builder's own
words (``flags.flag_text``); a flag that carries its own ``text`` reads as that."""

from __future__ import annotations

from portal.matching.flags import flag_text


def flag_line(flag) -> str:
    if not isinstance(flag, dict):
        return str(flag)
    if flag.get("text"):
        return str(flag["text"])
    return flag_text(flag)


def flag_lines(flags) -> list[str]:
    return [flag_line(flag) for flag in flags or []]
