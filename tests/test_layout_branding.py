"""The portal's identity and what a page says about what happened: the admin's logo, the
next step beside a status, the home figures as links, the desa list for a kecamatan, the
officer's decisions from the proposals list, the form's error summary, error pages in
plain words."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

from portal.models import Attachment, AuditEvent, Desa, Recipient
from tests import factories
from tests.support.pages import shown


def image(fmt: str = "PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (15, 81, 50)).save(buffer, fmt)
    return buffer.getvalue()


def upload_logo(client, data: bytes, name: str = "logo.png"):
    return client.post(
        "/admin/settings/logo",
        data={"logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


# --- the logo ------------------------------------------------------------------------


def test_without_an_upload_the_default_logo_is_served_to_anyone(client, db):
    response = client.get("/branding/logo")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "no-store" not in response.headers["Cache-Control"]


def test_an_admin_uploads_a_logo_everyone_sees_and_can_go_back(client, login_as, db):
    admin = login_as("admin")
    data = image()
    response = upload_logo(client, data)
    assert response.status_code == 302
    served = client.get("/branding/logo")
    assert served.mimetype == "image/png" and served.data == data
    again = client.get("/branding/logo", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logo_changed"))
    assert event.actor_id == admin.id

    upload_logo(client, image("JPEG"), "second.jpg")
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1  # replaced

    assert client.post("/admin/settings/logo/remove").status_code == 302
    assert client.get("/branding/logo").mimetype == "image/svg+xml"
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_logo_that_is_not_an_image_is_refused_beside_the_field(app, client, login_as, db):
    login_as("admin")
    response = upload_logo(client, b"%PDF-1.4 not really\n%%EOF", "logo.pdf")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert shown(app, "The logo must be a PNG or JPEG image.") in html
    assert 'class="error-summary"' in html
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_only_an_admin_changes_the_logo(client, login_as, db):
    login_as("officer")
    assert upload_logo(client, image()).status_code == 403
    assert client.post("/admin/settings/logo/remove").status_code == 403


def test_a_user_who_must_change_the_password_still_sees_the_logo(client, login_as, db):
    user = login_as("officer")
    user.must_change_password = True
    db.session.commit()
    response = client.get("/branding/logo")
    assert response.status_code == 200
    page = client.get("/account/password")
    assert "Please choose a new password" not in page.get_data(as_text=True)


def test_the_header_names_the_portal_and_the_dinas(client, login_as):
    login_as("officer")
    html = client.get("/").get_data(as_text=True)
    header = html[html.index("<header") : html.index("</header>")]
    assert "Dinas Sosial Kabupaten Kutai Kartanegara" in header
    assert 'src="/branding/logo"' in header
    assert '<details class="nav-menu">' in header


# --- what happens next -----------------------------------------------------------------


def test_a_contribution_says_what_happens_next_and_who_acts(app, client, login_as):
    partner = login_as("partner")
    contribution = factories.ContributionFactory(company=partner.company, status="accepted")
    factories.db.session.commit()
    html = client.get(f"/contributions/{contribution.id}").get_data(as_text=True)
    assert shown(app, "Accepted — the kecamatan officer prepares the allocation plan.") in html


def test_a_waiting_person_says_the_officer_validates(app, client, login_as, db):
    login_as("officer")
    person = factories.RecipientFactory()
    db.session.commit()
    html = client.get(f"/registry/recipients/{person.id}").get_data(as_text=True)
    expected = "Waiting for validation — the kecamatan officer checks and validates it."
    assert shown(app, expected) in html


def test_home_figures_link_to_the_filtered_lists(client, login_as):
    login_as("officer")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/contributions/?status=submitted"' in html
    assert 'href="/registry/recipients?state=pending"' in html


def test_a_village_operator_proposes_from_home(app, client, login_as):
    login_as("village")
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/registry/recipients/new" role="button">[^<]+</a>', html)


def test_the_monitoring_schedule_is_in_effect(app, client, login_as):
    login_as("admin")
    html = client.get("/admin/settings").get_data(as_text=True)
    assert "monitoring_schedule" in html
    assert shown(app, "Applies once the monitoring feature is active.") not in html


# --- the desa list of a kecamatan ----------------------------------------------------


def test_the_desa_options_follow_the_kecamatan(client, login_as, db):
    login_as("admin")
    kec = factories.kecamatan("64.02.10")
    html = client.get(f"/regions/desa-options?kecamatan={kec.id}").get_data(as_text=True)
    names = set(db.session.scalars(select(Desa.name).where(Desa.kecamatan_id == kec.id)))
    assert set(re.findall(r'<option value="\d+">([^<]+)</option>', html)) == names


def test_an_officer_gets_no_desa_outside_the_kecamatan(client, login_as, db):
    officer = login_as("officer")
    elsewhere = factories.kecamatan("64.02.10")
    assert elsewhere.id != officer.kecamatan_id
    html = client.get(f"/regions/desa-options?kecamatan={elsewhere.id}").get_data(as_text=True)
    assert "<option value=" in html and not re.search(r'<option value="\d+"', html)


def test_without_javascript_the_filter_narrows_the_desa_once_sent(client, login_as, db):
    login_as("admin")
    kec = factories.kecamatan("64.02.02")
    html = client.get(f"/registry/recipients?kecamatan={kec.id}").get_data(as_text=True)
    desa_select = html[
        html.index('name="desa"') : html.index("</select>", html.index('name="desa"'))
    ]
    own = db.session.scalar(select(func.count()).where(Desa.kecamatan_id == kec.id))
    assert len(re.findall(r'<option value="\d+"', desa_select)) == own


# --- decisions from the proposals list -------------------------------------------------


def test_an_officer_validates_from_the_proposals_list_and_returns_to_it(client, login_as, db):
    officer = login_as("officer")
    village = factories.user_for_role("village", kecamatan=officer.kecamatan)
    person = factories.RecipientFactory(created_by_id=village.id)
    db.session.commit()
    html = client.get("/registry/proposals").get_data(as_text=True)
    assert f'action="/registry/recipients/{person.id}/validate"' in html

    response = client.post(f"/registry/recipients/{person.id}/validate", data={"back": "proposals"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/proposals")
    db.session.expire_all()
    assert db.session.get(Recipient, person.id).validation_status == "validated"


def test_a_rejection_from_the_proposals_list_returns_to_it(client, login_as, db):
    officer = login_as("officer")
    person = factories.RecipientFactory(code=officer.kecamatan.code)
    db.session.commit()
    form = client.get(f"/registry/recipients/{person.id}/reject?back=proposals")
    assert 'name="back" value="proposals"' in form.get_data(as_text=True)
    response = client.post(
        f"/registry/recipients/{person.id}/reject",
        data={"reason": "Data tidak lengkap", "back": "proposals"},
    )
    assert response.headers["Location"].endswith("/registry/proposals")
    db.session.expire_all()
    assert db.session.get(Recipient, person.id).validation_status == "rejected"


def test_any_other_back_goes_to_the_person(client, login_as, db):
    officer = login_as("officer")
    person = factories.RecipientFactory(code=officer.kecamatan.code)
    db.session.commit()
    response = client.post(
        f"/registry/recipients/{person.id}/validate", data={"back": "https://example.com"}
    )
    assert response.headers["Location"].endswith(f"/registry/recipients/{person.id}")


# --- forms and error pages --------------------------------------------------------------


def test_a_refused_form_lists_each_field_with_a_link(app, client, login_as):
    login_as("partner")
    html = client.post(
        "/contributions/new", data={"title": "", "kind": "goods", "planned_date": "2026-13-40"}
    ).get_data(as_text=True)
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'href="#title"' in summary and 'href="#planned_date"' in summary
    assert shown(app, "Write the date as dd/mm/yyyy, for example 14/05/2025.") in summary


def test_a_date_is_shown_and_read_as_dd_mm_yyyy(client, login_as, db):
    partner = login_as("partner")
    contribution = factories.ContributionFactory(company=partner.company, status="draft")
    db.session.commit()
    response = client.post(
        f"/contributions/{contribution.id}/edit",
        data={"title": "Oven", "kind": "goods", "target": "dinsos", "planned_date": "25/12/2026"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.refresh(contribution)
    assert contribution.planned_date.isoformat() == "2026-12-25"
    html = client.get(f"/contributions/{contribution.id}/edit").get_data(as_text=True)
    assert re.search(
        r'name="planned_date"[^>]*type="text"[^>]*value="25/12/2026"', html
    ) or re.search(r'type="text"[^>]*name="planned_date"[^>]*value="25/12/2026"', html), html[
        html.index("planned_date") - 200 : html.index("planned_date") + 300
    ]


def test_a_missing_page_says_so_in_plain_words(app, client, login_as):
    login_as("officer")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f"<h1>{shown(app, 'Page not found')}</h1>" in html
