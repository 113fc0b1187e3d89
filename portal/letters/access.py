"""Who may see a letter: whoever may see its match (``portal.matching.access``); the
public verification page shows a letter's outline to anyone who has its code."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.matching import access as matching_access
from portal.models import Letter, Match, User

# Roles that may open the letters list and download letters (each within their scope).
LETTER_ROLES = ("admin", "officer", "camat", "partner")
# Who signs letters with a certificate of their own.
SIGNER_ROLES = ("camat",)


def visible(user: User, query: Select | None = None) -> Select:
    """The letters of the matches ``user`` may see."""
    query = select(Letter) if query is None else query
    matches = matching_access.visible(user, select(Match.id))
    return query.where(Letter.match_id.in_(matches))


def in_scope(user: User, letter: Letter) -> bool:
    return matching_access.in_scope(user, letter.match)


def signs_letters(user: User) -> bool:
    """Whether ``user`` signs handover letters (and so has signing certificates)."""
    return user.role in SIGNER_ROLES


def can_upload_copy(user: User, letter: Letter) -> bool:
    """The officer of the letter's kecamatan uploads the copy the camat signed outside."""
    return (
        user.role == "officer"
        and letter.status == "valid"
        and user.kecamatan_id == letter.match.kecamatan_id
    )
