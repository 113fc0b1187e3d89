"""The demo's handover plans: draft, submitted and approved ones in Kembang Janggut, one
returned and approved later, flagged people kept with reasons, and a camat's queue that
is not empty at first start."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from portal import create_app
from portal.core.regions import load_regions
from portal.demo.seed import seed_demo
from portal.extensions import db as _db
from portal.models import AuditEvent, ContributionItem, Match, MatchMember
from tests.conftest import app_config
from tests.dbutil import temporary_database

CAMAT = ("camat.kembangjanggut@sinergi.demo", "camat-kj-2025")


@pytest.fixture(scope="module")
def demo_app():
    with temporary_database("sinergi_match_demo") as url:
        app = create_app(app_config(url))
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            load_regions()
            seed_demo()
        yield app
        with app.app_context():
            _db.engine.dispose()


def test_plans_in_every_early_state_with_kept_flags(demo_app):
    with demo_app.app_context():
        matches = _db.session.scalars(select(Match)).all()
        assert {"draft", "submitted", "approved"} <= {m.status for m in matches}
        approved = [m for m in matches if m.status == "approved"]
        assert all(m.letter_number and m.approved_by_id for m in approved)
        returned_then_approved = [
            m
            for m in approved
            if "match_returned"
            in _db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.object_type == "match", AuditEvent.object_id == m.id
                )
            ).all()
        ]
        assert returned_then_approved
        kept = _db.session.scalars(select(MatchMember).where(MatchMember.flag_reason != "")).all()
        assert kept and all(member.flags for member in kept)
        reserved = _db.session.scalars(select(ContributionItem.reserved)).all()
        assert any(reserved)


def test_the_camat_finds_plans_waiting(demo_app):
    client = demo_app.test_client()
    client.post("/login", data={"email": CAMAT[0], "password": CAMAT[1]})
    home = client.get("/").get_data(as_text=True)
    assert "/penyaluran/queue" in home
    queue = client.get("/penyaluran/queue").get_data(as_text=True)
    assert queue.count('href="/penyaluran/') >= 2
