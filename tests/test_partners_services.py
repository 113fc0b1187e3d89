"""The company life cycle and registration as plain functions (DESIGN section 3)."""

import pytest
from sqlalchemy import select

from portal.core.audit import history
from portal.core.refusals import Refusal
from portal.models import Company, Notification, User
from portal.partners import services
from portal.partners.services import RegistrationData
from tests import factories


def registration(**overrides) -> RegistrationData:
    values = dict(
        company_name="PT Kutai Sejahtera",
        sector="mining",
        address="Jl. Pesut No. 5, Tenggarong",
        phone="0541 123456",
        company_email="csr@kutai.example",
        contact_name="Sari Dewi",
        representative_name="Ir. Bambang",
        representative_title="Direktur",
        name="Sari Dewi",
        email="Sari@Kutai.example",
        password="kata-sandi-panjang",
    )
    values.update(overrides)
    return RegistrationData(**values)


def notes_for(user) -> list[Notification]:
    return list(
        factories.db.session.scalars(select(Notification).where(Notification.user_id == user.id))
    )


def test_registration_creates_a_pending_company_and_its_first_partner(ctx, make_user):
    admin = make_user("admin")
    user = services.register_company(registration()).user
    ctx.session.commit()
    assert user.role == "partner"
    assert user.email == "sari@kutai.example"
    assert user.company.status == "pending"
    assert user.company.representative_title == "Direktur"
    assert [e.action for e in history(user.company)] == ["company_created"]
    assert len(notes_for(admin)) == 1
    assert notes_for(admin)[0].params == {"company": "PT Kutai Sejahtera"}


def test_registration_refuses_a_duplicate_company_name_ignoring_case(ctx):
    factories.CompanyFactory(name="PT Kutai Sejahtera")
    with pytest.raises(Refusal) as refused:
        services.register_company(registration(company_name="  pt kutai sejahtera "))
    assert refused.value.field == "company_name"


def test_registration_with_an_e_mail_already_in_use_creates_nothing(ctx, make_user):
    owner = make_user("officer", email="sari@kutai.example")
    outcome = services.register_company(registration())
    assert (outcome.user, outcome.owner) == (None, owner)
    assert ctx.session.scalar(select(Company).where(Company.name == "PT Kutai Sejahtera")) is None
    assert len(list(ctx.session.scalars(select(User)))) == 1


def test_inactive_admins_are_not_told_of_a_registration(ctx, make_user):
    gone = make_user("admin", active=False)
    services.register_company(registration())
    assert notes_for(gone) == []


@pytest.mark.parametrize(
    ("status", "can_read", "can_submit"),
    [
        ("pending", False, False),
        ("rejected", False, False),
        ("suspended", True, False),
        ("active", True, True),
    ],
)
def test_what_a_partner_may_do_follows_the_company_status(
    ctx, make_user, status, can_read, can_submit
):
    user = make_user("partner", company=factories.CompanyFactory(status=status))
    assert services.company_can_read(user) is can_read
    assert services.company_can_submit(user) is can_submit


@pytest.mark.parametrize("role", ["admin", "officer", "camat", "village"])
def test_other_roles_read_but_never_submit_for_a_company(ctx, make_user, role):
    user = make_user(role)
    assert services.company_can_read(user) is True
    assert services.company_can_submit(user) is False


def _company_with_staff(status: str):
    company = factories.CompanyFactory(status=status)
    staff = factories.user_for_role("partner", company=company)
    factories.db.session.commit()
    return company, staff


def test_admin_activates_a_pending_company_and_the_staff_are_told(ctx, make_user):
    admin = make_user("admin")
    company, staff = _company_with_staff("pending")
    services.activate_company(admin, company)
    ctx.session.commit()
    assert company.status == "active"
    event = history(company)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "company_activate",
        "pending",
        "active",
        admin.id,
    )
    assert len(notes_for(staff)) == 1


