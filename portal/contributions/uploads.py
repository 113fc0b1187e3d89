"""Checks on uploaded attachments: PDF, JPEG or PNG, at most 5 MB, judged by content.

The file name and the browser's content type are ignored: a text file renamed to
``.pdf`` is refused. Images are opened with Pillow to make sure they really are images.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass, replace

from PIL import Image, ImageOps

from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l

MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_KINDS = ("proposal_letter", "photo", "brochure", "other")
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes

    def stored(self, owner_type: str, owner_id: int | None, kind: str, actor, **extra):
        """The checked file as an ``Attachment`` of its owner, added to the session."""
        from portal.extensions import db
        from portal.models import Attachment

        attachment = Attachment(
            owner_type=owner_type,
            owner_id=owner_id,
            kind=kind,
            filename=self.filename,
            content_type=self.content_type,
            size=self.size,
            sha256=self.sha256,
            data=self.data,
            uploaded_by_id=getattr(actor, "id", None),
            **extra,
        )
        db.session.add(attachment)
        return attachment

    def without_metadata(self) -> CheckedFile:
        """A photo saved again upright and without its metadata (the place it was taken,
        the camera), since photos of recipients may be shown to partners; other files
        are returned as they are."""
        if not self.content_type.startswith("image/"):
            return self
        out = io.BytesIO()
        with Image.open(io.BytesIO(self.data)) as image:
            upright = ImageOps.exif_transpose(image)
            if self.content_type == "image/jpeg":
                upright.convert("RGB").save(out, "JPEG", quality=90)
            else:
                upright.save(out, "PNG")
        data = out.getvalue()
        return replace(self, data=data, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def check_upload(filename: str | None, stream, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Read at most ``max_bytes`` (5 MB unless said, +1 byte) from ``stream`` and accept
    only real PDF, JPEG or PNG."""
    data = stream.read(max_bytes + 1)
    name = safe_filename(filename)
    if len(data) > max_bytes:
        size = max_bytes // (1024 * 1024)
        raise Refusal(_l("%(name)s is larger than %(size)s MB.", name=name, size=size))
    if not data:
        raise Refusal(_l("%(name)s is empty.", name=name))
    content_type, extension = _sniff(data, name)
    endings = (".jpg", ".jpeg") if extension == "jpg" else (f".{extension}",)
    if not name.lower().endswith(endings):
        name = f"{name.rsplit('.', 1)[0] if '.' in name else name}.{extension}"
    return CheckedFile(
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _sniff(data: bytes, name: str) -> tuple[str, str]:
    found = next((sig for sig in _SIGNATURES if data.startswith(sig[0])), None)
    if found is None:
        raise Refusal(
            _l("%(name)s is not a PDF, JPEG or PNG file (judged by its content).", name=name)
        )
    _, content_type, extension = found
    if content_type == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise Refusal(_l("%(name)s is not a complete PDF file.", name=name))
    elif not _is_image(data, "PNG" if extension == "png" else "JPEG"):
        raise Refusal(_l("%(name)s is not a readable image.", name=name))
    return content_type, extension


def _is_image(data: bytes, expected_format: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected_format:
                    return False
                image.verify()
    except Exception:  # Pillow raises many kinds of error for a broken or hostile file
        return False
    return True


def safe_filename(filename: str | None) -> str:
    """A display name without path parts or control characters, at most 120 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = name.strip(" .")
    return name[-120:] or "lampiran"
