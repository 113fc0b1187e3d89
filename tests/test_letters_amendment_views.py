"""The amendment through the pages: the officer starts it from the letter's page, the
camat's queue names the letter and the reason, the old letter's page and verification page
say it was replaced and link the new number, and its download still gives its bytes."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.letters import amendments
from portal.letters.queries import letter_of
from portal.matching import transitions
from portal.models import Letter
from tests.conftest import TEST_PASSWORD, redirect_of
from tests.factories import user_for_role
from tests.support.handover import handed_over
from tests.support.matching import cast_for, offered, planned
from tests.support.registry import categories

pytestmark = pytest.mark.usefixtures("public_address")
REASON = "Jumlah oven untuk penerima pertama salah <b>tulis</b>"


@pytest.fixture()
def approved(ctx):
    contribution = offered(quantity=10, aid_category_id=categories()["EQUIPMENT"])
    cast = cast_for(contribution)
    match = planned(contribution, people=2)
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    return match, cast, letter_of(match)


def _login(auth, user):
    assert auth.login(user).status_code == 302


def _amend(client, letter, reason=REASON):
    return client.post(f"/surat/{letter.id}/perubahan", data={"reason": reason})


def test_the_officer_starts_an_amendment_from_the_letter(client, auth, english, approved):
    match, cast, letter = approved
    _login(auth, cast.officer)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert f'action="/surat/{letter.id}/perubahan"' in page
    response = _amend(client, letter)
    assert redirect_of(response).endswith(f"/penyaluran/{match.id}")
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f"Amendment of letter {letter.number}" in page
    assert "&lt;b&gt;tulis&lt;/b&gt;" in page and "<b>tulis" not in page  # text, not markup
    assert "Submit to the camat" in page
    assert db.session.get(Letter, letter.id).status == "valid"
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert 'id="amendment"' in page and "Amendment started by the officer" in page


def test_a_reason_is_asked_beside_its_field(client, auth, english, approved):
    match, cast, letter = approved
    _login(auth, cast.officer)
    response = _amend(client, letter, "")
    assert response.status_code == 422
    assert "Write why the letter is amended." in response.get_data(as_text=True)
    long = "x" * 2001
    response = _amend(client, letter, long)
    assert response.status_code == 422 and long in response.get_data(as_text=True)
    assert db.session.get(type(match), match.id).status == "approved"


def test_a_handed_over_letter_says_the_handover_is_reversed_first(client, auth, english, approved):
    match, cast, letter = approved
    handed_over(match, cast)
    db.session.commit()
    _login(auth, cast.officer)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "Reverse the handover first" in page
    assert f'action="/surat/{letter.id}/perubahan"' not in page
    response = _amend(client, letter)
    assert response.status_code == 422
    assert "Reverse the handover first" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["camat", "admin", "partner", "village"])
def test_others_may_not_amend(client, auth, approved, role):
    match, cast, letter = approved
    user = {"camat": cast.camat, "admin": cast.admin, "partner": cast.partner}.get(role)
    user = user or user_for_role("village", kecamatan=match.kecamatan)
    db.session.commit()
    _login(auth, user)
    assert _amend(client, letter).status_code == 403
    if role != "village":
        page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
        assert "/perubahan" not in page
    assert db.session.get(type(match), match.id).status == "approved"


def test_another_kecamatans_officer_gets_not_found(client, auth, approved):
    match, cast, letter = approved
    other = user_for_role("officer", kecamatan=offered(kec="64.02.10").kecamatan)
    db.session.commit()
    _login(auth, other)
    assert _amend(client, letter).status_code == 404


def test_anonymous_is_sent_to_login(client, approved):
    _match, _cast, letter = approved
    assert "/login" in redirect_of(_amend(client, letter))


def test_the_camats_queue_names_the_letter_and_the_reason(client, auth, english, approved):
    match, cast, letter = approved
    amendments.start(letter, cast.officer, REASON)
    transitions.submit(match, cast.officer)
    db.session.commit()
    _login(auth, cast.camat)
    page = client.get("/penyaluran/queue").get_data(as_text=True)
    assert f"Amendment of letter {letter.number}" in page
    assert "Jumlah oven untuk penerima pertama salah &lt;b&gt;" in page
    page = client.get(f"/penyaluran/{match.id}").get_data(as_text=True)
    assert f"Amendment of letter {letter.number}" in page and "Approve" in page


def test_the_old_letter_shows_replaced_and_links_the_new_one(client, auth, english, approved):
    match, cast, old = approved
    old_pdf = old.pdf
    amendments.start(old, cast.officer, REASON)
    transitions.submit(match, cast.officer)
    transitions.approve(match, cast.camat, TEST_PASSWORD)
    db.session.commit()
    new = letter_of(match)
    public = client.get(f"/verifikasi/{old.verification_code}").get_data(as_text=True)
    assert "Replaced letter." in public
    assert f'href="/verifikasi/{new.verification_code}" id="replaced-by">{new.number}' in public
    assert REASON not in public  # the officer's words stay inside
    public = client.get(f"/verifikasi/{new.verification_code}").get_data(as_text=True)
    assert "Valid letter." in public and "replaces letter <a" in public and old.number in public
    _login(auth, cast.partner)
    page = client.get(f"/surat/{old.id}").get_data(as_text=True)
    assert f'href="/surat/{new.id}">{new.number}</a>' in page
    assert client.get(f"/surat/{old.id}/unduh").data == old_pdf
    listing = client.get("/surat?status=replaced").get_data(as_text=True)
    assert old.number in listing and new.number not in listing
