"""The demo seed: every account logs in, every state is shown, NIKs are valid and
unique, the data is reproducible, and a database in use is refused."""

from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from portal import create_app
from portal.core.dates import utcnow
from portal.core.nik import check_kk, check_nik
from portal.core.regions import load_regions
from portal.demo.accounts import DEMO_ACCOUNTS
from portal.demo.bulk import demo_households, places_in
from portal.demo.seed import DEMO_KECAMATAN, RECIPIENTS, SEED, SeedRefused, seed_demo
from portal.extensions import db as _db
from portal.models import (
    AidRecord,
    AuditEvent,
    Company,
    Contribution,
    KecamatanOffice,
    Letter,
    Recipient,
    User,
)
from portal.models.registry import recipient_sector, recipient_target_group
from tests.conftest import app_config, redirect_of
from tests.dbutil import temporary_database

LIFE_CYCLE = (
    "draft",
    "submitted",
    "accepted",
    "rejected",
    "allocating",
    "completed",
    "withdrawn",
    "split",
)


@pytest.fixture(scope="module")
def demo_app():
    """A database of its own, seeded once for the read-only tests of this module."""
    with temporary_database("sinergi_seed") as url:
        app = create_app(app_config(url))
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            load_regions()
            app.config["SEED_SUMMARY"] = seed_demo()
        yield app
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture()
def demo_db(demo_app):
    with demo_app.app_context():
        yield _db
        _db.session.rollback()


def count(db, query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_every_demo_account_logs_in(demo_app, account):
    client = demo_app.test_client()
    response = client.post("/login", data={"email": account.email, "password": account.password})
    assert redirect_of(response) == "/"
    assert client.get("/").status_code == 200


def test_summary_counts_what_was_written(demo_app, demo_db):
    summary = demo_app.config["SEED_SUMMARY"]
    assert summary["recipients"] == RECIPIENTS == count(demo_db, select(Recipient))
    assert summary["users"] == count(demo_db, select(User))
    assert summary["aid_records"] == count(demo_db, select(AidRecord))
    # Approved plans carry their signed letters from the first start.
    assert summary["letters"] >= 1
    assert summary["letters"] == count(demo_db, select(Letter))


def test_every_contribution_state_is_present(demo_db):
    states = set(demo_db.session.scalars(select(Contribution.status)))
    assert set(LIFE_CYCLE) <= states
    assert count(demo_db, select(Contribution).where(Contribution.kecamatan_id.is_(None))) >= 2
    training = demo_db.session.scalar(select(Contribution).where(Contribution.kind == "training"))
    assert training.topic and training.sessions and training.seats and training.trainer


def test_contributions_have_items_and_an_audit_trail(demo_db):
    for contribution in demo_db.session.scalars(select(Contribution)):
        if contribution.kind != "training":
            assert contribution.items and contribution.total_value > 0
        events = demo_db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "contribution")
            .where(AuditEvent.object_id == contribution.id)
            .order_by(AuditEvent.at)
        ).all()
        assert events[-1].to_state == contribution.status
        confirmed = contribution.status in ("accepted", "allocating", "completed")
        assert (contribution.aid_category_id is not None) == confirmed


def test_a_divided_proposal_adds_up_over_its_kecamatan(demo_db):
    parent = demo_db.session.scalar(select(Contribution).where(Contribution.status == "split"))
    assert parent.kecamatan_id is None and len(parent.children) >= 2
    assert {child.status for child in parent.children} == {"submitted"}
    for item in parent.items:
        parts = [i.quantity for c in parent.children for i in c.items if i.name == item.name]
        assert sum(parts) == item.quantity


def test_company_states_and_offices(demo_db):
    states = set(demo_db.session.scalars(select(Company.status)))
    assert {"active", "pending", "suspended"} <= states
    offices = demo_db.session.scalars(
        select(KecamatanOffice).where(KecamatanOffice.camat_user_id.is_not(None))
    ).all()
    assert len(offices) == len(DEMO_KECAMATAN)
    assert all(office.phone and office.address for office in offices)


def test_niks_are_valid_unique_and_agree_with_the_record(demo_db):
    rows = demo_db.session.execute(
        select(Recipient.nik, Recipient.kk, Recipient.sex, Recipient.birth_date)
    ).all()
    assert len({row.nik for row in rows}) == len(rows)
    for row in rows:
        result = check_nik(row.nik, sex=row.sex, birth_date=row.birth_date)
        assert result.valid, (row.nik, result.errors)
        assert result.regency == "64.02" or len(result.warnings) == 1
        assert check_kk(row.kk).valid
    families = {row.kk for row in rows}
    assert len(families) < len(rows)  # families share a KK


