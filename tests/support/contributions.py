"""Contributions with their attachments and the filled-in form, for the contribution tests."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.extensions import db as _db
from portal.models import Attachment, Contribution
from tests import factories

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def make_contribution(company, status="submitted", kec="64.02.06", **kwargs) -> Contribution:
    """A contribution with one item (10 × Rp 1.500.000), committed."""
    kecamatan = factories.kecamatan(kec) if kec else None
    contribution = factories.ContributionFactory(
        company=company,
        status=status,
        kecamatan=kecamatan,
        submitted_at=None if status == "draft" else datetime.now(UTC),
        **kwargs,
    )
    if contribution.kind != "training":
        factories.ContributionItemFactory(contribution=contribution)
    _db.session.commit()
    return contribution


def stored_png(owner_type: str, owner_id: int, kind="photo", filename="foto.png") -> Attachment:
    """A small PNG stored for any owner (a contribution, a kecamatan office, a batch)."""
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        kind=kind,
        filename=filename,
        content_type="image/png",
        size=len(PNG),
        sha256="0" * 64,
        data=PNG,
    )
    _db.session.add(attachment)
    _db.session.commit()
    return attachment


def add_attachment(contribution) -> Attachment:
    return stored_png("contribution", contribution.id)


def form_data(**overrides) -> dict:
    data = {
        "title": "Oven untuk usaha kue",
        "kind": "equipment",
        "target": str(factories.kecamatan().id),
        "target_groups": ["wrse", "elderly"],
        "sectors": ["food"],
        "planned_date": "2025-05-14",
        "description": "Oven dan loyang untuk 10 penerima",
        "items-0-name": "Oven gas",
        "items-0-quantity": "10",
        "items-0-unit": "unit",
        "items-0-unit_value": "1500000",
        "form_token": "token1234567890",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return response.get_data(as_text=True)
