"""Dinsos administration rules: user accounts and their scope, companies, settings, offices.

Plain functions that take the acting admin, change the session and record an audit
event; the caller commits. A refused change raises ``Refusal`` naming the form
field its message belongs beside.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.auth import sessions
from portal.auth.services import (
    new_session_token,
    normalise_email,
    set_password,
    temporary_password,
)
from portal.core import audit
from portal.core import settings as settings_store
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import COMPANY_STATES, AuditEvent, Company, Desa, Kecamatan, User
from portal.models.regions import KecamatanOffice
from portal.partners import services as partners
from portal.signing.certificates import revoke_certificates

NIP_PATTERN = re.compile(r"^\d{18}$")
# Placeholders a letter-number pattern may use (DESIGN section 4).
LETTER_PLACEHOLDERS = {"class_code", "seq", "kecamatan_code", "month", "month_roman", "year"}


# --- users -------------------------------------------------------------------------


@dataclass
class UserData:
    """What the admin typed for an account."""

    email: str
    name: str
    role: str
    title: str = ""
    nip: str = ""
    phone: str = ""
    company_id: int | None = None
    kecamatan_id: int | None = None
    desa_id: int | None = None


def clean_nip(raw: str | None) -> str:
    """A NIP as stored: digits only (people often type it with spaces)."""
    return re.sub(r"\s+", "", raw or "")


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    """Whether another account already uses this address (ignoring case)."""
    query = select(User.id).where(func.lower(User.email) == normalise_email(email))
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.scalar(query) is not None


def scope_for(data: UserData) -> dict[str, int | None]:
    """Exactly the scope columns the role needs (the ``scope_matches_role`` rule)."""
    none = {"company_id": None, "kecamatan_id": None, "desa_id": None}
    if data.role == "admin":
        return none
    if data.role == "partner":
        company = db.session.get(Company, data.company_id) if data.company_id else None
        if company is None:
            raise Refusal(_l("Choose the company this partner works for."), "company_id")
        return none | {"company_id": company.id}
    if data.role in ("officer", "camat"):
        kec = db.session.get(Kecamatan, data.kecamatan_id) if data.kecamatan_id else None
        if kec is None:
            raise Refusal(_l("Choose the kecamatan this account serves."), "kecamatan_id")
        return none | {"kecamatan_id": kec.id}
    if data.role == "village":
        desa = db.session.get(Desa, data.desa_id) if data.desa_id else None
        if desa is None:
            raise Refusal(_l("Choose the desa or kelurahan this account serves."), "desa_id")
        return none | {"kecamatan_id": desa.kecamatan_id, "desa_id": desa.id}
    raise Refusal(_l("Choose a role."), "role")


def _check_user(data: UserData, user: User | None = None) -> dict:
    email = normalise_email(data.email)
    if email_taken(email, user.id if user else None):
        raise Refusal(_l("Another account already uses this e-mail address."), "email")
    nip = clean_nip(data.nip)
    if nip and not NIP_PATTERN.match(nip):
        raise Refusal(_l("A NIP has exactly 18 digits."), "nip")
    if nip and data.role == "partner":
        raise Refusal(_l("Company staff have no NIP; leave it empty."), "nip")
    return {
        "email": email,
        "name": data.name.strip(),
        "title": (data.title or "").strip(),
        "nip": nip,
        "phone": (data.phone or "").strip(),
        "role": data.role,
        **scope_for(data),
    }


def create_user(actor: User, data: UserData) -> tuple[User, str]:
    """A new active account with a temporary password the user must replace at login."""
    values = _check_user(data)
    # Unusable until set_password below; it needs the row's id for its audit event.
    user = User(**values, password_hash="!", session_token=new_session_token(), active=True)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", user, None, "active", role=user.role)
    password = temporary_password()
    set_password(user, password, actor=actor, must_change=True)
    return user, password


def update_user(actor: User, user: User, data: UserData) -> list[str]:
    """Change an account's details, role or scope; returns the names of changed fields."""
    if user.id == actor.id and data.role != user.role:
        raise Refusal(_l("You cannot change your own role."), "role")
    values = _check_user(data, user)
    changed = [key for key, value in values.items() if getattr(user, key) != value]
    if not changed:
        return []
    old_role = user.role
    for key in changed:
        setattr(user, key, values[key])
    audit.record(
        actor,
        "user_updated",
        user,
        old_role if "role" in changed else None,
        user.role if "role" in changed else None,
        changed=changed,
    )
    return changed


