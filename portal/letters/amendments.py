"""Amending a handover letter (issue 11): a letter is corrected by a new letter, never by
changing it.

The kecamatan officer starts an amendment from the letter's page with a written reason,
while its aid is not handed over yet (a handover is reversed first). The match goes back
to a draft the officer corrects with the builder (a recipient replaced, quantities fixed)
and submits to the camat again; its letter's quantities stay held meanwhile
(``portal.matching.holds``), so nothing offered is promised twice. The camat's queue shows
the amendment and its reason; a return sends it back to the officer; approval (with the
password, ``matching.transitions.approve``) issues a new letter with the next gap-free
number that names the one it replaces, and only then does the old letter become
``replaced``. The old letter's bytes are kept and still served.

Each move writes the audit event and notifies the other side; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.contributions.access import company_staff
from portal.core import audit
from portal.core.dates import utcnow
from portal.core.notify import kecamatan_officers, notify, path_for
from portal.core.refusals import Refusal, refusal_of
from portal.core.text import N_
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching.access import is_builder
from portal.matching.holds import open_amendment, snapshot
from portal.matching.transitions import AlreadyDone, camats_of, link_to, message_params, move
from portal.models import Letter, LetterAmendment, Match, User

REASON_MAX = 2000
HANDED_OVER_STATES = ("handed_over", "monitored")


def check_amend(actor: User, letter: Letter) -> None:
    """May ``actor`` start an amendment of this letter now?"""
    match = letter.match
    if not is_builder(actor, match.kecamatan_id):
        raise Refusal(_l("Only the officer of the letter's kecamatan can amend it."))
    if letter.status != "valid":
        raise Refusal(_l("This letter has already been replaced; amend the letter in force."))
    if in_progress(letter) is not None:
        raise Refusal(_l("An amendment of this letter is already in progress."))
    if match.status in HANDED_OVER_STATES:
        raise Refusal(
            _l(
                "The aid of this letter has already been handed over, so it cannot be "
                "amended. Reverse the handover first, then amend the letter."
            )
        )
    if match.status != "approved":
        raise Refusal(_l("Only the letter of an approved plan can be amended."))


def amend_refusal(actor: User, letter: Letter) -> Refusal | None:
    return refusal_of(check_amend, actor, letter)


def can_amend(actor: User, letter: Letter) -> bool:
    return amend_refusal(actor, letter) is None


def start(letter: Letter, actor: User, reason: str) -> LetterAmendment:
    """approved → draft: the officer corrects the plan of ``letter`` and submits it again;
    the letter stays valid (and its quantities held) until the amended one is approved."""
    if in_progress(letter) is not None and is_builder(actor, letter.match.kecamatan_id):
        raise AlreadyDone(_l("An amendment of this letter is already in progress."))
    check_amend(actor, letter)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal(_l("Write why the letter is amended."), field="reason")
    if len(reason) > REASON_MAX:
        raise Refusal(_l("At most %(max)s characters.", max=REASON_MAX), field="reason")
    match = letter.match
    held = snapshot(match)
    if not move(match, "approved", "draft", status_reason=""):
        raise AlreadyDone(_l("This plan has changed meanwhile; open it again."))
    amendment = LetterAmendment(
        letter=letter, match=match, reason=reason, held=held, started_by_id=actor.id
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(actor, "letter_amendment_started", letter, reason=reason, match_id=match.id)
    audit.record(
        actor, "match_amendment_started", match, "approved", "draft", reason, letter=letter.number
    )
    _tell_started(match, letter, reason)
    return amendment


def _tell_started(match: Match, letter: Letter, reason: str) -> None:
    notify(
        camats_of(match.kecamatan_id),
        N_('The officer is amending letter %(number)s of "%(label)s": %(reason)s'),
        link_to(match),
        **message_params(match, number=letter.number, reason=reason),
    )
    # The company learns that a correction is coming, not the officer's words.
    notify(
        company_staff(match.contribution.company_id),
        N_(
            "Letter %(number)s is being amended; it stays valid until the camat approves "
            "the amended letter."
        ),
        path_for("letters.show", letter_id=letter.id),
        number=letter.number,
    )


def complete(match: Match, letter: Letter, actor: User) -> None:
    """Approval of a match under amendment (called once its new number is taken): the old
    letter becomes replaced by ``letter``; a match not under amendment is left alone."""
    amendment = open_amendment(match)
    if amendment is None:
        return
    db.session.flush()  # the new letter's id, for the records
    old = amendment.letter
    old.status = "replaced"
    amendment.status, amendment.new_letter = "approved", letter
    amendment.approved_at, amendment.held = utcnow(), {}
    audit.record(
        actor, "letter_replaced", old, "valid", "replaced", number=letter.number, by=letter.id
    )
    notify(
        [*kecamatan_officers(match.kecamatan_id), *company_staff(match.contribution.company_id)],
        N_("Letter %(old)s was replaced by the amended letter %(number)s."),
        path_for("letters.show", letter_id=letter.id),
        old=old.number,
        number=letter.number,
    )


def in_progress(letter: Letter) -> LetterAmendment | None:
    """The open amendment of this letter, if any."""
    query = select(LetterAmendment).where(
        LetterAmendment.letter_id == letter.id, LetterAmendment.status == "open"
    )
    return db.session.scalar(query)


def replacement_of(letter: Letter) -> Letter | None:
    """The letter that replaced this one, if any."""
    query = select(Letter).join(LetterAmendment, LetterAmendment.new_letter_id == Letter.id)
    return db.session.scalar(query.where(LetterAmendment.letter_id == letter.id))
