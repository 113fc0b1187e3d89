"""The evidence an impact report shows besides its figures: the handover photos the
officer marked shareable (never the others: faces are personal data), at most
``MAX_PHOTOS`` of them, and the valid signed letters (BAST) with their verification codes."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import undefer

from portal.core.mail import public_url
from portal.extensions import db
from portal.models import Attachment, HandoverRecord, Kecamatan, Letter, Match
from portal.models.handovers import ATTACHMENT_OWNER

MAX_PHOTOS = 12
# A photo prints 80 mm wide: 600 px is about 190 dpi. A camera's full-size photo made the
# PDF large and slow to write, and carried its EXIF (place, device) into the report.
PHOTO_PX = 600
PHOTO_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class Photo:
    data_uri: str
    caption: str
    day: date
    kecamatan: str


@dataclass(frozen=True)
class LetterRef:
    number: str
    code: str
    url: str
    day: date
    kecamatan: str


def photos(records: Select) -> tuple[tuple[Photo, ...], int]:
    """The shareable handover photos (never the others), at most ``MAX_PHOTOS`` of them."""
    shareable = (
        Attachment.owner_type == ATTACHMENT_OWNER,
        Attachment.owner_id.in_(records),
        Attachment.kind == "photo",
        Attachment.shareable.is_(True),
        Attachment.content_type.in_(PHOTO_TYPES),
    )
    total = db.session.scalar(select(func.count(Attachment.id)).where(*shareable)) or 0
    query = (
        select(Attachment, HandoverRecord.handed_over_on, Kecamatan.name)
        .join(HandoverRecord, HandoverRecord.id == Attachment.owner_id)
        .join(Match, Match.id == HandoverRecord.match_id)
        .join(Kecamatan, Kecamatan.id == Match.kecamatan_id)
        .where(*shareable)
        .options(undefer(Attachment.data))
        .order_by(HandoverRecord.handed_over_on, Attachment.id)
        .limit(MAX_PHOTOS)
    )
    photos = tuple(
        Photo(_data_uri(photo), photo.caption, day, kecamatan)
        for photo, day, kecamatan in db.session.execute(query)
    )
    return photos, total - len(photos)


def _data_uri(attachment: Attachment) -> str:
    """The photo as a ``data:`` URI of a JPEG at most ``PHOTO_PX`` on its longer side,
    without metadata (a fresh image is saved, so no EXIF or GPS goes with it)."""
    encoded = base64.b64encode(downscaled(attachment.data)).decode()
    return f"data:image/jpeg;base64,{encoded}"


def downscaled(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError):
        return data
    image.thumbnail((PHOTO_PX, PHOTO_PX))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


def letters(records: Select) -> tuple[LetterRef, ...]:
    matches = select(HandoverRecord.match_id).where(HandoverRecord.id.in_(records))
    query = (
        select(Letter.number, Letter.verification_code, Letter.letter_date, Kecamatan.name)
        .join(Match, Match.id == Letter.match_id)
        .join(Kecamatan, Kecamatan.id == Match.kecamatan_id)
        .where(Letter.match_id.in_(matches), Letter.status == "valid")
        .order_by(Letter.letter_date, Letter.id)
    )
    return tuple(
        LetterRef(number, code, public_url(f"/verifikasi/{code}"), _day(moment), kecamatan)
        for number, code, moment, kecamatan in db.session.execute(query)
    )


def _day(moment) -> date:
    from portal.letters.data import wita

    return wita(moment).date()
