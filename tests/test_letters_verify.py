"""The public verification page (no login, no personal data, rate-limited), checking an
uploaded copy, downloading a letter within the match's scope, and the letters list."""

from __future__ import annotations

import io

import pytest

from portal.extensions import db
from portal.letters import render
from portal.letters.services import issue_letter
from tests import factories
from tests.support.letters import approved_match

NUMBER = "400.9/007/CSR-64.02.06/V/2025"
# Letters carry a QR code of PUBLIC_BASE_URL.
pytestmark = pytest.mark.usefixtures("public_address")


@pytest.fixture()
def letter(client):
    match = approved_match(3)
    letter = issue_letter(match, NUMBER)
    match.letter_number = NUMBER
    db.session.commit()
    return letter


def upload(client, code: str, data: bytes, name: str = "bast.pdf"):
    return client.post(
        f"/verifikasi/{code}",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_anyone_sees_the_letters_outline_without_personal_data(client, letter):
    response = client.get(f"/verifikasi/{letter.verification_code}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for shown in (
        NUMBER,
        "14 Mei 2025",
        "Tenggarong",
        "PT Mahakam Batubara Lestari",
        "Rp 6.000.000",
        "3 orang",
        "Drs. Ahmad Yani, Camat Tenggarong",
        letter.sha256,
        "Surat sah.",
        "berlaku pada saat surat ditandatangani",
        "Sertifikat</dt><dd>Sinergi CA Kabupaten Kutai Kartanegara ·",
    ):
        assert shown in page, shown
    for member in letter.match.active_members:
        assert member.recipient.name not in page
        assert member.recipient.nik[:6] + "*" not in page


def test_the_code_may_be_typed_in_lower_case(client, letter):
    assert client.get(f"/verifikasi/{letter.verification_code.lower()}").status_code == 200


def test_an_unknown_code_is_not_found_in_indonesian(client, letter):
    response = client.get("/verifikasi/ZZZZZZZZZZ")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)


def test_the_exact_file_is_authentic(client, letter):
    response = upload(client, letter.verification_code, letter.pdf)
    assert response.status_code == 200
    assert "Berkas ini sama persis" in response.get_data(as_text=True)


