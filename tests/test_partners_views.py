"""Registration from the login page, the waiting room, and the admin's queue, through HTTP."""

import html
import re

import pytest
from flask import g
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select

from portal.models import Company, Notification, User
from tests import factories
from tests.conftest import redirect_of
from tests.support.partners import FORM


def shown(app, message, **params) -> str:
    """A message as the default (Indonesian) page shows it, HTML-escaped."""
    with app.test_request_context():
        return str(escape(gettext(str(message), **params)))


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- registration ------------------------------------------------------------------


def test_the_login_page_links_to_registration(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/partners/register" in page


def test_registering_sends_the_applicant_to_log_in_and_then_to_the_waiting_page(
    client, db, make_user
):
    admin = make_user("admin")
    response = client.post("/partners/register", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/partners/register/received"
    assert client.get("/partners/register/received").status_code == 200
    assert client.get("/partners/waiting").headers["Location"].startswith("/login")
    login = client.post("/login", data={"email": FORM["email"], "password": FORM["password"]})
    assert redirect_of(login) == "/"
    page = client.get("/partners/waiting").get_data(as_text=True)
    assert "PT Mahakam Lestari" in page
    assert "H. Ahmad Fauzi" in page
    company = db.session.scalar(select(Company).where(Company.name == "PT Mahakam Lestari"))
    assert company.status == "pending"
    assert count(db, Notification, Notification.user_id == admin.id) == 1


def test_registration_errors_are_shown_beside_the_fields_keeping_what_was_typed(client, db):
    data = dict(FORM, email="bukan-email", confirm="lain", sector="", phone="")
    response = client.post("/partners/register", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page
    assert 'id="confirm-error"' in page
    assert 'id="sector-error"' in page
    assert 'id="phone-error"' in page
    assert 'value="PT Mahakam Lestari"' in page
    assert 'value="bukan-email"' in page
    assert "Jl. Mulawarman No. 10, Loa Kulu" in page
    assert count(db, Company) == 0


def test_registration_refuses_a_company_name_already_registered(client, db):
    factories.CompanyFactory(name="PT Mahakam Lestari")
    db.session.commit()
    response = client.post("/partners/register", data=dict(FORM, company_name="pt mahakam lestari"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="company_name-error"' in page
    assert count(db, User) == 0


def test_registration_with_an_e_mail_already_in_use_creates_nothing_and_says_nothing(
    client, db, make_user
):
    make_user("officer", email="rina@mahakam.example")
    response = client.post("/partners/register", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == "/partners/register/received"
    assert count(db, Company) == 0
    assert count(db, User) == 1


def test_a_double_submit_creates_one_company(app, db):
    first, second = app.test_client(), app.test_client()
    assert redirect_of(first.post("/partners/register", data=FORM)) == "/partners/register/received"
    g.pop("_login_user", None)  # the test's app context outlives the first request
    assert second.post("/partners/register", data=FORM).status_code == 200
    assert count(db, Company) == 1
    assert count(db, User) == 1


def test_an_unknown_sector_is_refused_without_a_server_error(client, db):
    response = client.post("/partners/register", data=dict(FORM, sector="casino"))
    assert response.status_code == 200
    assert 'id="sector-error"' in response.get_data(as_text=True)


def test_an_overlong_name_is_refused_beside_the_field(client, db):
    response = client.post("/partners/register", data=dict(FORM, company_name="PT " + "A" * 300))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        '<small class="field-error" id="company_name-error">Paling banyak 200 karakter.</small>'
        in page
    )
    assert 'value="PT ' + "A" * 300 + '"' in page  # what was typed stays
    assert count(db, Company) == 0


def test_a_logged_in_user_is_sent_home_from_registration(client, login_as):
    login_as("officer")
    assert redirect_of(client.get("/partners/register")) == "/"


# --- the waiting room --------------------------------------------------------------


@pytest.fixture()
def login_partner(make_user, auth):
    def login(status: str):
        user = make_user("partner", company=factories.CompanyFactory(status=status))
        assert redirect_of(auth.login(user)) == "/"
        return user

    return login


@pytest.mark.parametrize("status", ["pending", "rejected"])
@pytest.mark.parametrize("path", ["/partners/company", "/jobs/abc"])
def test_staff_of_an_inactive_company_are_kept_in_the_waiting_room(
    client, login_partner, status, path
):
    login_partner(status)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/partners/waiting"


def test_the_waiting_room_sends_htmx_requests_there_with_a_client_redirect(client, login_partner):
    login_partner("pending")
    response = client.get("/partners/company", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].endswith("/partners/waiting")


@pytest.mark.parametrize("path", ["/", "/partners/waiting", "/notifications", "/account/password"])
def test_waiting_staff_still_reach_home_notifications_and_their_password(
    client, login_partner, path
):
    login_partner("pending")
    assert client.get(path).status_code == 200


def test_a_rejected_company_sees_the_reason(client, login_partner):
    user = login_partner("rejected")
    user.company.status_reason = "NPWP tidak valid"
    factories.db.session.commit()
    assert "NPWP tidak valid" in client.get("/partners/waiting").get_data(as_text=True)


def test_an_active_company_skips_the_waiting_page(client, login_partner):
    login_partner("active")
    assert redirect_of(client.get("/partners/waiting")) == "/"


def test_a_suspended_company_reads_but_cannot_post(client, login_partner):
    login_partner("suspended")
    assert client.get("/partners/company").status_code == 200
    response = client.post("/partners/company/invitations", data={"email": "x@contoh.example"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # Logging out and reading notifications stay possible.
    assert redirect_of(client.post("/notifications/read-all")) == "/notifications"
    assert redirect_of(client.post("/logout")) == "/login"


# --- the admin's queue and transitions ---------------------------------------------


def test_the_queue_lists_pending_companies(client, login_as, db):
    factories.CompanyFactory(status="pending", name="PT Menunggu")
    factories.CompanyFactory(status="active", name="PT Sudah Aktif")
    db.session.commit()
    login_as("admin")
    page = client.get("/admin/companies/pending").get_data(as_text=True)
    assert "PT Menunggu" in page
    assert "PT Sudah Aktif" not in page
    page = client.get("/admin/companies/pending?status=active").get_data(as_text=True)
    assert "PT Sudah Aktif" in page


def test_the_queue_search_returns_only_results_for_htmx(client, login_as, db):
    factories.CompanyFactory(status="pending", name="PT Menunggu")
    db.session.commit()
    login_as("admin")
    response = client.get("/admin/companies/pending?q=nunggu", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "PT Menunggu" in body
    assert "<html" not in body
    assert 'id="queue-results"' in body
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/admin/companies/pending?q=nunggu").get_data(as_text=True)
    assert "<html" in full


def test_the_queue_survives_a_strange_filter(client, login_as):
    login_as("admin")
    assert client.get("/admin/companies/pending?status=nonsense&page=abc").status_code == 200


def test_admin_activates_a_company_through_the_review_page(app, client, login_as, db):
    company = factories.CompanyFactory(status="pending")
    staff = factories.user_for_role("partner", company=company)
    db.session.commit()
    login_as("admin")
    page = client.get(f"/admin/companies/{company.id}/review").get_data(as_text=True)
    assert shown(app, "Activate") in page
    response = client.post(f"/admin/companies/{company.id}/activate")
    assert redirect_of(response) == f"/admin/companies/{company.id}/review"
    db.session.refresh(company)
    assert company.status == "active"
    assert count(db, Notification, Notification.user_id == staff.id) == 1
    # A second click is refused with a message and changes nothing more.
    client.post(f"/admin/companies/{company.id}/activate")
    assert count(db, Notification, Notification.user_id == staff.id) == 1
    page = client.get(f"/admin/companies/{company.id}/review").get_data(as_text=True)
    assert shown(app, "Company activated") in page


def test_rejecting_without_a_reason_shows_the_error_beside_the_field(client, login_as, db):
    company = factories.CompanyFactory(status="pending")
    db.session.commit()
    login_as("admin")
    response = client.post(f"/admin/companies/{company.id}/reject", data={"reject-reason": " "})
    assert response.status_code == 200
    assert 'id="reject-reason-error"' in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.status == "pending"


def test_rejecting_with_a_reason_is_shown_to_the_applicant(app, client, login_as, db, auth):
    company = factories.CompanyFactory(status="pending")
    staff = factories.user_for_role("partner", company=company)
    db.session.commit()
    login_as("admin")
    client.post(f"/admin/companies/{company.id}/reject", data={"reject-reason": "Alamat fiktif"})
    db.session.refresh(company)
    assert (company.status, company.status_reason) == ("rejected", "Alamat fiktif")
    auth.logout()
    auth.login(staff)
    assert "Alamat fiktif" in client.get("/").get_data(as_text=True)


def test_suspending_keeps_the_typed_reason_when_refused(client, login_as, db):
    company = factories.CompanyFactory(status="active")
    db.session.commit()
    login_as("admin")
    typed = "Tidak lapor <b>sama sekali</b> " * 80  # over the 2,000 characters allowed
    response = client.post(f"/admin/companies/{company.id}/suspend", data={"suspend-reason": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Paling banyak 2000 karakter." in page
    textarea = re.search(r'<textarea[^>]*id="suspend-reason"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and html.unescape(textarea.group(1)).strip() == typed.strip()
    db.session.refresh(company)
    assert (company.status, company.status_reason) == ("active", "")


def test_suspending_in_the_wrong_state_is_refused_with_the_reason_why(app, client, login_as, db):
    company = factories.CompanyFactory(status="pending")
    db.session.commit()
    login_as("admin")
    response = client.post(
        f"/admin/companies/{company.id}/suspend", data={"suspend-reason": "Tidak lapor"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/companies/{company.id}/review"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Perusahaan ini berstatus" in page and "tidak dapat diubah dengan cara itu" in page
    db.session.refresh(company)
    assert (company.status, company.status_reason) == ("pending", "")


def test_suspend_and_lift_through_http(client, login_as, db):
    company = factories.CompanyFactory(status="active")
    db.session.commit()
    login_as("admin")
    client.post(f"/admin/companies/{company.id}/suspend", data={"suspend-reason": "Tidak lapor"})
    db.session.refresh(company)
    assert company.status == "suspended"
    client.post(f"/admin/companies/{company.id}/lift-suspension")
    db.session.refresh(company)
    assert company.status == "active"


def test_an_unknown_company_is_a_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/companies/999999/review").status_code == 404
    assert client.post("/admin/companies/999999/activate").status_code == 404


# --- access to every URL of the area -----------------------------------------------

ROLES = ["partner", "village", "officer", "camat", "admin"]
ADMIN_GETS = ["/admin/companies/pending", "/admin/companies/{company}/review"]
ADMIN_POSTS = [
    "/admin/companies/{company}/activate",
    "/admin/companies/{company}/lift-suspension",
    "/admin/companies/{company}/reject",
    "/admin/companies/{company}/suspend",
]
PARTNER_GETS = ["/partners/company", "/partners/waiting"]
PARTNER_POSTS = ["/partners/company/invitations", "/partners/company/invitations/1/revoke"]
# An active partner is sent home from the waiting page; every other allowed GET is a page.
ALLOWED_GET = {"/partners/waiting": (302, "/")}
# What an allowed role gets for an empty POST on a pending company: (status, Location,
# the company's status after).
ALLOWED_EMPTY_POST = {
    "/admin/companies/{company}/activate": (302, "/admin/companies/{company}/review", "active"),
    # Refused (a pending company is not suspended), with a message on the review page.
    "/admin/companies/{company}/lift-suspension": (
        302,
        "/admin/companies/{company}/review",
        "pending",
    ),
    "/admin/companies/{company}/reject": (200, None, "pending"),  # the reason is missing
    "/admin/companies/{company}/suspend": (200, None, "pending"),  # the reason is missing
    "/partners/company/invitations": (200, None, "pending"),  # the e-mail is missing
    "/partners/company/invitations/1/revoke": (404, None, "pending"),  # no such invitation
}


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("path", ADMIN_GETS + PARTNER_GETS)
def test_get_access_by_role(client, db, make_user, auth, role, path):
    company = factories.CompanyFactory(status="pending")
    db.session.commit()
    if role:
        auth.login(make_user(role))
    response = client.get(path.format(company=company.id))
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif (path in ADMIN_GETS and role == "admin") or (path in PARTNER_GETS and role == "partner"):
        status, location = ALLOWED_GET.get(path, (200, None))
        assert response.status_code == status
        assert response.headers.get("Location") == location
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("path", ADMIN_POSTS + PARTNER_POSTS)
def test_post_access_by_role(client, db, make_user, auth, role, path):
    company = factories.CompanyFactory(status="pending")
    db.session.commit()
    if role:
        auth.login(make_user(role))
    response = client.post(path.format(company=company.id))
    allowed = (path in ADMIN_POSTS and role == "admin") or (
        path in PARTNER_POSTS and role == "partner"
    )
    if role is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif allowed:
        status, location, after = ALLOWED_EMPTY_POST[path]
        assert response.status_code == status
        assert response.headers.get("Location") == (
            location.format(company=company.id) if location else None
        )
        db.session.refresh(company)
        assert company.status == after
        return
    else:
        assert response.status_code == 403
    db.session.refresh(company)
    assert company.status == "pending"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_registration_is_public(client, make_user, auth, role):
    if role:
        auth.login(make_user(role))
    assert client.get("/partners/register").status_code == (200 if role is None else 302)
