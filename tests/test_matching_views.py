"""The matching pages: the list, one match (people, flags, actions by state and role), the
camat's queue and the admin's regency-wide view; the moves through the pages; scope."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.core.dates import utcnow
from portal.core.nik import mask_nik
from portal.extensions import db
from portal.matching import transitions
from portal.models import Match
from tests.conftest import TEST_PASSWORD
from tests.factories import kecamatan, user_for_role
from tests.support.matching import cast_for, offered, planned


def _family_aid(member):
    """PKH received a month ago by someone else on the member's KK (not allowed together
    with the contribution's equipment): the submission flags it."""
    from tests.factories import AidRecordFactory, aid_category_ids, new_kk, new_nik

    member.match.contribution.aid_category_id = aid_category_ids()["EQUIPMENT"]
    member.recipient.kk = new_kk()
    AidRecordFactory(
        nik=new_nik(), kk=member.recipient.kk, received_on=(utcnow() - timedelta(days=30)).date()
    )


def _login(auth, user):
    assert auth.login(user).status_code == 302


def _submitted(people=2, kec="64.02.06", flagged=False):
    contribution = offered(quantity=10, kec=kec)
    cast = cast_for(contribution)
    match = planned(contribution, people=people)
    if flagged:
        _family_aid(match.members[0])
        match.members[0].flag_reason = "Janda dengan tiga anak, usaha kue"
    transitions.submit(match, cast.officer)
    db.session.commit()
    return match, cast


def test_the_camat_sees_people_flags_and_reasons_and_the_decision_forms(client, auth, english):
    match, cast = _submitted(flagged=True)
    _login(auth, cast.camat)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    person = match.members[0].recipient
    assert person.name in page and mask_nik(person.nik) in page
    assert person.nik not in page
    assert "Janda dengan tiga anak, usaha kue" in page
    assert "(family:" in page and "PKH" in page
    assert f'action="/penyaluran/{match.id}/approve"' in page
    assert f'action="/penyaluran/{match.id}/return"' in page
    assert "Rp 3.000.000" in page  # 2 × Rp 1.500.000


def test_a_camat_of_another_kecamatan_and_another_company_get_404(client, auth):
    match, _ = _submitted()
    db.session.commit()
    outsiders = [
        user_for_role("camat", kecamatan=kecamatan("64.02.10")),
        user_for_role("officer", kecamatan=kecamatan("64.02.10")),
        user_for_role("partner"),
    ]
    db.session.commit()
    for user in outsiders:
        _login(auth, user)
        assert client.get(f"/penyaluran/{match.id}").status_code == 404
        listed = client.get("/penyaluran/").get_data(as_text=True)
        assert f"/penyaluran/{match.id}" not in listed
        auth.logout()


def test_the_partner_sees_an_outline_then_masked_names_after_approval(client, auth, english):
    match, cast = _submitted(people=2, flagged=True)
    person = match.members[0].recipient
    _login(auth, cast.partner)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert "2 people will receive this aid" in page
    assert person.desa.name in page
    assert person.name not in page and mask_nik(person.nik) not in page
    assert f"/penyaluran/{match.id}/approve" not in page
    transitions.approve(db.session.get(Match, match.id), cast.camat, TEST_PASSWORD)
    db.session.commit()
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert person.name in page and mask_nik(person.nik) in page
    assert person.nik not in page and "Janda dengan tiga anak" not in page


def test_the_officer_submits_through_the_page(client, auth, english):
    contribution = offered()
    cast = cast_for(contribution)
    match = planned(contribution)
    db.session.commit()
    _login(auth, cast.officer)
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f'action="/penyaluran/{match.id}/submit"' in page
    response = client.post(f"/penyaluran/{match.id}/submit", follow_redirects=True)
    assert "submitted to the camat" in response.get_data(as_text=True)
    again = client.post(f"/penyaluran/{match.id}/submit", follow_redirects=True)
    assert again.status_code == 200 and "already been submitted" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "submitted"


def test_approval_through_the_page_wrong_password_then_number_then_already(client, auth, english):
    match, cast = _submitted()
    _login(auth, cast.camat)
    wrong = client.post(f"/penyaluran/{match.id}/approve", data={"password": "bukan-ini"})
    assert wrong.status_code == 422
    assert "The password is not correct." in wrong.get_data(as_text=True)
    empty = client.post(f"/penyaluran/{match.id}/approve", data={"password": ""})
    assert empty.status_code == 422 and "Enter your password" in empty.get_data(as_text=True)
    ok = client.post(
        f"/penyaluran/{match.id}/approve", data={"password": TEST_PASSWORD}, follow_redirects=True
    )
    text = ok.get_data(as_text=True)
    db.session.expire_all()
    number = db.session.get(Match, match.id).letter_number
    assert number and number in text and "has been approved" in text
    again = client.post(
        f"/penyaluran/{match.id}/approve", data={"password": TEST_PASSWORD}, follow_redirects=True
    )
    assert again.status_code == 200 and "already been approved" in again.get_data(as_text=True)


def test_admin_and_officer_cannot_approve(client, auth):
    match, cast = _submitted()
    for user in (cast.admin, cast.officer):
        _login(auth, user)
        response = client.post(f"/penyaluran/{match.id}/approve", data={"password": TEST_PASSWORD})
        assert response.status_code == 403
        auth.logout()
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "submitted"


