"""Letter numbers (DESIGN section 4, BAST.md "Numbering"): unique and without gaps per
kecamatan and year, from the kecamatan office's pattern, for example
``400.9/007/CSR-64.02.10/V/2025``.

The counter (``LetterCounter``: the last number used per kecamatan and year) moves only
inside the approving transaction, and only by a conditional write: ``claim(n)`` turns
``last_seq = n - 1`` into ``n`` (``UPDATE ... WHERE last_seq = n - 1``), or for the first
letter of a year inserts the row with ``last_seq = 1`` (the primary key refuses a second
insert). When another approval took ``n`` first, the claim matches no row (or the insert
meets the key) and the approval tries again with the next number. Because the number is
only read until the claim, the letter can be rendered and signed with it before the write
lock is taken (``issue_letter``), and a failed approval rolls the claim back with
everything else, so no number is ever lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import Kecamatan, KecamatanOffice, LetterCounter, Match

DEFAULT_PATTERN = "{class_code}/{seq:03d}/CSR-{kecamatan_code}/{month_roman}/{year}"
DEFAULT_CLASS_CODE = "400.9"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class LetterNumber:
    """A number as approval assigns it: the sequence within its kecamatan and year, and
    the text the letter carries."""

    kecamatan_id: int
    year: int
    seq: int
    text: str


def letter_date(moment: datetime | None = None) -> date:
    """The day of ``moment`` (by default now) in the portal's zone (WITA): the letter's
    date, month and year."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Makassar")
    return moment.astimezone(zone).date() if moment is not None else datetime.now(zone).date()


def month_roman(month: int) -> str:
    """``5`` → ``V``: the month as Indonesian letter numbers write it."""
    return ROMAN[month - 1]


def format_number(office: KecamatanOffice | None, kecamatan: Kecamatan, seq: int, on: date) -> str:
    """The letter number ``seq`` of ``kecamatan`` on date ``on``, by the office's pattern
    (the default one when the office has none, or one that does not format)."""
    pattern = (office.letter_pattern if office else "") or DEFAULT_PATTERN
    values = {
        "class_code": (office.class_code if office else "") or DEFAULT_CLASS_CODE,
        "seq": seq,
        "kecamatan_code": kecamatan.code,
        "month_roman": month_roman(on.month),
        "month": on.month,
        "year": on.year,
    }
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        return DEFAULT_PATTERN.format(**values)


def last_used(kecamatan_id: int, year: int) -> int:
    """The last number taken in this kecamatan and year (0 before the first letter),
    read from the database, not from the session's memory."""
    query = select(LetterCounter.last_seq).where(
        LetterCounter.kecamatan_id == kecamatan_id, LetterCounter.year == year
    )
    return db.session.execute(query).scalar() or 0


def next_number(match: Match, on: date) -> LetterNumber:
    """The number the match would get if it were approved now (nothing is taken yet)."""
    seq = last_used(match.kecamatan_id, on.year) + 1
    kecamatan = db.session.get(Kecamatan, match.kecamatan_id)
    office = db.session.get(KecamatanOffice, match.kecamatan_id)
    text = format_number(office, kecamatan, seq, on)
    return LetterNumber(match.kecamatan_id, on.year, seq, text)


def claim(number: LetterNumber) -> bool:
    """Take ``number`` in the current transaction if it is still the next one; False when
    another approval took it first (then nothing was changed)."""
    if number.seq == 1:
        return _claim_first(number)
    result = db.session.execute(
        update(LetterCounter)
        .where(
            LetterCounter.kecamatan_id == number.kecamatan_id,
            LetterCounter.year == number.year,
            LetterCounter.last_seq == number.seq - 1,
        )
        .values(last_seq=number.seq)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _claim_first(number: LetterNumber) -> bool:
    """The year's first letter: the counter row is created holding 1. Two first approvals
    at once insert the same key; ``ON CONFLICT DO NOTHING`` lets one through (PostgreSQL
    makes the second wait for the first to commit) and the other finds no row inserted
    and retries, without an error that would end its transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {"kecamatan_id": number.kecamatan_id, "year": number.year, "last_seq": 1}
    statement = (
        insert(LetterCounter.__table__)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(LetterCounter.__table__.c.last_seq)
    )
    # RETURNING names the inserted row (rowcount is not reliable for this statement).
    return db.session.execute(statement).first() is not None


def issue_letter(match: Match, number: LetterNumber, actor):
    """Called by approval once the number is known and before it is taken: the letter
    (BAST) is rendered with this number, signed with the camat's certificate and added to
    the session (``portal.letters.services.issue_letter``). If it raises, the approval
    fails whole and uses no number; when another approval takes the number meanwhile,
    approval drops this letter and calls again with the next one."""
    from portal.letters.services import issue_letter as issue

    return issue(match, number.text, actor)


def letter_approved(match: Match, letter, actor) -> None:
    """Called by approval once the number is taken: when the match was an amendment, its
    old letter becomes replaced by ``letter`` (``portal.letters.amendments.complete``)."""
    from portal.letters.amendments import complete

    complete(match, letter, actor)
