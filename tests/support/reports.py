"""Helpers for the report tests: plans submitted, approved and handed over on given days,
their visits set directly, shareable and private handover photos, and signed letters
stored without rendering."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image

from portal.core.dates import utcnow
from portal.extensions import db
from portal.matching import transitions
from portal.models import Attachment, Letter, MonitoringVisit, SignerCertificate
from tests import factories
from tests.support.handover import handed_over
from tests.support.matching import cast_for, planned


def at(day: date, hour: int = 2) -> datetime:
    """``hour`` o'clock UTC on ``day`` (10.00 WITA by default)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def approve(contribution, people: int, each=1, *, submitted: date, approved: date):
    """A match of ``people`` on ``contribution``, submitted and approved on those days."""
    match = planned(contribution, people=people, each=each, status="submitted")
    transitions.reserve(match)
    contribution.status = "allocating"
    match.status = "approved"
    match.submitted_at = at(submitted)
    match.approved_at = at(approved)
    match.letter_number = f"400.9/{match.id}/KEC-UJI/{approved.year}"
    db.session.flush()
    return match


def hand_over(match, on: date, absent=()):
    """The match's handover by its officer on day ``on``."""
    return handed_over(match, cast_for(match.contribution), on=on, absent=absent)


def visit(record, member, months: int, *, status="recorded", use=None, running=None, on=None):
    """Set one scheduled visit of ``member`` at ``record`` as the officer would record it."""
    row = (
        db.session.query(MonitoringVisit)
        .filter_by(handover_id=record.id, member_id=member.id, months=months)
        .one()
    )
    row.status = status
    if status == "recorded":
        row.visited_on = on or row.due_on
        row.aid_in_use, row.business_running = use, running
    else:
        row.close_reason = "deceased"
    row.recorded_at = at(on or row.due_on)
    db.session.flush()
    return row


def png(colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, format="PNG")
    return out.getvalue()


def photo(record, *, shareable: bool, caption: str) -> Attachment:
    data = png((40, 160, 40) if shareable else (200, 40, 40))  # two different files
    made = Attachment(
        owner_type="handover_record",
        owner_id=record.id,
        kind="photo",
        filename="foto.png",
        content_type="image/png",
        size=len(data),
        sha256="0" * 64,
        data=data,
        shareable=shareable,
        caption=caption,
    )
    db.session.add(made)
    db.session.flush()
    return made


def letter(match, number: str, code: str, status: str = "valid") -> Letter:
    """A signed letter of ``match`` as approval stores it (a stand-in certificate and PDF)."""
    signer = factories.user_for_role("camat", kecamatan_id=match.kecamatan_id)
    now = utcnow()
    certificate = SignerCertificate(
        user_id=signer.id,
        certificate_pem="-",
        key_pem="-",
        subject="CN=Camat Uji",
        issuer="CN=Sinergi CA",
        serial="1",
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
    )
    db.session.add(certificate)
    db.session.flush()
    made = Letter(
        match_id=match.id,
        number=number,
        status=status,
        verification_code=code,
        letter_date=match.approved_at,
        signer_certificate_id=certificate.id,
        signer_name=signer.name,
        signer_title="Camat",
        signed_at=match.approved_at,
        sha256="0" * 64,
        size=4,
        pdf=b"%PDF",
    )
    db.session.add(made)
    db.session.flush()
    return made
