"""Who may see and change a contribution, in which state, and who hears about it.

``visible(user)`` is the query of what a user may see, ``in_scope(user, contribution)``
the same for one record; the transitions in ``services`` and ``routing`` call the
``check_*`` / ``*_refusal`` checks first, and the pages ask the same functions (``can_*``)
which actions to offer.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.notify import kecamatan_officers, path_for
from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Contribution, Match, User
from portal.partners.services import company_can_submit  # active companies only

WITHDRAWABLE = ("draft", "submitted", "accepted", "allocating")
REVIEWABLE = ("submitted",)
# A match in one of these states has been approved by the camat.
APPROVED_MATCH_STATES = ("approved", "handed_over", "monitored")


# --- who may do what -----------------------------------------------------------------


def visible(user: User) -> Select:
    """Contributions this user may see: own company, own kecamatan (once sent), or all."""
    query = select(Contribution)
    if user.role == "admin":
        return query
    if user.role == "partner":
        return query.where(Contribution.company_id == user.company_id)
    if user.role in ("officer", "camat"):
        return query.where(
            Contribution.kecamatan_id == user.kecamatan_id,
            Contribution.submitted_at.is_not(None),
        )
    return query.where(Contribution.id.is_(None))


def find_visible(user: User, contribution_id: int) -> Contribution | None:
    """The contribution if this user may see it, else None (the view answers 404)."""
    query = visible(user).where(Contribution.id == contribution_id)
    return db.session.scalar(query)


def in_scope(user: User, contribution: Contribution) -> bool:
    """Whether ``visible(user)`` holds this one contribution."""
    if user.role == "admin":
        return True
    if user.role == "partner":
        return contribution.company_id == user.company_id
    if user.role in ("officer", "camat"):
        return (
            user.kecamatan_id is not None
            and contribution.kecamatan_id == user.kecamatan_id
            and contribution.submitted_at is not None
        )
    return False


def page_flags(user: User) -> dict[str, bool]:
    """What the contribution pages offer this user, as ``may_*`` flags (the templates read
    these and never the role)."""
    role = getattr(user, "role", None)
    return {
        "may_propose": role == "partner",
        "may_see_all": role == "admin",
        "may_see_companies": role != "partner",
    }


def may_open_parent(user: User, contribution: Contribution) -> bool:
    """Whether a part of a divided proposal links to the original: Dinsos and the company
    see it; a kecamatan sees only its own part."""
    return user.role in ("admin", "partner")


def is_owner(user: User, contribution: Contribution) -> bool:
    return user.role == "partner" and user.company_id == contribution.company_id


def is_reviewer(user: User, contribution: Contribution) -> bool:
    """Admins review everything; an officer reviews what is sent to their kecamatan."""
    if user.role == "admin":
        return True
    return (
        user.role == "officer"
        and contribution.kecamatan_id is not None
        and contribution.kecamatan_id == user.kecamatan_id
    )


def can_edit(user: User, contribution: Contribution) -> bool:
    return edit_refusal(user, contribution) is None


def can_withdraw(user: User, contribution: Contribution) -> bool:
    return withdraw_refusal(user, contribution) is None


def can_review(user: User, contribution: Contribution) -> bool:
    return review_refusal(user, contribution) is None


def can_route(user: User, contribution: Contribution) -> bool:
    return route_refusal(user, contribution) is None


def review_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    """Why this user may not accept, return or reject now (None when they may)."""
    return refusal_of(check_review, actor, contribution)


def route_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    """Why this user may not route or split now (None when they may)."""
    return refusal_of(check_routable, actor, contribution)


def withdraw_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    return refusal_of(check_withdraw, actor, contribution)


def edit_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    """Why this user may not change the draft or its files (None when they may)."""
    return refusal_of(check_edit, actor, contribution)


def check_review(actor: User, contribution: Contribution) -> None:
    require_reviewer(actor, contribution)
    require_state(contribution, *REVIEWABLE)


def check_withdraw(actor: User, contribution: Contribution) -> None:
    require_owner(actor, contribution)
    require_state(contribution, *WITHDRAWABLE)
    if has_approved_match(contribution):
        raise Refusal(
            _l(
                "A handover plan of this contribution has been approved, "
                "so it can no longer be withdrawn."
            )
        )


def has_approved_match(contribution: Contribution) -> bool:
    """Whether the camat approved a match of it (DESIGN section 3: no withdrawal then)."""
    query = select(Match.id).where(
        Match.contribution_id == contribution.id, Match.status.in_(APPROVED_MATCH_STATES)
    )
    return db.session.scalar(query.limit(1)) is not None


def check_edit(actor: User, contribution: Contribution) -> None:
    require_owner(actor, contribution)
    require_state(contribution, "draft")


def require_owner(actor: User, contribution: Contribution) -> None:
    if not is_owner(actor, contribution):
        raise Refusal(_l("Only the company's own staff can do this."))
    if not company_can_submit(actor):
        raise Refusal(
            _l("Your company is not active, so it cannot propose or change contributions.")
        )


def require_state(contribution: Contribution, *states: str) -> None:
    if contribution.status not in states:
        raise Refusal(
            _l(
                "This cannot be done while the contribution is %(state)s.",
                state=_state_label(contribution.status),
            )
        )


def _state_label(code: str) -> str:
    from portal.core.labels import CONTRIBUTION_STATE_LABELS, label

    return label(CONTRIBUTION_STATE_LABELS, code).lower()


def require_reviewer(actor: User, contribution: Contribution) -> None:
    if not is_reviewer(actor, contribution):
        raise Refusal(_l("Only the officer of the target kecamatan or Dinsos can review this."))


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_l("Please give a reason."), field="reason")
    return reason


def check_routable(actor: User, contribution: Contribution) -> None:
    if actor.role != "admin":
        raise Refusal(_l("Only Dinsos can route contributions."))
    require_state(contribution, "submitted")
    if contribution.kecamatan_id is not None:
        raise Refusal(_l("This contribution already has a target kecamatan."))


# --- who hears about it --------------------------------------------------------------


def company_staff(company_id: int) -> list[User]:
    query = select(User).where(
        User.company_id == company_id, User.role == "partner", User.active.is_(True)
    )
    return list(db.session.scalars(query))


def admins() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == "admin", User.active)))


def reviewers_of(contribution: Contribution) -> list[User]:
    if contribution.kecamatan_id is None:
        return admins()
    return kecamatan_officers(contribution.kecamatan_id)


def link_to(contribution: Contribution) -> str:
    return path_for("contributions.show", contribution_id=contribution.id)


def message_params(contribution: Contribution, **extra) -> dict:
    return {"title": contribution.title, "company": contribution.company.name, **extra}
