"""Ids typed or forged into a form: database ids are 64-bit, so a larger (or negative,
or non-numeric) value is refused by the field that carries it, never sent to a query."""

from __future__ import annotations

MAX_ID = 2**63 - 1


def optional_id(value) -> int | None:
    """A select's coerce for ids: None for the empty choice, the id for a real one, and a
    ValueError (the field's "choose from the list") for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value)
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
            raise ValueError(f"not an id: {text[:30]!r}")
        number = int(text)
    if not 0 < number <= MAX_ID:
        raise ValueError(f"not an id: {number}")
    return number
