"""Who may see and change which person of the registry: ``visible(user)`` is the query of
what a user may see, ``in_scope(user, recipient)`` the same for one record, and the
``*_refusal`` / ``can_*`` checks the transitions and pages share. Import batches have
their own pair, ``visible_batches`` and ``batch_in_scope``."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Desa, ImportBatch, Recipient, User


def visible(user: User, query: Select | None = None) -> Select:
    """The recipients ``user`` may see: ``query`` (by default every recipient) limited to
    the user's kecamatan or desa, everything for the admin, nothing when no scope fits.
    Any query that selects from or joins ``Recipient`` may be limited this way."""
    query = select(Recipient) if query is None else query
    if user.role == "admin":
        return query
    if user.role in ("officer", "camat") and user.kecamatan_id:
        return query.where(Recipient.kecamatan_id == user.kecamatan_id)
    if user.role == "village" and user.desa_id:
        return query.where(Recipient.desa_id == user.desa_id)
    return query.where(False)


def in_scope(user: User, recipient: Recipient) -> bool:
    """Whether ``visible(user)`` holds this one record."""
    if user.role == "admin":
        return True
    if user.role in ("officer", "camat"):
        return recipient.kecamatan_id == user.kecamatan_id
    if user.role == "village":
        return recipient.desa_id == user.desa_id
    return False


def visible_batches(user: User, query: Select | None = None) -> Select:
    """The import batches ``user`` may follow: ``query`` (by default every batch) limited
    to the user's desa (village) or kecamatan, everything for the admin."""
    query = select(ImportBatch) if query is None else query
    if user.role == "village":
        return query.where(ImportBatch.desa_id == user.desa_id)
    if user.role != "admin":
        return query.where(ImportBatch.kecamatan_id == user.kecamatan_id)
    return query


def batch_in_scope(user: User, batch: ImportBatch) -> bool:
    """Whether ``visible_batches(user)`` holds this one batch."""
    if user.role == "village" and batch.desa_id != user.desa_id:
        return False
    return user.role == "admin" or batch.kecamatan_id == user.kecamatan_id


def desas_for(user: User) -> list[Desa]:
    """The desa a user may file recipients under."""
    query = select(Desa).order_by(Desa.name)
    if user.role == "village":
        query = query.where(Desa.id == user.desa_id)
    elif user.role in ("officer", "camat"):
        query = query.where(Desa.kecamatan_id == user.kecamatan_id)
    return list(db.session.scalars(query))


def desa_for(user: User, desa_id: int | None) -> Desa:
    """The desa a person is filed under, refused unless it is one of the user's area."""
    desa = db.session.get(Desa, desa_id) if desa_id else None
    if desa is None or desa not in desas_for(user):
        raise Refusal(_l("Choose a desa or kelurahan of your area."), "desa_id")
    return desa


def erased_refusal(recipient: Recipient) -> Refusal | None:
    """An erased record (personal-data law) takes no change at all."""
    if recipient.erased_at is not None:
        return Refusal(_l("This record was erased under the personal-data law."))
    return None


def decide_refusal(actor: User, recipient: Recipient) -> Refusal | None:
    """Validation, rejection, deactivation and corrections are the kecamatan officer's."""
    refusal = erased_refusal(recipient)
    if refusal is None and (actor.role != "officer" or not in_scope(actor, recipient)):
        refusal = Refusal(_l("Only the officer of this kecamatan can do that."))
    return refusal


def can_decide(actor: User, recipient: Recipient) -> bool:
    """Whether the actor may validate, reject, (de)activate or correct this record."""
    return decide_refusal(actor, recipient) is None


def correction_refusal(actor: User, recipient: Recipient) -> Refusal | None:
    """A correction is proposed by the village operator of the person's desa."""
    refusal = erased_refusal(recipient)
    if refusal is None and (actor.role != "village" or not in_scope(actor, recipient)):
        refusal = Refusal(_l("Only the village operator of this desa proposes corrections."))
    return refusal


def can_propose_correction(actor: User, recipient: Recipient) -> bool:
    """Whether the actor may propose a correction of this record."""
    return correction_refusal(actor, recipient) is None


def page_flags(user: User) -> dict[str, bool]:
    """What the registry's and the imports' pages offer this user, as ``may_*`` flags
    (the templates read these and never the role)."""
    role = getattr(user, "role", None)
    return {
        # A village operator's entries and uploads are proposals for the officer.
        "may_only_propose": role == "village",
        "may_validate": role == "officer",
        "may_choose_desa": role != "village",
        "may_choose_kecamatan": role == "admin",
        "may_open_imports": role in ("officer", "admin"),
        "may_see_conflicts": role != "village",
    }


def check_correction(actor: User, recipient: Recipient) -> None:
    """Raise unless the actor may propose a correction of this record."""
    refusal = correction_refusal(actor, recipient)
    if refusal is not None:
        raise refusal


def check_not_erased(recipient: Recipient) -> None:
    """Raise the refusal of an erased record."""
    refusal = erased_refusal(recipient)
    if refusal is not None:
        raise refusal


def check_officer(actor: User, recipient: Recipient) -> None:
    """Raise unless the actor is the officer of this person's kecamatan."""
    refusal = decide_refusal(actor, recipient)
    if refusal is not None:
        raise refusal
