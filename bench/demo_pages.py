"""The eight officer pages the speed figures measure, on the demo data: seeding the
demo into a benchmark database, the officer's login, and the pages' paths."""

from __future__ import annotations

from sqlalchemy import select

from portal.demo.accounts import DEMO_ACCOUNTS
from portal.extensions import db

OFFICER = next(a for a in DEMO_ACCOUNTS if a.email == "petugas.kembangjanggut@sinergi.demo")
PAGE_NAMES = (
    "home",
    "recipient list",
    "a recipient",
    "contribution list",
    "a contribution",
    "import list",
    "notifications",
    "password form",
)


def seed(app) -> None:
    """The demo data, as ``flask setup`` loads it (commits)."""
    from portal.demo.seed import seed_demo

    with app.app_context():
        seed_demo()
        db.session.remove()


def page_paths(app) -> dict[str, str]:
    """Name → path of the eight pages, with a recipient and a contribution of the
    officer's kecamatan."""
    from portal.models import Contribution, Kecamatan, Recipient

    with app.app_context():
        kecamatan = db.session.scalar(
            select(Kecamatan.id).where(Kecamatan.code == OFFICER.kecamatan_code)
        )
        recipient = db.session.scalar(
            select(Recipient.id).where(Recipient.kecamatan_id == kecamatan).order_by(Recipient.id)
        )
        contribution = db.session.scalar(
            select(Contribution.id)
            .where(Contribution.kecamatan_id == kecamatan)
            .order_by(Contribution.id)
        )
        db.session.remove()
    paths = (
        "/",
        "/registry/recipients",
        f"/registry/recipients/{recipient}",
        "/contributions/",
        f"/contributions/{contribution}",
        "/registry/imports/",
        "/notifications",
        "/account/password",
    )
    return dict(zip(PAGE_NAMES, paths, strict=True))
