"""CSR partner rules: self-registration, the company life cycle and staff invitations.

Plain functions taking the acting user. Each transition checks the current state
and the actor's right, writes the audit event and notifies the other side; a
refusal raises ``Refusal`` (naming the form field it belongs beside) before
anything changes. The caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.auth.services import hash_password, new_session_token, normalise_email
from portal.core import audit
from portal.core.dates import as_utc, utcnow
from portal.core.labels import COMPANY_STATE_LABELS, label
from portal.core.notify import notify, path_for
from portal.core.refusals import Refusal
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Company, CompanyInvitation, User
from portal.partners.access import in_scope

INVITATION_DAYS = 7
# Whoever holds the link is told no more than this, whether or not the address has an account.
INVITATION_UNUSABLE = _l(
    "This invitation cannot be used to create an account. If you already have a Sinergi "
    "account, log in with it; otherwise ask your colleague or the Dinsos administrator."
)


# --- what a company's staff may do -------------------------------------------------


def company_can_read(user) -> bool:
    """Whether the user may see the portal beyond the waiting page.

    Staff of a pending or rejected company only wait; everyone else reads.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role != "partner":
        return True
    return user.company is not None and user.company.status in ("active", "suspended")


def company_can_submit(user) -> bool:
    """Whether the user may act for a company (create, edit, submit, withdraw, invite):
    a partner of an active company. A suspended company's staff read only."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role == "partner"
        and user.company is not None
        and user.company.status == "active"
    )


def active_admins() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == "admin", User.active)))


def active_staff(company: Company) -> list[User]:
    query = select(User).where(User.company_id == company.id, User.role == "partner", User.active)
    return list(db.session.scalars(query.order_by(User.name)))


# --- registration ------------------------------------------------------------------


@dataclass
class RegistrationData:
    """What an applicant typed on the registration form."""

    company_name: str
    sector: str
    address: str
    phone: str
    company_email: str
    contact_name: str
    representative_name: str
    representative_title: str
    name: str
    email: str
    password: str


def company_name_taken(name: str) -> bool:
    """Whether a company of this name exists (ignoring case and outer spaces)."""
    query = select(Company.id).where(func.lower(Company.name) == (name or "").strip().lower())
    return db.session.scalar(query) is not None


def account_for(email: str) -> User | None:
    """The account that already uses this address (ignoring case), if any."""
    query = select(User).where(func.lower(User.email) == normalise_email(email))
    return db.session.scalar(query)


def email_taken(email: str) -> bool:
    """Whether an account already uses this address (ignoring case)."""
    return account_for(email) is not None


@dataclass
class Registration:
    """What a registration did. The visitor is answered the same either way; only the
    address's owner learns, by e-mail, that it already had an account."""

    user: User | None  # the new staff account, or None when nothing was created
    owner: User | None = None  # the account that already used the address


def register_company(data: RegistrationData) -> Registration:
    """A pending company and its first staff account; the admins are told.

    The account can log in but only waits until an admin activates the company. An
    address that already has an account creates nothing, at the same cost (its password
    is hashed all the same), so neither the answer nor its timing reveals the account.
    """
    if company_name_taken(data.company_name):
        raise Refusal(_l("A company with this name is already registered."), "company_name")
    if (owner := account_for(data.email)) is not None:
        hash_password(data.password)
        return Registration(user=None, owner=owner)
    company = Company(
        name=data.company_name.strip(),
        sector=data.sector,
        address=data.address.strip(),
        phone=data.phone.strip(),
        email=normalise_email(data.company_email),
        contact_name=data.contact_name.strip(),
        representative_name=data.representative_name.strip(),
        representative_title=data.representative_title.strip(),
        status="pending",
    )
    db.session.add(company)
    db.session.flush()
    user = _new_staff(company, data.name, data.email, data.password)
    audit.record(user, "company_created", company, None, "pending", self_registered=True)
    audit.record(user, "user_created", user, via="registration")
    notify(
        active_admins(),
        N_("%(company)s has registered and waits for activation."),
        path_for("partners.review", company_id=company.id),
        company=company.name,
    )
    return Registration(user=user)


