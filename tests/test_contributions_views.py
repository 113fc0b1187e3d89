"""Contribution pages through the test client: access, the proposal form with its
HTMX item rows, the transitions, scope (id guessing) and the lists."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.core.audit import history
from portal.extensions import db as _db
from portal.models import AidCategory, Attachment, Contribution
from portal.models.contributions import contribution_sector
from tests import factories
from tests.conftest import redirect_of
from tests.support.contributions import add_attachment, form_data, make_contribution, text


def only(model=Contribution):
    return list(_db.session.scalars(select(model)))


# --- access per role ------------------------------------------------------------------

ROLES = ["anonymous", "partner", "village", "officer", "camat", "admin"]
MATRIX = [
    ("GET", "/contributions/", {"partner": 200, "officer": 200, "camat": 200, "admin": 200}),
    ("GET", "/contributions/new", {"partner": 200}),
    ("GET", "/contributions/{id}", {"partner": 200, "officer": 200, "camat": 200, "admin": 200}),
    ("GET", "/contributions/{id}/edit", {"partner": 302}),
    ("POST", "/contributions/{id}/submit", {"partner": 302}),
    ("POST", "/contributions/{id}/withdraw", {"partner": 302}),
    ("POST", "/contributions/{id}/accept", {"officer": 200, "admin": 200}),
    ("POST", "/contributions/{id}/return", {"officer": 200, "admin": 200}),
    ("POST", "/contributions/{id}/reject", {"officer": 200, "admin": 200}),
    ("POST", "/contributions/{id}/route", {"admin": 302}),
    ("GET", "/contributions/{id}/split", {"admin": 302}),
    ("POST", "/contributions/{id}/attachments", {"partner": 302}),
    (
        "GET",
        "/contributions/{id}/attachments/{att}",
        {"partner": 200, "officer": 200, "camat": 200, "admin": 200},
    ),
    ("POST", "/contributions/{id}/attachments/{att}/delete", {"partner": 302}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX]
)
def test_each_role_reaches_only_its_pages(client, login_as, method, path, allowed, role):
    user = None if role == "anonymous" else login_as(role)
    company = user.company if role == "partner" else factories.CompanyFactory()
    contribution = make_contribution(company)
    attachment = add_attachment(contribution)
    url = path.format(id=contribution.id, att=attachment.id)
    response = client.open(url, method=method)
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == allowed.get(role, 403)


# --- the proposal form ----------------------------------------------------------------


def test_partner_saves_a_draft_from_the_form(client, login_as):
    partner = login_as("partner")
    response = client.post("/contributions/new", data=form_data())
    [contribution] = only()
    assert response.headers["Location"].endswith(f"/contributions/{contribution.id}")
    assert contribution.company_id == partner.company_id
    assert contribution.status == "draft"
    assert contribution.planned_date == date(2025, 5, 14)
    assert [(i.name, i.quantity, i.unit_value) for i in contribution.items] == [
        ("Oven gas", Decimal(10), 1_500_000)
    ]
    page = text(client.get(response.headers["Location"]))
    assert "Rp 15.000.000" in page
    assert "14 Mei 2025" in page


def test_the_new_form_carries_a_one_time_token(client, login_as):
    login_as("partner")
    first = re.search(
        r'name="form_token" type="hidden" value="(\w+)"', text(client.get("/contributions/new"))
    )
    second = re.search(
        r'name="form_token" type="hidden" value="(\w+)"', text(client.get("/contributions/new"))
    )
    assert first and second and first.group(1) != second.group(1)


def test_a_double_submit_creates_one_contribution(client, login_as):
    login_as("partner")
    first = client.post("/contributions/new", data=form_data())
    second = client.post("/contributions/new", data=form_data(title="Changed in between"))
    assert len(only()) == 1
    assert first.headers["Location"] == second.headers["Location"]
    assert only()[0].title == "Oven untuk usaha kue"


def test_another_company_cannot_hijack_a_form_token(client, login_as, db):
    """A token another company already used saves this partner's own draft; it never
    leads to (or hides behind) the other company's contribution."""
    other = make_contribution(
        factories.CompanyFactory(), status="draft", client_token="token1234567890"
    )
    partner = login_as("partner")
    response = client.post("/contributions/new", data=form_data())
    mine = db.session.scalar(select(Contribution).where(Contribution.id != other.id))
    assert mine is not None
    assert mine.company_id == partner.company_id
    assert mine.title == "Oven untuk usaha kue"
    assert response.status_code == 302
    assert response.headers["Location"] == f"/contributions/{mine.id}"
    db.session.refresh(other)
    assert other.title != "Oven untuk usaha kue"


