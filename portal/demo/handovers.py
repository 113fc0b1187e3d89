"""Demo handovers and monitoring visits, made through the real services in the past: the
first plan of the baking-equipment contribution in Tenggarong (handed over seven months
ago) and the farm tools' plan in Kembang Janggut (handed over a hundred days ago), each
built, submitted, approved (its letter signed with the approval's past date) and handed
over on a past date; then the visits found since: most equipment in use, some businesses
closed, one recipient moved away, some visits overdue and the six-month ones due later.
The first plan ends ``monitored``; the farm tools' contribution ends ``completed``.

Every service is called with its real rules; only the clock of what it writes is set back
(``backdated``): audit events, notifications and handover records get the moment the step
happened, and approval and visits take that moment as their own argument."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

from portal.core.dates import LOCAL_ZONE, local_today
from portal.demo.accounts import DEMO_ACCOUNTS
from portal.extensions import db
from portal.handovers import services as handovers
from portal.matching import transitions
from portal.matching.checks import recipient_refusal
from portal.models import (
    AuditEvent,
    Contribution,
    HandoverRecord,
    Match,
    MatchAllocation,
    MatchMember,
    MonitoringVisit,
    Notification,
    Recipient,
    User,
)
from portal.monitoring import services as monitoring
from portal.monitoring.services import VisitReport
from portal.registry.double_aid import flags_for_many

BAKING = "Paket peralatan usaha kue untuk perempuan kepala keluarga"
FARMING = "Alat pertanian untuk kelompok tani"
KUE = ((0, 1), (1, 1), (2, 2))  # an oven, a mixer and two sets of tins each


@dataclass(frozen=True)
class Handover:
    contribution: str
    kecamatan: str
    label: str
    people: tuple  # (how many, ((item position, quantity), ...)) in order
    days_ago: int  # of the handover; the plan is built, submitted, approved before
    # Per person, what each visit found in order: "ok", "idle" (aid in use, business not
    # running), "closed" (business closed, aid unused), "moved" (the rest closed); a
    # shorter list leaves the later visits due (overdue once their date has passed).
    visits: tuple = ()


HANDOVERS = (
    Handover(
        BAKING,
        "64.02.06",
        "Tahap 1, perempuan kepala keluarga",
        ((3, KUE),),
        days_ago=212,
        visits=(("ok", "ok", "ok"), ("ok", "idle", "closed"), ("ok", "moved")),
    ),
    Handover(
        FARMING,
        "64.02.10",
        "Kelompok tani Kembang Janggut",
        ((2, ((0, 1), (1, 2), (2, 5))), (8, ((1, 2), (2, 5)))),
        days_ago=100,
        visits=(
            ("ok", "ok"),
            ("ok", "idle"),
            ("ok", "closed"),
            ("idle", "ok"),
            ("ok",),
            ("ok",),
            ("closed",),
            ("ok",),
        ),
    ),
)
FINDINGS = {
    "ok": (True, True, "Peralatan dipakai setiap hari; usaha berjalan dan pesanan bertambah."),
    "idle": (True, False, "Peralatan dipakai untuk keluarga; usaha berhenti sementara."),
    "closed": (False, False, "Usaha tutup; penerima bekerja di tempat lain."),
}
WITA = ZoneInfo(LOCAL_ZONE)
MOVED_NOTE = "Pindah ke Samarinda mengikuti keluarga."


def create_handovers(now: datetime) -> dict[str, int]:
    """Add the demo handovers and visits; returns how many of each."""
    taken = set(db.session.scalars(select(MatchMember.recipient_id)))
    visits = 0
    for plan in HANDOVERS:
        officer, camat = (_account(role, plan.kecamatan) for role in ("officer", "camat"))
        contribution = db.session.scalar(
            select(Contribution).where(Contribution.title == plan.contribution)
        )
        handed = now - timedelta(days=plan.days_ago)
        people = _choose(plan, contribution, taken, _local_day(handed))
        match = _planned(plan, contribution, officer, people, handed - timedelta(days=9))
        with backdated(handed - timedelta(days=7)):
            transitions.submit(match, officer)
        match.submitted_at = handed - timedelta(days=7)
        password = next(a.password for a in DEMO_ACCOUNTS if a.email == camat.email)
        with backdated(handed - timedelta(days=4)):
            transitions.approve(match, camat, password, at=handed - timedelta(days=4))
            db.session.flush()
        with backdated(handed):
            entry = handovers.record(
                match,
                officer,
                handed_over_on=_local_day(handed),
                place=f"Kantor Camat {contribution.kecamatan.name}",
                notes="Diserahkan langsung oleh perwakilan perusahaan dan camat.",
            )
            db.session.flush()
        visits += _visit(plan, entry, officer)
    return {"handovers": len(HANDOVERS), "visits recorded": visits}


def _account(role: str, kecamatan: str) -> User:
    email = next(a.email for a in DEMO_ACCOUNTS if a.role == role and a.kecamatan_code == kecamatan)
    return db.session.scalar(select(User).where(User.email == email))


def _local_day(moment: datetime) -> date:
    return moment.astimezone(WITA).date()


def _choose(plan: Handover, contribution: Contribution, taken: set, on: date) -> list:
    """Validated people of the kecamatan on no other plan, whom the match's rules accept
    and the double-aid rule does not flag for the contribution's category; each is then
    taken. Only a few more than needed are checked (the checks cost a query each)."""
    wanted = sum(n for n, _ in plan.people)
    query = (
        select(Recipient)
        .where(Recipient.kecamatan_id == contribution.kecamatan_id, Recipient.active.is_(True))
        .where(Recipient.validation_status == "validated", Recipient.id.not_in(taken or [0]))
        .order_by(Recipient.id.desc())
        .limit(wanted * 3)
    )
    probe = Match(kecamatan_id=contribution.kecamatan_id)
    pool = [r for r in db.session.scalars(query) if recipient_refusal(r, probe) is None]
    flags = flags_for_many([(r.nik, r.kk) for r in pool], contribution.aid_category_id, on)
    chosen = [r for r in pool if not flags.get(r.nik)][:wanted]
    if len(chosen) < wanted:
        raise RuntimeError(f"the demo found only {len(chosen)} people for {plan.label}")
    taken.update(r.id for r in chosen)
    return chosen


def _planned(plan: Handover, contribution: Contribution, officer: User, people, when) -> Match:
    match = Match(
        contribution_id=contribution.id,
        kecamatan_id=contribution.kecamatan_id,
        label=plan.label,
        created_by_id=officer.id,
        delivery_date=_local_day(when + timedelta(days=9)),
        created_at=when,
    )
    db.session.add(match)
    items = contribution.items
    shares = [share for count, share in plan.people for _ in range(count)]
    for position, (person, share) in enumerate(zip(people, shares, strict=True)):
        member = MatchMember(recipient_id=person.id, position=position, added_by_id=officer.id)
        member.allocations = [
            MatchAllocation(item_id=items[index].id, quantity=quantity) for index, quantity in share
        ]
        match.members.append(member)
    db.session.flush()
    return match


def _visit(plan: Handover, entry: HandoverRecord, officer: User) -> int:
    """Record what each person's visits found, on or a few days after each due date."""
    today, done = local_today(), 0
    visits = db.session.scalars(
        select(MonitoringVisit)
        .where(MonitoringVisit.handover_id == entry.id)
        .order_by(MonitoringVisit.member_id, MonitoringVisit.months)
    ).all()
    by_member: dict[int, list] = {}
    for visit in visits:
        by_member.setdefault(visit.member_id, []).append(visit)
    for n, (schedule, findings) in enumerate(zip(by_member.values(), plan.visits, strict=False)):
        for visit, finding in zip(schedule, findings, strict=False):
            on = min(visit.due_on + timedelta(days=n % 4 + 1), today)
            at = datetime.combine(on, time(10, n % 60), tzinfo=WITA)
            if finding == "moved":
                with backdated(at):
                    monitoring.close_schedule(visit, officer, "moved", MOVED_NOTE)
                break
            in_use, running, notes = FINDINGS[finding]
            before = 900_000 + 150_000 * (n % 4)
            after = before + 600_000 if running else 0
            report = VisitReport(on, in_use, running, before, after, notes)
            with backdated(at):
                monitoring.record_visit(visit, officer, report, at=at)
            done += 1
    db.session.flush()
    return done


@contextmanager
def backdated(moment: datetime):
    """What the services write inside the block is dated ``moment``: its audit events,
    notifications and handover records (set before they are first written, since audit
    events cannot change once stored)."""
    session = db.session()

    def set_dates(session, *_):
        for entry in session.new:
            if isinstance(entry, AuditEvent):
                entry.at = moment
            elif isinstance(entry, Notification | HandoverRecord):
                entry.created_at = moment

    event.listen(session, "before_flush", set_dates)
    try:
        yield
        session.flush()
    finally:
        event.remove(session, "before_flush", set_dates)
