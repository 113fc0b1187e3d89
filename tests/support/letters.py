"""Helpers the letter tests share: an approved match ready for its letter, PDF text,
page images and QR codes read back with poppler and zbar."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import KecamatanOffice
from tests import factories

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "letters"
APPROVED_AT = datetime(2025, 5, 14, 1, 30, tzinfo=UTC)  # 09.30 WITA


def approved_match(recipients: int = 3, *, company=None, item_name="Oven gas", **contribution):
    """A match of kecamatan Tenggarong approved by its camat, with ``recipients`` members
    each receiving one of the contribution's first item (and two of a second one)."""
    company = company or factories.CompanyFactory(
        name="PT Mahakam Batubara Lestari", representative_name="Budi Santoso"
    )
    kind = contribution.pop("kind", "equipment")
    source = factories.ContributionFactory(
        company=company, status="allocating", kind=kind, **contribution
    )
    if kind != "training":
        factories.ContributionItemFactory(
            contribution=source, name=item_name, quantity=100, unit_value=1_500_000, position=0
        )
        factories.ContributionItemFactory(
            contribution=source, name="Tabung gas", quantity=100, unit_value=250_000, position=1
        )
    camat = factories.user_for_role(
        "camat", name="Drs. Ahmad Yani", title="Camat", nip="197205141998031004"
    )
    officer = factories.user_for_role("officer", name="Siti Rahmawati")
    office = db.session.get(KecamatanOffice, source.kecamatan_id)
    if office is not None:
        office.address = "Jl. Jenderal Sudirman No. 1, Tenggarong"
        office.camat_user_id = camat.id
    match = factories.MatchFactory(
        contribution=source,
        status="approved",
        approved_at=APPROVED_AT,
        approved_by=camat,
        submitted_by=officer,
        submitted_at=APPROVED_AT.replace(day=12),
    )
    db.session.flush()
    for _ in range(recipients):
        member = factories.MatchMemberFactory(match=match)
        if kind != "training":
            items = source.items
            factories.MatchAllocationFactory(member=member, item=items[0], quantity=1)
            factories.MatchAllocationFactory(member=member, item=items[1], quantity=2)
    db.session.flush()
    db.session.refresh(match)
    return match


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (make test installs it through apt as root)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The letter's text, by pypdf (joined lines, single spaces)."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def page_images(pdf: bytes, folder: Path, stem: str = "page", dpi: int = 100) -> list[Path]:
    """Each page as a PNG (pdftoppm) in ``folder``."""
    need("pdftoppm")
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / stem)],
        check=True,
        timeout=60,
    )
    return sorted(folder.glob(f"{stem}-*.png"))


def qr_codes(image: Path) -> list[str]:
    """The QR codes zbarimg reads in ``image``."""
    need("zbarimg")
    result = subprocess.run(
        ["zbarimg", "--quiet", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    prefix = "QR-Code:"
    return [line[len(prefix) :] for line in result.stdout.splitlines() if line.startswith(prefix)]


def make_pkcs12(password: str) -> bytes:
    """A PKCS#12 file with a certificate from a CA named like BSrE's, made here."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(common):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name("Drs. Ahmad Yani"))
        .issuer_name(name("OSD BSrE Uji"))
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password.encode())
    return pkcs12.serialize_key_and_certificates(b"camat", key, certificate, None, encryption)


def sign_again(pdf: bytes, tmp_path: Path, password: str = "rahasia") -> bytes:
    """``pdf`` with a second signature added as an incremental update, by a certificate
    from a CA named like BSrE's: what a camat's outside signing service hands back."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from portal.signing.pades import run_coroutine

    bundle = tmp_path / "bsre.p12"
    bundle.write_bytes(make_pkcs12(password))
    signer = signers.SimpleSigner.load_pkcs12(str(bundle), passphrase=password.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name="TandaTanganBSrE", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return run_coroutine(signers.async_sign_pdf(writer, metadata, signer=signer)).getvalue()
