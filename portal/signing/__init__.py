"""Digital signatures for letters behind one small interface.

``Signer.sign(pdf, field_name=..., reason=..., location=...) -> bytes`` adds one PAdES
signature to a PDF; ``signer_for(user)`` gives the signer for a camat (their uploaded
certificate, else one the installation's certificate authority issues when first needed).
Another kind of signer (a BSrE gateway, say) only has to offer the same ``sign``.

- ``authority.py``: the installation's certificate authority, created once by ``flask setup``;
- ``certificates.py``: issuing, loading, uploading and revoking signers' certificates;
- ``pades.py``: the pyHanko signer (sub-filter ETSI.CAdES.detached, RFC 3161 timestamp when
  ``SIGNING_TSA_URL`` is set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from portal.models import SignerCertificate


class Signer(Protocol):
    """Signs PDF bytes; ``certificate`` is the SignerCertificate it signs with (perhaps
    new and not yet flushed) and ``bsre`` says whether BSrE issued it (the letter's footer
    names BSrE only then)."""

    certificate: SignerCertificate
    bsre: bool
    holder_name: str

    def sign(self, pdf: bytes, *, field_name: str, reason: str, location: str) -> bytes: ...


class SigningUnavailable(RuntimeError):
    """The signer has no usable certificate (revoked, expired) or the CA is missing."""


def signer_for(user) -> Signer:
    """The signer for ``user``: their newest usable certificate, issued if they have none."""
    from portal.signing.certificates import current_certificate
    from portal.signing.pades import PadesSigner

    return PadesSigner.from_certificate(current_certificate(user))