def _new_staff(company: Company, name: str, email: str, password: str) -> User:
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        session_token=new_session_token(),
        role="partner",
        company_id=company.id,
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


# --- the company life cycle (DESIGN section 3) --------------------------------------


def _check_admin(actor) -> None:
    if getattr(actor, "role", None) != "admin" or not actor.active:
        raise Refusal(_l("Only a Dinsos administrator may change a company's status."))


def _lock(company: Company) -> Company:
    """Read the company's current row again, locked where the database can, so two
    admins clicking at once see each other's change."""
    db.session.refresh(company, with_for_update=True)
    return company


def _move(actor, company: Company, sources: tuple[str, ...], target: str, reason: str = ""):
    _check_admin(actor)
    _lock(company)
    if company.status not in sources:
        raise Refusal(
            _l(
                "This company is %(state)s; it cannot be changed that way.",
                state=_state_label(company.status),
            )
        )
    before = company.status
    company.status = target
    company.status_reason = reason
    return before


def _state_label(code: str) -> str:
    return label(COMPANY_STATE_LABELS, code).lower()


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_l("Give the reason; the company will see it."), "reason")
    return reason


def _tell_staff(company: Company, message: str, **params) -> None:
    notify(active_staff(company), message, path_for("main.home"), company=company.name, **params)


def activate_company(actor, company: Company) -> None:
    """pending → active: the staff can now propose contributions."""
    before = _move(actor, company, ("pending",), "active")
    audit.record(actor, "company_activate", company, before, "active")
    _tell_staff(company, N_("%(company)s has been activated. You can now propose contributions."))


def reject_company(actor, company: Company, reason: str) -> None:
    """pending → rejected, with the reason the applicant is shown."""
    reason = _clean_reason(reason)
    before = _move(actor, company, ("pending",), "rejected", reason)
    audit.record(actor, "company_reject", company, before, "rejected", reason=reason)
    _tell_staff(
        company, N_("The registration of %(company)s was rejected: %(reason)s"), reason=reason
    )


def suspend_company(actor, company: Company, reason: str) -> None:
    """active → suspended: the staff can still read but not submit."""
    reason = _clean_reason(reason)
    before = _move(actor, company, ("active",), "suspended", reason)
    audit.record(actor, "company_suspend", company, before, "suspended", reason=reason)
    _tell_staff(company, N_("%(company)s has been suspended: %(reason)s"), reason=reason)


def lift_suspension(actor, company: Company) -> None:
    """suspended → active."""
    before = _move(actor, company, ("suspended",), "active")
    audit.record(actor, "company_activate", company, before, "active")
    _tell_staff(company, N_("The suspension of %(company)s has been lifted."))


COMPANY_TRANSITIONS = {
    "activate": ("pending",),
    "reject": ("pending",),
    "suspend": ("active",),
    "lift": ("suspended",),
}


def actions_for(company: Company) -> list[str]:
    """The transitions open to a company in its current status."""
    return [name for name, sources in COMPANY_TRANSITIONS.items() if company.status in sources]


COMPANY_ACTIONS = {
    "activate": activate_company,
    "lift": lift_suspension,
    "reject": reject_company,
    "suspend": suspend_company,
}
NEEDS_REASON = ("reject", "suspend")  # the company is shown the reason


def change_status(actor, company: Company, action: str, reason: str = "") -> None:
    """The one door to a company's transitions, by name: the admin's company page and the
    review queue both come through here."""
    transition = COMPANY_ACTIONS.get(action)
    if transition is None:
        raise Refusal(_l("Unknown action."))
    if action in NEEDS_REASON:
        transition(actor, company, reason)
    else:
        transition(actor, company)


def company_queue(status: str | None = "pending", q: str = ""):
    """Companies by status (the pending ones first in line), searched by name."""
    query = select(Company)
    if status:
        query = query.where(Company.status == status)
    term = (q or "").strip().lower()
    if term:
        query = query.where(func.lower(Company.name).contains(term, autoescape=True))
    return query.order_by(Company.created_at, Company.id)


