"""The exportable lists: for each, who may export it, how its filter form reads the
posted fields, the query (the list's own, so the file holds what the screen shows) and
the columns. A list with personal data is audited when exported."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from portal.core.labels import (
    COMPANY_SECTOR_LABELS,
    COMPANY_STATE_LABELS,
    CONTRIBUTION_KIND_LABELS,
    CONTRIBUTION_STATE_LABELS,
    RECIPIENT_SOURCE_LABELS,
    ROLE_LABELS,
    SECTOR_LABELS,
    SEX_LABELS,
    TARGET_GROUP_LABELS,
    VALIDATION_STATE_LABELS,
    label,
)
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Company, Contribution, Desa, Kecamatan, Recipient, User
from portal.models.registry import recipient_sector, recipient_target_group

# Rows read and written per round: bounds memory and the IN lists of the code lookups.
CHUNK = 1000


@dataclass(frozen=True)
class ExportList:
    name: str
    title: object  # the file's name and sheet title
    roles: tuple[str, ...]
    personal: bool
    filters: Callable[[User, MultiDict], object]
    query: Callable[[User, object], Select]
    header: Sequence[object]
    rows: Callable[[Sequence[object]], Iterator[tuple]]  # one chunk of records → rows


class _Labels:
    """Labels as plain text, each translated once a chunk rather than once a cell (a
    translation lookup costs more than the rest of the row)."""

    def __init__(self):
        self._seen: dict[tuple[int, object], str] = {}

    def __call__(self, mapping: dict, code) -> str:
        key = (id(mapping), code)
        if key not in self._seen:
            self._seen[key] = label(mapping, code)
        return self._seen[key]


YES_NO = {True: _l("Yes"), False: _l("No")}
ACTIVE = {True: _l("Active"), False: _l("Inactive")}


# --- recipients ----------------------------------------------------------------------


def _recipient_filters(user: User, formdata: MultiDict):
    from portal.registry.forms import SearchForm

    return SearchForm(user, formdata).filters()


def _recipient_query(user: User, filters) -> Select:
    """The list's query without its joined desa and kecamatan: a file of 100,000 people
    names a few hundred places, read once a chunk (``_place_names``), and joining them to
    every row was a third of the export's time."""
    from portal.registry.search import recipient_query

    return recipient_query(user, filters, places=False)