def test_field_errors_are_shown_beside_fields_keeping_what_was_typed(client, login_as):
    login_as("partner")
    response = client.post(
        "/contributions/new",
        data=form_data(title="", target="", **{"items-0-quantity": "0", "items-0-unit": ""}),
    )
    page = text(response)
    assert response.status_code == 200
    assert only() == []
    for field_id in ("title", "target", "items-0-quantity", "items-0-unit"):
        tag = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag, field_id
    assert "Oven dan loyang untuk 10 penerima" in page
    assert 'value="Oven gas"' in page
    assert page.count('class="field-error"') >= 4


def test_errors_read_in_english_when_the_user_chose_english(client, login_as, english):
    login_as("partner")
    page = text(client.post("/contributions/new", data=form_data(**{"items-0-quantity": "-3"})))
    assert "The quantity must be more than zero." in page
    assert 'value="-3"' in page


@pytest.mark.parametrize(
    ("quantity", "value", "expected"),
    [("1,5", "Rp 1.500.000", (Decimal("1.5"), 1_500_000)), ("2.25", "750", (Decimal("2.25"), 750))],
)
def test_quantities_with_a_comma_and_rupiah_with_dots_are_read(
    client, login_as, quantity, value, expected
):
    login_as("partner")
    client.post(
        "/contributions/new",
        data=form_data(**{"items-0-quantity": quantity, "items-0-unit_value": value}),
    )
    [item] = only()[0].items
    assert (item.quantity, item.unit_value) == expected


def test_an_empty_item_row_is_ignored(client, login_as):
    login_as("partner")
    client.post(
        "/contributions/new",
        data=form_data(**{"items-1-name": "", "items-1-quantity": "", "items-1-unit": ""}),
    )
    assert len(only()[0].items) == 1


def test_dinsos_decides_leaves_the_kecamatan_empty(client, login_as):
    login_as("partner")
    client.post("/contributions/new", data=form_data(target="dinsos"))
    assert only()[0].kecamatan_id is None


def test_a_pending_company_cannot_open_the_form(client, login_as):
    login_as("partner", company=factories.CompanyFactory(status="pending"))
    response = client.get("/contributions/new")
    assert redirect_of(response) == "/partners/waiting"
    assert redirect_of(client.post("/contributions/new", data=form_data())) == "/partners/waiting"
    assert only() == []


# --- HTMX item rows and totals --------------------------------------------------------


def test_add_row_with_htmx_returns_only_the_items_block(client, login_as):
    login_as("partner")
    response = client.post(
        "/contributions/new", data=form_data(add_item="1"), headers={"HX-Request": "true"}
    )
    page = text(response)
    assert "<html" not in page
    assert page.lstrip().startswith('<fieldset id="items"')
    assert 'name="items-1-name"' in page and 'value="Oven gas"' in page
    assert "HX-Request" in response.headers["Vary"]
    assert only() == []


def test_add_row_without_javascript_renders_the_whole_form(client, login_as):
    login_as("partner")
    response = client.post("/contributions/new", data=form_data(add_item="1"))
    page = text(response)
    assert "<html" in page
    assert 'name="items-1-name"' in page
    assert 'value="Oven untuk usaha kue"' in page
    assert only() == []


