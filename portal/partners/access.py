"""Which of a company's things its staff may reach: ``visible(user)`` is the query of the
invitations a user may see (those of their own company), ``in_scope(user, invitation)`` the
same for one. Whether a company's staff may read or act at all (its status) is
``services.company_can_read`` / ``company_can_submit``, applied app-wide by ``gate``."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.models import CompanyInvitation, User


def visible(user: User, query: Select | None = None) -> Select:
    """The invitations ``user`` may see: ``query`` (by default every invitation) limited to
    the user's own company; nothing for an account without a company."""
    query = select(CompanyInvitation) if query is None else query
    if user.company_id is None:
        return query.where(False)
    return query.where(CompanyInvitation.company_id == user.company_id)


def in_scope(user: User, invitation: CompanyInvitation) -> bool:
    """Whether ``visible(user)`` holds this one invitation."""
    return user.company_id is not None and invitation.company_id == user.company_id
