"""One person on the registry: what an officer or village operator types, the NIK and KK
checks, create and update, deactivation and reactivation, and the log of who looked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.core.audit import record
from portal.core.codes import codes_of, set_codes
from portal.core.dates import utcnow
from portal.core.nik import check_kk, check_nik, record_warnings
from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Desa, Recipient, User
from portal.models.registry import DEACTIVATION_REASONS
from portal.registry.access import check_not_erased, check_officer, desa_for, in_scope


@dataclass
class RecipientData:
    """What an officer or village operator typed for a person."""

    nik: str
    name: str
    desa_id: int | None
    kk: str = ""
    sex: str | None = None
    birth_place: str = ""
    birth_date: date | None = None
    address: str = ""
    phone: str = ""
    target_groups: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)


def clean_number(raw: str | None) -> str:
    """A NIK or KK as stored: digits as typed, without spaces or a spreadsheet's apostrophe."""
    return (raw or "").strip().lstrip("'").replace(" ", "")


def check_identity(data: RecipientData) -> list:
    """Refuse a bad NIK or KK beside its field; return the warnings that do not block."""
    nik = check_nik(data.nik, sex=data.sex, birth_date=data.birth_date)
    if not nik.valid:
        raise Refusal(nik.errors[0], "nik")
    warnings = list(nik.warnings)
    if data.kk:
        kk = check_kk(data.kk)
        if not kk.valid:
            raise Refusal(kk.errors[0], "kk")
        warnings += list(kk.warnings)
    return warnings


# A village operator may propose any NIK: where someone else's record is, only the
# kecamatan officer (who sees the whole kecamatan) and the admin learn.
NIK_ELSEWHERE = _l(
    "This NIK cannot be proposed from your desa. Ask the kecamatan officer, who can see "
    "the registry of the whole kecamatan."
)


def refuse_taken_nik(nik: str, user: User, except_id: int | None = None) -> None:
    """One person, one record: a NIK already in the regency is refused, saying where to
    an officer and nothing more than that to a village operator."""
    query = select(Recipient).where(Recipient.nik == nik)
    if except_id is not None:
        query = query.where(Recipient.id != except_id)
    existing = db.session.scalar(query)
    if existing is None:
        return
    if in_scope(user, existing):
        raise Refusal(_l("This NIK is already in the registry."), "nik", existing=existing)
    if user.role == "village":
        raise Refusal(NIK_ELSEWHERE, "nik")
    raise Refusal(
        _l(
            "This NIK is already registered in Kecamatan %(kecamatan)s. Ask the admin "
            "(Dinsos) if the person has moved.",
            kecamatan=existing.kecamatan.name,
        ),
        "nik",
    )


def apply_data(recipient: Recipient, data: RecipientData, desa: Desa) -> list[str]:
    """Copy the data onto the record; return the names of the fields that changed."""
    changed = []
    values = {
        "nik": clean_number(data.nik),
        "kk": clean_number(data.kk) or None,
        "name": data.name.strip(),
        "sex": data.sex or None,
        "birth_place": data.birth_place.strip(),
        "birth_date": data.birth_date,
        "address": data.address.strip(),
        "phone": data.phone.strip(),
        "desa_id": desa.id,
        "kecamatan_id": desa.kecamatan_id,
    }
    for name, value in values.items():
        if getattr(recipient, name) != value:
            setattr(recipient, name, value)
            changed.append(name)
    recipient.warnings = ",".join(
        record_warnings(recipient.nik, recipient.kk, recipient.sex, recipient.birth_date)
    )
    db.session.flush()
    groups, sectors = codes_of(recipient)
    if groups != sorted(set(data.target_groups)):
        changed.append("target_groups")
    if sectors != sorted(set(data.sectors)):
        changed.append("sectors")
    set_codes(recipient, data.target_groups, data.sectors)
    return changed


def create_recipient(actor: User, data: RecipientData) -> tuple[Recipient, list]:
    """A new person, pending validation; returns the record and the NIK/KK warnings."""
    if actor.role not in ("officer", "village"):
        raise Refusal(_l("Only kecamatan officers and village operators add people."))
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    warnings = check_identity(data)
    refuse_taken_nik(data.nik, actor)
    desa = desa_for(actor, data.desa_id)
    recipient = Recipient(
        source="MANUAL", validation_status="pending", active=True, created_by_id=actor.id
    )
    db.session.add(recipient)
    apply_data(recipient, data, desa)
    action = "recipient_proposed" if actor.role == "village" else "recipient_created"
    record(actor, action, recipient, None, "pending")
    if actor.role == "village":
        notify(
            kecamatan_officers(desa.kecamatan_id),
            N_("%(operator)s proposed a new recipient in %(desa)s."),
            path_for("registry.proposals"),
            operator=actor.name,
            desa=desa.name,
        )
    return recipient, warnings


def update_recipient(actor: User, recipient: Recipient, data: RecipientData) -> tuple[list, list]:
    """Change a person's data; returns (changed field names, warnings)."""
    check_not_erased(recipient)
    if actor.role != "officer" or not in_scope(actor, recipient):
        raise Refusal(_l("Only the kecamatan officer changes this record."))
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    warnings = check_identity(data)
    refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    desa = desa_for(actor, data.desa_id)
    changed = apply_data(recipient, data, desa)
    if changed:
        record(actor, "recipient_updated", recipient, changed=changed)
    return changed, warnings


VIEW_ACTIONS = ("recipient_viewed", "recipient_looked_up")


def record_view(actor: User, recipient: Recipient, looked_up: bool = False) -> None:
    """Who opened which person's record, or saw it by typing their NIK (DESIGN section 4,
    personal data)."""
    record(actor, "recipient_looked_up" if looked_up else "recipient_viewed", recipient)


def deactivate_recipient(actor: User, recipient: Recipient, reason: str, note: str = "") -> None:
    """Take a person off the candidate lists; their history stays."""
    check_officer(actor, recipient)
    if reason not in DEACTIVATION_REASONS:
        raise Refusal(_l("Choose why this person leaves the list."), "reason")
    if not recipient.active:
        raise Refusal(_l("This person is already deactivated."))
    recipient.active = False
    recipient.deactivation_reason = reason
    recipient.deactivated_at = utcnow()
    record(
        actor, "recipient_deactivated", recipient, "active", "inactive", reason=note, code=reason
    )


def reactivate_recipient(actor: User, recipient: Recipient) -> None:
    """Put a deactivated person back on the list (their validation is unchanged)."""
    check_officer(actor, recipient)
    if recipient.active:
        raise Refusal(_l("This person is already active."))
    before = recipient.deactivation_reason
    recipient.active = True
    recipient.deactivation_reason = None
    recipient.deactivated_at = None
    record(actor, "recipient_reactivated", recipient, "inactive", "active", code=before)


def data_of(recipient: Recipient) -> RecipientData:
    """The record as form data (for editing and for proposing corrections)."""
    groups, sectors = codes_of(recipient)
    return RecipientData(
        nik=recipient.nik or "",
        kk=recipient.kk or "",
        name=recipient.name,
        sex=recipient.sex,
        birth_place=recipient.birth_place,
        birth_date=recipient.birth_date,
        address=recipient.address,
        phone=recipient.phone,
        desa_id=recipient.desa_id,
        target_groups=groups,
        sectors=sectors,
    )
