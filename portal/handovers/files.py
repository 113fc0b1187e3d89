"""The handover's files: photos (JPEG or PNG, at most 5 MB each, at most 10 a handover)
and the scan of the letter with the wet signatures (PDF or image, at most 10 MB), each
recognised by its content, stored as an ``Attachment`` owned by the handover record and
only ever added to. A photo is shared with the partner only when the officer marks it
(faces are personal data); thumbnails are made on request, without the photo's metadata.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps
from sqlalchemy import func, select

from portal.contributions.uploads import CheckedFile, check_upload
from portal.core import audit
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.handovers import access
from portal.models import Attachment, HandoverRecord, User
from portal.models.handovers import ATTACHMENT_OWNER

MB = 1024 * 1024
PHOTO_MAX_BYTES = 5 * MB
SCAN_MAX_BYTES = 10 * MB
MAX_PHOTOS = 10
MAX_SCANS = 3
THUMBNAIL_PX = 320


@dataclass(frozen=True)
class Photo:
    """A checked photo with what the officer said about it."""

    file: CheckedFile
    caption: str = ""
    shareable: bool = False


def check_photo(filename: str | None, stream) -> CheckedFile:
    """A real JPEG or PNG of at most 5 MB; a PDF (whatever its name) is refused."""
    checked = check_upload(filename, stream, PHOTO_MAX_BYTES)
    if not checked.content_type.startswith("image/"):
        raise Refusal(
            _l("%(name)s is not a photo: choose a JPEG or PNG image.", name=checked.filename)
        )
    return checked


def check_scan(filename: str | None, stream) -> CheckedFile:
    """A real PDF, JPEG or PNG of at most 10 MB."""
    return check_upload(filename, stream, SCAN_MAX_BYTES)


def files_of(entry: HandoverRecord, kind: str | None = None) -> list[Attachment]:
    """The record's files (photos, then scans, each in the order added)."""
    query = select(Attachment).where(
        Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id == entry.id
    )
    if kind:
        query = query.where(Attachment.kind == kind)
    return list(db.session.scalars(query.order_by(Attachment.kind, Attachment.id)))


def files_by_record(ids: list[int]) -> dict[int, list[Attachment]]:
    """The files of several records, by record id (one query)."""
    found: dict[int, list[Attachment]] = {i: [] for i in ids}
    if not ids:
        return found
    query = select(Attachment).where(
        Attachment.owner_type == ATTACHMENT_OWNER, Attachment.owner_id.in_(ids)
    )
    for attachment in db.session.scalars(query.order_by(Attachment.kind, Attachment.id)):
        found[attachment.owner_id].append(attachment)
    return found


def find_file(entry_ids: list[int], attachment_id: int) -> Attachment | None:
    """One file of one of these records, or None."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner_type != ATTACHMENT_OWNER:
        return None
    return attachment if attachment.owner_id in entry_ids else None


def _count(entry: HandoverRecord, kind: str) -> int:
    query = select(func.count(Attachment.id)).where(
        Attachment.owner_type == ATTACHMENT_OWNER,
        Attachment.owner_id == entry.id,
        Attachment.kind == kind,
    )
    return db.session.scalar(query) or 0


def check_room(entry: HandoverRecord | None, photos: int, scans: int) -> None:
    """At most 10 photos and 3 scans a handover, counting those already stored."""
    have_photos = _count(entry, "photo") if entry is not None and entry.id else 0
    have_scans = _count(entry, "scan") if entry is not None and entry.id else 0
    if have_photos + photos > MAX_PHOTOS:
        raise Refusal(
            _l(
                "A handover keeps at most %(max)s photos; %(count)s are stored already.",
                max=MAX_PHOTOS,
                count=have_photos,
            ),
            field="photos",
        )
    if have_scans + scans > MAX_SCANS:
        raise Refusal(
            _l("A handover keeps at most %(max)s scans of the letter.", max=MAX_SCANS),
            field="scan",
        )


def attach(
    entry: HandoverRecord,
    actor: User,
    photos: list[Photo],
    scans: list[CheckedFile],
    *,
    audited: bool = True,
) -> list[Attachment]:
    """Add checked photos and scans to a handover in force (nothing stored is replaced)."""
    access.check_add_files(actor, entry.match, entry)
    check_room(entry, len(photos), len(scans))
    made = [_stored(entry, actor, "photo", p.file, p.caption, p.shareable) for p in photos]
    made += [_stored(entry, actor, "scan", scan) for scan in scans]
    db.session.add_all(made)
    db.session.flush()
    if audited and made:
        audit.record(
            actor,
            "handover_files_added",
            entry.match,
            photos=len(photos),
            scans=len(scans),
            shareable=sum(1 for p in photos if p.shareable),
        )
    return made


def _stored(
    entry: HandoverRecord,
    actor: User,
    kind: str,
    checked: CheckedFile,
    caption: str = "",
    shareable: bool = False,
) -> Attachment:
    if kind == "photo":
        checked = checked.without_metadata()
    attachment = checked.stored(
        ATTACHMENT_OWNER,
        entry.id,
        kind,
        actor,
        caption=(caption or "").strip()[:200],
        shareable=bool(shareable) and kind == "photo",
    )
    return attachment


def thumbnail(attachment: Attachment) -> bytes:
    """A small JPEG of a stored photo, upright, without its metadata (place, camera)."""
    with Image.open(io.BytesIO(attachment.data)) as image:
        image.draft("RGB", (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))  # JPEG: decode scaled down
        small = ImageOps.exif_transpose(image)
        small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        small.convert("RGB").save(out, "JPEG", quality=75)
    return out.getvalue()