def test_rejecting_needs_a_reason_and_keeps_it(ctx, make_user):
    admin = make_user("admin")
    company, staff = _company_with_staff("pending")
    with pytest.raises(Refusal) as refused:
        services.reject_company(admin, company, "   ")
    assert refused.value.field == "reason"
    assert company.status == "pending"
    services.reject_company(admin, company, "Data perusahaan tidak lengkap")
    ctx.session.commit()
    assert company.status == "rejected"
    assert company.status_reason == "Data perusahaan tidak lengkap"
    assert history(company)[-1].reason == "Data perusahaan tidak lengkap"
    assert notes_for(staff)[0].params["reason"] == "Data perusahaan tidak lengkap"


def test_suspending_and_lifting_a_suspension(ctx, make_user):
    admin = make_user("admin")
    company, staff = _company_with_staff("active")
    services.suspend_company(admin, company, "Laporan belum masuk")
    assert (company.status, company.status_reason) == ("suspended", "Laporan belum masuk")
    services.lift_suspension(admin, company)
    ctx.session.commit()
    assert (company.status, company.status_reason) == ("active", "")
    assert [e.action for e in history(company)] == ["company_suspend", "company_activate"]
    assert len(notes_for(staff)) == 2


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        ("active", "activate"),
        ("rejected", "activate"),
        ("suspended", "activate"),
        ("active", "reject"),
        ("suspended", "reject"),
        ("pending", "suspend"),
        ("suspended", "suspend"),
        ("rejected", "suspend"),
        ("pending", "lift"),
        ("active", "lift"),
        ("rejected", "lift"),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    ctx, make_user, status, transition
):
    admin = make_user("admin")
    company, staff = _company_with_staff(status)
    apply = {
        "activate": lambda: services.activate_company(admin, company),
        "reject": lambda: services.reject_company(admin, company, "alasan"),
        "suspend": lambda: services.suspend_company(admin, company, "alasan"),
        "lift": lambda: services.lift_suspension(admin, company),
    }[transition]
    with pytest.raises(Refusal):
        apply()
    assert company.status == status
    assert history(company) == []
    assert notes_for(staff) == []


@pytest.mark.parametrize("role", ["partner", "officer", "camat", "village"])
def test_only_an_admin_changes_a_company_status(ctx, make_user, role):
    actor = make_user(role)
    company, _ = _company_with_staff("pending")
    with pytest.raises(Refusal):
        services.activate_company(actor, company)
    with pytest.raises(Refusal):
        services.reject_company(actor, company, "alasan")
    assert company.status == "pending"


def test_a_deactivated_admin_cannot_change_a_company(ctx, make_user):
    admin = make_user("admin", active=False)
    company, _ = _company_with_staff("pending")
    with pytest.raises(Refusal):
        services.activate_company(admin, company)


def test_actions_offered_follow_the_state(ctx):
    assert services.actions_for(Company(status="pending")) == ["activate", "reject"]
    assert services.actions_for(Company(status="active")) == ["suspend"]
    assert services.actions_for(Company(status="suspended")) == ["lift"]
    assert services.actions_for(Company(status="rejected")) == []


def test_the_queue_lists_pending_companies_oldest_first_and_searches_by_name(ctx):
    first = factories.CompanyFactory(status="pending", name="PT Alpha Tambang")
    second = factories.CompanyFactory(status="pending", name="PT Beta Sawit")
    factories.CompanyFactory(status="active", name="PT Gamma")
    rows = list(ctx.session.scalars(services.company_queue("pending")))
    assert rows == [first, second]
    assert list(ctx.session.scalars(services.company_queue("pending", "sawit"))) == [second]
    assert len(list(ctx.session.scalars(services.company_queue(None)))) == 3


def test_user_count_unchanged_by_refused_registration(ctx):
    factories.CompanyFactory(name="PT Kutai Sejahtera")
    before = len(list(ctx.session.scalars(select(User))))
    with pytest.raises(Refusal):
        services.register_company(registration())
    assert len(list(ctx.session.scalars(select(User)))) == before
