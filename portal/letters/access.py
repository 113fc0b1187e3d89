"""Who may see a letter: whoever may see its match (``portal.matching.access``); the
public verification page shows a letter's outline to anyone who has its code."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.matching import access as matching_access
from portal.models import Letter, Match, User

# Roles that may open the letters list and download letters (each within their scope).
LETTER_ROLES = ("admin", "officer", "camat", "partner")
# Who may print a letter's receipts (tanda terima), each within the letter's kecamatan.
RECEIPT_ROLES = ("officer", "camat", "admin")
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


def check_receipts(user: User, letter: Letter) -> None:
    """The officer (or camat) of the letter's kecamatan, or Dinsos, prints the receipts of
    a valid letter; a replaced letter's receipts would name the wrong number."""
    kecamatan_id = letter.match.kecamatan_id
    if not (
        user.role == "admin"
        or (user.role in ("officer", "camat") and user.kecamatan_id == kecamatan_id)
    ):
        raise Refusal(_l("Only the officer of this kecamatan prints its receipts."))
    if letter.status != "valid":
        raise Refusal(
            _l("This letter was replaced; print the receipts of the letter that replaced it.")
        )


def receipts_refusal(user: User, letter: Letter) -> Refusal | None:
    return refusal_of(check_receipts, user, letter)


def can_print_receipts(user: User, letter: Letter) -> bool:
    return receipts_refusal(user, letter) is None
