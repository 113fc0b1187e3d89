"""Dinsos admins register and edit companies and change their status."""

from __future__ import annotations

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select

from portal.admin import services
from portal.core import audit
from portal.core.refusals import Refusal
from portal.models import Company, Notification
from tests import factories
from tests.conftest import redirect_of


def shown(app, message, **params) -> str:
    with app.test_request_context():
        return str(escape(gettext(str(message), **params)))


def company_form(**overrides) -> dict:
    data = {
        "name": "PT Kukar Energi Mandiri",
        "sector": "energy",
        "address": "Jl. Wolter Monginsidi 5, Tenggarong",
        "phone": "0541 661234",
        "email": "csr@kem.example",
        "contact_name": "Yuli Astuti",
        "representative_name": "Ir. Agus Salim",
        "representative_title": "Direktur",
    }
    data.update(overrides)
    return data


def test_admin_registers_a_company(client, login_as, db):
    admin = login_as("admin")
    response = client.post("/admin/companies/new", data=company_form())
    assert response.status_code == 302
    company = db.session.scalar(select(Company).where(Company.name == "PT Kukar Energi Mandiri"))
    assert response.headers["Location"] == f"/admin/companies/{company.id}"
    assert company.status == "active" and company.sector == "energy"
    assert company.representative_title == "Direktur"
    event = audit.history(company)[0]
    assert (event.action, event.actor_id, event.to_state) == ("company_created", admin.id, "active")


def test_duplicate_company_name_is_refused_whatever_its_case(client, login_as, db):
    login_as("admin")
    factories.CompanyFactory(name="PT Kukar Energi Mandiri")
    db.session.commit()
    response = client.post(
        "/admin/companies/new", data=company_form(name=" pt kukar energi mandiri")
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert 'value="Ir. Agus Salim"' in page  # what was typed is kept
    assert len(db.session.scalars(select(Company)).all()) == 1


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"name": ""}, "name"),
        ({"sector": ""}, "sector"),
        ({"sector": "banking"}, "sector"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_company_input_is_a_message_beside_the_field(client, login_as, db, overrides, field):
    login_as("admin")
    response = client.post("/admin/companies/new", data=company_form(**overrides))
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Company)) is None


def test_admin_edits_a_company_and_may_keep_its_name(client, login_as, db):
    login_as("admin")
    company = factories.CompanyFactory(name="PT Lama")
    db.session.commit()
    response = client.post(
        f"/admin/companies/{company.id}/edit",
        data=company_form(name="PT Lama", representative_name="Hj. Rosnani"),
    )
    assert redirect_of(response) == f"/admin/companies/{company.id}"
    db.session.refresh(company)
    assert company.representative_name == "Hj. Rosnani"
    event = audit.history(company)[-1]
    assert event.action == "company_updated" and "representative_name" in event.details["changed"]


def test_editing_to_another_companys_name_is_refused(client, login_as, db):
    login_as("admin")
    factories.CompanyFactory(name="PT Sudah Ada")
    company = factories.CompanyFactory(name="PT Kedua")
    db.session.commit()
    response = client.post(
        f"/admin/companies/{company.id}/edit", data=company_form(name="PT SUDAH ADA")
    )
    assert 'id="name-error"' in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.name == "PT Kedua"


def test_suspending_needs_a_reason_and_is_recorded(client, login_as, db):
    login_as("admin")
    company = factories.CompanyFactory(status="active")
    db.session.commit()
    refused = client.post(f"/admin/companies/{company.id}/status", data={"action": "suspend"})
    assert refused.status_code == 200
    assert 'id="reason-error"' in refused.get_data(as_text=True)
    db.session.refresh(company)
    assert company.status == "active"

    done = client.post(
        f"/admin/companies/{company.id}/status",
        data={"action": "suspend", "reason": "Laporan CSR 2024 belum diserahkan"},
    )
    assert redirect_of(done) == f"/admin/companies/{company.id}"
    db.session.refresh(company)
    assert company.status == "suspended"
    assert company.status_reason == "Laporan CSR 2024 belum diserahkan"
    event = audit.history(company)[-1]
    assert (event.action, event.from_state, event.to_state) == (
        "company_suspend",
        "active",
        "suspended",
    )
    assert event.reason == "Laporan CSR 2024 belum diserahkan"


