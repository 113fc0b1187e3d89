"""What a match's people must satisfy (DESIGN section 4): only validated, unexpired, active
recipients of the match's kecamatan; a flagged person only with the officer's written
reason. The builder checks each person as they are added; submission and approval check
the whole match again with ``check_ready``, because a validation can expire or a person
be deactivated while the match waits.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.core import settings
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Match, Recipient
from portal.registry import validity


def recipient_refusal(recipient: Recipient, match: Match, months: int | None = None):
    """Why this person cannot be on the match (None when they can)."""
    if recipient.kecamatan_id != match.kecamatan_id:
        return Refusal(_l("%(name)s does not live in this kecamatan.", name=recipient.name))
    if not recipient.active:
        return Refusal(_l("%(name)s has been deactivated.", name=recipient.name))
    state = validity.validation_state(recipient, months=months)
    if state in ("pending", "rejected"):
        return Refusal(_l("%(name)s has not been validated.", name=recipient.name))
    if state == "expired":
        return Refusal(
            _l("The validation of %(name)s has expired; validate again first.", name=recipient.name)
        )
    return None


def check_ready(match: Match) -> None:
    """Refuse a match that may not go to (or be approved by) the camat as it stands."""
    members = match.active_members
    if not members:
        raise Refusal(_l("Add at least one recipient to the plan first."))
    months = settings.get("validation_months")  # once, not once per person
    people = _recipients_of(members)
    for member in members:
        refusal = recipient_refusal(people[member.recipient_id], match, months)
        if refusal is not None:
            raise refusal
        if member.is_flagged and not member.flag_reason.strip():
            raise Refusal(
                _l(
                    "%(name)s already received similar aid: write why they are kept.",
                    name=member.recipient.name,
                )
            )


def _recipients_of(members) -> dict[int, Recipient]:
    """Every member's recipient by id, read in a query per 500 people."""
    ids = [m.recipient_id for m in members]
    people = {}
    for start in range(0, len(ids), 500):
        query = select(Recipient).where(Recipient.id.in_(ids[start : start + 500]))
        people.update((r.id, r) for r in db.session.scalars(query))
    return people