@pytest.mark.parametrize("htmx", [True, False])
def test_remove_row_renumbers_the_remaining_rows(client, login_as, htmx):
    login_as("partner")
    data = form_data(
        remove_item="0",
        **{
            "items-1-name": "Loyang",
            "items-1-quantity": "20",
            "items-1-unit": "buah",
            "items-1-unit_value": "50000",
        },
    )
    response = client.post(
        "/contributions/new", data=data, headers={"HX-Request": "true"} if htmx else {}
    )
    page = text(response)
    assert ("<html" in page) is not htmx
    assert (
        'id="items-0-name" maxlength="200" name="items-0-name" type="text" value="Loyang"' in page
    )
    assert "items-1-name" not in page
    assert "Oven gas" not in page


def test_removing_the_last_row_leaves_an_empty_row(client, login_as):
    login_as("partner")
    page = text(
        client.post(
            "/contributions/new", data=form_data(remove_item="0"), headers={"HX-Request": "true"}
        )
    )
    assert 'name="items-0-name"' in page and "Oven gas" not in page


def test_totals_with_htmx_return_the_grand_total_and_row_totals(client, login_as):
    login_as("partner")
    data = form_data(
        recalculate="1",
        **{
            "items-1-name": "Loyang",
            "items-1-quantity": "2,5",
            "items-1-unit": "buah",
            "items-1-unit_value": "40000",
        },
    )
    response = client.post("/contributions/new", data=data, headers={"HX-Request": "true"})
    page = text(response)
    assert "<html" not in page
    assert page.lstrip().startswith('<p id="items-total"')
    assert "Rp 15.100.000" in page
    assert '<output id="items-0-total" hx-swap-oob="true">Rp 15.000.000</output>' in page
    assert '<output id="items-1-total" hx-swap-oob="true">Rp 100.000</output>' in page


def test_totals_without_javascript_render_the_whole_form(client, login_as):
    login_as("partner")
    page = text(client.post("/contributions/new", data=form_data(recalculate="1")))
    assert "<html" in page and "Rp 15.000.000" in page
    assert "hx-swap-oob" not in page