# --- staff invitations --------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_state(invitation: CompanyInvitation, now: datetime | None = None) -> str:
    """open, accepted, revoked or expired."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if as_utc(invitation.expires_at) <= (now or utcnow()):
        return "expired"
    return "open"


def open_invitations(company: Company) -> list[CompanyInvitation]:
    query = select(CompanyInvitation).where(
        CompanyInvitation.company_id == company.id,
        CompanyInvitation.accepted_at.is_(None),
        CompanyInvitation.revoked_at.is_(None),
    )
    rows = db.session.scalars(query.order_by(CompanyInvitation.created_at.desc()))
    return [row for row in rows if invitation_state(row) == "open"]


def invite_colleague(actor, email: str) -> tuple[CompanyInvitation, str]:
    """An invitation for ``email`` to join the actor's company, and its one-time token.

    An address that already has an account is invited all the same, so the inviter is not
    told who has an account; it can never be accepted (see ``accept_invitation``), and
    where mail is configured its owner gets a notice instead of the link."""
    if not company_can_submit(actor):
        raise Refusal(_l("Only staff of an active company can invite colleagues."))
    email = normalise_email(email)
    company = actor.company
    if any(inv.email == email for inv in open_invitations(company)):
        raise Refusal(
            _l("This address already has an open invitation; revoke it to send a new one."),
            "email",
        )
    token = secrets.token_urlsafe(32)
    invitation = CompanyInvitation(
        company_id=company.id,
        email=email,
        invited_by_id=actor.id,
        token_hash=_hash(token),
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "invitation_created", invitation, None, "open", company_id=company.id)
    return invitation, token


def invitation_for_token(token: str) -> CompanyInvitation:
    """The open invitation this token belongs to; refused with a clear reason otherwise."""
    query = select(CompanyInvitation).where(CompanyInvitation.token_hash == _hash(token or ""))
    invitation = db.session.scalar(query)
    if invitation is None:
        raise Refusal(_l("This invitation link is not valid. Check that it was copied whole."))
    state = invitation_state(invitation)
    if state == "accepted":
        raise Refusal(_l("This invitation has already been used. Log in with your account."))
    if state == "revoked":
        raise Refusal(_l("This invitation was withdrawn. Ask your colleague for a new one."))
    if state == "expired":
        raise Refusal(_l("This invitation has expired. Ask your colleague for a new one."))
    if invitation.company.status not in ("active", "suspended"):
        raise Refusal(_l("This company cannot take new staff at the moment."))
    return invitation


def accept_invitation(token: str, name: str, password: str) -> User:
    """A partner account of the inviting company for the invited address."""
    invitation = invitation_for_token(token)
    db.session.refresh(invitation, with_for_update=True)
    if invitation.accepted_at is not None:  # a second tab, a double click
        raise Refusal(_l("This invitation has already been used. Log in with your account."))
    if email_taken(invitation.email):
        raise Refusal(INVITATION_UNUSABLE)
    user = _new_staff(invitation.company, name, invitation.email, password)
    invitation.accepted_at = utcnow()
    invitation.accepted_user_id = user.id
    audit.record(user, "invitation_accepted", invitation, "open", "accepted")
    audit.record(user, "user_created", user, via="invitation", invitation_id=invitation.id)
    if invitation.invited_by is not None and invitation.invited_by.active:
        notify(
            [invitation.invited_by],
            N_("%(name)s accepted your invitation and joined %(company)s."),
            path_for("partners.company"),
            name=user.name,
            company=invitation.company.name,
        )
    return user


def get_company_invitation(actor, invitation_id: int) -> CompanyInvitation | None:
    """The invitation if it belongs to the actor's company; None otherwise (a 404)."""
    invitation = db.session.get(CompanyInvitation, invitation_id)
    if invitation is None or not in_scope(actor, invitation):
        return None
    return invitation


def revoke_invitation(actor, invitation: CompanyInvitation) -> None:
    """open → revoked, by any active staff of the same company."""
    if not company_can_submit(actor) or invitation.company_id != actor.company_id:
        raise Refusal(_l("Only staff of an active company can withdraw its invitations."))
    state = invitation_state(invitation)
    if state != "open":
        raise Refusal(_l("Only an open invitation can be withdrawn."))
    invitation.revoked_at = utcnow()
    audit.record(actor, "invitation_revoked", invitation, "open", "revoked")
