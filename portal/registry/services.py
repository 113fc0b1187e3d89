"""Registry rules: scope, the recipient list, and the transitions an officer or a village
operator makes (create, update, validate, reject, deactivate, corrections).

Every function takes the acting user, checks the current state and the actor's right,
writes the audit event and notifies; a refusal raises ``RegistryError`` and changes
nothing. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, and_, case, exists, func, or_, select, union
from sqlalchemy.orm import joinedload

from portal.core import settings
from portal.core.audit import record
from portal.core.codes import codes_of, set_codes
from portal.core.dates import add_months
from portal.core.dates import utcnow as now_utc
from portal.core.nik import check_kk, check_nik, record_warnings
from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import AidRecord, Desa, Recipient, RecipientCorrection, User
from portal.models.recipients import (
    DEACTIVATION_REASONS,
    recipient_sector,
    recipient_target_group,
)

EXPIRING_DAYS = 30
VALIDATION_FILTERS = ("pending", "validated", "expiring", "expired", "renew", "rejected")
# Fields a village operator may propose to change, in form order.
CORRECTABLE = (
    "nik",
    "kk",
    "name",
    "sex",
    "birth_place",
    "birth_date",
    "address",
    "phone",
    "target_groups",
    "sectors",
)


class RegistryError(Exception):
    """A refused registry action; ``field`` names the form field the message belongs to.

    ``existing`` is the recipient that already holds a NIK, when that is the reason."""

    def __init__(self, message, field: str | None = None, existing: Recipient | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.existing = existing


# --- time -----------------------------------------------------------------------------


def as_utc(moment: datetime | None) -> datetime | None:
    """Datetimes read back from SQLite are naive; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def validation_cutoff(now: datetime, months: int | None = None) -> datetime:
    """Validations on or before this moment have expired."""
    months = settings.get("validation_months") if months is None else months
    return add_months(as_utc(now), -months)


def validation_expires_at(recipient: Recipient, months: int | None = None) -> datetime | None:
    if recipient.validation_status != "validated" or recipient.validated_at is None:
        return None
    months = settings.get("validation_months") if months is None else months
    return add_months(as_utc(recipient.validated_at), months)


def validation_state(recipient: Recipient, now: datetime | None = None, months=None) -> str:
    """pending, rejected, validated, expiring (within 30 days) or expired."""
    if recipient.validation_status != "validated":
        return recipient.validation_status
    now = as_utc(now or now_utc())
    cutoff = validation_cutoff(now, months)
    validated_at = as_utc(recipient.validated_at)
    if validated_at is None or validated_at <= cutoff:
        return "expired"
    if validated_at <= validation_cutoff(now + timedelta(days=EXPIRING_DAYS), months):
        return "expiring"
    return "validated"


# --- scope ----------------------------------------------------------------------------


def scoped(query: Select, user: User) -> Select:
    """Limit a recipient query to what the user may see (deny when no scope fits)."""
    if user.role == "admin":
        return query
    if user.role in ("officer", "camat") and user.kecamatan_id:
        return query.where(Recipient.kecamatan_id == user.kecamatan_id)
    if user.role == "village" and user.desa_id:
        return query.where(Recipient.desa_id == user.desa_id)
    return query.where(False)


def in_scope(user: User, recipient: Recipient) -> bool:
    if user.role == "admin":
        return True
    if user.role in ("officer", "camat"):
        return recipient.kecamatan_id == user.kecamatan_id
    if user.role == "village":
        return recipient.desa_id == user.desa_id
    return False


def desas_for(user: User) -> list[Desa]:
    """The desa a user may file recipients under."""
    query = select(Desa).order_by(Desa.name)
    if user.role == "village":
        query = query.where(Desa.id == user.desa_id)
    elif user.role in ("officer", "camat"):
        query = query.where(Desa.kecamatan_id == user.kecamatan_id)
    return list(db.session.scalars(query))


# --- the list -------------------------------------------------------------------------


@dataclass
class RecipientFilters:
    """What the officer asked the list for; ``q`` may carry a NIK and never goes in a URL."""

    q: str = ""
    kecamatan_id: int | None = None
    desa_id: int | None = None
    target_group: str | None = None
    sector: str | None = None
    state: str | None = None
    aid_months: int | None = None
    inactive: bool = False
    warned: bool = False


def _digits(text: str) -> str:
    return text.replace(" ", "").replace(".", "").lstrip("'")