def test_recipients_spread_over_the_demo_kecamatan_with_groups_and_states(demo_db):
    per_kecamatan = demo_db.session.execute(
        select(Recipient.kecamatan_id, func.count()).group_by(Recipient.kecamatan_id)
    ).all()
    assert len(per_kecamatan) == len(DEMO_KECAMATAN)
    states = dict(
        demo_db.session.execute(
            select(Recipient.validation_status, func.count()).group_by(Recipient.validation_status)
        ).all()
    )
    assert states["validated"] > states["pending"] > states["rejected"] > 0
    year_ago = utcnow() - timedelta(days=366)
    assert count(demo_db, select(Recipient).where(Recipient.validated_at < year_ago)) > 0
    assert count(demo_db, select(recipient_target_group)) >= RECIPIENTS
    assert count(demo_db, select(recipient_sector)) > 0


def test_aid_history_comes_from_every_programme(demo_db):
    sources = set(demo_db.session.scalars(select(AidRecord.source)))
    assert {"PKH", "BPNT", "BLT-DD", "CSR"} <= sources
    two_years_ago = utcnow().date() - timedelta(days=731)
    assert count(demo_db, select(AidRecord).where(AidRecord.received_on < two_years_ago)) == 0
    unlinked = select(AidRecord).where(AidRecord.recipient_id.is_(None))
    assert 0 < count(demo_db, unlinked) < count(demo_db, select(AidRecord))


def test_seeding_twice_is_refused_even_with_force(demo_db):
    with pytest.raises(SeedRefused, match="already"):
        seed_demo(force=True)


def test_the_same_seed_gives_the_same_people(demo_db):
    places = places_in(demo_db.session, list(DEMO_KECAMATAN))

    def niks(seed):
        return [p.nik for home in demo_households(seed, places, 300) for p in home.members]

    assert niks(SEED) == niks(SEED)
    assert niks(SEED) != niks(SEED + 1)
    stored = demo_db.session.scalars(select(Recipient.nik).order_by(Recipient.id).limit(300))
    assert list(stored) == niks(SEED)


def test_database_with_users_is_refused_without_force(db, make_user):
    make_user("admin")
    with pytest.raises(SeedRefused, match="already has users"):
        seed_demo()
    assert count(db, select(Recipient)) == 0


def test_force_seeds_beside_existing_users(db, make_user):
    make_user("admin")
    summary = seed_demo(force=True)
    assert summary["recipients"] == RECIPIENTS


def test_handed_over_plans_have_letters_handovers_and_visits_in_the_past(demo_app, demo_db):
    from portal.core.dates import local_today
    from portal.models import HandoverRecord, Match, MonitoringVisit
    from portal.monitoring.queries import shown_state

    summary = demo_app.config["SEED_SUMMARY"]
    today = local_today()
    handed = demo_db.session.scalars(
        select(Match).where(Match.status.in_(("handed_over", "monitored")))
    ).all()
    assert {m.status for m in handed} == {"handed_over", "monitored"}
    for match in handed:
        record = demo_db.session.scalar(
            select(HandoverRecord).where(HandoverRecord.match_id == match.id)
        )
        assert 60 <= (today - record.handed_over_on).days <= 215
        letter = demo_db.session.scalar(select(Letter).where(Letter.match_id == match.id))
        # The letter carries the approval's past date (WITA), days before the handover.
        assert letter.letter_date.date() <= record.handed_over_on - timedelta(days=3)
        assert letter.letter_date.date() >= match.approved_at.date()
        assert letter.number == match.letter_number
    visits = demo_db.session.scalars(select(MonitoringVisit)).all()
    states = {shown_state(v, today) for v in visits}
    assert states == {"recorded", "closed", "overdue", "due"}
    recorded = [v for v in visits if v.status == "recorded"]
    assert any(v.aid_in_use for v in recorded)
    assert any(v.business_running is False for v in recorded)
    assert all(v.visited_on <= today and v.recorded_at for v in recorded)
    assert summary["monitoring visits"] == len(visits)
    assert summary["visits recorded"] == len(recorded)
    assert summary["handovers"] == len(handed)