def test_a_typo_in_a_row_does_not_break_the_totals(client, login_as):
    login_as("partner")
    response = client.post(
        "/contributions/new",
        data=form_data(recalculate="1", **{"items-0-quantity": "banyak"}),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Rp 0" in text(response)


def test_rows_work_on_the_edit_form_too(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    url = f"/contributions/{contribution.id}/edit"
    page = text(client.get(url))
    assert 'value="Oven gas"' in page and 'value="10"' in page
    page = text(client.post(url, data=form_data(add_item="1"), headers={"HX-Request": "true"}))
    assert f'hx-post="{url}"' in page and 'name="items-1-name"' in page


# --- editing and transitions through the pages ----------------------------------------


def test_partner_edits_a_draft(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="draft")
    response = client.post(
        f"/contributions/{contribution.id}/edit",
        data=form_data(title="Oven dan mixer", **{"items-0-quantity": "4"}),
    )
    assert redirect_of(response) == f"/contributions/{contribution.id}"
    _db.session.refresh(contribution)
    assert contribution.title == "Oven dan mixer"
    assert contribution.items[0].quantity == 4


def test_a_submitted_contribution_cannot_be_edited(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="submitted")
    response = client.post(f"/contributions/{contribution.id}/edit", data=form_data(title="X"))
    assert redirect_of(response) == f"/contributions/{contribution.id}"
    _db.session.refresh(contribution)
    assert contribution.title != "X"


def test_submit_from_the_page_and_a_second_click_changes_nothing(client, login_as, make_user):
    partner = login_as("partner")
    officer = make_user("officer")
    contribution = make_contribution(partner.company, status="draft")
    client.post(f"/contributions/{contribution.id}/submit")
    client.post(f"/contributions/{contribution.id}/submit")
    _db.session.refresh(contribution)
    assert contribution.status == "submitted"
    assert [e.action for e in history(contribution)] == ["contribution_submitted"]
    assert officer.id in {n.user_id for n in _db.session.scalars(select(_notification()))}


def _notification():
    from portal.models import Notification

    return Notification


def test_submit_without_items_is_refused_with_a_message(client, login_as, english):
    partner = login_as("partner")
    contribution = factories.ContributionFactory(company=partner.company, status="draft")
    _db.session.commit()
    response = client.post(f"/contributions/{contribution.id}/submit", follow_redirects=True)
    assert "Add at least one item before submitting." in text(response)
    _db.session.refresh(contribution)
    assert contribution.status == "draft"


def test_the_draft_page_lists_what_is_missing_before_submitting(client, login_as, english):
    partner = login_as("partner")
    contribution = factories.ContributionFactory(
        company=partner.company, status="draft", kind="training", topic="Menjahit"
    )
    _db.session.commit()
    page = text(client.get(f"/contributions/{contribution.id}"))
    assert "The training needs the number of seats." in page
    assert f"/contributions/{contribution.id}/submit" not in page


def test_officer_accepts_with_a_category(client, login_as, categories):
    officer = login_as("officer")
    contribution = make_contribution(factories.CompanyFactory())
    page = text(client.get(f"/contributions/{contribution.id}"))
    equipment = _db.session.scalar(select(AidCategory).where(AidCategory.code == "EQUIPMENT"))
    assert f'<option selected value="{equipment.id}">' in page  # suggested from the kind
    response = client.post(
        f"/contributions/{contribution.id}/accept", data={"accept-aid_category_id": equipment.id}
    )
    assert redirect_of(response) == f"/contributions/{contribution.id}"
    _db.session.refresh(contribution)
    assert contribution.status == "accepted"
    assert history(contribution)[-1].actor_id == officer.id


def test_accept_without_a_category_shows_the_error_beside_the_select(client, login_as, categories):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory())
    page = text(
        client.post(f"/contributions/{contribution.id}/accept", data={"accept-aid_category_id": ""})
    )
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*id="accept-aid_category_id"', page)
    _db.session.refresh(contribution)
    assert contribution.status == "submitted"


def test_return_needs_a_reason_and_keeps_it(client, login_as, english):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory())
    page = text(client.post(f"/contributions/{contribution.id}/return", data={"return-reason": ""}))
    assert "Please give a reason." in page
    _db.session.refresh(contribution)
    assert contribution.status == "submitted"
    client.post(f"/contributions/{contribution.id}/return", data={"return-reason": "Foto kurang"})
    _db.session.refresh(contribution)
    assert contribution.status == "draft" and contribution.status_reason == "Foto kurang"
    page = text(client.get(f"/contributions/{contribution.id}"))
    assert "Foto kurang" in page and "badge-returned" in page


def test_officer_rejects_with_a_reason(client, login_as):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory())
    client.post(
        f"/contributions/{contribution.id}/reject", data={"reject-reason": "Di luar program"}
    )
    _db.session.refresh(contribution)
    assert contribution.status == "rejected"
    assert "Di luar program" in text(client.get(f"/contributions/{contribution.id}"))


def test_accept_in_the_wrong_state_is_refused_with_a_message(client, login_as, categories, english):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory(), status="rejected")
    category = _db.session.scalar(select(AidCategory))
    response = client.post(
        f"/contributions/{contribution.id}/accept",
        data={"accept-aid_category_id": category.id},
        follow_redirects=True,
    )
    assert "This cannot be done while the contribution is rejected." in text(response)
    _db.session.refresh(contribution)
    assert contribution.status == "rejected"