def deactivate_user(actor: User, user: User) -> KecamatanOffice | None:
    """Close an account and end its sessions.

    Returns the kecamatan office that still names this user as its camat, so the
    admin can be told to choose a successor (letters keep their signer's details).
    """
    if user.id == actor.id:
        raise Refusal(_l("You cannot deactivate your own account."))
    if not user.active:
        raise Refusal(_l("This account is already inactive."))
    user.active = False
    user.session_token = new_session_token()
    sessions.end_all(user)
    # Their certificates sign no new letter; the letters they signed stay valid.
    revoke_certificates(user)
    audit.record(actor, "user_deactivated", user, "active", "inactive")
    return db.session.scalar(
        select(KecamatanOffice).where(KecamatanOffice.camat_user_id == user.id)
    )


def reactivate_user(actor: User, user: User) -> None:
    """Open a closed account again (its old password still applies)."""
    if user.active:
        raise Refusal(_l("This account is already active."))
    user.active = True
    audit.record(actor, "user_reactivated", user, "inactive", "active")


def reset_password(actor: User, user: User) -> str:
    """A new temporary password for someone else's account; their sessions end."""
    if user.id == actor.id:
        raise Refusal(_l("Use “Change password” for your own account."))
    password = temporary_password()
    set_password(user, password, actor=actor, must_change=True)
    return password


def user_query(
    q: str = "", role: str | None = None, kecamatan_id: int | None = None, status: str | None = None
):
    """The users list: search by name or e-mail, filter by role, kecamatan and status."""
    query = select(User).options(
        selectinload(User.company), selectinload(User.kecamatan), selectinload(User.desa)
    )
    term = (q or "").strip().lower()
    if term:
        query = query.where(
            or_(
                func.lower(User.name).contains(term, autoescape=True),
                func.lower(User.email).contains(term, autoescape=True),
            )
        )
    if role:
        query = query.where(User.role == role)
    if kecamatan_id:
        query = query.where(User.kecamatan_id == kecamatan_id)
    if status in ("active", "inactive"):
        query = query.where(User.active.is_(status == "active"))
    return query.order_by(func.lower(User.name), User.id)


def history(obj) -> list[tuple[AuditEvent, User | None]]:
    """The object's audit events with the account that did each, newest first."""
    return list(reversed(audit.history_with_actors(obj)))


# --- companies ---------------------------------------------------------------------


@dataclass
class CompanyData:
    """What the admin typed for a company."""

    name: str
    sector: str
    address: str = ""
    phone: str = ""
    email: str = ""
    contact_name: str = ""
    representative_name: str = ""
    representative_title: str = ""


# action: (states it may start from, state it leads to, whether a reason is required)
# The company page offers the partner life cycle's transitions; one place owns them
# (portal.partners.services), and it also tells the company's staff.
def company_actions_for(company: Company) -> list[str]:
    """The status actions open to a company in its current status."""
    return partners.actions_for(company)


def company_name_taken(name: str, except_company_id: int | None = None) -> bool:
    """Whether another company has this name (ignoring case and outer spaces)."""
    query = select(Company.id).where(func.lower(Company.name) == (name or "").strip().lower())
    if except_company_id is not None:
        query = query.where(Company.id != except_company_id)
    return db.session.scalar(query) is not None


def _company_values(data: CompanyData, company: Company | None = None) -> dict:
    if company_name_taken(data.name, company.id if company else None):
        raise Refusal(_l("A company with this name is already registered."), "name")
    values = {key: (value or "").strip() for key, value in vars(data).items()}
    values["email"] = normalise_email(values["email"])
    return values


def create_company(actor: User, data: CompanyData, status: str = "active") -> Company:
    """Register a company on a partner's behalf (active at once unless told otherwise)."""
    if status not in COMPANY_STATES:
        raise Refusal(_l("Unknown status."), "status")
    company = Company(**_company_values(data), status=status)
    db.session.add(company)
    db.session.flush()
    audit.record(actor, "company_created", company, None, status)
    return company


def update_company(actor: User, company: Company, data: CompanyData) -> list[str]:
    """Change a company's details; returns the names of changed fields."""
    values = _company_values(data, company)
    changed = [key for key, value in values.items() if getattr(company, key) != value]
    for key in changed:
        setattr(company, key, values[key])
    if changed:
        audit.record(actor, "company_updated", company, changed=changed)
    return changed


def change_company_status(actor: User, company: Company, action: str, reason: str = "") -> None:
    """Activate, reject, suspend or lift a suspension (reject and suspend need a reason),
    through the partners' one door."""
    partners.change_status(actor, company, action, reason)


def company_query(q: str = "", status: str | None = None, sector: str | None = None):
    """The companies list: search by name, filter by status and sector."""
    query = select(Company)
    term = (q or "").strip().lower()
    if term:
        query = query.where(func.lower(Company.name).contains(term, autoescape=True))
    if status:
        query = query.where(Company.status == status)
    if sector:
        query = query.where(Company.sector == sector)
    return query.order_by(func.lower(Company.name), Company.id)


