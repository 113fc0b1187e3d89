"""Replacing someone who drops out of a match before approval (DESIGN section 3): another
eligible candidate takes their place with the same quantities, and the history says who
replaced whom and why."""

from __future__ import annotations

from portal.core import audit
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching import access
from portal.matching.flags import flags_of
from portal.matching.members import (
    add_member,
    find_member,
    flag_reason_needed,
    on_match,
    refusal_for,
)
from portal.models import Match, MatchMember, Recipient, User
from portal.models.matching import DROP_REASONS


def replace_member(
    actor: User,
    match: Match,
    member_id: int | None,
    recipient_id: int | None,
    drop_reason: str,
    note: str = "",
    flag_reason: str = "",
) -> MatchMember:
    """Before approval, put another eligible candidate in the place of a member who drops
    out, with the same quantities (so a submitted match's reserved quantities stay as
    they are); the match's history records who replaced whom and why."""
    access.check_replace(actor, match)
    old = find_member(match, member_id)
    if drop_reason not in DROP_REASONS:
        raise Refusal(_l("Choose why this person drops out."), "drop_reason")
    if drop_reason == "other" and not note.strip():
        raise Refusal(_l("Write why this person drops out."), "drop_note")
    person = db.session.get(Recipient, recipient_id) if recipient_id else None
    if person is None:
        raise Refusal(_l("Choose the person who takes their place."), "recipient_id")
    refusal = refusal_for(match, person, on_match(match))
    if refusal is not None:
        raise Refusal(refusal, "recipient_id")
    flags = flags_of(match, [person]).get(person.id, [])
    if flags and not flag_reason.strip():
        raise Refusal(flag_reason_needed(person), "flag_reason")
    shares = [(a.item, a.quantity) for a in old.allocations]
    new = add_member(actor, match, person, flags, flag_reason.strip(), shares)
    new.position = old.position
    db.session.flush()
    old.status = "replaced"
    old.drop_reason = drop_reason
    old.drop_note = note.strip()
    old.replaced_by = new
    audit.record(
        actor,
        "match_member_replaced",
        match,
        reason=note.strip(),
        member_id=old.id,
        recipient_id=old.recipient_id,
        replacement_member_id=new.id,
        replacement_recipient_id=person.id,
        drop_reason=drop_reason,
    )
    db.session.flush()
    return new
