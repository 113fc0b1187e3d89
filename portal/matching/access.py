"""Who may see and change a match, in which state.

``visible(user)`` is the query of what a user may see, ``in_scope(user, match)`` the same
for one record; the transitions call the ``check_*`` functions (which raise ``Refusal``),
and the pages ask ``can_*`` / ``*_refusal`` which actions to offer. The rules:

- the kecamatan officer builds, changes and submits the matches of their kecamatan's
  accepted (or allocating) contributions; nobody else builds;
- only the camat of the match's kecamatan approves or returns a submitted match (not an
  admin, not an officer);
- the admin sees every match; a camat and an officer their kecamatan's; a partner the
  matches of their company's contributions (the page shows them counts and desa, and
  names with masked NIK only once approved); a village operator none.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.matching.holds import open_amendment
from portal.models import Contribution, Match, User

# A contribution's matches can be built while it is in one of these states.
BUILDABLE_CONTRIBUTION_STATES = ("accepted", "allocating")


def visible(user: User, query: Select | None = None) -> Select:
    """The matches ``user`` may see: ``query`` (by default every match) limited to the
    user's kecamatan or company, everything for the admin, nothing otherwise."""
    query = select(Match) if query is None else query
    if user.role == "admin":
        return query
    if user.role in ("officer", "camat") and user.kecamatan_id:
        return query.where(Match.kecamatan_id == user.kecamatan_id)
    if user.role == "partner" and user.company_id:
        owned = select(Contribution.id).where(Contribution.company_id == user.company_id)
        return query.where(Match.contribution_id.in_(owned))
    return query.where(False)


def in_scope(user: User, match: Match) -> bool:
    """Whether ``visible(user)`` holds this one match."""
    if user.role == "admin":
        return True
    if user.role in ("officer", "camat"):
        return user.kecamatan_id is not None and match.kecamatan_id == user.kecamatan_id
    if user.role == "partner":
        return user.company_id is not None and match.contribution.company_id == user.company_id
    return False


def page_flags(user: User) -> dict[str, bool]:
    """What the matching pages offer this user, as ``may_*`` flags."""
    role = getattr(user, "role", None)
    return {
        "may_build_matches": role == "officer",
        "may_approve_matches": role == "camat",
        "may_see_all_matches": role == "admin",
        # Partners see who receives their aid only in outline (DESIGN section 4).
        "may_see_match_people": role in ("officer", "camat", "admin"),
    }


def is_builder(user: User, kecamatan_id: int | None) -> bool:
    """The officer of this kecamatan."""
    return user.role == "officer" and kecamatan_id is not None and user.kecamatan_id == kecamatan_id


def is_approver(user: User, match: Match) -> bool:
    """The camat of the match's kecamatan."""
    return user.role == "camat" and user.kecamatan_id == match.kecamatan_id


def check_plan(actor: User, contribution: Contribution) -> None:
    """May ``actor`` start a new match for this contribution?"""
    if not is_builder(actor, contribution.kecamatan_id):
        raise Refusal(_l("Only the officer of the contribution's kecamatan can plan its handover."))
    if contribution.status not in BUILDABLE_CONTRIBUTION_STATES:
        raise Refusal(_l("Only an accepted contribution can be planned for handover."))
    if contribution.remaining_closed_at is not None:
        raise Refusal(
            _l("What remains of this contribution has been closed; no new plan can be made.")
        )


def check_edit(actor: User, match: Match) -> None:
    """May ``actor`` change this match's recipients and quantities (and submit it)?"""
    _check_changer(actor, match)
    if match.status != "draft":
        raise Refusal(_l("Only a draft plan can be changed; this one has been submitted."))


def check_replace(actor: User, match: Match) -> None:
    """May ``actor`` replace a member who drops out (before approval)?"""
    _check_changer(actor, match)
    if match.status not in ("draft", "submitted"):
        raise Refusal(_l("Once a plan is approved, its recipients can no longer be replaced."))


def _check_changer(actor: User, match: Match) -> None:
    """The officer may change a plan of an open contribution, and the plan of a letter
    being amended (which already holds its quantities) even when the rest was closed."""
    if match.status != "approved" and open_amendment(match) is not None:
        if not is_builder(actor, match.kecamatan_id):
            raise Refusal(
                _l("Only the officer of the contribution's kecamatan can plan its handover.")
            )
        return
    check_plan(actor, match.contribution)


def check_decide(actor: User, match: Match) -> None:
    """May ``actor`` approve or return this match?"""
    if not is_approver(actor, match):
        raise Refusal(_l("Only the camat of the plan's kecamatan can approve or return it."))
    if match.status != "submitted":
        raise Refusal(_l("Only a submitted plan can be approved or returned."))


def plan_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    return refusal_of(check_plan, actor, contribution)


def edit_refusal(actor: User, match: Match) -> Refusal | None:
    return refusal_of(check_edit, actor, match)


def replace_refusal(actor: User, match: Match) -> Refusal | None:
    return refusal_of(check_replace, actor, match)


def can_replace(actor: User, match: Match) -> bool:
    return replace_refusal(actor, match) is None


def decide_refusal(actor: User, match: Match) -> Refusal | None:
    return refusal_of(check_decide, actor, match)


def can_plan(actor: User, contribution: Contribution) -> bool:
    return plan_refusal(actor, contribution) is None


def can_edit(actor: User, match: Match) -> bool:
    return edit_refusal(actor, match) is None


def can_decide(actor: User, match: Match) -> bool:
    return decide_refusal(actor, match) is None


def sees_people(user: User, match: Match) -> bool:
    """Whether the page may name the recipients (masked NIK for a partner, once approved)."""
    if user.role == "partner":
        return match.status not in ("draft", "submitted")
    return in_scope(user, match)


def check_close(actor: User, contribution: Contribution) -> None:
    """May ``actor`` close what remains of this contribution (no new matches after)?"""
    check_plan(actor, contribution)


def close_refusal(actor: User, contribution: Contribution) -> Refusal | None:
    return refusal_of(check_close, actor, contribution)


def can_close(actor: User, contribution: Contribution) -> bool:
    return close_refusal(actor, contribution) is None
