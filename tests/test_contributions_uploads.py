"""Attachments: PDF, JPEG or PNG of at most 5 MB, judged by content; served only to
those who may see the contribution, always as a download."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from portal.contributions.uploads import MAX_BYTES, check_upload, safe_filename
from portal.core.refusals import Refusal
from portal.extensions import db as _db
from portal.models import Attachment, Contribution
from tests import factories
from tests.conftest import redirect_of
from tests.support.contributions import form_data, make_contribution, stored_png, text

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


# --- the content check ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "surat.pdf", "application/pdf"),
        (PNG, "foto.png", "image/png"),
        (JPEG, "foto.jpg", "image/jpeg"),
    ],
)
def test_real_pdf_png_and_jpeg_are_accepted(app, data, name, content_type):
    with app.test_request_context():
        checked = check_upload(name, io.BytesIO(data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.filename == name


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Ini hanya teks biasa, bukan PDF.\n", "proposal.pdf"),
        (b"<html><script>alert(1)</script></html>", "foto.png"),
        (b"%PDF-1.4\nno end marker", "terpotong.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "rusak.png"),
        (b"\xff\xd8\xff" + b"not really a jpeg", "rusak.jpg"),
        (b"MZ\x90\x00 executable", "program.pdf"),
        (b"", "kosong.pdf"),
    ],
)
def test_disguised_or_broken_files_are_refused(app, data, name):
    with app.test_request_context(), pytest.raises(Refusal):
        check_upload(name, io.BytesIO(data))


def test_a_file_over_5_mb_is_refused(app):
    data = PDF[:-6] + b" " * (MAX_BYTES) + b"%%EOF\n"
    with app.test_request_context(), pytest.raises(Refusal, match="5 MB"):
        check_upload("besar.pdf", io.BytesIO(data))


def test_a_file_of_exactly_5_mb_is_accepted(app):
    data = PDF[:-6] + b" " * (MAX_BYTES - len(PDF)) + b"%%EOF\n"
    assert len(data) == MAX_BYTES
    with app.test_request_context():
        assert check_upload("pas.pdf", io.BytesIO(data)).size == MAX_BYTES


def test_the_name_gets_the_extension_of_the_real_content(app):
    with app.test_request_context():
        assert check_upload("foto.pdf", io.BytesIO(PNG)).filename == "foto.png"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\budi\\surat.pdf", "surat.pdf"),
        ('sur"at<1>.pdf', "surat1.pdf"),
        ("\x00\n", "lampiran"),
        (None, "lampiran"),
    ],
)
def test_file_names_lose_paths_and_odd_characters(raw, clean):
    assert safe_filename(raw) == clean


# --- through the pages ----------------------------------------------------------------


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def stored() -> list[Attachment]:
    return list(_db.session.scalars(select(Attachment)))


def test_files_sent_with_the_new_form_are_stored(client, login_as):
    login_as("partner")
    data = form_data(attachments=[upload(PDF, "proposal.pdf"), upload(PNG, "foto.png")])
    response = client.post("/contributions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    [contribution] = _db.session.scalars(select(Contribution)).all()
    assert response.headers["Location"] == f"/contributions/{contribution.id}"
    files = stored()
    assert sorted(a.content_type for a in files) == ["application/pdf", "image/png"]
    assert all(a.owner_type == "contribution" and a.kind == "proposal_letter" for a in files)


def test_a_disguised_file_is_refused_and_the_rest_of_the_form_kept(client, login_as):
    login_as("partner")
    data = form_data(attachments=[upload(b"just text", "proposal.pdf")])
    response = client.post("/contributions/new", data=data, content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 200
    assert "proposal.pdf" in page and 'class="field-error"' in page
    assert 'value="Oven untuk usaha kue"' in page and 'value="Oven gas"' in page
    assert stored() == []
    from portal.models import Contribution

    assert list(_db.session.scalars(select(Contribution))) == []


def test_an_oversized_file_is_refused_with_the_reason(client, login_as, english):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    big = PDF[:-6] + b" " * MAX_BYTES + b"%%EOF\n"
    # A body this large is spooled to a temporary file, which the test closes itself.
    builder = EnvironBuilder(
        path=f"/contributions/{contribution.id}/attachments",
        method="POST",
        data={"file": upload(big, "besar.pdf"), "kind": "brochure"},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 200
    assert "besar.pdf is larger than 5 MB." in text(response)
    assert stored() == []


def test_partner_attaches_downloads_and_removes_a_file(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    response = client.post(
        f"/contributions/{contribution.id}/attachments",
        data={"file": upload(JPEG, "foto alat.jpg"), "kind": "photo"},
        content_type="multipart/form-data",
    )
    assert redirect_of(response) == f"/contributions/{contribution.id}"
    [attachment] = stored()
    assert attachment.kind == "photo" and attachment.filename == "foto alat.jpg"
    download = client.get(f"/contributions/{contribution.id}/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == JPEG
    assert download.mimetype == "image/jpeg"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    client.post(f"/contributions/{contribution.id}/attachments/{attachment.id}/delete")
    assert stored() == []


def test_files_cannot_change_after_submission(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="submitted")
    response = client.post(
        f"/contributions/{contribution.id}/attachments",
        data={"file": upload(PDF, "surat.pdf"), "kind": "proposal_letter"},
        content_type="multipart/form-data",
    )
    assert redirect_of(response) == f"/contributions/{contribution.id}"
    assert stored() == []


def test_the_kecamatan_officer_downloads_the_proposal_letter(client, login_as, db):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory())
    attachment = Attachment(
        owner_type="contribution",
        owner_id=contribution.id,
        kind="proposal_letter",
        filename="surat.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        data=PDF,
    )
    db.session.add(attachment)
    db.session.commit()
    response = client.get(f"/contributions/{contribution.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF


def test_an_attachment_of_another_owner_type_is_not_served(client, login_as, db):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    logo = stored_png("kecamatan_office", contribution.id, kind="logo", filename="logo.png")
    assert client.get(f"/contributions/{contribution.id}/attachments/{logo.id}").status_code == 404
