"""Who may record, add files to and reverse a handover (only the officer of the match's
kecamatan), and who sees which of its files: the kecamatan's officer and camat and the
admin everything, the company's partner only the photos marked shareable, nobody else
anything. Refused POSTs change nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.extensions import db
from portal.handovers import access, files, services
from portal.models import Attachment, HandoverRecord, Match
from tests.factories import kecamatan, user_for_role
from tests.support.handover import approved, handed_over
from tests.support.handover_pages import JPEG, PDF, record_data, upload
from tests.support.matching import cast_for

OTHER_KEC = "64.02.10"


def _user(kind: str, cast):
    """The user of one row of the matrix."""
    return {
        "officer": lambda: cast.officer,
        "camat": lambda: cast.camat,
        "admin": lambda: cast.admin,
        "partner": lambda: cast.partner,
        "other officer": lambda: user_for_role("officer", kecamatan=kecamatan(OTHER_KEC)),
        "other camat": lambda: user_for_role("camat", kecamatan=kecamatan(OTHER_KEC)),
        "other partner": lambda: user_for_role("partner"),
        "village": lambda: user_for_role("village", kecamatan=cast.officer.kecamatan),
    }[kind]()


def _login(client, auth, kind, cast):
    if kind == "anonymous":
        return
    user = _user(kind, cast)
    db.session.commit()
    assert auth.login(user).status_code == 302


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# Status each outsider gets on the handover POSTs: 403 for roles the view does not serve,
# 404 for the officer of another kecamatan (the match is outside their scope).
REFUSED_POSTS = [
    ("other officer", 404),
    ("camat", 403),
    ("other camat", 403),
    ("admin", 403),
    ("partner", 403),
    ("other partner", 403),
    ("village", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("kind", "status"), REFUSED_POSTS)
def test_only_the_kecamatan_officer_records(client, auth, kind, status):
    match = approved(people=2)
    cast = cast_for(match.contribution)
    db.session.commit()
    _login(client, auth, kind, cast)
    data = record_data(match, **{"photos-0-file": upload(JPEG, "a.jpg")})
    response = client.post(
        f"/serah-terima/{match.id}/catat", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]
    assert client.get(f"/serah-terima/{match.id}/catat").status_code == status
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "approved"
    assert _count(HandoverRecord) == 0 and _count(Attachment) == 0


@pytest.mark.parametrize(("kind", "status"), REFUSED_POSTS)
def test_only_the_kecamatan_officer_adds_files_and_reverses(client, auth, kind, status):
    match = approved(people=2)
    cast = cast_for(match.contribution)
    handed_over(match, cast)
    db.session.commit()
    _login(client, auth, kind, cast)
    added = client.post(
        f"/serah-terima/{match.id}/berkas",
        data={"photos-0-file": upload(JPEG, "a.jpg")},
        content_type="multipart/form-data",
    )
    reversed_ = client.post(f"/serah-terima/{match.id}/koreksi", data={"reason": "Salah"})
    assert (added.status_code, reversed_.status_code) == (status, status)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "handed_over"
    assert _count(HandoverRecord) == 1 and _count(Attachment) == 0


def test_the_kecamatan_officer_may_and_the_flags_say_so(ctx):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    flags = access.page_flags(cast.officer, match, None)
    assert flags["may_record_handover"] and not flags["may_reverse_handover"]
    assert not flags["may_add_handover_files"]
    for user in (cast.camat, cast.admin, cast.partner):
        assert not any(
            access.page_flags(user, match, None)[f]
            for f in ("may_record_handover", "may_reverse_handover", "may_add_handover_files")
        )
    entry = handed_over(match, cast)
    flags = access.page_flags(cast.officer, match, entry)
    assert not flags["may_record_handover"]
    assert flags["may_reverse_handover"] and flags["may_add_handover_files"]
    assert access.sees_details(cast.camat, match) and access.sees_details(cast.admin, match)
    assert not access.sees_details(cast.partner, match)


def _with_files():
    """A handed-over match with a shared photo, a private photo and a scan."""
    match = approved(people=2)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    shared, private, scan = files.attach(
        entry,
        cast.officer,
        [
            files.Photo(files.check_photo("a.jpg", io.BytesIO(JPEG)), "Bersama", True),
            files.Photo(files.check_photo("b.jpg", io.BytesIO(JPEG)), "Wajah"),
        ],
        [files.check_scan("bast.pdf", io.BytesIO(PDF))],
    )
    db.session.commit()
    return match, cast, shared, private, scan


FILE_ACCESS = [
    # who, (shared photo, private photo, scan)
    ("officer", (200, 200, 200)),
    ("camat", (200, 200, 200)),
    ("admin", (200, 200, 200)),
    ("partner", (200, 404, 404)),
    ("other partner", (404, 404, 404)),
    ("other officer", (404, 404, 404)),
    ("other camat", (404, 404, 404)),
    ("village", (403, 403, 403)),
    ("anonymous", (302, 302, 302)),
]


@pytest.mark.parametrize(("kind", "expected"), FILE_ACCESS)
def test_who_opens_which_file(client, auth, kind, expected):
    match, cast, shared, private, scan = _with_files()
    _login(client, auth, kind, cast)
    base = f"/serah-terima/{match.id}/berkas"
    got = tuple(client.get(f"{base}/{a.id}/unduh").status_code for a in (shared, private, scan))
    assert got == expected
    thumbs = tuple(client.get(f"{base}/{a.id}/kecil").status_code for a in (shared, private))
    assert thumbs == expected[:2]


def test_a_file_of_another_match_is_not_served_through_this_one(client, auth):
    match, cast, shared, _, _ = _with_files()
    other = approved(people=1, kec="64.02.06")
    db.session.commit()
    assert auth.login(cast.officer).status_code == 302
    assert client.get(f"/serah-terima/{other.id}/berkas/{shared.id}/unduh").status_code == 404


def test_the_partner_sees_the_outline_and_shared_photos_only(client, auth, english):
    match, cast, shared, private, scan = _with_files()
    entry = services.current_handover(match)
    line = entry.lines[0]
    line.collected_by = "Rahmat (suami)"
    db.session.commit()
    assert auth.login(cast.partner).status_code == 302
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert "Handed over on" in page and "Balai Desa" in page
    assert "2 recipients received their aid" in page
    assert f"/berkas/{shared.id}/kecil" in page and "Bersama" in page
    assert f"/berkas/{private.id}/" not in page and "Wajah" not in page
    assert f"/berkas/{scan.id}/" not in page
    assert "Rahmat (suami)" not in page and "Recorded by" not in page
    for absent in ("/catat", '/berkas"', "/koreksi"):
        assert f"/serah-terima/{match.id}{absent}" not in page


def test_photos_are_served_as_images_and_scans_as_downloads(client, auth):
    match, cast, shared, _, scan = _with_files()
    assert auth.login(cast.camat).status_code == 302
    base = f"/serah-terima/{match.id}/berkas"
    photo = client.get(f"{base}/{shared.id}/unduh")
    assert photo.mimetype == "image/jpeg" and photo.data == shared.data  # saved again, bare
    assert "attachment" not in photo.headers.get("Content-Disposition", "")
    assert photo.headers["Cache-Control"] == "no-store"
    pdf = client.get(f"{base}/{scan.id}/unduh")
    assert pdf.data == PDF and "attachment" in pdf.headers["Content-Disposition"]
    assert client.get(f"{base}/{scan.id}/kecil").status_code == 404  # no thumbnail of a scan
    thumb = client.get(f"{base}/{shared.id}/kecil")
    with Image.open(io.BytesIO(thumb.data)) as image:
        assert image.format == "JPEG"


@pytest.mark.parametrize("kind", ["camat", "admin", "officer"])
def test_camat_admin_and_officer_see_every_line_and_file(client, auth, english, kind):
    match, cast, shared, private, scan = _with_files()
    entry = services.current_handover(match)
    entry.lines[1].received = False
    entry.lines[1].absent_reason = "deceased"
    entry.lines[0].collected_by = "Rahmat (suami)"
    db.session.commit()
    _login(client, auth, kind, cast)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert "Deceased" in page and "Rahmat (suami)" in page and "Recorded by" in page
    for attachment in (shared, private, scan):
        assert f"/berkas/{attachment.id}/" in page
    assert "Shared with the partner" in page and "Not shared" in page
    offered = f'href="/serah-terima/{match.id}/koreksi"' in page
    assert offered == (kind == "officer")
