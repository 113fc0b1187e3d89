"""Letters for demo data: the seed's approved matches get their signed letters, so a new
user sees real letters at once. In normal work the approval issues each letter."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.letters.services import issue_letter
from portal.models import Letter, Match
from portal.signing.authority import ensure_authority

LETTERED_STATES = ("approved", "handed_over", "monitored")


def issue_missing_letters() -> int:
    """Issue the letter of each numbered, approved match that has none (no commit);
    returns how many. Creates the certificate authority first if the setup step has not."""
    has_letter = select(Letter.id).where(Letter.match_id == Match.id).exists()
    matches = db.session.scalars(
        select(Match)
        .where(Match.status.in_(LETTERED_STATES), Match.letter_number.is_not(None), ~has_letter)
        .order_by(Match.approved_at, Match.id)
    ).all()
    if matches:
        ensure_authority()
    for match in matches:
        issue_letter(match, match.letter_number, match.approved_by)
        db.session.flush()  # the next letter of the same camat finds their certificate
    return len(matches)