def test_return_needs_a_note_beside_the_field(client, auth, english):
    match, cast = _submitted()
    _login(auth, cast.camat)
    empty = client.post(f"/penyaluran/{match.id}/return", data={"note": " "})
    assert empty.status_code == 422
    assert "Write what the officer should change." in empty.get_data(as_text=True)
    done = client.post(
        f"/penyaluran/{match.id}/return", data={"note": "Cek desa"}, follow_redirects=True
    )
    assert "returned to the officer" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status_reason == "Cek desa"


def test_the_queue_holds_only_the_camats_kecamatan_oldest_first(client, auth, english):
    older, cast = _submitted()
    newer = planned(older.contribution, people=1)
    transitions.submit(newer, cast.officer)
    older.submitted_at = utcnow() - timedelta(days=9)
    elsewhere, _ = _submitted(kec="64.02.10")
    db.session.commit()
    _login(auth, cast.camat)
    page = client.get("/penyaluran/queue").get_data(as_text=True)
    assert f"/penyaluran/{elsewhere.id}" not in page
    assert page.index(f'/penyaluran/{older.id}"') < page.index(f'/penyaluran/{newer.id}"')
    assert ">9<" in page
    home = client.get("/").get_data(as_text=True)
    assert "2 handover plans wait for your approval" in home and "/penyaluran/queue" in home


def test_the_admin_sees_every_kecamatan_overdue_approvals_and_kept_flags(client, auth, english):
    late, cast = _submitted(flagged=True)
    late.submitted_at = utcnow() - timedelta(days=30)
    other, _ = _submitted(kec="64.02.10")
    db.session.commit()
    _login(auth, cast.admin)
    page = client.get("/penyaluran/queue").get_data(as_text=True)
    assert f"/penyaluran/{late.id}" in page and f"/penyaluran/{other.id}" in page
    overdue = page.split('id="overdue"')[1].split('id="flagged"')[0]
    assert late.kecamatan.name in overdue and f"/penyaluran/{other.id}" not in overdue
    flagged = page.split('id="flagged"')[1]
    assert "Janda dengan tiga anak, usaha kue" in flagged


def test_the_list_filters_by_status_and_answers_htmx_with_the_results(client, auth):
    submitted, cast = _submitted()
    draft = planned(submitted.contribution, people=1)
    draft.label = "Tahap dua"
    db.session.commit()
    _login(auth, cast.officer)
    page = client.get("/penyaluran/?status=draft").get_data(as_text=True)
    assert f'/penyaluran/{draft.id}"' in page and f'/penyaluran/{submitted.id}"' not in page
    fragment = client.get("/penyaluran/?q=dua", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="match-results"' in text and "Tahap dua" in text
    assert client.get("/penyaluran/?status=bogus&desa=x&page=-1").status_code == 200


def test_the_officer_closes_what_remains(client, auth, english):
    contribution = offered()
    cast = cast_for(contribution)
    db.session.commit()
    _login(auth, cast.officer)
    empty = client.post(
        f"/penyaluran/contribution/{contribution.id}/close",
        data={"reason": ""},
        follow_redirects=True,
    )
    assert "Please give a reason." in empty.get_data(as_text=True)
    client.post(
        f"/penyaluran/contribution/{contribution.id}/close", data={"reason": "Sisa ditarik"}
    )
    db.session.expire_all()
    assert db.session.get(type(contribution), contribution.id).status == "completed"
    auth.logout()
    _login(auth, cast.camat)
    response = client.post(
        f"/penyaluran/contribution/{contribution.id}/close", data={"reason": "x"}
    )
    assert response.status_code == 403


def test_the_nav_offers_plans_and_the_queue_to_whom_may_open_them(client, auth, english):
    match, cast = _submitted()
    _login(auth, cast.camat)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/penyaluran/"' in home and 'href="/penyaluran/queue"' in home
    auth.logout()
    _login(auth, cast.officer)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/penyaluran/"' in home and 'href="/penyaluran/queue"' not in home
    assert db.session.scalar(select(Match.id)) == match.id


def test_wrong_approval_passwords_are_throttled_like_logins(
    app, client, auth, english, monkeypatch
):
    match, cast = _submitted()
    _login(auth, cast.camat)
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 15 minutes")
    for _ in range(3):
        wrong = client.post(f"/penyaluran/{match.id}/approve", data={"password": "salah"})
        assert wrong.status_code == 422
    blocked = client.post(f"/penyaluran/{match.id}/approve", data={"password": TEST_PASSWORD})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Match, match.id).status == "submitted"


def test_the_contribution_page_offers_closing_only_to_its_officer(client, auth, english):
    contribution = offered()
    cast = cast_for(contribution)
    db.session.commit()
    action = f'action="/penyaluran/contribution/{contribution.id}/close"'
    _login(auth, cast.officer)
    assert action in client.get(f"/contributions/{contribution.id}").get_data(as_text=True)
    client.post(f"/penyaluran/contribution/{contribution.id}/close", data={"reason": "Cukup"})
    page = client.get(f"/contributions/{contribution.id}").get_data(as_text=True)
    assert action not in page and "What remains was closed on" in page and "Cukup" in page
    auth.logout()
    for user in (cast.camat, cast.partner):
        _login(auth, user)
        page = client.get(f"/contributions/{contribution.id}").get_data(as_text=True)
        assert action not in page
        auth.logout()