def test_partner_withdraws_with_a_reason(client, login_as):
    partner = login_as("partner")
    contribution = make_contribution(partner.company, status="accepted")
    client.post(f"/contributions/{contribution.id}/withdraw", data={"reason": "Anggaran habis"})
    _db.session.refresh(contribution)
    assert contribution.status == "withdrawn"
    assert contribution.status_reason == "Anggaran habis"


def test_admin_routes_from_the_page(client, login_as):
    login_as("admin")
    contribution = make_contribution(factories.CompanyFactory(), kec=None)
    kec = factories.kecamatan("64.02.07")
    page = text(client.get(f"/contributions/{contribution.id}"))
    assert 'name="kecamatan_id"' in page
    client.post(f"/contributions/{contribution.id}/route", data={"kecamatan_id": kec.id})
    _db.session.refresh(contribution)
    assert contribution.kecamatan_id == kec.id


def test_admin_splits_from_the_page(client, login_as):
    login_as("admin")
    parent = make_contribution(factories.CompanyFactory(), kec=None)
    item = parent.items[0]
    a, b = factories.kecamatan("64.02.06"), factories.kecamatan("64.02.07")
    url = f"/contributions/{parent.id}/split"
    page = text(client.get(url, query_string={"kecamatan": [a.id, b.id]}))
    assert f'name="q-{a.id}-{item.id}"' in page and 'value="5"' in page
    refused = client.post(
        url,
        data={"kecamatan": [a.id, b.id], f"q-{a.id}-{item.id}": "7", f"q-{b.id}-{item.id}": "2"},
    )
    assert refused.status_code == 200 and 'value="7"' in text(refused)
    _db.session.refresh(parent)
    assert parent.status == "submitted"
    client.post(
        url,
        data={"kecamatan": [a.id, b.id], f"q-{a.id}-{item.id}": "7", f"q-{b.id}-{item.id}": "3"},
    )
    _db.session.refresh(parent)
    assert parent.status == "split"
    assert sorted(c.items[0].quantity for c in parent.children) == [3, 7]


def test_split_shows_a_typo_beside_its_cell(client, login_as):
    login_as("admin")
    parent = make_contribution(factories.CompanyFactory(), kec=None)
    item = parent.items[0]
    a, b = factories.kecamatan("64.02.06"), factories.kecamatan("64.02.07")
    page = text(
        client.post(
            f"/contributions/{parent.id}/split",
            data={
                "kecamatan": [a.id, b.id],
                f"q-{a.id}-{item.id}": "tujuh",
                f"q-{b.id}-{item.id}": "3",
            },
        )
    )
    assert 'value="tujuh" aria-label' in page and 'aria-invalid="true"' in page
    _db.session.refresh(parent)
    assert parent.status == "submitted"


# --- scope: nobody reaches another company's or kecamatan's contribution --------------

GUESSED = [
    ("GET", "/contributions/{id}"),
    ("GET", "/contributions/{id}/edit"),
    ("POST", "/contributions/{id}/edit"),
    ("POST", "/contributions/{id}/submit"),
    ("POST", "/contributions/{id}/withdraw"),
    ("POST", "/contributions/{id}/attachments"),
    ("GET", "/contributions/{id}/attachments/{att}"),
    ("POST", "/contributions/{id}/attachments/{att}/delete"),
]


@pytest.mark.parametrize(("method", "path"), GUESSED)
def test_a_partner_guessing_another_companys_ids_gets_404(client, login_as, method, path):
    login_as("partner")
    theirs = make_contribution(factories.CompanyFactory(), status="draft")
    attachment = add_attachment(theirs)
    response = client.open(path.format(id=theirs.id, att=attachment.id), method=method)
    assert response.status_code == 404
    _db.session.refresh(theirs)
    assert theirs.status == "draft"
    kept = select(func.count(Attachment.id)).where(Attachment.id == attachment.id)
    assert _db.session.scalar(kept) == 1


