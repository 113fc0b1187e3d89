"""The portal's logo: an image an admin uploads (PNG or JPEG, judged by its content), kept
as an Attachment owned by the portal itself; without one the neutral default ships in
``static/img/logo.svg``."""

from __future__ import annotations

from sqlalchemy import delete, select

from portal.contributions.uploads import check_upload
from portal.core import audit
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Attachment, User

OWNER = "portal"
KIND = "logo"
MAX_LOGO_BYTES = 1024 * 1024


def current_logo() -> Attachment | None:
    """The logo an admin uploaded last, or None (the default is shown)."""
    query = select(Attachment).where(Attachment.owner_type == OWNER, Attachment.kind == KIND)
    return db.session.scalar(query.order_by(Attachment.id.desc()).limit(1))


def set_logo(actor: User, upload) -> Attachment:
    """Replace the portal's logo with an uploaded PNG or JPEG of at most 1 MB."""
    checked = check_upload(upload.filename if upload else None, upload.stream)
    if not checked.content_type.startswith("image/"):
        raise Refusal(_l("The logo must be a PNG or JPEG image."), "logo")
    if checked.size > MAX_LOGO_BYTES:
        raise Refusal(_l("The logo may be at most 1 MB."), "logo")
    _drop_logos()
    logo = checked.stored(OWNER, None, KIND, actor)
    db.session.flush()
    audit.record(actor, "logo_changed", logo, filename=checked.filename)
    return logo


def remove_logo(actor: User) -> bool:
    """Go back to the default logo; False when none was uploaded."""
    logo = current_logo()
    if logo is None:
        return False
    audit.record(actor, "logo_removed", logo, filename=logo.filename)
    _drop_logos()
    return True


def _drop_logos() -> None:
    db.session.execute(
        delete(Attachment).where(Attachment.owner_type == OWNER, Attachment.kind == KIND)
    )
