"""Letter numbers: the office's pattern, no gaps and no repeats per kecamatan and year, a
returned match approved later takes the next number, a failed approval takes none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.matching import numbering, transitions
from portal.models import KecamatanOffice, Letter, LetterCounter, Match
from tests.conftest import TEST_PASSWORD
from tests.factories import kecamatan
from tests.support.matching import cast_for, offered, planned


def _submitted(contribution, cast, people=1):
    match = planned(contribution, people=people)
    transitions.submit(match, cast.officer)
    db.session.commit()
    return match


def _seqs(kec_code: str) -> list[int]:
    query = select(Match.letter_seq).where(
        Match.kecamatan_id == kecamatan(kec_code).id, Match.letter_seq.is_not(None)
    )
    return sorted(db.session.scalars(query))


def test_the_pattern_reads_like_bast_md(ctx):
    kec = kecamatan("64.02.10")
    office = KecamatanOffice(class_code="400.9", letter_pattern=numbering.DEFAULT_PATTERN)
    assert numbering.format_number(office, kec, 7, date(2025, 5, 14)) == (
        "400.9/007/CSR-64.02.10/V/2025"
    )
    office = KecamatanOffice(class_code="460", letter_pattern="{seq:04d}/{class_code}/{year}")
    assert numbering.format_number(office, kec, 12, date(2025, 12, 1)) == "0012/460/2025"
    office.letter_pattern = "{unknown}/{seq}"  # a broken pattern falls back to the default
    assert numbering.format_number(office, kec, 1, date(2025, 1, 2)).startswith("460/001/")
    assert numbering.format_number(None, kec, 3, date(2025, 2, 2)).startswith("400.9/003/")
    assert [numbering.month_roman(m) for m in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]


def test_numbers_have_no_gaps_per_kecamatan_and_year(ctx):
    here, there = offered(quantity=50), offered(quantity=50, kec="64.02.10")
    cast_here, cast_there = cast_for(here), cast_for(there)
    for _ in range(3):
        transitions.approve(_submitted(here, cast_here), cast_here.camat, TEST_PASSWORD)
    transitions.approve(_submitted(there, cast_there), cast_there.camat, TEST_PASSWORD)
    db.session.commit()
    assert _seqs("64.02.06") == [1, 2, 3]
    assert _seqs("64.02.10") == [1]
    year = numbering.letter_date().year
    counters = {c.kecamatan_id: c.last_seq for c in db.session.scalars(select(LetterCounter))}
    assert counters == {kecamatan("64.02.06").id: 3, kecamatan("64.02.10").id: 1}
    assert all(c.year == year for c in db.session.scalars(select(LetterCounter)))


def test_a_new_year_starts_at_one(ctx):
    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    db.session.add(LetterCounter(kecamatan_id=contribution.kecamatan_id, year=2000, last_seq=41))
    number = transitions.approve(_submitted(contribution, cast), cast.camat, TEST_PASSWORD)
    assert number.seq == 1 and number.year == numbering.letter_date().year


def test_a_returned_match_approved_later_takes_the_next_number(ctx):
    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    first, second = _submitted(contribution, cast), _submitted(contribution, cast)
    transitions.return_(first, cast.camat, "Lengkapi alamat penerima")
    transitions.approve(second, cast.camat, TEST_PASSWORD)
    transitions.submit(first, cast.officer)
    transitions.approve(first, cast.camat, TEST_PASSWORD)
    db.session.commit()
    assert (second.letter_seq, first.letter_seq) == (1, 2)


def test_a_failed_approval_uses_no_number(ctx, monkeypatch):
    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    match = _submitted(contribution, cast)

    def broken_letter(match, number, actor):
        raise RuntimeError("the letter could not be signed")

    monkeypatch.setattr(numbering, "issue_letter", broken_letter)
    with pytest.raises(RuntimeError):
        transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.rollback()
    assert db.session.scalar(select(LetterCounter)) is None
    assert match.status == "submitted" and match.letter_number is None
    monkeypatch.undo()
    number = transitions.approve(match, cast.camat, TEST_PASSWORD)
    assert number.seq == 1


def test_the_letter_hook_sees_the_number_before_it_is_taken(ctx, monkeypatch):
    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    match = _submitted(contribution, cast)
    seen = []

    real = numbering.issue_letter

    def letter(match, number, actor):
        seen.append((number.text, numbering.last_used(match.kecamatan_id, number.year)))
        return real(match, number, actor)

    monkeypatch.setattr(numbering, "issue_letter", letter)
    number = transitions.approve(match, cast.camat, TEST_PASSWORD)
    assert seen == [(number.text, 0)]


def test_a_number_taken_meanwhile_makes_approval_take_the_next(ctx, monkeypatch):
    """Another approval commits number 1 while this one renders: this one takes 2."""
    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    match = _submitted(contribution, cast)
    calls = []

    real = numbering.issue_letter

    def letter(match, number, actor):
        calls.append(number.seq)
        if len(calls) == 1:  # the other approval takes the number now
            db.session.add(
                LetterCounter(kecamatan_id=match.kecamatan_id, year=number.year, last_seq=1)
            )
            db.session.flush()
        return real(match, number, actor)

    monkeypatch.setattr(numbering, "issue_letter", letter)
    number = transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    assert calls == [1, 2] and number.seq == 2
    # The letter made with the number the other approval took is not kept.
    assert [(x.number, x.match_id) for x in db.session.scalars(select(Letter))] == [
        (number.text, match.id)
    ]


def test_an_approval_at_a_past_moment_dates_its_letter_and_number_then(ctx):
    """The demo data approves its older plans in the past (``at``): the letter's date and
    the number's month are that moment's in WITA, not today's."""
    from datetime import UTC, datetime

    from portal.letters.data import wita

    contribution = offered(quantity=10)
    cast = cast_for(contribution)
    match = _submitted(contribution, cast)
    moment = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 1 April 01:30 in WITA
    number = transitions.approve(match, cast.camat, TEST_PASSWORD, at=moment)
    db.session.flush()
    assert number.text.endswith("/IV/2026") and number.year == 2026
    assert match.approved_at == moment
    letter = db.session.scalar(select(Letter).where(Letter.match_id == match.id))
    assert wita(letter.letter_date).date() == date(2026, 4, 1)
