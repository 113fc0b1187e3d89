"""The fairness checks of the monthly evaluation: double-aid flags the officer kept with a
written reason, on plans submitted or approved in the month; and households (by KK) with
more than one aid record in the month, from any programme. People appear with masked
NIK and KK only; the area is limited by ``matching.access`` and ``registry.access``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select, true

from portal.core.nik import mask_nik
from portal.extensions import db
from portal.matching.flag_text import flag_lines
from portal.models import (
    AidCategory,
    AidRecord,
    Contribution,
    Desa,
    Kecamatan,
    Match,
    MatchMember,
    Recipient,
    User,
)
from portal.registry import access as registry_access
from portal.reports.periods import Period
from portal.reports.scope import matches_in_area


@dataclass(frozen=True)
class KeptFlag:
    match_id: int
    plan: str
    contribution: str
    status: str
    name: str
    masked_nik: str
    desa: str
    flags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class AidLine:
    name: str
    masked_nik: str
    received_on: object
    source: str
    programme: str
    category: str


@dataclass(frozen=True)
class Household:
    masked_kk: str
    desa: str
    records: int
    sources: int
    lines: tuple[AidLine, ...] = ()


def kept_flags(user: User, kec_id: int | None, period: Period) -> tuple[KeptFlag, ...]:
    """Flagged people the officer kept with a reason, on plans submitted or approved in
    the period (the flags as the camat saw them)."""
    in_period = or_(
        and_(Match.submitted_at >= period.starts_at, Match.submitted_at < period.ends_at),
        and_(Match.approved_at >= period.starts_at, Match.approved_at < period.ends_at),
    )
    query = (
        select(MatchMember, Match, Contribution.title, Recipient.name, Recipient.nik, Desa.name)
        .join(Match, Match.id == MatchMember.match_id)
        .join(Contribution, Contribution.id == Match.contribution_id)
        .join(Recipient, Recipient.id == MatchMember.recipient_id)
        .outerjoin(Desa, Desa.id == Recipient.desa_id)
        .where(
            Match.id.in_(matches_in_area(user, kec_id)),
            Match.status != "draft",
            in_period,
            MatchMember.status == "active",
            MatchMember.flag_reason != "",
        )
        .order_by(Match.id, MatchMember.position)
    )
    return tuple(
        KeptFlag(
            match_id=match.id,
            plan=match.label or f"#{match.id}",
            contribution=title,
            status=match.status,
            name=name,
            masked_nik=mask_nik(nik),
            desa=desa or "",
            flags=tuple(flag_lines(member.flags)),
            reason=member.flag_reason,
        )
        for member, match, title, name, nik, desa in db.session.execute(query)
        if member.flags
    )


def _aid_in_area(user: User, kecamatan: Kecamatan | None):
    """Aid records of the area: those of people on the registry of the area the user may
    see, and those of people not on it whose KK was issued in the kecamatan."""
    people = registry_access.visible(user, select(Recipient.id))
    if kecamatan is None:
        if user.role == "admin":
            return true()
        return AidRecord.recipient_id.in_(people)
    people = people.where(Recipient.kecamatan_id == kecamatan.id)
    prefix = kecamatan.code.replace(".", "")
    return or_(
        AidRecord.recipient_id.in_(people),
        and_(AidRecord.recipient_id.is_(None), func.substr(AidRecord.kk, 1, 6) == prefix),
    )


def households(user: User, kecamatan: Kecamatan | None, period: Period) -> tuple[Household, ...]:
    """Families (by KK) with more than one aid record in the period, any programme, most
    records first; each with its records."""
    in_area = and_(
        _aid_in_area(user, kecamatan),
        AidRecord.kk.is_not(None),
        AidRecord.kk != "",
        AidRecord.received_on >= period.first,
        AidRecord.received_on < period.after,
    )
    count = func.count(AidRecord.id)
    grouped = db.session.execute(
        select(AidRecord.kk, count, func.count(distinct(AidRecord.source)))
        .where(in_area)
        .group_by(AidRecord.kk)
        .having(count > 1)
        .order_by(count.desc(), AidRecord.kk)
    ).all()
    if not grouped:
        return ()
    lines, desas = _aid_lines([kk for kk, _, _ in grouped], in_area)
    return tuple(
        Household(mask_nik(kk), desas.get(kk, ""), n, sources, tuple(lines.get(kk, ())))
        for kk, n, sources in grouped
    )


def _aid_lines(kks: list[str], in_area) -> tuple[dict[str, list[AidLine]], dict[str, str]]:
    lines: dict[str, list[AidLine]] = {}
    desas: dict[str, str] = {}
    for start in range(0, len(kks), 500):  # bounded IN lists
        query = (
            select(AidRecord, Recipient.name, AidCategory.name, Desa.name)
            .outerjoin(Recipient, Recipient.id == AidRecord.recipient_id)
            .outerjoin(Desa, Desa.id == Recipient.desa_id)
            .join(AidCategory, AidCategory.id == AidRecord.category_id)
            .where(in_area, AidRecord.kk.in_(kks[start : start + 500]))
            .order_by(AidRecord.kk, AidRecord.received_on, AidRecord.id)
        )
        for record, name, category, desa in db.session.execute(query):
            lines.setdefault(record.kk, []).append(
                AidLine(
                    name=name or "",
                    masked_nik=mask_nik(record.nik),
                    received_on=record.received_on,
                    source=record.source,
                    programme=record.programme or "",
                    category=category,
                )
            )
            if desa and record.kk not in desas:
                desas[record.kk] = desa
    return lines, desas
