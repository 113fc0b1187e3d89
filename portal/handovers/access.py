"""Who may record and reverse a handover: the officer of the match's kecamatan, for an
approved match (record) or a handed-over one whose visits have not started (reverse).
Everyone who may see the match (``portal.matching.access``) sees its handover."""

from __future__ import annotations

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.matching import access as matching_access
from portal.models import Attachment, HandoverRecord, Match, User


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


# --- the handover's files and what each reader sees -------------------------------------


def check_add_files(actor: User, match: Match, entry: HandoverRecord | None) -> None:
    """May ``actor`` add photos or the scan to this handover (appending, never replacing)?"""
    if not is_recorder(actor, match):
        raise Refusal(_l("Only the officer of this kecamatan records its handovers."))
    if entry is None or entry.kind != "handover" or entry.is_reversed:
        raise Refusal(_l("Files can only be added to a handover in force."))


def add_files_refusal(actor: User, match: Match, entry: HandoverRecord | None) -> Refusal | None:
    return refusal_of(check_add_files, actor, match, entry)


def sees_details(user: User, match: Match) -> bool:
    """Who received, who was absent and why, the proxies, every photo and the scan: the
    kecamatan's officer and camat and the admin (the match's scope). A partner sees the
    outline: date, place, counts and the photos marked shareable."""
    return user.role in ("officer", "camat", "admin") and matching_access.in_scope(user, match)


def may_see_file(user: User, match: Match, attachment: Attachment) -> bool:
    """Whether ``user`` may open this file of the match's handover."""
    if sees_details(user, match):
        return True
    return (
        user.role == "partner"
        and matching_access.in_scope(user, match)
        and attachment.kind == "photo"
        and bool(attachment.shareable)
    )


def page_flags(user: User, match: Match, entry: HandoverRecord | None) -> dict[str, bool]:
    """What the match page offers about its handover, as ``may_*`` flags."""
    return {
        "may_record_handover": can_record(user, match),
        "may_reverse_handover": entry is not None and can_reverse(user, match),
        "may_add_handover_files": add_files_refusal(user, match, entry) is None,
        "may_see_handover_details": sees_details(user, match),
    }