def _prefix_range(column, prefix: str):
    """Numbers of 16 digits starting with ``prefix``: a range the column's index serves."""
    pad = 16 - len(prefix)
    return column.between(prefix + "0" * pad, prefix + "9" * pad)


def contains(column, text: str):
    """Case-insensitive substring match (SQLite's LIKE already ignores ASCII case)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if db.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def search_condition(q: str, user: User):
    """Name or desa name for words; NIK or KK prefix for digits, each by its own index.

    Desa names are looked up first (a few hundred rows) so that a plain name search stays
    a single condition the name index serves in order, stopping after one page."""
    digits = _digits(q)
    if digits.isdigit() and len(digits) <= 16:
        # A union, so each arm walks its own index (an OR would read the whole scope).
        ids = scoped(select(Recipient.id), user)
        by_nik = ids.where(_prefix_range(Recipient.nik, digits))
        by_kk = ids.where(_prefix_range(Recipient.kk, digits))
        return Recipient.id.in_(union(by_nik, by_kk))
    desas = list(db.session.scalars(select(Desa.id).where(contains(Desa.name, q))))
    if desas:
        return or_(contains(Recipient.name, q), Recipient.desa_id.in_(desas))
    return contains(Recipient.name, q)


def recipient_query(user: User, f: RecipientFilters, now: datetime | None = None) -> Select:
    """The registry list for ``user`` with the filters applied, ordered by name."""
    query = scoped(select(Recipient), user)
    if f.q.strip():
        query = query.where(search_condition(f.q.strip(), user))
    if f.kecamatan_id and user.role == "admin":
        query = query.where(Recipient.kecamatan_id == f.kecamatan_id)
    if f.desa_id:
        query = query.where(Recipient.desa_id == f.desa_id)
    if not f.inactive:
        query = query.where(Recipient.active.is_(True))
    if f.target_group:
        query = query.where(
            exists().where(
                recipient_target_group.c.recipient_id == Recipient.id,
                recipient_target_group.c.code == f.target_group,
            )
        )
    if f.sector:
        query = query.where(
            exists().where(
                recipient_sector.c.recipient_id == Recipient.id,
                recipient_sector.c.code == f.sector,
            )
        )
    if f.state:
        query = query.where(state_condition(f.state, as_utc(now or now_utc())))
    if f.warned:
        query = query.where(Recipient.warnings != "")
    if f.aid_months:
        since = add_months(as_utc(now or now_utc()), -f.aid_months).date()
        query = query.where(
            exists().where(
                or_(AidRecord.recipient_id == Recipient.id, AidRecord.nik == Recipient.nik),
                AidRecord.received_on >= since,
            )
        )
    return query.options(joinedload(Recipient.desa), joinedload(Recipient.kecamatan)).order_by(
        Recipient.name, Recipient.id
    )


def candidates_query(kecamatan_id: int, now: datetime | None = None) -> Select:
    """Who may be matched to aid in a kecamatan: active, validated and not expired
    (DESIGN section 4). Deactivated and erased people drop out; their history stays."""
    return (
        select(Recipient)
        .where(
            Recipient.kecamatan_id == kecamatan_id,
            Recipient.active.is_(True),
            Recipient.erased_at.is_(None),
            state_condition("validated", as_utc(now or now_utc())),
        )
        .order_by(Recipient.name, Recipient.id)
    )


def count_up_to(query: Select, limit: int) -> int:
    """How many rows a query gives, counting no further than ``limit`` (search results
    say "more than" instead of scanning the whole regency to count them)."""
    capped = query.order_by(None).options().with_only_columns(Recipient.id).limit(limit)
    return db.session.scalar(select(func.count()).select_from(capped.subquery())) or 0


def state_condition(state: str, now: datetime, months: int | None = None):
    """The SQL of a validation state, as ``validation_state`` decides it for one person:
    the one definition the list's filter, the candidates and the home page's figures use.
    A validation without a date counts as expired."""
    cutoff = validation_cutoff(now, months)
    soon = validation_cutoff(now + timedelta(days=EXPIRING_DAYS), months)
    validated = Recipient.validation_status == "validated"
    undated = Recipient.validated_at.is_(None)
    if state == "validated":
        return and_(validated, Recipient.validated_at > cutoff)
    if state == "expiring":
        return and_(validated, Recipient.validated_at > cutoff, Recipient.validated_at <= soon)
    if state == "expired":
        return and_(validated, or_(undated, Recipient.validated_at <= cutoff))
    if state == "renew":
        return and_(validated, or_(undated, Recipient.validated_at <= soon))
    return Recipient.validation_status == state


def state_column(now: datetime | None = None, months: int | None = None):
    """pending, validated, expired or rejected as a SQL expression, to count by state."""
    expired = state_condition("expired", as_utc(now or now_utc()), months)
    return case((expired, "expired"), else_=Recipient.validation_status)


# --- create and update ----------------------------------------------------------------


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
        raise RegistryError(nik.errors[0], "nik")
    warnings = list(nik.warnings)
    if data.kk:
        kk = check_kk(data.kk)
        if not kk.valid:
            raise RegistryError(kk.errors[0], "kk")
        warnings += list(kk.warnings)
    return warnings


# A village operator may propose any NIK: where someone else's record is, only the
# kecamatan officer (who sees the whole kecamatan) and the admin learn.
NIK_ELSEWHERE = _l(
    "This NIK cannot be proposed from your desa. Ask the kecamatan officer, who can see "
    "the registry of the whole kecamatan."
)


def _refuse_taken_nik(nik: str, user: User, except_id: int | None = None) -> None:
    """One person, one record: a NIK already in the regency is refused, saying where to
    an officer and nothing more than that to a village operator."""
    query = select(Recipient).where(Recipient.nik == nik)
    if except_id is not None:
        query = query.where(Recipient.id != except_id)
    existing = db.session.scalar(query)
    if existing is None:
        return
    if in_scope(user, existing):
        raise RegistryError(_l("This NIK is already in the registry."), "nik", existing=existing)
    if user.role == "village":
        raise RegistryError(NIK_ELSEWHERE, "nik")
    raise RegistryError(
        _l(
            "This NIK is already registered in Kecamatan %(kecamatan)s. Ask the admin "
            "(Dinsos) if the person has moved.",
            kecamatan=existing.kecamatan.name,
        ),
        "nik",
    )


def _desa_for(user: User, desa_id: int | None) -> Desa:
    desa = db.session.get(Desa, desa_id) if desa_id else None
    if desa is None or desa not in desas_for(user):
        raise RegistryError(_l("Choose a desa or kelurahan of your area."), "desa_id")
    return desa


def _apply(recipient: Recipient, data: RecipientData, desa: Desa) -> list[str]:
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
        raise RegistryError(_l("Only kecamatan officers and village operators add people."))
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    warnings = check_identity(data)
    _refuse_taken_nik(data.nik, actor)
    desa = _desa_for(actor, data.desa_id)
    recipient = Recipient(
        source="MANUAL", validation_status="pending", active=True, created_by_id=actor.id
    )
    db.session.add(recipient)
    _apply(recipient, data, desa)
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
    _refuse_if_erased(recipient)
    if actor.role != "officer" or not in_scope(actor, recipient):
        raise RegistryError(_l("Only the kecamatan officer changes this record."))
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    warnings = check_identity(data)
    _refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    desa = _desa_for(actor, data.desa_id)
    changed = _apply(recipient, data, desa)
    if changed:
        record(actor, "recipient_updated", recipient, changed=changed)
    return changed, warnings


def _refuse_if_erased(recipient: Recipient) -> None:
    if recipient.erased_at is not None:
        raise RegistryError(_l("This record was erased under the personal-data law."))


VIEW_ACTIONS = ("recipient_viewed", "recipient_looked_up")


def record_view(actor: User, recipient: Recipient, looked_up: bool = False) -> None:
    """Who opened which person's record, or saw it by typing their NIK (DESIGN section 4,
    personal data)."""
    record(actor, "recipient_looked_up" if looked_up else "recipient_viewed", recipient)


# --- validation -----------------------------------------------------------------------


def _officer_of(actor: User, recipient: Recipient) -> None:
    _refuse_if_erased(recipient)
    if actor.role != "officer" or not in_scope(actor, recipient):
        raise RegistryError(_l("Only the officer of this kecamatan can do that."))


def validate_recipient(actor: User, recipient: Recipient, now: datetime | None = None) -> None:
    """Validate (or re-validate) a person: the validation runs for the configured period."""
    _officer_of(actor, recipient)
    if not recipient.active:
        raise RegistryError(_l("Reactivate this person before validating them."))
    before = recipient.validation_status
    recipient.validation_status = "validated"
    recipient.validated_by_id = actor.id
    recipient.validated_at = now or now_utc()
    recipient.rejection_reason = ""
    action = "recipient_revalidated" if before == "validated" else "recipient_validated"
    record(actor, action, recipient, before, "validated")
    _tell_proposer(recipient, N_("%(name)s, whom you proposed, has been validated."))


def validate_many(actor: User, recipients: list[Recipient]) -> tuple[int, int]:
    """Validate each person the actor may; returns (validated, skipped)."""
    done = skipped = 0
    moment = now_utc()
    for recipient in recipients:
        try:
            validate_recipient(actor, recipient, moment)
        except RegistryError:
            skipped += 1
        else:
            done += 1
    return done, skipped


def pending_of_batch(actor: User, batch_id: int) -> list[Recipient]:
    """The people of an import batch still waiting for validation, in the actor's scope."""
    query = scoped(select(Recipient), actor).where(
        Recipient.import_batch_id == batch_id,
        Recipient.validation_status == "pending",
        Recipient.active.is_(True),
    )
    return list(db.session.scalars(query))


