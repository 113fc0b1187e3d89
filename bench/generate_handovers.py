"""Handovers for the Kukar-sized dataset: handed-over plans of the allocating and
completed contributions, each with nine people of its kecamatan (some absent), their
PORTAL aid records, some double-aid flags kept with a reason, and the monitoring visits
due at 1, 3 and 6 months (about 10,000; the past ones mostly recorded, some overdue,
some businesses closed)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from portal.core.dates import add_months, local_today, utcnow
from portal.demo.bulk import bulk_insert
from portal.models import (
    AidRecord,
    Contribution,
    ContributionItem,
    HandoverLine,
    HandoverRecord,
    Match,
    MatchMember,
    MonitoringVisit,
    Recipient,
)

MATCHES = 392
PEOPLE = 9  # the ninth is absent at every other handover: ~3,330 served, ~10,000 visits
SCHEDULE = (1, 3, 6)
FLAG = {"category": "EQUIPMENT", "date": "2025-03-01", "source": "PKH"}


def generate_handovers(session: Session, rng: random.Random) -> dict[str, int]:
    """Write the handovers, their aid records and visits; returns the counts."""
    today = local_today()
    plans = _contributions(session)[:MATCHES]
    people = _people_by_kecamatan(session, {kec for _, kec, _, _ in plans})
    match_ids = _matches(session, plans)
    members = _members(session, rng, match_ids, plans, people)
    days = {mid: today - timedelta(days=rng.randint(0, 300)) for mid in match_ids}
    records = _records(session, match_ids, days)
    received = _lines(session, members, records)
    aid = _aid(session, received, plans, match_ids, days, people)
    visits = _visits(session, rng, received, records, plans, match_ids, days, people, today)
    return {"handovers": len(records), "portal_aid_records": aid, "visits": visits}


def _contributions(session: Session) -> list[tuple]:
    query = (
        select(
            Contribution.id,
            Contribution.kecamatan_id,
            Contribution.aid_category_id,
            func.min(ContributionItem.unit_value),
        )
        .join(ContributionItem, ContributionItem.contribution_id == Contribution.id)
        .where(
            Contribution.status.in_(("allocating", "completed")),
            Contribution.kecamatan_id.is_not(None),
        )
        .group_by(Contribution.id, Contribution.kecamatan_id, Contribution.aid_category_id)
        .order_by(Contribution.id)
    )
    return list(session.execute(query).all())


def _people_by_kecamatan(session: Session, kecamatan_ids: set[int]) -> dict[int, list[tuple]]:
    query = select(
        Recipient.id, Recipient.kecamatan_id, Recipient.desa_id, Recipient.nik, Recipient.kk
    ).where(Recipient.validation_status == "validated", Recipient.kecamatan_id.in_(kecamatan_ids))
    found: dict[int, list[tuple]] = {}
    for row in session.execute(query):
        found.setdefault(row.kecamatan_id, []).append(tuple(row))
    return found


def _new_ids(session: Session, model, before: int, *columns) -> list[tuple]:
    query = select(model.id, *columns).where(model.id > before).order_by(model.id)
    return list(session.execute(query).all())


def _matches(session: Session, plans: list[tuple]) -> list[int]:
    before = session.scalar(select(func.max(Match.id))) or 0
    approved = utcnow() - timedelta(days=320)
    rows = [
        {
            "contribution_id": cid,
            "kecamatan_id": kec,
            "label": f"Tahap {n + 1}",
            "status": "handed_over",
            "status_reason": "",
            "notes": "",
            "submitted_at": approved,
            "approved_at": approved,
        }
        for n, (cid, kec, _, _) in enumerate(plans)
    ]
    bulk_insert(session, Match.__table__, rows)
    return [mid for (mid,) in _new_ids(session, Match, before)]


def _members(session, rng, match_ids, plans, people) -> list[tuple]:
    """(member id, match id, recipient id, position) of every member."""
    before = session.scalar(select(func.max(MatchMember.id))) or 0
    rows = []
    for mid, (_, kec, _, _) in zip(match_ids, plans, strict=True):
        for position, person in enumerate(rng.sample(people[kec], PEOPLE)):
            flagged = rng.random() < 0.03
            rows.append(
                {
                    "match_id": mid,
                    "recipient_id": person[0],
                    "position": position,
                    "status": "active",
                    "flags": [FLAG] if flagged else [],
                    "flag_reason": "Usaha berbeda dari bantuan sebelumnya" if flagged else "",
                    "drop_note": "",
                }
            )
    session.execute(insert(MatchMember.__table__), rows)  # JSON flags: not through COPY
    return _new_ids(
        session,
        MatchMember,
        before,
        MatchMember.match_id,
        MatchMember.recipient_id,
        MatchMember.position,
    )


def _records(session, match_ids, days) -> dict[int, int]:
    """Match id → its handover record's id."""
    before = session.scalar(select(func.max(HandoverRecord.id))) or 0
    rows = [
        {
            "match_id": mid,
            "kind": "handover",
            "handed_over_on": days[mid],
            "place": "Balai Desa",
            "notes": "",
            "reason": "",
            "details": {},
        }
        for mid in match_ids
    ]
    session.execute(insert(HandoverRecord.__table__), rows)
    return {
        mid: rid for rid, mid in _new_ids(session, HandoverRecord, before, HandoverRecord.match_id)
    }