def test_an_attachment_id_from_another_contribution_gets_404(client, login_as):
    partner = login_as("partner")
    mine = make_contribution(partner.company, status="draft")
    theirs = add_attachment(make_contribution(factories.CompanyFactory(), status="draft"))
    assert client.get(f"/contributions/{mine.id}/attachments/{theirs.id}").status_code == 404
    assert (
        client.post(f"/contributions/{mine.id}/attachments/{theirs.id}/delete").status_code == 404
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/contributions/{id}"),
        ("POST", "/contributions/{id}/accept"),
        ("POST", "/contributions/{id}/reject"),
        ("GET", "/contributions/{id}/attachments/{att}"),
    ],
)
def test_an_officer_of_another_kecamatan_gets_404(client, login_as, method, path):
    login_as("officer", kecamatan=factories.kecamatan("64.02.07"))
    contribution = make_contribution(factories.CompanyFactory())
    attachment = add_attachment(contribution)
    response = client.open(path.format(id=contribution.id, att=attachment.id), method=method)
    assert response.status_code == 404


def test_officers_do_not_see_drafts_never_sent(client, login_as):
    login_as("officer")
    contribution = make_contribution(factories.CompanyFactory(), status="draft")
    assert client.get(f"/contributions/{contribution.id}").status_code == 404


# --- the partner's home page and the lists --------------------------------------------


def test_partner_home_lists_own_contributions_by_status_with_totals(client, login_as):
    partner = login_as("partner")
    make_contribution(partner.company, status="draft", title="Oven kue")
    make_contribution(partner.company, status="submitted", title="Mesin jahit")
    make_contribution(
        partner.company, status="accepted", title="Pelatihan menjahit", kind="training", seats=25
    )
    make_contribution(
        partner.company, status="accepted", title="Pelatihan memasak", kind="training", seats=10
    )
    make_contribution(factories.CompanyFactory(), status="submitted", title="Rahasia pesaing")
    page = text(client.get("/"))
    for title in ("Oven kue", "Mesin jahit", "Pelatihan menjahit"):
        assert title in page
    assert "Rahasia pesaing" not in page
    totals = dict(
        re.findall(
            r'<span class="badge badge-(\w+)">[^<]*</span>\s*<small class="muted">([^<]*)</small>',
            page,
        )
    )
    assert totals == {
        "draft": "1 usulan bantuan · 1 item · Rp 15.000.000",
        "submitted": "1 usulan bantuan · 1 item · Rp 15.000.000",
        "accepted": "2 usulan bantuan · 35 peserta",
    }
    assert '<td class="number">25</td>' in page  # the training's seats in its row


def _list(client, **args):
    return text(client.get("/contributions/", query_string=args))


def test_admin_list_filters_by_status_company_kind_sector_and_kecamatan(client, login_as):
    login_as("admin")
    alpha, beta = (
        factories.CompanyFactory(name="PT Alpha"),
        factories.CompanyFactory(name="PT Beta"),
    )
    oven = make_contribution(alpha, title="Oven kue")
    make_contribution(beta, status="accepted", title="Mesin jahit", kec="64.02.07")
    make_contribution(alpha, title="Pelatihan las", kind="training", seats=10)
    unrouted = make_contribution(beta, title="Sembako", kind="goods", kec=None)
    _db.session.execute(
        contribution_sector.insert(), [{"contribution_id": oven.id, "code": "food"}]
    )
    _db.session.commit()

    def titles(**args):
        page = _list(client, **args)
        return {t for t in ("Oven kue", "Mesin jahit", "Pelatihan las", "Sembako") if t in page}

    assert titles() == {"Oven kue", "Mesin jahit", "Pelatihan las", "Sembako"}
    assert titles(status="accepted") == {"Mesin jahit"}
    assert titles(company=alpha.id) == {"Oven kue", "Pelatihan las"}
    assert titles(kind="training") == {"Pelatihan las"}
    assert titles(sector="food") == {"Oven kue"}
    assert titles(kecamatan=factories.kecamatan("64.02.07").id) == {"Mesin jahit"}
    assert titles(kecamatan="none") == {"Sembako"}
    assert titles(q="jahit") == {"Mesin jahit"}
    assert titles(q="100%_") == set()
    assert titles(status="nonsense", company="x") == {
        "Oven kue",
        "Mesin jahit",
        "Pelatihan las",
        "Sembako",
    }
    _db.session.refresh(unrouted)
    assert unrouted.kecamatan_id is None


