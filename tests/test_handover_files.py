"""The handover's files are judged by their content, within their size limits, only ever
added to a handover in force, and their thumbnails carry none of the photo's metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.core.refusals import Refusal
from portal.extensions import db
from portal.handovers import files, services
from tests.support.handover import approved, handed_over
from tests.support.handover_pages import JPEG, PDF, PNG
from tests.support.matching import cast_for

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("data", "name", "stored_as", "content_type"),
    [
        (JPEG, "foto.jpg", "foto.jpg", "image/jpeg"),
        (JPEG, "foto.jpeg", "foto.jpeg", "image/jpeg"),
        (PNG, "foto.pdf", "foto.png", "image/png"),  # the content decides, the name follows
        (JPEG, "foto", "foto.jpg", "image/jpeg"),
    ],
)
def test_a_photo_is_a_real_image_whatever_its_name(app, data, name, stored_as, content_type):
    with app.test_request_context():
        checked = files.check_photo(name, io.BytesIO(data))
    assert (checked.filename, checked.content_type) == (stored_as, content_type)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PDF, "foto.jpg", "foto.pdf bukan foto"),
        (b"GIF89a" + b"\0" * 20, "foto.gif", "bukan berkas PDF, JPEG, atau PNG"),
        (b"<html><script>alert(1)</script>", "foto.jpg", "bukan berkas PDF, JPEG, atau PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "foto.png", "bukan gambar yang dapat dibaca"),
        (b"", "kosong.jpg", "kosong.jpg kosong"),
        (JPEG[:-2] + b"\0" * (5 * MB) + JPEG[-2:], "besar.jpg", "lebih besar dari 5 MB"),
    ],
)
def test_what_is_not_a_photo_is_refused(app, data, name, message):
    with app.test_request_context(), pytest.raises(Refusal, match=message):
        files.check_photo(name, io.BytesIO(data))


def test_a_scan_may_be_a_pdf_or_an_image_of_up_to_ten_megabytes(app):
    exactly = PDF[:-6] + b" " * (10 * MB - len(PDF)) + b"%%EOF\n"
    assert len(exactly) == 10 * MB
    with app.test_request_context():
        assert files.check_scan("bast.pdf", io.BytesIO(exactly)).size == 10 * MB
        assert files.check_scan("bast.pdf", io.BytesIO(JPEG)).filename == "bast.jpg"
        with pytest.raises(Refusal, match="lebih besar dari 10 MB"):
            files.check_scan("bast.pdf", io.BytesIO(exactly[:-6] + b"  %%EOF\n"))
        with pytest.raises(Refusal, match="bukan berkas PDF, JPEG, atau PNG"):
            files.check_scan("bast.jpg", io.BytesIO(b"PK\x03\x04 a zip file"))


def _photo(name="a.jpg", shareable=False):
    return files.Photo(files.check_photo(name, io.BytesIO(JPEG)), "", shareable)


def test_at_most_ten_photos_and_three_scans_a_handover(ctx):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    files.attach(entry, cast.officer, [_photo() for _ in range(10)], [])
    with pytest.raises(Refusal, match="paling banyak 10 foto") as refused:
        files.attach(entry, cast.officer, [_photo()], [])
    assert refused.value.field == "photos"
    scan = files.check_scan("s.pdf", io.BytesIO(PDF))
    files.attach(entry, cast.officer, [], [scan, scan, scan])
    with pytest.raises(Refusal, match="paling banyak 3 pindaian"):
        files.attach(entry, cast.officer, [], [scan])
    assert len(files.files_of(entry)) == 13


def test_only_the_recorder_adds_and_only_to_a_handover_in_force(ctx):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    for outsider in (cast.camat, cast.admin, cast.partner):
        with pytest.raises(Refusal):
            files.attach(entry, outsider, [_photo()], [])
    services.reverse(match, cast.officer, "Salah catat")
    db.session.flush()
    db.session.refresh(entry)
    with pytest.raises(Refusal, match="serah terima yang berlaku"):
        files.attach(entry, cast.officer, [_photo()], [])
    assert files.files_of(entry) == []


def test_a_scan_is_never_shareable_and_captions_are_kept_as_typed(ctx):
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    photo = files.Photo(
        files.check_photo("a.jpg", io.BytesIO(JPEG)), "  Oven <baru> & mixer ", True
    )
    stored_photo, stored_scan = files.attach(
        entry, cast.officer, [photo], [files.check_scan("s.pdf", io.BytesIO(PDF))]
    )
    assert stored_photo.caption == "Oven <baru> & mixer" and stored_photo.shareable
    assert not stored_scan.shareable


def test_a_thumbnail_is_small_upright_and_without_metadata(ctx):
    image = Image.new("RGB", (1200, 600), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show upright
    exif[0x010F] = "Kamera Uji"  # make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    photo = files.Photo(files.check_photo("tinggi.jpg", io.BytesIO(buffer.getvalue())))
    [stored] = files.attach(entry, cast.officer, [photo], [])
    with Image.open(io.BytesIO(files.thumbnail(stored))) as small:
        assert small.format == "JPEG"
        assert max(small.size) <= files.THUMBNAIL_PX
        assert small.size[1] > small.size[0]  # turned upright
        assert not small.getexif()


def test_a_png_with_transparency_gets_a_thumbnail(ctx):
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, "PNG")
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    photo = files.Photo(files.check_photo("t.png", io.BytesIO(buffer.getvalue())))
    [stored] = files.attach(entry, cast.officer, [photo], [])
    assert files.thumbnail(stored)[:3] == b"\xff\xd8\xff"


def test_a_stored_photo_keeps_no_metadata(ctx):
    """The full-size photo a partner may download carries no place or camera either."""
    image = Image.new("RGB", (1200, 600), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Kamera Uji"
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    match = approved(people=1)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    photo = files.Photo(files.check_photo("gps.jpg", io.BytesIO(buffer.getvalue())))
    [stored] = files.attach(entry, cast.officer, [photo], [])
    assert b"Kamera Uji" not in stored.data
    with Image.open(io.BytesIO(stored.data)) as kept:
        assert not kept.getexif()
        assert kept.size == (600, 1200)  # turned upright before the orientation was dropped
    assert stored.size == len(stored.data)