def warned_pending_of_batch(actor: User, batch_id: int) -> int:
    """How many of an import batch's people waiting for validation have warnings."""
    query = scoped(select(func.count(Recipient.id)), actor).where(
        Recipient.import_batch_id == batch_id,
        Recipient.validation_status == "pending",
        Recipient.active.is_(True),
        Recipient.warnings != "",
    )
    return db.session.scalar(query) or 0


def reject_recipient(actor: User, recipient: Recipient, reason: str) -> None:
    """Refuse a person's place on the list, with the reason the proposer will read."""
    _officer_of(actor, recipient)
    if not reason.strip():
        raise RegistryError(_l("Say why this person is rejected."), "reason")
    if recipient.validation_status == "rejected":
        raise RegistryError(_l("This person is already rejected."))
    before = recipient.validation_status
    recipient.validation_status = "rejected"
    recipient.validated_by_id = actor.id
    recipient.validated_at = now_utc()
    recipient.rejection_reason = reason.strip()
    record(actor, "recipient_rejected", recipient, before, "rejected", reason=reason.strip())
    _tell_proposer(
        recipient, N_("%(name)s, whom you proposed, was rejected: %(reason)s"), reason=reason
    )


def _tell_proposer(recipient: Recipient, message: str, **params) -> None:
    proposer = db.session.get(User, recipient.created_by_id) if recipient.created_by_id else None
    if proposer is not None and proposer.role == "village" and proposer.active:
        notify(
            [proposer],
            message,
            path_for("registry.show", recipient_id=recipient.id),
            name=recipient.name,
            **params,
        )