def test_officer_list_shows_only_their_kecamatan(client, login_as):
    login_as("officer")
    make_contribution(factories.CompanyFactory(), title="Untuk kami")
    make_contribution(factories.CompanyFactory(), title="Untuk tetangga", kec="64.02.07")
    make_contribution(factories.CompanyFactory(), title="Belum dikirim", status="draft")
    page = _list(client)
    assert "Untuk kami" in page
    assert "Untuk tetangga" not in page and "Belum dikirim" not in page


def test_partner_list_shows_only_their_company(client, login_as):
    partner = login_as("partner")
    make_contribution(partner.company, title="Punya kami")
    make_contribution(factories.CompanyFactory(), title="Punya orang lain")
    page = _list(client)
    assert "Punya kami" in page and "Punya orang lain" not in page
    assert 'name="company"' not in page


def test_list_search_with_htmx_returns_only_the_results(client, login_as):
    login_as("admin")
    make_contribution(factories.CompanyFactory(), title="Oven kue")
    response = client.get(
        "/contributions/", query_string={"q": "oven"}, headers={"HX-Request": "true"}
    )
    page = text(response)
    assert "<html" not in page
    assert page.lstrip().startswith('<section id="contribution-results"')
    assert "Oven kue" in page
    assert "HX-Request" in response.headers["Vary"]
    full = text(client.get("/contributions/", query_string={"q": "oven"}))
    assert "<html" in full and 'hx-push-url="true"' in full and "Oven kue" in full


def test_list_paginates(client, login_as, db):
    login_as("admin")
    company = factories.CompanyFactory()
    for n in range(27):
        factories.ContributionFactory(company=company, title=f"Bantuan nomor {n:02d}")
    db.session.commit()
    first = _list(client)
    second = _list(client, page=2)
    assert first.count("/contributions/") > 25
    assert 'rel="next"' in first and 'rel="prev"' in second
    shown = {n for n in range(27) if f"Bantuan nomor {n:02d}" in first + second}
    assert shown == set(range(27))
    assert db.session.scalar(select(func.count(Contribution.id))) == 27


# --- CSRF, as in production ------------------------------------------------------------


@pytest.fixture()
def csrf_on(app, monkeypatch):
    """Turn CSRF checks on (after logging in, which the fixtures do without a token)."""
    return lambda: monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_a_transition_without_its_csrf_token_is_refused(client, login_as, csrf_on):
    partner = login_as("partner")
    csrf_on()
    contribution = make_contribution(partner.company, status="draft")
    response = client.post(f"/contributions/{contribution.id}/submit")
    assert response.status_code == 400
    _db.session.refresh(contribution)
    assert contribution.status == "draft"


def test_htmx_rows_and_the_save_carry_the_csrf_token(client, login_as, csrf_on):
    login_as("partner")
    csrf_on()
    page = text(client.get("/contributions/new"))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)
    rows = client.post(
        "/contributions/new",
        data=form_data(add_item="1"),
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert rows.status_code == 200 and 'name="items-1-name"' in text(rows)
    refused = client.post("/contributions/new", data=form_data())
    assert refused.status_code == 400 and only() == []
    saved = client.post("/contributions/new", data=form_data(csrf_token=token))
    assert len(only()) == 1 and redirect_of(saved) == f"/contributions/{only()[0].id}"
