"""Signing letters: the installation CA, camats' certificates and PAdES signatures that
pyHanko's validator and poppler's pdfsig accept."""

from __future__ import annotations

import hashlib
import io
import subprocess

import pytest
from cryptography import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from portal.letters.services import issue_letter
from portal.models import Letter, SignerCertificate
from portal.signing import SigningUnavailable, signer_for
from portal.signing.authority import ca_certificate_pem, ensure_authority
from portal.signing.certificates import current_certificate, revoke_certificates
from portal.signing.pades import run_coroutine
from tests import factories
from tests.support.letters import approved_match, need

NUMBER = "400.9/007/CSR-64.02.06/V/2025"
# Letters carry a QR code of PUBLIC_BASE_URL.
pytestmark = pytest.mark.usefixtures("public_address")


def validate(pdf: bytes):
    """pyHanko's validator, trusting only the installation's CA."""
    roots = list(load_certs_from_pemder_data(ca_certificate_pem()))
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    # The async validator, run like the signer runs: the browser tests leave an event
    # loop running in this thread, where pyHanko's sync wrapper (asyncio.run) refuses.
    return signature, run_coroutine(
        async_validate_pdf_signature(
            signature, ValidationContext(trust_roots=roots, allow_fetching=False)
        )
    )


def test_setup_creates_the_authority_once(ctx):
    assert ensure_authority() is False  # the session's app made it already
    certificate = x509.load_pem_x509_certificate(ca_certificate_pem())
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_camat_gets_one_certificate_when_first_needed(ctx):
    camat = factories.user_for_role("camat", name="Camat Uji")
    first = current_certificate(camat)
    assert current_certificate(camat) is first
    assert first.source == "installation" and "Camat Uji" in first.subject
    assert "ENCRYPTED" in first.key_pem  # never a plain private key in the database


def test_letter_signature_validates_against_the_installation_ca(ctx):
    match = approved_match(2)
    letter = issue_letter(match, NUMBER)
    assert isinstance(letter, Letter) and letter in ctx.session
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    signature, status = validate(letter.pdf)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.self_reported_timestamp is not None  # the signing time is embedded
    assert "Ahmad Yani" in status.signing_cert.subject.human_friendly