def _place_names(model, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def _codes_by_recipient(table, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    query = select(table.c.recipient_id, table.c.code).where(table.c.recipient_id.in_(ids))
    for recipient_id, code in db.session.execute(query.order_by(table.c.code)):
        found.setdefault(recipient_id, []).append(code)
    return found


def _recipient_rows(chunk: Sequence[Recipient]) -> Iterator[tuple]:
    text = _Labels()
    from portal.core import settings
    from portal.core.dates import utcnow
    from portal.registry.validity import validation_state

    months, now = settings.get("validation_months"), utcnow()  # once a chunk, not a row
    ids = [person.id for person in chunk]
    groups = _codes_by_recipient(recipient_target_group, ids)
    sectors = _codes_by_recipient(recipient_sector, ids)
    desa = _place_names(Desa, {p.desa_id for p in chunk if p.desa_id})
    kecamatan = _place_names(Kecamatan, {p.kecamatan_id for p in chunk if p.kecamatan_id})
    for person in chunk:
        yield (
            person.nik,
            person.kk or "",
            person.name,
            text(SEX_LABELS, person.sex),
            person.birth_date,
            person.address,
            desa.get(person.desa_id, ""),
            kecamatan.get(person.kecamatan_id, ""),
            ", ".join(text(TARGET_GROUP_LABELS, c) for c in groups.get(person.id, [])),
            ", ".join(text(SECTOR_LABELS, c) for c in sectors.get(person.id, [])),
            text(RECIPIENT_SOURCE_LABELS, person.source),
            text(VALIDATION_STATE_LABELS, validation_state(person, now, months)),
            text(YES_NO, person.active),
        )


RECIPIENTS = ExportList(
    name="recipients",
    title=_l("Recipients"),
    roles=("officer", "camat", "admin", "village"),
    personal=True,
    filters=_recipient_filters,
    query=_recipient_query,
    header=(
        _l("NIK"),
        _l("KK number"),
        _l("Name"),
        _l("Sex"),
        _l("Birth date"),
        _l("Address"),
        _l("Desa / kelurahan"),
        _l("Kecamatan"),
        _l("Target groups"),
        _l("Sectors"),
        _l("Source"),
        _l("Validation"),
        _l("Active"),
    ),
    rows=_recipient_rows,
)


# --- contributions -------------------------------------------------------------------


def _contribution_filters(user: User, formdata: MultiDict):
    from portal.contributions.forms import filter_form

    return filter_form(user, formdata).filters()


def _contribution_query(user: User, filters) -> Select:
    from portal.contributions.queries import list_query

    # The list loads each one's company and items already; the file adds its kecamatan.
    return list_query(user, filters).options(selectinload(Contribution.kecamatan))


def _contribution_rows(chunk: Sequence[Contribution]) -> Iterator[tuple]:
    text = _Labels()
    for item in chunk:
        yield (
            item.id,
            item.title,
            item.company.name,
            text(CONTRIBUTION_KIND_LABELS, item.kind),
            item.kecamatan.name if item.kecamatan else "",
            text(CONTRIBUTION_STATE_LABELS, item.status),
            item.planned_date,
            item.total_value,
            item.submitted_at.date() if item.submitted_at else None,
        )


CONTRIBUTIONS = ExportList(
    name="contributions",
    title=_l("Contributions"),
    roles=("partner", "officer", "camat", "admin"),
    personal=False,
    filters=_contribution_filters,
    query=_contribution_query,
    header=(
        _l("Number"),
        _l("Title"),
        _l("Company"),
        _l("Kind"),
        _l("Kecamatan"),
        _l("Status"),
        _l("Planned date"),
        _l("Estimated value (Rp)"),
        _l("Submitted on"),
    ),
    rows=_contribution_rows,
)

# --- the admin's companies and users --------------------------------------------------


def _company_filters(user: User, formdata: MultiDict) -> dict:
    from portal.admin.forms import CompanyFilterForm

    return CompanyFilterForm(formdata).filters()


def _company_query(user: User, f: dict) -> Select:
    from portal.admin.services import company_query

    return company_query(f["q"], f["status"], f["sector"])


def _company_rows(chunk: Sequence[Company]) -> Iterator[tuple]:
    text = _Labels()
    for company in chunk:
        yield (
            company.name,
            text(COMPANY_SECTOR_LABELS, company.sector),
            text(COMPANY_STATE_LABELS, company.status),
            company.address,
            company.phone,
            company.email,
            company.representative_name,
            company.representative_title,
        )


COMPANIES = ExportList(
    name="companies",
    title=_l("Companies"),
    roles=("admin",),
    personal=False,
    filters=_company_filters,
    query=_company_query,
    header=(
        _l("Name"),
        _l("Sector"),
        _l("Status"),
        _l("Address"),
        _l("Phone"),
        _l("E-mail"),
        _l("Representative"),
        _l("Representative's title"),
    ),
    rows=_company_rows,
)


def _user_filters(user: User, formdata: MultiDict) -> dict:
    from portal.admin.forms import UserFilterForm

    return UserFilterForm(formdata).filters()


def _user_query(user: User, f: dict) -> Select:
    from portal.admin.services import user_query

    return user_query(f["q"], f["role"], f["kecamatan"], f["status"])


def _user_rows(chunk: Sequence[User]) -> Iterator[tuple]:
    text = _Labels()
    for account in chunk:
        yield (
            account.name,
            account.email,
            text(ROLE_LABELS, account.role),
            account.scope_label,
            account.title,
            account.nip,
            text(ACTIVE, account.active),
            account.last_login_at.date() if account.last_login_at else None,
        )


USERS = ExportList(
    name="users",
    title=_l("Users"),
    roles=("admin",),
    personal=True,  # names, e-mail addresses and NIPs of staff
    filters=_user_filters,
    query=_user_query,
    header=(
        _l("Name"),
        _l("E-mail"),
        _l("Role"),
        _l("Scope"),
        _l("Title"),
        _l("NIP"),
        _l("Status"),
        _l("Last login"),
    ),
    rows=_user_rows,
)


# --- monitoring visits ---------------------------------------------------------------


def _visit_filters(user: User, formdata: MultiDict):
    from portal.monitoring.forms import VisitFilterForm

    return VisitFilterForm(user, formdata).filters()


def _visit_query(user: User, filters) -> Select:
    from portal.monitoring.queries import list_query

    return list_query(user, filters)


def _visit_rows(chunk: Sequence) -> Iterator[tuple]:
    from portal.core.dates import local_today
    from portal.matching.transitions import display_name
    from portal.monitoring.queries import CLOSE_REASON_LABELS, VISIT_STATE_LABELS, shown_state

    text, today = _Labels(), local_today()
    for visit in chunk:
        yield (
            visit.recipient.nik,
            visit.recipient.name,
            visit.desa.name if visit.desa else "",
            display_name(visit.match),
            visit.match.letter_number or "",
            visit.months,
            visit.due_on,
            text(VISIT_STATE_LABELS, shown_state(visit, today)),
            visit.visited_on,
            "" if visit.aid_in_use is None else text(YES_NO, visit.aid_in_use),
            "" if visit.business_running is None else text(YES_NO, visit.business_running),
            visit.income_before,
            visit.income_after,
            text(CLOSE_REASON_LABELS, visit.close_reason) if visit.close_reason else "",
            visit.notes,
        )


VISITS = ExportList(
    name="visits",
    title=_l("Monitoring visits"),
    roles=("officer", "camat", "admin"),
    personal=True,
    filters=_visit_filters,
    query=_visit_query,
    header=(
        _l("NIK"),
        _l("Name"),
        _l("Desa / kelurahan"),
        _l("Handover plan"),
        _l("Letter number"),
        _l("Months after the handover"),
        _l("Due on"),
        _l("State"),
        _l("Visited on"),
        _l("Aid in use"),
        _l("Business running"),
        _l("Income before (Rp)"),
        _l("Income now (Rp)"),
        _l("Closed because"),
        _l("Notes"),
    ),
    rows=_visit_rows,
)

LISTS = {spec.name: spec for spec in (RECIPIENTS, CONTRIBUTIONS, COMPANIES, USERS, VISITS)}
