"""The handover plans and letters lists as exports (issue 12), beside ``lists``: what
these pages show a partner is no one's personal data (counts, desa, numbers and the
signer named on every letter); the recipients' names stay on the plan's own page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal.core.labels import MATCH_STATE_LABELS
from portal.core.text import lazy_gettext as _l
from portal.exports.lists import ExportList, _Labels
from portal.extensions import db
from portal.models import Contribution, Letter, Match, MatchMember, User

RETURNED = {True: _l("Returned by the camat")}


def _match_filters(user: User, formdata: MultiDict):
    from portal.matching.decision_forms import filter_form

    return filter_form(user, formdata).filters()


def _match_query(user: User, filters) -> Select:
    from portal.matching.lists import list_query

    return list_query(user, filters).options(
        selectinload(Match.kecamatan), selectinload(Match.desa)
    )


def _people_by_match(ids: list[int]) -> dict[int, int]:
    query = (
        select(MatchMember.match_id, func.count())
        .where(MatchMember.match_id.in_(ids), MatchMember.status == "active")
        .group_by(MatchMember.match_id)
    )
    return dict(db.session.execute(query).all())


def _match_rows(chunk: Sequence[Match]) -> Iterator[tuple]:
    text = _Labels()
    people = _people_by_match([match.id for match in chunk])
    for match in chunk:
        state = text(MATCH_STATE_LABELS, match.status)
        if match.is_returned:
            state = text(RETURNED, True)
        yield (
            match.label or match.contribution.title,
            match.contribution.title,
            match.contribution.company.name,
            match.kecamatan.name,
            match.desa.name if match.desa else "",
            state,
            people.get(match.id, 0),
            match.delivery_date,
            match.submitted_at.date() if match.submitted_at else None,
            match.approved_at.date() if match.approved_at else None,
            match.letter_number or "",
        )


MATCHES = ExportList(
    name="matches",
    title=_l("Handover plans"),
    roles=("partner", "officer", "camat", "admin"),
    personal=False,
    filters=_match_filters,
    query=_match_query,
    header=(
        _l("Plan"),
        _l("Contribution"),
        _l("Company"),
        _l("Kecamatan"),
        _l("Desa / kelurahan"),
        _l("Status"),
        _l("Recipients"),
        _l("Delivery date"),
        _l("Submitted on"),
        _l("Approved on"),
        _l("Letter number"),
    ),
    rows=_match_rows,
)

LETTER_STATES = {"valid": _l("Valid"), "replaced": _l("Replaced")}


def _letter_filters(user: User, formdata: MultiDict):
    from portal.letters.forms import LetterFilterForm

    form = LetterFilterForm(formdata)
    form.validate()
    return form.value("q"), form.value("status")


def _letter_query(user: User, filters) -> Select:
    from portal.letters.queries import list_query

    return list_query(user, *filters).options(
        selectinload(Letter.match).selectinload(Match.kecamatan),
        selectinload(Letter.match)
        .selectinload(Match.contribution)
        .selectinload(Contribution.company),
        selectinload(Letter.replaces),
    )


def _letter_rows(chunk: Sequence[Letter]) -> Iterator[tuple]:
    from portal.letters.data import wita

    text = _Labels()
    for letter in chunk:
        match = letter.match
        yield (
            letter.number,
            wita(letter.letter_date).date(),
            match.kecamatan.name,
            match.contribution.company.name,
            text(LETTER_STATES, letter.status),
            letter.verification_code,
            letter.total_value,
            letter.recipient_count,
            letter.signer_name,
            letter.signer_title,
            letter.replaces.number if letter.replaces else "",
        )


LETTERS = ExportList(
    name="letters",
    title=_l("Handover letters"),
    roles=("partner", "officer", "camat", "admin"),
    personal=False,
    filters=_letter_filters,
    query=_letter_query,
    header=(
        _l("Number"),
        _l("Date"),
        _l("Kecamatan"),
        _l("Company"),
        _l("Status"),
        _l("Verification code"),
        _l("Total value (Rp)"),
        _l("Recipients"),
        _l("Signed by"),
        _l("Title"),
        _l("Replaces"),
    ),
    rows=_letter_rows,
)

PLAN_LISTS = {spec.name: spec for spec in (MATCHES, LETTERS)}