def _lines(session, members, records) -> list[tuple]:
    """Write one line per member; the (member, match, recipient) who received."""
    rows, received = [], []
    for member_id, match_id, recipient_id, position in members:
        absent = position == PEOPLE - 1 and match_id % 2 == 0
        rows.append(
            {
                "record_id": records[match_id],
                "member_id": member_id,
                "recipient_id": recipient_id,
                "received": not absent,
                "collected_by": "",
                "absent_reason": "absent" if absent else None,
                "absent_note": "",
            }
        )
        if not absent:
            received.append((member_id, match_id, recipient_id))
    bulk_insert(session, HandoverLine.__table__, rows)
    return received


def _aid(session, received, plans, match_ids, days, people) -> int:
    plan_of = dict(zip(match_ids, plans, strict=True))
    person = {p[0]: p for group in people.values() for p in group}
    rows = []
    for _, match_id, recipient_id in received:
        cid, _, category, unit_value = plan_of[match_id]
        _, _, _, nik, kk = person[recipient_id]
        rows.append(
            {
                "nik": nik,
                "kk": kk,
                "recipient_id": recipient_id,
                "category_id": category,
                "source": "PORTAL",
                "programme": "CSR",
                "contribution_id": cid,
                "received_on": days[match_id],
                "description": "",
                "value": unit_value,
            }
        )
    bulk_insert(session, AidRecord.__table__, rows)
    return len(rows)


def _visits(session, rng, received, records, plans, match_ids, days, people, today: date) -> int:
    kecamatan = {mid: plan[1] for mid, plan in zip(match_ids, plans, strict=True)}
    desa = {p[0]: p[2] for group in people.values() for p in group}
    rows = []
    for member_id, match_id, recipient_id in received:
        for months in SCHEDULE:
            due = add_months(days[match_id], months)
            done = due < today and rng.random() < 0.8
            rows.append(
                {
                    "handover_id": records[match_id],
                    "match_id": match_id,
                    "member_id": member_id,
                    "recipient_id": recipient_id,
                    "kecamatan_id": kecamatan[match_id],
                    "desa_id": desa[recipient_id],
                    "months": months,
                    "due_on": due,
                    "status": "recorded" if done else "due",
                    "visited_on": due if done else None,
                    "aid_in_use": (rng.random() < 0.85) if done else None,
                    "business_running": (rng.random() < 0.7) if done else None,
                    "notes": "",
                }
            )
    bulk_insert(session, MonitoringVisit.__table__, rows)
    return len(rows)