def test_pdfsig_accepts_the_signature(ctx, tmp_path):
    need("pdfsig")
    letter = issue_letter(approved_match(1), NUMBER)
    path = tmp_path / "bast.pdf"
    path.write_bytes(letter.pdf)
    result = subprocess.run(
        ["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert "Signature Validation: Signature is Valid." in result.stdout, result.stdout
    assert "ETSI.CAdES.detached" in result.stdout


def test_a_changed_byte_breaks_the_signature(ctx):
    letter = issue_letter(approved_match(1), NUMBER)
    changed = bytearray(letter.pdf)
    position = changed.index(b"Halaman") if b"Halaman" in changed else len(changed) // 3
    changed[position] ^= 0x01
    try:
        _, status = validate(bytes(changed))
    except Exception:  # noqa: BLE001 - a broken file may not even parse
        return
    assert not status.intact


def test_a_revoked_certificate_signs_no_new_letter_but_a_new_one_is_issued(ctx):
    match = approved_match(1)
    camat = match.approved_by
    old = current_certificate(camat)
    assert revoke_certificates(camat) == 1
    assert current_certificate(camat).id != old.id


def test_an_inactive_camat_cannot_sign(ctx):
    camat = factories.user_for_role("camat", active=False)
    with pytest.raises(SigningUnavailable):
        signer_for(camat)
    assert ctx.session.query(SignerCertificate).count() == 0


def test_deactivating_a_camat_revokes_their_certificate_but_not_their_letters(ctx):
    from portal.admin.services import deactivate_user
    from portal.letters.queries import valid_when_signed

    match = approved_match(1)
    letter = issue_letter(match, NUMBER)
    ctx.session.flush()
    deactivate_user(factories.user_for_role("admin"), match.approved_by)
    assert letter.signer_certificate.revoked_at is not None
    assert valid_when_signed(letter)
    with pytest.raises(SigningUnavailable):
        signer_for(match.approved_by)


def test_an_uploaded_bsre_certificate_signs_and_the_footer_names_bsre(ctx, tmp_path):
    from portal.signing.certificates import upload_pkcs12
    from tests.support.letters import make_pkcs12, pdf_text

    bundle = make_pkcs12("rahasia")
    match = approved_match(1)
    with pytest.raises(ValueError):
        upload_pkcs12(match.approved_by, bundle, "salah")
    uploaded = upload_pkcs12(match.approved_by, bundle, "rahasia")
    assert uploaded.bsre and uploaded.source == "uploaded"
    letter = issue_letter(match, NUMBER)
    assert letter.signer_certificate is uploaded
    assert "Balai Besar Sertifikasi Elektronik (BSrE)" in pdf_text(letter.pdf, tmp_path)


def test_the_admin_uploads_a_camats_pkcs12(client, login_as, make_user):
    from tests.support.letters import make_pkcs12

    camat = make_user("camat")
    login_as("admin")
    address = f"/admin/users/{camat.id}/certificates"
    assert client.get(address).status_code == 200

    def send(password):
        data = {"file": (io.BytesIO(make_pkcs12("rahasia")), "camat.p12"), "password": password}
        return client.post(address, data=data, content_type="multipart/form-data")

    refused = send("salah")
    assert refused.status_code == 200
    assert "kata sandinya salah" in refused.get_data(as_text=True)
    assert send("rahasia").status_code == 302
    page = client.get(address).get_data(as_text=True)
    assert "OSD BSrE Uji" in page and "Diunggah" in page
    officer = make_user("officer")
    assert client.get(f"/admin/users/{officer.id}/certificates").status_code == 404


def test_only_the_admin_opens_the_certificates_page(client, login_as, make_user):
    camat = make_user("camat")
    login_as("officer")
    assert client.get(f"/admin/users/{camat.id}/certificates").status_code == 403


def test_demo_data_gets_letters_for_its_numbered_approved_matches(ctx):
    from portal.letters.demo import issue_missing_letters

    numbered = approved_match(1)
    numbered.letter_number = NUMBER
    approved_match(1, company=factories.CompanyFactory())  # no number: nothing to issue
    assert issue_missing_letters() == 1
    ctx.session.flush()
    assert issue_missing_letters() == 0
    (letter,) = ctx.session.query(Letter).all()
    assert letter.match_id == numbered.id and letter.number == NUMBER


def test_issuing_writes_nothing_before_the_approval_commits(ctx):
    match = approved_match(1)
    ctx.session.flush()
    letter = issue_letter(match, NUMBER)
    # Only added: no write (and so no SQLite write lock) while it rendered and signed.
    assert letter.id is None and letter.signer_certificate.id is None
    assert {letter, letter.signer_certificate} <= set(ctx.session.new)
    ctx.session.flush()
    assert letter.signer_certificate.user_id == match.approved_by.id


def test_without_the_authority_issuing_raises_so_the_approval_fails_whole(
    app, ctx, monkeypatch, tmp_path
):
    match = approved_match(1)
    monkeypatch.setitem(app.config, "SIGNING_CA_CERT", str(tmp_path / "missing.pem"))
    with pytest.raises(RuntimeError, match="flask --app wsgi setup"):
        issue_letter(match, NUMBER)
    assert not [row for row in ctx.session.new if isinstance(row, Letter)]


def test_a_stored_letter_cannot_be_changed(ctx):
    letter = issue_letter(approved_match(1), NUMBER)
    ctx.session.flush()
    letter.status = "replaced"  # its status may move on
    ctx.session.flush()
    letter.pdf = letter.pdf + b"\n"
    with pytest.raises(ValueError, match="never changed"):
        ctx.session.flush()
    ctx.session.rollback()