# --- deactivation ---------------------------------------------------------------------


def deactivate_recipient(actor: User, recipient: Recipient, reason: str, note: str = "") -> None:
    """Take a person off the candidate lists; their history stays."""
    _officer_of(actor, recipient)
    if reason not in DEACTIVATION_REASONS:
        raise RegistryError(_l("Choose why this person leaves the list."), "reason")
    if not recipient.active:
        raise RegistryError(_l("This person is already deactivated."))
    recipient.active = False
    recipient.deactivation_reason = reason
    recipient.deactivated_at = now_utc()
    record(
        actor, "recipient_deactivated", recipient, "active", "inactive", reason=note, code=reason
    )


def reactivate_recipient(actor: User, recipient: Recipient) -> None:
    """Put a deactivated person back on the list (their validation is unchanged)."""
    _officer_of(actor, recipient)
    if recipient.active:
        raise RegistryError(_l("This person is already active."))
    before = recipient.deactivation_reason
    recipient.active = True
    recipient.deactivation_reason = None
    recipient.deactivated_at = None
    record(actor, "recipient_reactivated", recipient, "inactive", "active", code=before)


# --- corrections from village operators -----------------------------------------------


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


def as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return sorted(set(value))
    return value


def propose_correction(
    actor: User, recipient: Recipient, data: RecipientData, reason: str
) -> RecipientCorrection:
    """Store the fields the village operator wants changed, for the officer to decide."""
    _refuse_if_erased(recipient)
    if actor.role != "village" or not in_scope(actor, recipient):
        raise RegistryError(_l("Only the village operator of this desa proposes corrections."))
    if not reason.strip():
        raise RegistryError(_l("Say why the record should change."), "reason")
    data.nik, data.kk = clean_number(data.nik), clean_number(data.kk)
    check_identity(data)
    current = data_of(recipient)
    changes = {
        name: as_json(getattr(data, name))
        for name in CORRECTABLE
        if as_json(getattr(data, name)) != as_json(getattr(current, name))
    }
    if not changes:
        raise RegistryError(_l("Nothing differs from the record yet."))
    if "nik" in changes:
        _refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    correction = RecipientCorrection(
        recipient_id=recipient.id,
        changes=changes,
        reason=reason.strip(),
        proposed_by_id=actor.id,
        status="pending",
    )
    db.session.add(correction)
    db.session.flush()
    record(actor, "correction_proposed", correction, None, "pending", fields=sorted(changes))
    record(actor, "correction_proposed", recipient, fields=sorted(changes))
    notify(
        kecamatan_officers(recipient.kecamatan_id),
        N_("%(operator)s proposed a correction to a recipient's record."),
        path_for("registry.proposals"),
        operator=actor.name,
    )
    return correction