def test_a_copy_with_one_byte_changed_is_not_authentic(client, letter):
    changed = bytearray(letter.pdf)
    changed[len(changed) // 2] ^= 0x20
    page = upload(client, letter.verification_code, bytes(changed)).get_data(as_text=True)
    assert "Bukan surat yang asli." in page and "Berkas ini sama persis" not in page


def test_what_is_not_a_pdf_is_told_so_beside_the_field(client, letter):
    response = upload(client, letter.verification_code, b"GIF89a not a letter", "bast.pdf")
    assert response.status_code == 422
    assert "Berkas ini bukan PDF." in response.get_data(as_text=True)


def test_the_page_is_rate_limited(app, client, letter, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_LIMIT_PER_ADDRESS", "3 per minute")
    codes = [client.get(f"/verifikasi/{letter.verification_code}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_download_is_the_stored_file_even_after_the_template_changes(
    client, letter, login_as, monkeypatch
):
    signed = letter.pdf
    monkeypatch.setattr(render, "TEMPLATE", "letters/does-not-exist.html")
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    response = client.get(f"/surat/{letter.id}/unduh")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == signed
    assert "BAST-400.9-007-CSR-64.02.06-V-2025.pdf" in response.headers["Content-Disposition"]


def test_the_partner_of_the_company_may_download(client, letter, login_as):
    login_as("partner", company=letter.match.contribution.company)
    assert client.get(f"/surat/{letter.id}/unduh").status_code == 200


def test_others_cannot_download(client, letter, login_as):
    login_as("officer", kecamatan=factories.kecamatan("64.02.07"))
    assert client.get(f"/surat/{letter.id}/unduh").status_code == 404
    client.post("/logout")
    login_as("partner")
    assert client.get(f"/surat/{letter.id}/unduh").status_code == 404


def test_the_list_is_scoped_and_searchable(client, letter, login_as):
    login_as("camat", kecamatan_id=letter.match.kecamatan_id)
    page = client.get("/surat").get_data(as_text=True)
    assert NUMBER in page and letter.verification_code in page
    assert NUMBER not in client.get("/surat?q=tidak-ada").get_data(as_text=True)
    assert NUMBER in client.get(f"/surat?q={letter.verification_code}").get_data(as_text=True)
    assert NUMBER not in client.get("/surat?status=replaced").get_data(as_text=True)
    client.post("/logout")
    login_as("officer", kecamatan=factories.kecamatan("64.02.07"))
    assert NUMBER not in client.get("/surat").get_data(as_text=True)


def test_an_htmx_upload_gets_only_the_check_block(client, letter):
    response = client.post(
        f"/verifikasi/{letter.verification_code}",
        data={"file": (io.BytesIO(letter.pdf), "bast.pdf")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<article id="check-file">')
    assert "Berkas ini sama persis" in page


def test_the_matchs_letter_in_force_is_found_for_its_page(client, letter):
    from portal.letters.queries import letter_of

    assert letter_of(letter.match) == letter
    letter.status = "replaced"
    assert letter_of(letter.match) is None


def test_a_copy_signed_again_outside_is_kept_beside_and_then_served(client, letter, tmp_path):
    from portal.core.refusals import Refusal
    from portal.letters.copies import add_signed_copy
    from portal.letters.render import render_pdf
    from portal.letters.sample import sample_letter
    from tests.support.letters import sign_again

    officer = factories.user_for_role("officer")
    signed_again = sign_again(letter.pdf, tmp_path)
    copy = add_signed_copy(letter, signed_again, officer)
    db.session.commit()
    assert copy.pdf == signed_again and "OSD BSrE Uji" in copy.issuer
    assert letter.pdf.startswith(b"%PDF") and letter.sha256 != copy.sha256  # both kept
    page = upload(client, letter.verification_code, signed_again).get_data(as_text=True)
    assert "Berkas ini sama persis" in page and copy.sha256 in page

    tampered = bytearray(signed_again)
    tampered[len(letter.pdf) + 200] ^= 0x01
    other = sign_again(render_pdf(sample_letter(1)), tmp_path)  # another document
    for refused in (bytes(tampered), letter.pdf, other):
        with pytest.raises(Refusal):
            add_signed_copy(letter, refused, officer)


def test_the_download_serves_the_copy_signed_outside(client, letter, login_as, tmp_path):
    from portal.letters.copies import add_signed_copy
    from tests.support.letters import sign_again

    officer = login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    signed_again = sign_again(letter.pdf, tmp_path)
    add_signed_copy(letter, signed_again, officer)
    db.session.commit()
    assert client.get(f"/surat/{letter.id}/unduh").data == signed_again


def test_the_officer_uploads_the_copy_on_the_letters_page(client, letter, login_as, tmp_path):
    from tests.support.letters import sign_again

    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert NUMBER in page and f"/surat/{letter.id}/salinan" in page

    def send(data):
        return client.post(
            f"/surat/{letter.id}/salinan",
            data={"file": (io.BytesIO(data), "bast-bsre.pdf")},
            content_type="multipart/form-data",
        )

    refused = send(letter.pdf)
    assert refused.status_code == 422
    assert "byte demi byte" in refused.get_data(as_text=True)
    assert send(sign_again(letter.pdf, tmp_path)).status_code == 302
    assert "OSD BSrE Uji" in client.get(f"/surat/{letter.id}").get_data(as_text=True)


def test_only_the_officer_sees_and_sends_the_copy_form(client, letter, login_as):
    login_as("camat", kecamatan_id=letter.match.kecamatan_id)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert NUMBER in page and "/salinan" not in page
    assert client.post(f"/surat/{letter.id}/salinan").status_code == 403
