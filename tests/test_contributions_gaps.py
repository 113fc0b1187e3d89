"""Contribution rules no test held before: an officer's company filter stays inside the
kecamatan, a file is removed only from its own draft, a resubmitted draft drops the old
return reason, and withdrawing a draft tells no reviewer."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.contributions import services
from portal.core.refusals import Refusal
from portal.extensions import db as _db
from portal.models import Attachment, Notification
from tests import factories
from tests.support.contributions import add_attachment, make_contribution, stored_png, text

HERE = "64.02.06"  # Tenggarong, the officer's kecamatan
ELSEWHERE = "64.02.07"


def stored(attachment_id: int) -> bool:
    """Whether the file is still in the database (not just in this session's cache)."""
    _db.session.expire_all()
    query = select(func.count()).select_from(Attachment).where(Attachment.id == attachment_id)
    return _db.session.scalar(query) == 1


def notes_of(user) -> int:
    query = select(func.count()).select_from(Notification).where(Notification.user_id == user.id)
    return _db.session.scalar(query)


# --- an officer's company filter narrows their scope, never replaces it ------------------


@pytest.fixture()
def two_kecamatan(db):
    """One company with a contribution here and one elsewhere, and a second company
    that sent only elsewhere."""
    both = factories.CompanyFactory(name="PT Dua Arah")
    far = factories.CompanyFactory(name="PT Hulu Jauh")
    mine = make_contribution(both, kec=HERE, title="Oven untuk Tenggarong")
    theirs = make_contribution(both, kec=ELSEWHERE, title="Mesin jahit untuk Tenggarong Seberang")
    far_away = make_contribution(far, kec=ELSEWHERE, title="Perahu untuk hulu")
    return both, far, mine, theirs, far_away


def test_an_officer_filtering_by_a_company_sees_only_its_contributions_here(
    client, login_as, two_kecamatan
):
    both, _, mine, theirs, _ = two_kecamatan
    login_as("officer", kecamatan=factories.kecamatan(HERE))
    page = text(client.get("/contributions/", query_string={"company": both.id}))
    assert mine.title in page
    assert theirs.title not in page


def test_an_officer_filtering_by_a_company_of_another_kecamatan_sees_nothing(
    client, login_as, two_kecamatan
):
    _, far, mine, _, far_away = two_kecamatan
    login_as("officer", kecamatan=factories.kecamatan(HERE))
    page = text(client.get("/contributions/", query_string={"company": far.id}))
    assert far_away.title not in page


def test_a_camat_filtering_by_a_company_stays_in_the_kecamatan(client, login_as, two_kecamatan):
    both, _, mine, theirs, _ = two_kecamatan
    login_as("camat", kecamatan=factories.kecamatan(HERE))
    page = text(client.get("/contributions/", query_string={"company": both.id}))
    assert mine.title in page
    assert theirs.title not in page


# --- a file is removed only from a draft that owns it --------------------------------------


def test_a_file_of_a_submitted_contribution_cannot_be_removed(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="submitted")
    attachment = add_attachment(contribution)
    response = client.post(f"/contributions/{contribution.id}/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/contributions/{contribution.id}"
    assert stored(attachment.id)


def test_a_split_part_cannot_remove_the_file_of_the_proposal_it_came_from(client, login_as):
    """A part shows its parent's files; a part returned as a draft may remove its own
    files, not the parent's."""
    partner = login_as("partner")
    parent = make_contribution(partner.company, status="split")
    part = make_contribution(partner.company, status="draft", parent_id=parent.id)
    parents_file = add_attachment(parent)
    response = client.post(f"/contributions/{part.id}/attachments/{parents_file.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/contributions/{part.id}"
    assert stored(parents_file.id)
    own_file = add_attachment(part)
    client.post(f"/contributions/{part.id}/attachments/{own_file.id}/delete")
    assert not stored(own_file.id)


@pytest.mark.parametrize("owner_type", ["contribution", "import_batch", "kecamatan_office"])
def test_the_service_removes_no_file_it_does_not_own(app, db, make_user, owner_type):
    partner = make_user("partner")
    with app.test_request_context():
        draft = make_contribution(partner.company, status="draft")
        other = make_contribution(partner.company, status="draft")
        owner_id = other.id if owner_type == "contribution" else draft.id
        stranger = stored_png(owner_type, owner_id, filename="lain.png")
        with pytest.raises(Refusal):
            services.remove_attachment(partner, draft, stranger)
        db.session.rollback()
        assert stored(stranger.id)


def test_a_partner_of_another_company_removes_no_file(app, db, make_user):
    owner = make_user("partner")
    stranger = make_user("partner")  # another company
    with app.test_request_context():
        draft = make_contribution(owner.company, status="draft")
        attachment = add_attachment(draft)
        with pytest.raises(Refusal):
            services.remove_attachment(stranger, draft, attachment)
        db.session.rollback()
        assert stored(attachment.id)


# --- return, then submit again -------------------------------------------------------------


def test_submitting_again_clears_the_return_reason(client, login_as, auth, make_user):
    officer = make_user("officer", kecamatan=factories.kecamatan(HERE))
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="submitted")
    auth.logout()
    auth.login(officer)
    client.post(f"/contributions/{contribution.id}/return", data={"return-reason": "Foto kurang"})
    _db.session.refresh(contribution)
    assert (contribution.status, contribution.status_reason) == ("draft", "Foto kurang")
    auth.logout()
    auth.login(partner)
    response = client.post(f"/contributions/{contribution.id}/submit")
    assert response.headers["Location"] == f"/contributions/{contribution.id}"
    _db.session.refresh(contribution)
    assert (contribution.status, contribution.status_reason) == ("submitted", "")
    auth.logout()
    auth.login(officer)
    page = text(client.get(f"/contributions/{contribution.id}"))
    assert "badge-returned" not in page
    assert not re.search(r'role="status">[^<]*Foto kurang', page)
    assert "Foto kurang" in page  # the timeline still tells it was returned


# --- withdrawing a draft is the partner's own business ---------------------------------------


def test_withdrawing_a_draft_tells_no_reviewer(client, login_as, make_user):
    officer = make_user("officer", kecamatan=factories.kecamatan(HERE))
    admin = make_user("admin")
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    response = client.post(f"/contributions/{contribution.id}/withdraw", data={"reason": ""})
    assert response.headers["Location"] == f"/contributions/{contribution.id}"
    _db.session.refresh(contribution)
    assert contribution.status == "withdrawn"
    assert (notes_of(officer), notes_of(admin)) == (0, 0)


def test_withdrawing_a_submitted_contribution_tells_its_reviewers(client, login_as, make_user):
    officer = make_user("officer", kecamatan=factories.kecamatan(HERE))
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="submitted")
    client.post(f"/contributions/{contribution.id}/withdraw", data={"reason": "Anggaran habis"})
    _db.session.refresh(contribution)
    assert contribution.status == "withdrawn"
    assert notes_of(officer) == 1
