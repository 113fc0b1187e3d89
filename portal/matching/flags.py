"""Double-aid flags on a match: what each person (or their family) already received or is
planned to receive that clashes with the contribution's category, read through the one
double-aid rule (``portal.registry.double_aid``) for many people at once.

A member keeps a snapshot of their flags (``MatchMember.flags``, a JSON list of dicts) so
the camat sees what the officer saw; ``refresh_flags`` reads them again for the whole
match (at submission, and before approval) in a bounded number of queries.

A snapshot is ``{"category", "date" (ISO), "source", "programme", "company", "family",
"who", "planned", "same_category"}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from portal.core.formatting import long_date
from portal.core.labels import AID_SOURCE_LABELS, label
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Match, Recipient
from portal.registry.double_aid import AidFlag, flags_for_many


def snapshot(flag: AidFlag) -> dict:
    """One flag as the member stores it."""
    record = flag.record
    planned = bool(getattr(record, "planned", False))
    return {
        "category": record.category.name if record.category is not None else "",
        "date": record.received_on.isoformat(),
        "source": record.source,
        "programme": record.programme or "",
        "company": getattr(record, "company", ""),
        "family": flag.family,
        "who": flag.who,
        "planned": planned,
        "same_category": flag.same_category,
    }


def flags_of(
    match: Match, people: Iterable[Recipient], as_of: date | None = None
) -> dict[int, list[dict]]:
    """Each person's flag snapshots against the match's contribution, by recipient id (a
    bounded number of queries however many people are asked about)."""
    people = [p for p in people if p.nik]
    category_id = match.contribution.aid_category_id
    if not people or category_id is None:
        return {p.id: [] for p in people}
    found = flags_for_many(
        [(p.nik, p.kk) for p in people],
        category_id,
        as_of or date.today(),
        exclude_match_id=match.id,
    )
    return {p.id: [snapshot(f) for f in found.get(p.nik, [])] for p in people}


def refresh_flags(match: Match) -> None:
    """Read every active member's flags again and store them on the member (the caller
    commits); a member whose flags appeared since keeps any reason already written."""
    members = match.active_members
    ids = [m.recipient_id for m in members]
    people = db.session.scalars(select(Recipient).where(Recipient.id.in_(ids))).all() if ids else []
    found = flags_of(match, people)
    for member in members:
        member.flags = found.get(member.recipient_id, [])


def flag_text(flag: dict) -> str:
    """A flag in words: what, when, from which programme or company, and whose."""
    when = long_date(date.fromisoformat(flag["date"])) if flag.get("date") else "–"
    source = label(AID_SOURCE_LABELS, flag.get("source"))
    if flag.get("programme"):
        source = flag["programme"] if flag.get("planned") else f"{source} · {flag['programme']}"
    if flag.get("planned"):
        text = _l(
            "%(category)s planned for %(date)s: %(source)s",
            category=flag.get("category") or "–",
            date=when,
            source=source,
        )
    else:
        text = _l(
            "%(category)s received %(date)s from %(source)s",
            category=flag.get("category") or "–",
            date=when,
            source=source,
        )
    if flag.get("family"):
        return str(_l("%(flag)s (family: %(who)s)", flag=text, who=flag.get("who") or "KK"))
    return str(text)
