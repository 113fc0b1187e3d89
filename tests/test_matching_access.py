"""Who sees which match: the kecamatan's officer and camat, the company's partner staff,
the admin; nobody else. And the models' quantities cannot go past what was offered."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.matching import access
from portal.models import Match
from tests.factories import (
    ContributionItemFactory,
    MatchAllocationFactory,
    MatchFactory,
    kecamatan,
    user_for_role,
)


def _match():
    item = ContributionItemFactory(contribution__status="accepted")
    match = MatchFactory(contribution=item.contribution)
    MatchAllocationFactory(member__match=match, item=item, quantity=2)
    return match


def _visible_ids(user):
    return set(db.session.scalars(access.visible(user).with_only_columns(Match.id)))


def test_scope_of_each_role(ctx):
    match = _match()
    other_kec = kecamatan("64.02.10")
    cases = {
        "admin": user_for_role("admin"),
        "officer": user_for_role("officer"),
        "camat": user_for_role("camat"),
        "own partner": user_for_role("partner", company=match.contribution.company),
    }
    for name, user in cases.items():
        assert _visible_ids(user) == {match.id}, name
        assert access.in_scope(user, match), name
    outsiders = [
        user_for_role("officer", kecamatan=other_kec),
        user_for_role("camat", kecamatan=other_kec),
        user_for_role("partner"),
        user_for_role("village"),
    ]
    for user in outsiders:
        assert _visible_ids(user) == set()
        assert not access.in_scope(user, match)


def test_only_the_kecamatan_officer_builds_and_only_its_camat_decides(ctx):
    match = _match()
    officer, camat, admin = (user_for_role(r) for r in ("officer", "camat", "admin"))
    assert access.can_edit(officer, match)
    assert not access.can_edit(camat, match) and not access.can_edit(admin, match)
    assert not access.can_decide(camat, match)  # still a draft
    match.status = "submitted"
    assert access.can_decide(camat, match)
    assert not access.can_decide(admin, match) and not access.can_decide(officer, match)
    assert not access.can_decide(user_for_role("camat", kecamatan=kecamatan("64.02.10")), match)


def test_reserved_never_exceeds_the_offered_quantity(ctx):
    item = ContributionItemFactory(quantity=3)
    item.reserved = 4
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_check_ready_refuses_empty_unvalidated_and_unexplained_flags(ctx):
    from portal.core.refusals import Refusal
    from portal.matching.checks import check_ready

    item = ContributionItemFactory(contribution__status="accepted")
    match = MatchFactory(contribution=item.contribution)
    with pytest.raises(Refusal, match="minimal satu"):
        check_ready(match)
    member = MatchAllocationFactory(member__match=match, item=item).member
    db.session.refresh(match)
    check_ready(match)
    member.flags = [{"category": "UEP"}]
    with pytest.raises(Refusal, match="bantuan serupa"):
        check_ready(match)
    member.flag_reason = "Usaha berbeda"
    check_ready(match)
    member.recipient.validation_status = "pending"
    with pytest.raises(Refusal, match="belum divalidasi"):
        check_ready(match)
