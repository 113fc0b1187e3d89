"""Helpers for the handover page tests: real image and PDF bytes, and the record form's
fields for a match (everyone received unless said)."""

from __future__ import annotations

import io

from PIL import Image

from portal.core.dates import local_today

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")


def record_data(match, outcomes=None, proxies=None, reasons=None, **fields) -> dict:
    """The record form for ``match``: ``outcomes``/``proxies``/``reasons`` (notes) by member
    position; other form fields (date dd/mm/yyyy, place, photos-0-file, scan) as given."""
    outcomes, proxies, reasons = outcomes or {}, proxies or {}, reasons or {}
    data = {
        "handed_over_on": local_today().strftime("%d/%m/%Y"),
        "place": "Balai Desa Loa Ipuh",
        "notes": "",
    }
    for n, member in enumerate(match.active_members):
        data[f"members-{n}-member_id"] = str(member.id)
        data[f"members-{n}-outcome"] = outcomes.get(n, "received")
        data[f"members-{n}-note"] = reasons.get(n, "")
        data[f"members-{n}-collected_by"] = proxies.get(n, "")
    data.update(fields)
    return data


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def post_large(client, path: str, data: dict):
    """POST a multipart body large enough to be spooled to a temporary file, which the
    test closes itself (as the contributions' upload tests do)."""
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(
        path=path, method="POST", data=data, content_type="multipart/form-data"
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