# --- settings ----------------------------------------------------------------------


class Setting:
    """A setting as the audit log sees it (object type ``setting``): keyed by name, no id."""

    id = None

    def __init__(self, key: str):
        self.key = key


def save_settings(actor: User, raw_values: dict[str, str]) -> list[str]:
    """Store every setting whose value changed; returns the changed keys.

    All values are checked before any is stored, so one bad value changes nothing.
    """
    parsed = {}
    for key, raw in raw_values.items():
        try:
            parsed[key] = settings_store.parse(settings_store.SPECS[key], raw or "")
        except settings_store.InvalidSetting as exc:
            raise Refusal(_l("This value does not fit the setting."), key) from exc
    changed = []
    for key, value in parsed.items():
        before = settings_store.get(key)
        if value != before:
            settings_store.put(key, raw_values[key], actor)
            audit.record(actor, "setting_changed", Setting(key), key=key, old=before, new=value)
            changed.append(key)
    return changed


def settings_history(limit: int = 20) -> list[tuple[AuditEvent, User | None]]:
    """The latest setting changes with who made them."""
    query = (
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "setting")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [tuple(row) for row in db.session.execute(query)]


# --- kecamatan offices -------------------------------------------------------------


@dataclass
class OfficeData:
    address: str = ""
    phone: str = ""
    email: str = ""
    camat_user_id: int | None = None
    class_code: str = ""
    letter_pattern: str = ""


def office_rows() -> list:
    """Every kecamatan with its office and the camat in office (None when unset), by name."""
    return db.session.execute(
        select(Kecamatan, KecamatanOffice, User)
        .join(KecamatanOffice, KecamatanOffice.kecamatan_id == Kecamatan.id)
        .outerjoin(User, User.id == KecamatanOffice.camat_user_id)
        .order_by(Kecamatan.name)
    ).all()


def office_of_camat(user: User) -> KecamatanOffice | None:
    """The office where this account is recorded as camat in office, if any."""
    return db.session.scalar(
        select(KecamatanOffice).where(KecamatanOffice.camat_user_id == user.id)
    )


def camat_candidates(kecamatan_id: int) -> list[User]:
    """The active camat accounts of a kecamatan, who may be named camat in office."""
    query = (
        select(User)
        .where(User.role == "camat", User.kecamatan_id == kecamatan_id, User.active.is_(True))
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


def check_letter_pattern(pattern: str) -> None:
    """A letter-number pattern must use known placeholders and the sequence number."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        raise Refusal(_l("The pattern has an unmatched brace."), "letter_pattern") from exc
    unknown = sorted(set(fields) - LETTER_PLACEHOLDERS)
    if unknown:
        raise Refusal(
            _l("Unknown placeholder: %(names)s.", names=", ".join(unknown)), "letter_pattern"
        )
    if "seq" not in fields:
        raise Refusal(_l("The pattern must contain {seq}."), "letter_pattern")
    sample = dict(class_code="400.9", seq=1, kecamatan_code="06", month=5, month_roman="V")
    try:
        pattern.format(**sample, year=2025)
    except (ValueError, IndexError, KeyError) as exc:
        raise Refusal(_l("The pattern cannot be filled in."), "letter_pattern") from exc


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter_number_example(pattern: str, class_code: str, kecamatan_code: str) -> str:
    """The first number this month's letters would get from ``pattern`` (shown beside the
    pattern, so an admin reads a number rather than placeholders); "" if it cannot be
    filled in."""
    today = date.today()
    try:
        return pattern.format(
            class_code=class_code,
            seq=1,
            kecamatan_code=kecamatan_code.split(".")[-1],
            month=today.month,
            month_roman=ROMAN_MONTHS[today.month - 1],
            year=today.year,
        )
    except (ValueError, IndexError, KeyError):
        return ""


def update_office(actor: User, office: KecamatanOffice, data: OfficeData) -> list[str]:
    """Change a kecamatan office's letterhead data, camat in office or numbering."""
    allowed = {u.id for u in camat_candidates(office.kecamatan_id)} | {office.camat_user_id}
    if data.camat_user_id and data.camat_user_id not in allowed:
        raise Refusal(_l("Choose an active camat account of this kecamatan."), "camat_user_id")
    check_letter_pattern(data.letter_pattern.strip())
    values = {
        key: value.strip() if isinstance(value, str) else value for key, value in vars(data).items()
    }
    if not values["class_code"]:
        raise Refusal(_l("Enter the archive classification code."), "class_code")
    changed = [key for key, value in values.items() if getattr(office, key) != value]
    for key in changed:
        setattr(office, key, values[key])
    if changed:
        audit.record(
            actor, "office_updated", office.kecamatan, changed=changed, camat=office.camat_user_id
        )
    return changed
