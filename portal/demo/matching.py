"""Demo handover plans in Kembang Janggut, made through the real transitions (so quantities
are reserved, letters numbered and the history written as in use): the sewing training
has one plan returned by the camat and approved later, and one waiting for the camat; the
sewing-machine contribution has one plan waiting (with flagged people kept with the
officer's reasons) and one draft. The camat's queue is therefore not empty at first start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from portal.demo.accounts import DEMO_ACCOUNTS
from portal.extensions import db
from portal.matching import transitions
from portal.matching.checks import recipient_refusal
from portal.matching.flags import snapshot
from portal.models import (
    AuditEvent,
    Contribution,
    Match,
    MatchAllocation,
    MatchMember,
    Notification,
    Recipient,
    User,
)
from portal.registry.double_aid import flags_for_many

KECAMATAN = "64.02.10"  # Kembang Janggut
TRAINING = "Pelatihan menjahit dan desain busana"
MACHINES = "Mesin jahit untuk kelompok usaha bersama"
KEEP_REASONS = (
    "Penerima PKH, tetapi belum memiliki alat usaha; mesin jahit menjadi modal usaha utama.",
    "Bantuan sebelumnya berupa sembako, bukan alat produksi; kelompok menjahit sudah berjalan.",
)


@dataclass(frozen=True)
class Plan:
    contribution: str
    label: str
    people: int
    allocations: tuple = ()  # (item position, quantity) each person receives
    flagged: int = 0  # people with a double-aid flag kept with a reason
    steps: tuple = ()  # "submit", "return", "approve"
    days_ago: int = 10


PLANS = (
    Plan(
        TRAINING,
        "Angkatan 1, Desa Kembang Janggut",
        8,
        steps=("submit", "return", "submit", "approve"),
        days_ago=30,
    ),
    Plan(TRAINING, "Angkatan 2, Desa Kelekat", 6, steps=("submit",), days_ago=9),
    Plan(
        MACHINES,
        "Tahap 1, KUBE menjahit",
        5,
        allocations=((0, 1),),
        flagged=2,
        steps=("submit",),
        days_ago=4,
    ),
    Plan(MACHINES, "Tahap 2, usulan desa", 3, allocations=((0, 1), (1, 1)), days_ago=1),
)
RETURN_NOTE = "Mohon periksa kembali: dua peserta berasal dari desa di luar rencana angkatan ini."


def create_matches(kecamatan_id: int, now) -> int:
    """Add the demo plans; returns how many."""
    officer, camat = (_account(role) for role in ("officer", "camat"))
    password = next(a.password for a in DEMO_ACCOUNTS if a.email == camat.email)
    pool = _people(kecamatan_id)
    for plan in PLANS:
        contribution = db.session.scalar(
            select(Contribution).where(
                Contribution.title == plan.contribution, Contribution.kecamatan_id == kecamatan_id
            )
        )
        start = now - timedelta(days=plan.days_ago)
        match = _build(plan, contribution, officer, _choose(plan, contribution, pool))
        match.created_at = start
        gap = timedelta(days=plan.days_ago) / (len(plan.steps) + 1)
        for n, step in enumerate(plan.steps, start=1):
            _step(step, match, officer, camat, password, start + gap * n)
    return len(PLANS)


def _account(role: str) -> User:
    email = next(a.email for a in DEMO_ACCOUNTS if a.role == role and a.kecamatan_code == KECAMATAN)
    return db.session.scalar(select(User).where(User.email == email))


def _people(kecamatan_id: int) -> list[Recipient]:
    """Validated, unexpired, active people of the kecamatan, who may be on a plan."""
    query = (
        select(Recipient)
        .where(Recipient.kecamatan_id == kecamatan_id, Recipient.active.is_(True))
        .where(Recipient.validation_status == "validated")
        .order_by(Recipient.id)
        .limit(400)
    )
    probe = Match(kecamatan_id=kecamatan_id)
    return [r for r in db.session.scalars(query) if recipient_refusal(r, probe) is None]


def _choose(plan: Plan, contribution: Contribution, pool: list[Recipient]) -> list:
    """(person, flags) for the plan: the flagged people it keeps first, then people the
    double-aid rule does not flag for this contribution's category. Each person is taken
    from the pool, so nobody is planned twice."""
    flags = flags_for_many(
        [(r.nik, r.kk) for r in pool], contribution.aid_category_id, date.today()
    )
    flagged = [r for r in pool if flags.get(r.nik)][: plan.flagged]
    clean = [r for r in pool if not flags.get(r.nik)][: plan.people - len(flagged)]
    for person in (*flagged, *clean):
        pool.remove(person)
    return [(r, flags.get(r.nik, [])) for r in (*flagged, *clean)]


def _build(plan: Plan, contribution: Contribution, officer: User, people: list) -> Match:
    match = Match(
        contribution_id=contribution.id,
        kecamatan_id=contribution.kecamatan_id,
        label=plan.label,
        created_by_id=officer.id,
        delivery_date=contribution.planned_date,
    )
    db.session.add(match)
    items = contribution.items
    for position, (person, flags) in enumerate(people):
        member = MatchMember(
            recipient_id=person.id,
            position=position,
            flags=[snapshot(f) for f in flags],
            flag_reason=KEEP_REASONS[position % len(KEEP_REASONS)] if flags else "",
            added_by_id=officer.id,
        )
        member.allocations = [
            MatchAllocation(item_id=items[index].id, quantity=quantity)
            for index, quantity in plan.allocations
        ]
        match.members.append(member)
    db.session.flush()
    return match


def _step(step: str, match: Match, officer: User, camat: User, password: str, when) -> None:
    """One move through the real transition, its events dated ``when`` (set before they
    are first written: audit events cannot change once stored)."""
    with db.session.no_autoflush:
        if step == "submit":
            transitions.submit(match, officer)
        elif step == "return":
            transitions.return_(match, camat, RETURN_NOTE)
        else:
            transitions.approve(match, camat, password)
        for entry in db.session.new:
            if isinstance(entry, AuditEvent):
                entry.at = when
            elif isinstance(entry, Notification):
                entry.created_at = when
    if step == "submit":
        match.submitted_at = when
    elif step == "approve":
        match.approved_at = when
    db.session.flush()