def test_activate_and_reject_follow_the_life_cycle(app, db, make_user):
    admin = make_user("admin")
    pending = factories.CompanyFactory(status="pending")
    with app.test_request_context():  # the staff's notification links to their home page
        services.change_company_status(admin, pending, "activate")
        assert pending.status == "active"
        with pytest.raises(Refusal):
            services.change_company_status(admin, pending, "reject", "too late")
        other = factories.CompanyFactory(status="pending")
        with pytest.raises(Refusal) as refused:
            services.change_company_status(admin, other, "reject", "  ")
        assert refused.value.field == "reason"
        services.change_company_status(admin, other, "reject", "Bukan perusahaan di Kukar")
        assert other.status == "rejected"
        with pytest.raises(Refusal):
            services.change_company_status(admin, other, "activate")
        services.change_company_status(admin, pending, "suspend", "Laporan belum masuk")
        services.change_company_status(admin, pending, "lift")
        assert pending.status == "active"


def test_admin_company_actions_tell_the_staff(client, login_as, make_user, db):
    login_as("admin")
    staff = make_user("partner", company=factories.CompanyFactory(status="pending"))
    client.post(f"/admin/companies/{staff.company_id}/status", data={"action": "activate"})
    assert (
        db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == staff.id)
        )
        == 1
    )


def test_unknown_status_action_is_refused_without_a_server_error(client, login_as, db):
    login_as("admin")
    company = factories.CompanyFactory(status="active")
    db.session.commit()
    company.status_reason = "Catatan lama"
    db.session.commit()
    response = client.post(
        f"/admin/companies/{company.id}/status", data={"action": "explode", "reason": "Coba"}
    )
    assert response.status_code == 200
    assert "Tindakan tidak dikenal." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (company.status, company.status_reason) == ("active", "Catatan lama")
    assert audit.history(company) == []


def test_company_page_shows_the_status_badge_and_staff(app, client, login_as, make_user, db):
    login_as("admin")
    partner = make_user("partner", name="Staf Mitra")
    page = client.get(f"/admin/companies/{partner.company_id}").get_data(as_text=True)
    assert 'class="badge badge-active"' in page
    assert "Staf Mitra" in page
    assert shown(app, "Active") in page


def test_companies_list_filters_and_searches(client, login_as, db):
    login_as("admin")
    factories.CompanyFactory(name="PT Batubara Jaya", sector="mining", status="active")
    factories.CompanyFactory(name="PT Sawit Hijau", sector="plantation", status="pending")
    db.session.commit()

    def page(query: str) -> str:
        return client.get(f"/admin/companies?{query}").get_data(as_text=True)

    assert "PT Sawit Hijau" in page("q=sawit") and "PT Batubara Jaya" not in page("q=sawit")
    assert "PT Sawit Hijau" in page("status=pending")
    assert "PT Batubara Jaya" not in page("status=pending")
    assert "PT Batubara Jaya" in page("sector=mining")
    assert "PT Sawit Hijau" not in page("sector=mining")
    assert client.get("/admin/companies?status=zzz&sector=1&page=-4").status_code == 200


def test_companies_list_is_a_fragment_for_htmx_and_a_page_otherwise(client, login_as, db):
    login_as("admin")
    factories.CompanyFactory(name="PT Batubara Jaya")
    db.session.commit()
    page = client.get("/admin/companies?q=batu")
    fragment = client.get("/admin/companies?q=batu", headers={"HX-Request": "true"})
    for response in (page, fragment):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
        assert "PT Batubara Jaya" in response.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.lstrip().startswith('<section id="company-results"')


def test_companies_list_paginates(client, login_as, db):
    login_as("admin")
    for n in range(27):
        factories.CompanyFactory(name=f"PT Nomor {n:02d}", sector="forestry")
    db.session.commit()
    first = client.get("/admin/companies?sector=forestry").get_data(as_text=True)
    assert "PT Nomor 24" in first and "PT Nomor 25" not in first
    assert "sector=forestry" in first and "page=2" in first
    second = client.get("/admin/companies?sector=forestry&page=2").get_data(as_text=True)
    assert "PT Nomor 26" in second
