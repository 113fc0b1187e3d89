"""Who may record and reverse a handover: the officer of the match's kecamatan, for an
approved match (record) or a handed-over one whose visits have not started (reverse).
Everyone who may see the match (``portal.matching.access``) sees its handover."""

from __future__ import annotations

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.models import Match, User


def is_recorder(user: User, match: Match) -> bool:
    """The officer of the match's kecamatan."""
    return (
        user.role == "officer"
        and user.kecamatan_id is not None
        and user.kecamatan_id == match.kecamatan_id
    )


def check_record(actor: User, match: Match) -> None:
    if not is_recorder(actor, match):
        raise Refusal(_l("Only the officer of this kecamatan records its handovers."))
    if match.status != "approved":
        raise Refusal(_l("Only an approved plan can be handed over."))


def check_reverse(actor: User, match: Match) -> None:
    if not is_recorder(actor, match):
        raise Refusal(_l("Only the officer of this kecamatan records its handovers."))
    if match.status != "handed_over":
        raise Refusal(_l("Only a handed-over plan can have its handover reversed."))


def record_refusal(actor: User, match: Match) -> Refusal | None:
    return refusal_of(check_record, actor, match)


def reverse_refusal(actor: User, match: Match) -> Refusal | None:
    return refusal_of(check_reverse, actor, match)


def can_record(actor: User, match: Match) -> bool:
    return record_refusal(actor, match) is None


def can_reverse(actor: User, match: Match) -> bool:
    return reverse_refusal(actor, match) is None
