"""PAdES baseline signatures with pyHanko: sub-filter ETSI.CAdES.detached, the signing
certificate and its chain embedded, the signing time in the signature dictionary, and an
RFC 3161 timestamp when ``SIGNING_TSA_URL`` names a timestamp service."""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

from portal.models import SignerCertificate
from portal.signing.authority import ca_certificate_pem
from portal.signing.passphrases import passphrase


@dataclass
class PadesSigner:
    """Signs with one SignerCertificate's key through pyHanko."""

    certificate: SignerCertificate
    bsre: bool
    holder_name: str
    signer: signers.SimpleSigner
    tsa_url: str | None = None
    # Room for the CMS signature in the file, so pyHanko need not sign once more only to
    # measure it (half the signing time): see ``reserved_bytes``.
    reserved: int = 16384

    @classmethod
    def from_certificate(cls, row: SignerCertificate) -> PadesSigner:
        certificate = next(load_certs_from_pemder_data(row.certificate_pem.encode()))
        key = load_private_key_from_pemder_data(row.key_pem.encode(), passphrase("key"))
        chain = list(load_certs_from_pemder_data(row.chain_pem.encode())) if row.chain_pem else []
        if row.source == "installation":
            chain += list(load_certs_from_pemder_data(ca_certificate_pem()))
        signer = signers.SimpleSigner(
            signing_cert=certificate,
            signing_key=key,
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        tsa_url = current_app.config.get("SIGNING_TSA_URL")
        return cls(
            reserved=reserved_bytes([certificate, *chain], timestamped=bool(tsa_url)),
            certificate=row,
            bsre=row.bsre,
            holder_name=row.user.name if row.user else "",
            signer=signer,
            tsa_url=tsa_url,
        )

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            name=self.holder_name or None,
        )
        timestamper = timestamps.HTTPTimeStamper(self.tsa_url) if self.tsa_url else None
        output = run_coroutine(
            signers.async_sign_pdf(
                writer,
                metadata,
                signer=self.signer,
                timestamper=timestamper,
                bytes_reserved=self.reserved,
            )
        )
        return output.getvalue()


def reserved_bytes(certificates, *, timestamped: bool) -> int:
    """Generous room for the CMS object: the embedded certificates, a signature of up to
    4096-bit RSA with its signed attributes, and a timestamp token when one is asked."""
    size = 4096 + sum(len(certificate.dump()) for certificate in certificates)
    if timestamped:
        size += 8192
    return size * 2


def run_coroutine(coroutine):
    """Run pyHanko's signing coroutine to its end, also where this thread already runs an
    event loop (pyHanko's own ``sign_pdf`` calls ``asyncio.run``, which refuses there):
    then in a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
