"""The handover pages: the officer records the handover from the match page (who received,
who was absent and why, proxies, photos, the scan), adds files afterwards and reverses a
mistaken handover; every bad input comes back beside its field with what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core.dates import local_today
from portal.extensions import db
from portal.models import Attachment, AuditEvent, HandoverRecord, Match, Notification
from tests.support.handover import approved, handed_over
from tests.support.handover_pages import JPEG, PDF, PNG, post_large, record_data, upload
from tests.support.matching import cast_for


def _login(auth, user):
    assert auth.login(user).status_code == 302


def _ready(people=3):
    match = approved(people=people)
    cast = cast_for(match.contribution)
    db.session.commit()
    return match, cast


def _status(match_id):
    db.session.expire_all()
    return db.session.get(Match, match_id).status


def _records(match_id) -> int:
    query = select(func.count(HandoverRecord.id)).where(HandoverRecord.match_id == match_id)
    return db.session.scalar(query)


def _post(client, match, data):
    return client.post(
        f"/serah-terima/{match.id}/catat", data=data, content_type="multipart/form-data"
    )


def test_the_officer_opens_the_form_from_the_match_page(client, auth, english):
    match, cast = _ready()
    _login(auth, cast.officer)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f'href="/serah-terima/{match.id}/catat"' in page
    form = client.get(f"/serah-terima/{match.id}/catat")
    text = form.get_data(as_text=True)
    assert form.status_code == 200
    assert local_today().strftime("%d/%m/%Y") in text  # today in WITA by default
    for member in match.active_members:
        assert f'value="{member.id}"' in text and member.recipient.name in text
    assert 'enctype="multipart/form-data"' in text
    assert text.count('type="file"') == 5  # four photo rows and the scan
    assert (
        'name="photos-0-shareable"' in text
        and "checked" not in text.split("photos-0-shareable")[1][:40]
    )


def test_recording_with_an_absent_recipient_a_proxy_photos_and_the_scan(client, auth, english):
    match, cast = _ready(people=3)
    _login(auth, cast.officer)
    data = record_data(
        match,
        outcomes={1: "moved"},
        reasons={1: "Pindah ke Samarinda"},
        proxies={2: "Rahmat (suami)"},
    )
    data.update(
        {
            "notes": "Diserahkan setelah sambutan camat",
            "photos-0-file": upload(JPEG, "serah.jpg"),
            "photos-0-caption": "Penyerahan oven",
            "photos-0-shareable": "y",
            "photos-1-file": upload(PNG, "wajah.png"),
            "scan": upload(PDF, "bast-basah.pdf"),
        }
    )
    response = _post(client, match, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"/penyaluran/{match.id}")
    assert _status(match.id) == "handed_over"
    stored = db.session.scalars(
        select(Attachment).where(Attachment.owner_type == "handover_record").order_by(Attachment.id)
    ).all()
    assert [(a.kind, a.shareable, a.caption) for a in stored] == [
        ("photo", True, "Penyerahan oven"),
        ("photo", False, ""),
        ("scan", False, ""),
    ]
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert "Handed over on" in page and "Balai Desa Loa Ipuh" in page
    assert "2 recipients received their aid" in page and "1 did not" in page
    assert "Moved away" in page and "Pindah ke Samarinda" in page
    assert "Rahmat (suami)" in page and "Diserahkan setelah sambutan camat" in page
    for attachment in stored[:2]:
        assert f"/serah-terima/{match.id}/berkas/{attachment.id}/kecil" in page
    assert f"/serah-terima/{match.id}/berkas/{stored[2].id}/unduh" in page
    assert "Handover recorded" in page  # the history
    assert f'href="/serah-terima/{match.id}/catat"' not in page


def test_the_partner_is_told_with_a_link_to_the_match(client, auth):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    assert _post(client, match, record_data(match)).status_code == 302
    links = db.session.scalars(
        select(Notification.link).where(Notification.user_id == cast.partner.id)
    ).all()
    assert links and set(links) == {f"/penyaluran/{match.id}"}


ERRORS = [
    ({"place": ""}, "Please say where the handover took place."),
    ({"place": "x" * 201}, "At most 200 characters."),
    ({"handed_over_on": ""}, "Please give the date of the handover."),
    ({"handed_over_on": "31/02/2025"}, "Write the date as dd/mm/yyyy"),
    (
        {"handed_over_on": (local_today() + timedelta(days=1)).strftime("%d/%m/%Y")},
        "The handover date cannot be in the future.",
    ),
    (
        {"handed_over_on": (local_today() - timedelta(days=30)).strftime("%d/%m/%Y")},
        "The handover cannot be before the plan was approved.",
    ),
    ({"members-0-outcome": "other"}, "Please say why the recipient did not receive their aid."),
    ({"members-0-outcome": "lost"}, "Choose one of the options offered."),
    (
        {"members-0-outcome": "absent", "members-0-collected_by": "Rahmat"},
        "Only someone who received their aid can have had it collected for them.",
    ),
    (
        {"members-0-outcome": "absent", "members-1-outcome": "deceased"},
        "Nobody received anything: mark at least one recipient as present.",
    ),
    ({"photos-0-file": upload(PDF, "foto.jpg")}, "foto.pdf is not a photo"),
    ({"photos-0-file": upload(b"hello, not an image", "foto.jpg")}, "is not a PDF, JPEG or PNG"),
    ({"photos-0-file": upload(b"\xff\xd8\xff" + b"0" * 50, "rusak.jpg")}, "is not a readable"),
    ({"photos-0-caption": "x" * 201}, "At most 200 characters."),
    ({"scan": upload(b"plain text", "scan.pdf")}, "scan.pdf is not a PDF, JPEG or PNG"),
    ({"scan": upload(b"%PDF-1.4 cut off", "scan.pdf")}, "is not a complete PDF file"),
]


@pytest.mark.parametrize(("fields", "message"), ERRORS, ids=[m for _, m in ERRORS])
def test_bad_input_comes_back_beside_its_field(client, auth, english, fields, message):
    match, cast = _ready(people=2)
    _login(auth, cast.officer)
    data = record_data(match, notes="Catatan <b>yang</b> diketik")
    data.update(fields)
    response = _post(client, match, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text
    assert "Catatan &lt;b&gt;yang&lt;/b&gt; diketik" in text  # kept, and as text
    assert _status(match.id) == "approved" and _records(match.id) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_files_chosen_before_an_error_must_be_chosen_again(client, auth, english):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    data = record_data(match, place="")
    data["photos-0-file"] = upload(JPEG, "serah.jpg")
    text = _post(client, match, data).get_data(as_text=True)
    assert "please choose them again" in text


def test_oversized_photo_and_scan_are_refused(client, auth, english):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    big_photo = JPEG[:-2] + b"\0" * (5 * 1024 * 1024) + JPEG[-2:]
    big_scan = PDF[:-6] + b" " * (10 * 1024 * 1024) + b"%%EOF\n"
    data = record_data(match)
    data["photos-0-file"] = upload(big_photo, "besar.jpg")
    data["scan"] = upload(big_scan, "besar.pdf")
    text = post_large(client, f"/serah-terima/{match.id}/catat", data).get_data(as_text=True)
    assert "besar.jpg is larger than 5 MB." in text
    assert "besar.pdf is larger than 10 MB." in text
    assert _status(match.id) == "approved"


def test_a_scan_of_nine_megabytes_and_an_image_scan_are_accepted(client, auth):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    data = record_data(match)
    data["scan"] = upload(PDF[:-6] + b" " * (9 * 1024 * 1024) + b"%%EOF\n", "bast.pdf")
    assert post_large(client, f"/serah-terima/{match.id}/catat", data).status_code == 302
    match2, _ = _ready(people=1)
    data = record_data(match2)
    data["scan"] = upload(JPEG, "bast.jpg")
    assert _post(client, match2, data).status_code == 302
    kinds = db.session.scalars(select(Attachment.content_type).order_by(Attachment.id)).all()
    assert kinds == ["application/pdf", "image/jpeg"]


@pytest.mark.parametrize("forgery", ["other_match", "not_a_number", "missing_row", "twice"])
def test_a_forged_member_id_is_refused(client, auth, english, forgery):
    match, cast = _ready(people=2)
    other = approved(people=1)
    db.session.commit()
    _login(auth, cast.officer)
    data = record_data(match, place="Balai Desa Uji")
    if forgery == "other_match":
        data["members-1-member_id"] = str(other.active_members[0].id)
    elif forgery == "not_a_number":
        data["members-1-member_id"] = "1 OR 1=1"
    elif forgery == "missing_row":
        for key in [k for k in data if k.startswith("members-1-")]:
            del data[key]
    else:
        data["members-1-member_id"] = data["members-0-member_id"]
    response = _post(client, match, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Someone named is not on this plan." in text
    assert "Balai Desa Uji" in text
    assert text.count('name="members-') >= 2 * 4  # the match's own rows again
    assert _status(match.id) == "approved" and _status(other.id) == "approved"
    assert _records(match.id) == 0


def test_a_second_record_changes_nothing(client, auth, english):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    assert _post(client, match, record_data(match)).status_code == 302
    again = _post(client, match, record_data(match))
    assert again.status_code == 302
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "already been recorded" in page
    assert _records(match.id) == 1
    form = client.get(f"/serah-terima/{match.id}/catat", follow_redirects=True)
    assert "already been recorded" in form.get_data(as_text=True)


def test_a_draft_match_cannot_be_recorded(client, auth, english):
    match, cast = _ready(people=1)
    match.status = "submitted"
    db.session.commit()
    _login(auth, cast.officer)
    response = _post(client, match, record_data(match))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only an approved plan can be handed over." in page
    assert _records(match.id) == 0


# --- adding files afterwards -----------------------------------------------------------


def _handed_over(people=2):
    match = approved(people=people)
    cast = cast_for(match.contribution)
    entry = handed_over(match, cast)
    db.session.commit()
    return match, cast, entry


def _add(client, match, data):
    return client.post(
        f"/serah-terima/{match.id}/berkas", data=data, content_type="multipart/form-data"
    )


def test_files_are_added_after_recording_and_never_replace(client, auth, english):
    match, cast, entry = _handed_over()
    _login(auth, cast.officer)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f'href="/serah-terima/{match.id}/berkas"' in page
    assert client.get(f"/serah-terima/{match.id}/berkas").status_code == 200
    first = _add(
        client, match, {"photos-0-file": upload(JPEG, "a.jpg"), "scan": upload(PDF, "s.pdf")}
    )
    assert first.status_code == 302
    second = _add(client, match, {"photos-0-file": upload(PNG, "b.png"), "photos-0-shareable": "y"})
    assert second.status_code == 302
    stored = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(a.filename, a.owner_id) for a in stored] == [
        ("a.jpg", entry.id),
        ("s.pdf", entry.id),
        ("b.png", entry.id),
    ]
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "handover_files_added")
        )
        == 2
    )


def test_adding_files_refuses_nothing_chosen_bad_content_and_an_eleventh_photo(
    client, auth, english
):
    match, cast, entry = _handed_over()
    _login(auth, cast.officer)
    empty = _add(client, match, {})
    assert empty.status_code == 422
    assert "Choose at least one photo or the scan." in empty.get_data(as_text=True)
    bad = _add(client, match, {"photos-2-file": upload(PDF, "foto.png")})
    assert bad.status_code == 422 and "is not a photo" in bad.get_data(as_text=True)
    for _ in range(2):
        four = {f"photos-{n}-file": upload(JPEG, f"f{n}.jpg") for n in range(4)}
        assert _add(client, match, four).status_code == 302
    three = {f"photos-{n}-file": upload(JPEG, f"g{n}.jpg") for n in range(3)}
    over = _add(client, match, three)
    assert over.status_code == 422
    assert "at most 10 photos; 8 are stored already" in over.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attachment.id))) == 8


# --- reversing -------------------------------------------------------------------------


def test_reversal_needs_a_reason_and_shows_the_handover_as_reversed(client, auth, english):
    match, cast, entry = _handed_over()
    _login(auth, cast.officer)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f'href="/serah-terima/{match.id}/koreksi"' in page
    assert client.get(f"/serah-terima/{match.id}/koreksi").status_code == 200
    empty = client.post(f"/serah-terima/{match.id}/koreksi", data={"reason": "  "})
    assert empty.status_code == 422 and "Please give a reason." in empty.get_data(as_text=True)
    assert _status(match.id) == "handed_over"
    done = client.post(
        f"/serah-terima/{match.id}/koreksi", data={"reason": "Tanggal salah <dicatat>"}
    )
    assert done.status_code == 302
    assert _status(match.id) == "approved"
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert "Reversed" in page and "Tanggal salah &lt;dicatat&gt;" in page
    assert "Handover reversed" in page  # the history
    assert f'href="/serah-terima/{match.id}/catat"' in page  # a new record may follow
    assert f'href="/serah-terima/{match.id}/koreksi"' not in page
    assert f'href="/serah-terima/{match.id}/berkas"' not in page
    again = client.post(f"/serah-terima/{match.id}/koreksi", data={"reason": "lagi"})
    assert "already been reversed" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _records(match.id) == 2


def test_files_cannot_be_added_to_a_reversed_handover(client, auth, english):
    from portal.handovers import services

    match, cast, entry = _handed_over()
    services.reverse(match, cast.officer, "Salah catat")
    db.session.commit()
    _login(auth, cast.officer)
    response = _add(client, match, {"photos-0-file": upload(JPEG, "a.jpg")})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_the_pages_read_in_indonesian(client, auth):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    text = _post(client, match, record_data(match, place="")).get_data(as_text=True)
    assert "Catat serah terima" in text
    assert "Sebutkan tempat serah terima dilaksanakan." in text


def test_rows_beyond_the_form_are_no_server_error(client, auth):
    match, cast = _ready(people=1)
    _login(auth, cast.officer)
    data = record_data(match, **{"photos-9-file": upload(JPEG, "x.jpg"), "members-99-outcome": "x"})
    assert _post(client, match, data).status_code == 422  # a row that is no member: forged
    photos = {f"photos-{n}-file": upload(JPEG, f"x{n}.jpg") for n in range(8)}
    assert _post(client, match, record_data(match, **photos)).status_code == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == 4  # four photo rows read
