"""The reports as spreadsheets, through the one neutralising writer (``core.tabular``):
each report is a list of sections ``(title, rows)``, header row first; XLSX writes a
sheet per section, CSV the sections one after another with their title and a blank row
between. The evaluation names people (masked NIK and KK), so its export is audited."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from portal.core import tabular
from portal.core.labels import (
    AID_SOURCE_LABELS,
    CONTRIBUTION_KIND_LABELS,
    MATCH_STATE_LABELS,
    RECIPIENT_SOURCE_LABELS,
    TARGET_GROUP_LABELS,
    label,
)
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import AuditEvent, User
from portal.reports.impact import percent
from portal.reports.impact_data import Impact
from portal.reports.queries import Evaluation

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": tabular.XLSX_MIMETYPE}
Section = tuple[str, Sequence[tuple]]


def file_bytes(fmt: str, sections: list[Section]) -> bytes:
    if fmt == "xlsx":
        return tabular.xlsx_workbook(sections)
    return tabular.csv_bytes(_one_after_another(sections))


def _one_after_another(sections: list[Section]) -> Iterator[tuple]:
    for n, (title, rows) in enumerate(sections):
        if n:
            yield ()
        yield (title,)
        yield from rows


def _texts(*titles) -> tuple[str, ...]:
    return tuple(str(title) for title in titles)


# --- the monthly evaluation -----------------------------------------------------------


def evaluation_sections(report: Evaluation) -> list[Section]:
    return [
        (str(_l("Summary")), _evaluation_summary(report)),
        (str(_l("Flags kept")), _flag_rows(report)),
        (str(_l("Households served twice")), _household_rows(report)),
    ]


def _evaluation_summary(r: Evaluation) -> list[tuple]:
    area = r.kecamatan or str(_l("Whole regency (Kutai Kartanegara)"))
    rows = [
        _texts(_l("Figure"), _l("Count"), _l("People"), _l("Value (Rp)")),
        (str(_l("Kecamatan")), area, None, None),
        (str(_l("Month")), r.period.title, None, None),
        (str(_l("Contributions received")), r.received, None, r.received_value),
    ]
    rows += [
        (f"  {label(CONTRIBUTION_KIND_LABELS, k.kind)}", k.count, None, k.value)
        for k in r.contributions
    ]
    rows += [
        (str(_l("Plans submitted")), r.submitted.plans, r.submitted.people, r.submitted.value),
        (str(_l("Plans approved")), r.approved.plans, r.approved.people, r.approved.value),
        (
            str(_l("Handovers")),
            r.handed_over.handovers,
            r.handed_over.received,
            r.handed_over.value,
        ),
        (str(_l("Absent at the handover")), None, r.handed_over.absent, None),
        (str(_l("Monitoring visits recorded")), r.monitoring.recorded, None, None),
    ]
    for v in r.monitoring.visits:
        after = _l("after %(num)s months", num=v.months)
        rows.append(("  " + str(after), v.recorded, None, None))
        rows.append(("    " + str(_l("aid in use")), v.in_use, None, None))
        rows.append(("    " + str(_l("business running")), v.running, None, None))
    rows += [
        (str(_l("Visits closed (moved, died)")), r.monitoring.closed, None, None),
        (str(_l("Visits due this month, not yet made")), r.monitoring.due_open, None, None),
        (str(_l("Plans fully monitored")), r.monitoring.plans_monitored, None, None),
        (str(_l("Flags kept with a reason")), len(r.flags), None, None),
        (str(_l("Households served more than once")), len(r.households), None, None),
    ]
    return rows


def _flag_rows(r: Evaluation) -> list[tuple]:
    rows = [
        _texts(
            _l("Plan"),
            _l("Contribution"),
            _l("Status"),
            _l("Name"),
            _l("NIK (masked)"),
            _l("Desa / kelurahan"),
            _l("Flags"),
            _l("Reason for keeping"),
        )
    ]
    rows += [
        (
            f.plan,
            f.contribution,
            label(MATCH_STATE_LABELS, f.status),
            f.name,
            f.masked_nik,
            f.desa,
            "; ".join(f.flags),
            f.reason,
        )
        for f in r.flags
    ]
    return rows


def _household_rows(r: Evaluation) -> list[tuple]:
    rows = [
        _texts(
            _l("KK (masked)"),
            _l("Desa / kelurahan"),
            _l("Aid records"),
            _l("Name"),
            _l("NIK (masked)"),
            _l("Received on"),
            _l("Source"),
            _l("Programme"),
            _l("Category"),
        )
    ]
    for h in r.households:
        for line in h.lines:
            rows.append(
                (
                    h.masked_kk,
                    h.desa,
                    h.records,
                    line.name,
                    line.masked_nik,
                    line.received_on,
                    label(AID_SOURCE_LABELS, line.source),
                    line.programme,
                    line.category,
                )
            )
    return rows


def record_evaluation_export(user: User, report: Evaluation, kecamatan_id, fmt: str) -> None:
    """Audit the export (it names people): who, which area and month, how many rows (the
    caller commits)."""
    db.session.add(
        AuditEvent(
            actor_id=user.id,
            action="export",
            object_type="export",
            details={
                "list": "evaluation",
                "format": fmt,
                "rows": len(report.flags) + sum(len(h.lines) for h in report.households),
                "filters": {"kecamatan": kecamatan_id or "regency", "month": report.period.key},
            },
        )
    )


def evaluation_filename(report: Evaluation, kecamatan_code: str | None, fmt: str) -> str:
    area = (kecamatan_code or "kukar").replace(".", "")
    return f"evaluasi-{area}-{report.period.key}.{fmt}"


# --- the impact report ----------------------------------------------------------------


def impact_sections(r: Impact) -> list[Section]:
    return [
        (str(_l("Summary")), _impact_summary(r)),
        (str(_l("Reach")), _reach_rows(r)),
        (str(_l("Sources and groups")), _group_rows(r)),
        (str(_l("Contributions")), _given_rows(r)),
        (str(_l("Items")), _item_rows(r)),
        (str(_l("Use")), _use_rows(r)),
        (str(_l("Letters")), _letter_rows(r)),
    ]


def _impact_summary(r: Impact) -> list[tuple]:
    return [
        _texts(_l("Figure"), _l("Value")),
        (str(_l("Company")), r.company),
        (str(_l("From")), r.period.first),
        (str(_l("Until")), r.period.last),
        (str(_l("Beneficiaries")), r.people),
        (str(_l("Households")), r.households),
        (str(_l("Women")), r.women),
        (str(_l("From the DTKS/DTSEN or PKH lists")), r.from_lists),
        (str(_l("Value handed over (Rp)")), r.value),
        (str(_l("Value offered (Rp)")), r.offered_value),
        (str(_l("Businesses running at the latest visit")), r.running_now),
        (str(_l("Beneficiaries visited")), r.visited),
        (str(_l("Shareable handover photos")), len(r.photos) + r.photos_more),
        (str(_l("Made on")), r.made_on),
    ]


def _reach_rows(r: Impact) -> list[tuple]:
    rows = [_texts(_l("Kecamatan"), _l("Desa / kelurahan"), _l("Beneficiaries"), _l("Households"))]
    rows += [(a.kecamatan, a.desa, a.people, a.households) for a in r.areas]
    return rows


def _group_rows(r: Impact) -> list[tuple]:
    rows = [_texts(_l("Kind"), _l("Group"), _l("People"), _l("Share"))]
    rows += [
        (
            str(_l("Source")),
            label(RECIPIENT_SOURCE_LABELS, s.code),
            s.count,
            percent(s.count, r.people),
        )
        for s in r.sources
    ]
    rows.append((str(_l("Target group")), str(_l("Women")), r.women, percent(r.women, r.people)))
    rows += [
        (
            str(_l("Target group")),
            label(TARGET_GROUP_LABELS, g.code),
            g.count,
            percent(g.count, r.people),
        )
        for g in r.groups
    ]
    return rows


def _given_rows(r: Impact) -> list[tuple]:
    rows = [
        _texts(
            _l("Number"),
            _l("Title"),
            _l("Kind"),
            _l("Aid category"),
            _l("Kecamatan"),
            _l("First handover"),
            _l("Last handover"),
            _l("Handovers"),
            _l("Beneficiaries"),
            _l("Value offered (Rp)"),
            _l("Value handed over (Rp)"),
            _l("Training topic"),
            _l("Sessions"),
            _l("Seats"),
        )
    ]
    rows += [
        (
            g.id,
            g.title,
            label(CONTRIBUTION_KIND_LABELS, g.kind),
            g.category,
            g.kecamatan,
            g.first_day,
            g.last_day,
            g.handovers,
            g.people,
            g.offered_value,
            g.value,
            g.topic,
            g.sessions,
            g.seats,
        )
        for g in r.given
    ]
    return rows


def _item_rows(r: Impact) -> list[tuple]:
    rows = [
        _texts(
            _l("Number"),
            _l("Contribution"),
            _l("Item"),
            _l("Unit"),
            _l("Offered"),
            _l("Handed over"),
            _l("Value (Rp)"),
        )
    ]
    rows += [
        (g.id, g.title, i.name, i.unit, i.offered, i.handed_over, i.value)
        for g in r.given
        for i in g.items
    ]
    return rows


def _use_rows(r: Impact) -> list[tuple]:
    rows = [
        _texts(
            _l("Months after the handover"),
            _l("Scheduled"),
            _l("Recorded"),
            _l("Aid in use"),
            _l("Business running"),
            _l("Closed"),
            _l("Overdue"),
        )
    ]
    rows += [
        (u.months, u.scheduled, u.recorded, u.in_use, u.running, u.closed, u.overdue) for u in r.use
    ]
    return rows


def _letter_rows(r: Impact) -> list[tuple]:
    rows = [
        _texts(
            _l("Number"),
            _l("Date"),
            _l("Kecamatan"),
            _l("Verification code"),
            _l("Verification address"),
        )
    ]
    rows += [(x.number, x.day, x.kecamatan, x.code, x.url) for x in r.letters]
    return rows