def _decidable(actor: User, correction: RecipientCorrection) -> None:
    _officer_of(actor, correction.recipient)
    if correction.status != "pending":
        raise RegistryError(_l("This correction has already been decided."))


def accept_correction(actor: User, correction: RecipientCorrection) -> list:
    """Apply a proposed correction to the record; returns the NIK/KK warnings."""
    _decidable(actor, correction)
    recipient = correction.recipient
    data = data_of(recipient)
    names = {f.name for f in fields(RecipientData)}
    for name, value in correction.changes.items():
        if name in names:
            setattr(
                data, name, date.fromisoformat(value) if name == "birth_date" and value else value
            )
    warnings = check_identity(data)
    _refuse_taken_nik(data.nik, actor, except_id=recipient.id)
    changed = _apply(recipient, data, _desa_for(actor, data.desa_id))
    _decide(actor, correction, "accepted", "")
    if changed:
        record(actor, "recipient_updated", recipient, changed=changed, correction=correction.id)
    return warnings


def reject_correction(actor: User, correction: RecipientCorrection, reason: str) -> None:
    _decidable(actor, correction)
    if not reason.strip():
        raise RegistryError(_l("Say why this correction is rejected."), "reason")
    _decide(actor, correction, "rejected", reason.strip())


def _decide(actor: User, correction: RecipientCorrection, status: str, reason: str) -> None:
    correction.status = status
    correction.decided_by_id = actor.id
    correction.decided_at = now_utc()
    correction.decision_reason = reason
    record(actor, f"correction_{status}", correction, "pending", status, reason=reason)
    proposer = correction.proposed_by
    if proposer is not None and proposer.active:
        message = (
            N_("Your correction to the record of %(name)s was accepted.")
            if status == "accepted"
            else N_("Your correction to the record of %(name)s was rejected: %(reason)s")
        )
        notify(
            [proposer],
            message,
            path_for("registry.show", recipient_id=correction.recipient_id),
            name=correction.recipient.name,
            reason=reason,
        )


def pending_proposals(user: User) -> tuple[list[Recipient], list[RecipientCorrection]]:
    """For the officer: new people proposed by village operators, and open corrections."""
    proposed = scoped(select(Recipient), user).where(
        Recipient.validation_status == "pending",
        Recipient.created_by_id.in_(select(User.id).where(User.role == "village")),
    )
    corrections = (
        select(RecipientCorrection)
        .join(Recipient, RecipientCorrection.recipient_id == Recipient.id)
        .where(RecipientCorrection.status == "pending")
        .order_by(RecipientCorrection.proposed_at)
    )
    corrections = scoped(corrections, user)
    return (
        list(db.session.scalars(proposed.order_by(Recipient.created_at))),
        list(db.session.scalars(corrections)),
    )


def proposals_of(user: User) -> tuple[list[Recipient], list[RecipientCorrection]]:
    """For the village operator: what they sent and how it was decided, newest first."""
    people = select(Recipient).where(Recipient.created_by_id == user.id)
    corrections = select(RecipientCorrection).where(RecipientCorrection.proposed_by_id == user.id)
    return (
        list(db.session.scalars(people.order_by(Recipient.created_at.desc()).limit(100))),
        list(
            db.session.scalars(
                corrections.order_by(RecipientCorrection.proposed_at.desc()).limit(100)
            )
        ),
    )
