"""Contribution transitions: each one checks state and right, audits and notifies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import gettext
from sqlalchemy import func, select

from portal.contributions import access as rules
from portal.contributions import queries, routing, services
from portal.contributions.routing import Share
from portal.contributions.services import ContributionData, ItemData
from portal.core.audit import history
from portal.core.codes import codes_of
from portal.core.reference import load_aid_categories
from portal.core.refusals import Refusal
from portal.models import AidCategory, AuditEvent, Contribution, Notification
from tests import factories


@pytest.fixture()
def ctx(app, db):
    """Services build links with url_for, so they run inside a request context."""
    with app.test_request_context():
        load_aid_categories()
        db.session.commit()
        yield db


@pytest.fixture()
def kec():
    return factories.kecamatan("64.02.06")


@pytest.fixture()
def other_kec():
    return factories.kecamatan("64.02.07")


@pytest.fixture()
def partner(ctx, make_user):
    return make_user("partner")


@pytest.fixture()
def officer(ctx, make_user, kec):
    return make_user("officer", kecamatan=kec)


@pytest.fixture()
def admin(ctx, make_user):
    return make_user("admin")


def category(code="EQUIPMENT") -> AidCategory:
    from portal.extensions import db

    return db.session.scalar(select(AidCategory).where(AidCategory.code == code))


def equipment_data(kec, **overrides) -> ContributionData:
    values = dict(
        title="Oven untuk usaha kue",
        kind="equipment",
        kecamatan_id=kec.id if kec else None,
        target_groups=["wrse"],
        sectors=["food"],
        items=[ItemData("Oven gas", Decimal("10"), "unit", 1_500_000)],
    )
    values.update(overrides)
    return ContributionData(**values)


def draft(partner, kec, **overrides) -> Contribution:
    contribution = services.create(partner, equipment_data(kec, **overrides))
    from portal.extensions import db

    db.session.commit()
    return contribution


def submitted(partner, kec, **overrides) -> Contribution:
    contribution = draft(partner, kec, **overrides)
    services.submit(partner, contribution)
    from portal.extensions import db

    db.session.commit()
    return contribution


def notes_for(user) -> list[Notification]:
    from portal.extensions import db

    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def events(contribution) -> list[str]:
    return [e.action for e in history(contribution)]


# --- drafts ---------------------------------------------------------------------------


def test_partner_saves_a_draft_with_items_groups_and_sectors(partner, kec):
    contribution = draft(partner, kec)
    assert contribution.status == "draft"
    assert contribution.company_id == partner.company_id
    assert contribution.total_value == 15_000_000
    assert codes_of(contribution) == (["wrse"], ["food"])
    assert events(contribution) == ["contribution_created"]


@pytest.mark.parametrize(
    "item",
    [
        ItemData("Oven", Decimal("0"), "unit", 1000),
        ItemData("Oven", Decimal("-1"), "unit", 1000),
        ItemData("Oven", Decimal("1"), "unit", -5),
    ],
)
def test_quantities_must_be_positive_and_values_not_negative(partner, kec, item):
    with pytest.raises(Refusal):
        services.create(partner, equipment_data(kec, items=[item]))


def test_training_keeps_no_items_and_other_kinds_keep_no_training_details(partner, kec):
    training = draft(partner, kec, kind="training", topic="Menjahit", sessions=4, seats=20)
    assert training.items == [] and training.seats == 20
    goods = draft(partner, kec, kind="goods", topic="ignored", seats=5)
    assert goods.topic == "" and goods.seats is None and len(goods.items) == 1


def test_only_an_active_company_can_create(ctx, make_user, kec):
    pending = make_user("partner", company=factories.CompanyFactory(status="pending"))
    with pytest.raises(Refusal):
        services.create(pending, equipment_data(kec))


def test_other_roles_cannot_create(officer, kec):
    with pytest.raises(Refusal):
        services.create(officer, equipment_data(kec))


def test_a_draft_cannot_be_edited_after_submission(partner, kec):
    contribution = submitted(partner, kec)
    with pytest.raises(Refusal):
        services.update(partner, contribution, equipment_data(kec, title="Changed"))
    assert contribution.title == "Oven untuk usaha kue"


# --- submit ---------------------------------------------------------------------------


def test_submit_sends_to_the_kecamatan_officers(partner, officer, admin, kec):
    contribution = submitted(partner, kec)
    assert contribution.status == "submitted"
    assert contribution.submitted_at is not None
    assert len(notes_for(officer)) == 1
    assert notes_for(admin) == []
    event = history(contribution)[-1]
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "contribution_submitted",
        "draft",
        "submitted",
        partner.id,
    )


def test_submit_with_dinsos_deciding_notifies_the_admins(partner, officer, admin):
    contribution = submitted(partner, None)
    assert contribution.kecamatan_id is None
    assert len(notes_for(admin)) == 1
    assert notes_for(officer) == []


def test_submit_needs_at_least_one_item(partner, kec):
    contribution = draft(partner, kec, items=[])
    with pytest.raises(Refusal) as refused:
        services.submit(partner, contribution)
    assert str(refused.value) == gettext("Add at least one item before submitting.")
    assert contribution.status == "draft"


def test_submit_of_a_training_needs_its_details(partner, kec):
    contribution = draft(partner, kec, kind="training", topic="Menjahit", sessions=None, seats=20)
    with pytest.raises(Refusal):
        services.submit(partner, contribution)
    assert contribution.status == "draft"
    contribution.sessions, contribution.trainer = 4, "BLK Tenggarong"
    services.submit(partner, contribution)
    assert contribution.status == "submitted"


def test_submit_twice_is_refused(partner, kec):
    contribution = submitted(partner, kec)
    with pytest.raises(Refusal):
        services.submit(partner, contribution)


def test_another_companys_staff_cannot_submit(ctx, partner, make_user, kec):
    contribution = draft(partner, kec)
    stranger = make_user("partner")
    with pytest.raises(Refusal):
        services.submit(stranger, contribution)
    assert contribution.status == "draft"


def test_a_suspended_company_cannot_submit(partner, kec):
    contribution = draft(partner, kec)
    partner.company.status = "suspended"
    with pytest.raises(Refusal):
        services.submit(partner, contribution)
    assert contribution.status == "draft"


# --- withdraw -------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "accepted", "allocating"])
def test_partner_withdraws_while_no_match_is_approved(partner, kec, state):
    contribution = draft(partner, kec)
    contribution.status = state
    services.withdraw(partner, contribution, "Anggaran dialihkan")
    assert contribution.status == "withdrawn"
    assert contribution.status_reason == "Anggaran dialihkan"
    assert history(contribution)[-1].from_state == state


@pytest.mark.parametrize("state", ["rejected", "completed", "withdrawn", "split"])
def test_withdraw_is_refused_in_other_states(partner, kec, state):
    contribution = draft(partner, kec)
    contribution.status = state
    with pytest.raises(Refusal):
        services.withdraw(partner, contribution)
    assert contribution.status == state


def test_withdraw_of_a_submitted_contribution_tells_the_officers(partner, officer, kec):
    contribution = submitted(partner, kec)
    services.withdraw(partner, contribution)
    assert len(notes_for(officer)) == 2


def test_officer_cannot_withdraw(partner, officer, kec):
    contribution = submitted(partner, kec)
    with pytest.raises(Refusal):
        services.withdraw(officer, contribution)


# --- accept, return, reject -----------------------------------------------------------


def test_officer_accepts_confirming_the_aid_category(partner, officer, kec):
    contribution = submitted(partner, kec)
    services.accept(officer, contribution, category().id)
    assert contribution.status == "accepted"
    assert contribution.aid_category.code == "EQUIPMENT"
    assert history(contribution)[-1].details == {"category": "EQUIPMENT"}
    assert len(notes_for(partner)) == 1


def test_accept_needs_an_active_category(partner, officer, kec, ctx):
    contribution = submitted(partner, kec)
    with pytest.raises(Refusal) as refused:
        services.accept(officer, contribution, None)
    assert refused.value.field == "aid_category_id"
    inactive = category("OTHER")
    inactive.active = False
    with pytest.raises(Refusal):
        services.accept(officer, contribution, inactive.id)
    assert contribution.status == "submitted"
    assert events(contribution)[-1] == "contribution_submitted"


def test_officer_of_another_kecamatan_cannot_review(ctx, partner, make_user, kec, other_kec):
    contribution = submitted(partner, kec)
    stranger = make_user("officer", kecamatan=other_kec)
    for decide in (
        lambda: services.accept(stranger, contribution, category().id),
        lambda: services.return_to_partner(stranger, contribution, "x"),
        lambda: services.reject(stranger, contribution, "x"),
    ):
        with pytest.raises(Refusal):
            decide()
    assert contribution.status == "submitted"


@pytest.mark.parametrize("role", ["camat", "village", "partner"])
def test_other_roles_cannot_accept(ctx, partner, make_user, kec, role):
    contribution = submitted(partner, kec)
    user = partner if role == "partner" else make_user(role, kecamatan=kec)
    with pytest.raises(Refusal):
        services.accept(user, contribution, category().id)


def test_admin_reviews_any_kecamatan(partner, admin, kec):
    contribution = submitted(partner, kec)
    services.reject(admin, contribution, "Tidak sesuai program")
    assert contribution.status == "rejected"


def test_accept_of_an_unrouted_contribution_is_refused(partner, admin):
    contribution = submitted(partner, None)
    with pytest.raises(Refusal) as refused:
        services.accept(admin, contribution, category().id)
    assert str(refused.value) == gettext(
        "Route this contribution to a kecamatan before accepting it."
    )
    assert contribution.status == "submitted"


@pytest.mark.parametrize("state", ["draft", "accepted", "rejected", "withdrawn", "completed"])
def test_review_is_refused_outside_submitted(partner, officer, kec, state):
    contribution = draft(partner, kec)
    contribution.status = state
    with pytest.raises(Refusal):
        services.accept(officer, contribution, category().id)
    with pytest.raises(Refusal):
        services.reject(officer, contribution, "x")
    assert contribution.status == state


def test_return_goes_back_to_draft_keeping_the_reason(partner, officer, kec):
    contribution = submitted(partner, kec)
    services.return_to_partner(officer, contribution, "Lengkapi foto alat")
    assert contribution.status == "draft"
    assert contribution.is_returned
    assert contribution.status_reason == "Lengkapi foto alat"
    event = history(contribution)[-1]
    assert (event.action, event.reason) == ("contribution_returned", "Lengkapi foto alat")
    assert "Lengkapi foto alat" in notes_for(partner)[0].params["reason"]
    # the partner corrects and submits again; the officer still sees it
    services.update(partner, contribution, equipment_data(kec, title="Oven dan mixer"))
    services.submit(partner, contribution)
    assert contribution.status == "submitted" and not contribution.is_returned


@pytest.mark.parametrize("decide", [services.return_to_partner, services.reject])
def test_return_and_reject_need_a_reason(partner, officer, kec, decide):
    contribution = submitted(partner, kec)
    with pytest.raises(Refusal) as refused:
        decide(officer, contribution, "   ")
    assert refused.value.field == "reason"
    assert contribution.status == "submitted"


# --- routing and splitting ------------------------------------------------------------


def test_admin_routes_a_dinsos_decides_contribution(partner, admin, officer, kec):
    contribution = submitted(partner, None)
    routing.route(admin, contribution, kec.id)
    assert contribution.kecamatan_id == kec.id and contribution.status == "submitted"
    assert len(notes_for(officer)) == 1
    assert len(notes_for(partner)) == 1
    assert events(contribution)[-1] == "contribution_routed"


def test_route_is_refused_for_officers_and_routed_contributions(partner, admin, officer, kec):
    unrouted = submitted(partner, None)
    with pytest.raises(Refusal):
        routing.route(officer, unrouted, kec.id)
    routed = submitted(partner, kec)
    with pytest.raises(Refusal):
        routing.route(admin, routed, kec.id)
    with pytest.raises(Refusal) as refused:
        routing.route(admin, unrouted, None)
    assert refused.value.field == "kecamatan_id"


def test_split_divides_quantities_into_one_contribution_per_kecamatan(
    partner, admin, officer, kec, other_kec
):
    parent = submitted(
        partner,
        None,
        items=[
            ItemData("Oven gas", Decimal("10"), "unit", 1_500_000),
            ItemData("Tepung", Decimal("7.5"), "kg", 12_000),
        ],
    )
    oven, flour = parent.items
    children = routing.split(
        admin,
        parent,
        [
            Share(kec.id, {oven.id: Decimal(6), flour.id: Decimal("7.5")}),
            Share(other_kec.id, {oven.id: Decimal(4), flour.id: Decimal(0)}),
        ],
    )
    assert parent.status == "split"
    assert [c.kecamatan_id for c in children] == [kec.id, other_kec.id]
    assert all(c.parent_id == parent.id and c.status == "submitted" for c in children)
    assert [(i.name, i.quantity) for i in children[0].items] == [
        ("Oven gas", Decimal(6)),
        ("Tepung", Decimal("7.5")),
    ]
    assert [(i.name, i.quantity) for i in children[1].items] == [("Oven gas", Decimal(4))]
    assert codes_of(children[1]) == (["wrse"], ["food"])
    assert len(notes_for(officer)) == 1
    assert history(parent)[-1].details == {"children": [c.id for c in children]}


def test_split_refuses_parts_that_do_not_add_up(partner, admin, kec, other_kec, ctx):
    parent = submitted(partner, None)
    oven = parent.items[0]
    with pytest.raises(Refusal) as refused:
        routing.split(
            admin,
            parent,
            [Share(kec.id, {oven.id: Decimal(6)}), Share(other_kec.id, {oven.id: Decimal(3)})],
        )
    assert str(refused.value) == gettext(
        "The parts of %(item)s add up to %(total)s, not %(quantity)s.",
        item="Oven gas",
        total="9",
        quantity="10",
    )
    assert parent.status == "submitted"
    count = ctx.session.scalar(select(func.count(Contribution.id)))
    assert count == 1


def test_split_needs_two_kecamatan_that_each_get_something(partner, admin, kec, other_kec):
    parent = submitted(partner, None)
    oven = parent.items[0]
    with pytest.raises(Refusal):
        routing.split(admin, parent, [Share(kec.id, {oven.id: Decimal(10)})])
    with pytest.raises(Refusal):
        routing.split(
            admin,
            parent,
            [Share(kec.id, {oven.id: Decimal(10)}), Share(other_kec.id, {oven.id: Decimal(0)})],
        )


def test_split_of_a_training_divides_the_seats(partner, admin, kec, other_kec):
    parent = submitted(
        partner, None, kind="training", topic="Menjahit", sessions=4, seats=30, trainer="BLK"
    )
    children = routing.split(
        admin, parent, [Share(kec.id, seats=20), Share(other_kec.id, seats=10)]
    )
    assert [c.seats for c in children] == [20, 10]
    assert all(c.sessions == 4 and c.topic == "Menjahit" for c in children)


def test_even_shares_give_the_rest_to_the_first(partner, kec, other_kec):
    contribution = draft(partner, None)
    shares = routing.even_shares(contribution, [kec.id, other_kec.id, 99])
    assert [s.quantities[contribution.items[0].id] for s in shares] == [4, 3, 3]


# --- visibility -----------------------------------------------------------------------


def test_officers_see_only_what_was_sent_to_their_kecamatan(
    ctx, partner, make_user, kec, other_kec
):
    sent = submitted(partner, kec)
    unsent = draft(partner, kec)
    elsewhere = submitted(partner, other_kec)
    officer = make_user("officer", kecamatan=kec)
    camat = make_user("camat", kecamatan=kec)
    village = make_user("village", kecamatan=kec)
    for user in (officer, camat):
        assert rules.find_visible(user, sent.id) is sent
        assert rules.find_visible(user, unsent.id) is None
        assert rules.find_visible(user, elsewhere.id) is None
    assert rules.find_visible(village, sent.id) is None


def test_partners_see_only_their_own_company(ctx, partner, make_user, kec):
    mine = draft(partner, kec)
    stranger = make_user("partner")
    assert rules.find_visible(partner, mine.id) is mine
    assert rules.find_visible(stranger, mine.id) is None


def test_company_overview_totals_items_value_and_seats(partner, kec):
    draft(partner, kec)
    draft(partner, kec, kind="training", topic="Menjahit", sessions=4, seats=20)
    submitted(partner, kec)
    overview = {group.status: group for group in queries.company_overview(partner.company_id)}
    assert set(overview) == {"draft", "submitted"}
    assert (overview["draft"].count, overview["draft"].items) == (2, 1)
    assert overview["draft"].value == 15_000_000
    assert overview["draft"].seats == 20


def test_every_transition_writes_exactly_one_audit_event(partner, officer, kec, ctx):
    contribution = submitted(partner, kec)
    before = ctx.session.scalar(select(func.count(AuditEvent.id)))
    services.accept(officer, contribution, category().id)
    assert ctx.session.scalar(select(func.count(AuditEvent.id))) == before + 1
