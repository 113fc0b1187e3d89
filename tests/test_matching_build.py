"""The officer builds a match: a draft from the contribution's page (once per form), the
ranked candidates, adding people (ticked or the N best), quantities within what remains,
refusals of ineligible people also when the POST is forged, replacing someone before
approval, and what the contribution's page shows each reader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from portal.extensions import db as _db
from portal.models import AuditEvent, Match, MatchMember
from tests.factories import MatchAllocationFactory, MatchMemberFactory, kecamatan, new_kk
from tests.support.matching import candidate, contribution, match_for
from tests.support.registry import OTHER, aid, person


def text(response) -> str:
    return response.get_data(as_text=True)


def _members(match) -> list[MatchMember]:
    _db.session.expire_all()
    return _db.session.scalars(
        select(MatchMember).where(MatchMember.match_id == match.id).order_by(MatchMember.id)
    ).all()


@pytest.fixture()
def officer(login_as):
    return login_as("officer")


def _scene(**kw):
    match = match_for(contribution(**kw))
    _db.session.commit()
    return match


# --- a new draft ----------------------------------------------------------------------


def test_officer_creates_a_draft_from_the_contribution_page_once_per_form(client, officer):
    made = contribution()
    _db.session.commit()
    page = text(client.get(f"/contributions/{made.id}"))
    assert "Buat rencana penyaluran" in page
    assert f'href="/penyaluran/baru/{made.id}"' in page
    form = text(client.get(f"/penyaluran/baru/{made.id}"))
    assert 'name="form_token"' in form
    data = {"label": "Desa pertama, Juni", "form_token": "abcdef123456", "delivery_date": ""}
    first = client.post(f"/penyaluran/baru/{made.id}", data=data)
    again = client.post(f"/penyaluran/baru/{made.id}", data=data)
    (match,) = _db.session.scalars(select(Match)).all()
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"/penyaluran/{match.id}/susun"
    assert match.label == "Desa pertama, Juni" and match.status == "draft"
    assert match.created_by_id == officer.id


def test_a_desa_of_another_kecamatan_is_refused(client, officer):
    made = contribution()
    other_desa = kecamatan(OTHER).desas[0]
    _db.session.commit()
    response = client.post(
        f"/penyaluran/baru/{made.id}",
        data={"label": "x", "desa_id": str(other_desa.id), "form_token": "abcdef123456"},
    )
    assert response.status_code == 200
    assert 'id="desa_id-error"' in text(response)
    assert _db.session.scalars(select(Match)).all() == []


@pytest.mark.parametrize("role", ["camat", "admin", "partner"])
def test_only_the_kecamatan_officer_plans(client, login_as, role):
    made = contribution()
    _db.session.commit()
    login_as(role, **({"company": made.company} if role == "partner" else {}))
    assert "Buat rencana penyaluran" not in text(client.get(f"/contributions/{made.id}"))
    assert client.get(f"/penyaluran/baru/{made.id}").status_code in (302, 403)


def test_an_officer_of_another_kecamatan_gets_404(client, login_as):
    match = _scene()
    login_as("officer", kecamatan=kecamatan(OTHER))
    assert client.get(f"/penyaluran/baru/{match.contribution_id}").status_code == 404
    assert client.get(f"/penyaluran/{match.id}/susun").status_code == 404


# --- candidates and adding people -----------------------------------------------------


def test_builder_lists_ranked_candidates_with_reasons_and_adds_the_ticked(client, officer):
    match = _scene(quantities=(5, 3))
    siti = candidate("Siti Aminah", groups=("wrse",), sectors=("food",))
    budi = candidate("Budi")
    _db.session.commit()
    page = text(client.get(f"/penyaluran/{match.id}/susun"))
    assert page.index("Siti Aminah") < page.index("Budi")
    assert "Kue dan makanan" in page and "Calon penerima" in page
    response = client.post(
        f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": [siti.id, budi.id]}
    )
    assert response.status_code == 303
    members = _members(match)
    assert [m.recipient_id for m in members] == [siti.id, budi.id]
    assert all(m.added_by_id == officer.id and m.flags == [] for m in members)
    assert all(sorted(a.quantity for a in m.allocations) == [1, 1] for m in members)
    page = text(client.get(f"/penyaluran/{match.id}/susun"))
    assert (
        'id="remaining-' in page and "<strong>3</strong>" in page and "<strong>1</strong>" in page
    )


def test_htmx_add_returns_the_builder_with_the_message(client, officer):
    match = _scene()
    siti = candidate("Siti")
    _db.session.commit()
    response = client.post(
        f"/penyaluran/{match.id}/susun/tambah",
        data={"recipient_id": siti.id},
        headers={"HX-Request": "true"},
    )
    body = text(response)
    assert response.status_code == 200 and body.lstrip().startswith('<div id="builder">')
    assert "Ditambahkan ke rencana: 1 orang." in body


@pytest.mark.parametrize(
    "kind",
    ["pending", "expired", "deactivated", "other kecamatan", "rejected", "unknown"],
)
def test_ineligible_people_are_refused_even_when_the_post_is_forged(client, officer, kind):
    match = _scene()
    fine = candidate("Layak")
    made = {
        "pending": lambda: person(name="Tertunda"),
        "expired": lambda: candidate("Kedaluwarsa", at=datetime.now(UTC) - timedelta(days=400)),
        "deactivated": lambda: candidate("Nonaktif", active=False, deactivation_reason="moved"),
        "other kecamatan": lambda: candidate("Luar", code=OTHER),
        "rejected": lambda: person(name="Ditolak", validation_status="rejected"),
        "unknown": lambda: None,
    }[kind]()
    _db.session.commit()
    forged = made.id if made else 987654
    response = client.post(
        f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": [fine.id, forged]}
    )
    assert response.status_code == 200
    body = text(response)
    assert 'class="flash flash-danger" role="alert"' in body
    assert _members(match) == [], "nobody is added while one is refused"


def test_a_flagged_candidate_is_kept_only_with_a_written_reason(client, officer):
    match = _scene()
    kk = new_kk()
    flagged = candidate("Rahmah", kk=kk)
    aid("EQUIPMENT", date.today() - timedelta(days=60), kk=kk, nik=None, programme="UEP 2025")
    _db.session.commit()
    page = text(client.get(f"/penyaluran/{match.id}/susun"))
    assert "UEP 2025" in page and f'name="reason-{flagged.id}"' in page
    refused = client.post(f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": flagged.id})
    assert refused.status_code == 200
    assert f'id="candidate-{flagged.id}-error"' in text(refused)
    assert f'value="{flagged.id}" id="pick-{flagged.id}" aria-label="Rahmah" checked' in text(
        refused
    )
    assert _members(match) == []
    kept = client.post(
        f"/penyaluran/{match.id}/susun/tambah",
        data={"recipient_id": flagged.id, f"reason-{flagged.id}": "Usaha keluarga berbeda"},
    )
    assert kept.status_code == 303
    (member,) = _members(match)
    assert member.flag_reason == "Usaha keluarga berbeda"
    (flag,) = member.flags
    assert flag["family"] is True and flag["programme"] == "UEP 2025"
    assert flag["category"] and flag["date"] == (date.today() - timedelta(days=60)).isoformat()


def test_pick_the_n_best_passes_over_flagged_and_stays_within_what_remains(client, officer):
    match = _scene(groups=("wrse",), quantities=(3,))
    best = candidate("A terbaik", groups=("wrse",))
    flagged = candidate("B bertanda", groups=("wrse",))
    aid("EQUIPMENT", date.today() - timedelta(days=10), nik=flagged.nik)
    second = candidate("C kedua", groups=("wrse",))
    candidate("D biasa")
    _db.session.commit()
    too_many = client.post(f"/penyaluran/{match.id}/susun/tambah", data={"pick": "1", "count": "4"})
    assert too_many.status_code == 200 and 'id="pick-count-error"' in text(too_many)
    assert _members(match) == []
    response = client.post(f"/penyaluran/{match.id}/susun/tambah", data={"pick": "1", "count": "2"})
    assert response.status_code == 303
    assert [m.recipient_id for m in _members(match)] == [best.id, second.id]


# --- quantities -----------------------------------------------------------------------


def test_quantities_over_what_remains_are_refused_beside_the_row(client, officer):
    match = _scene(quantities=(4,))
    item = match.contribution.items[0]
    other = match_for(match.contribution, status="submitted")
    MatchAllocationFactory(member__match=other, item=item, quantity=2)
    item.reserved = Decimal(2)  # what submission reserved
    a = MatchAllocationFactory(member__match=match, item=item, quantity=1).member
    b = MatchAllocationFactory(member__match=match, item=item, quantity=1).member
    _db.session.commit()
    over = client.post(
        f"/penyaluran/{match.id}/susun/jumlah",
        data={f"q-{a.id}-{item.id}": "1", f"q-{b.id}-{item.id}": "2"},
    )
    body = text(over)
    assert over.status_code == 200
    assert f'id="q-{b.id}-{item.id}-error"' in body and f'id="q-{a.id}-{item.id}-error"' not in body
    assert 'value="2"' in body, "what was typed is kept"
    assert [m.allocations[0].quantity for m in _members(match) if m.status == "active"] == [1, 1]
    bad = client.post(f"/penyaluran/{match.id}/susun/jumlah", data={f"q-{a.id}-{item.id}": "-1"})
    assert f'id="q-{a.id}-{item.id}-error"' in text(bad)
    fine = client.post(
        f"/penyaluran/{match.id}/susun/jumlah",
        data={f"q-{a.id}-{item.id}": "0,5", f"q-{b.id}-{item.id}": "1.5"},
        headers={"HX-Request": "true"},
    )
    assert fine.status_code == 200 and text(fine).lstrip().startswith('<section id="plan"')
    assert f'id="remaining-{item.id}"><strong>0</strong>' in text(fine)
    quantities = {m.id: m.allocations[0].quantity for m in _members(match)}
    assert quantities[a.id] == Decimal("0.5") and quantities[b.id] == Decimal("1.5")


def test_training_allocates_one_seat_per_member_within_the_seats(client, officer):
    made = contribution(kind="training", quantities=(), seats=1)
    match = match_for(made)
    one, two = candidate("Satu"), candidate("Dua")
    _db.session.commit()
    refused = client.post(
        f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": [one.id, two.id]}
    )
    assert refused.status_code == 200 and _members(match) == []
    assert (
        client.post(
            f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": one.id}
        ).status_code
        == 303
    )
    (member,) = _members(match)
    assert member.allocations == []
    saved = client.post(f"/penyaluran/{match.id}/susun/jumlah", data={f"reason-m-{member.id}": ""})
    assert saved.status_code == 303, "a training's plan has seats, no quantities to type"


def test_removing_a_member_gives_back_their_share(client, officer):
    match = _scene()
    member = MatchAllocationFactory(member__match=match, item=match.contribution.items[0]).member
    _db.session.commit()
    response = client.post(f"/penyaluran/{match.id}/susun/hapus", data={"member_id": member.id})
    assert response.status_code == 303 and _members(match) == []


# --- replacement ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_a_member_who_drops_out_is_replaced_with_the_same_quantities(client, officer, status):
    match = _scene(quantities=(5,))
    item = match.contribution.items[0]
    old = MatchAllocationFactory(member__match=match, item=item, quantity=2).member
    if status == "submitted":
        match.status = "submitted"
        item.reserved = Decimal(2)
    newcomer = candidate("Pengganti")
    _db.session.commit()
    page = text(client.get(f"/penyaluran/{match.id}/susun?ganti={old.id}"))
    assert 'type="radio" name="recipient_id"' in page
    response = client.post(
        f"/penyaluran/{match.id}/ganti",
        data={
            "member_id": old.id,
            "recipient_id": newcomer.id,
            "drop_reason": "deceased",
            "drop_note": "Meninggal 3 Juni",
        },
    )
    assert response.status_code == 303
    members = {m.recipient_id: m for m in _members(match)}
    gone, new = members[old.recipient_id], members[newcomer.id]
    assert gone.status == "replaced" and gone.replaced_by_id == new.id
    assert gone.drop_reason == "deceased" and gone.drop_note == "Meninggal 3 Juni"
    assert new.status == "active" and [a.quantity for a in new.allocations] == [2]
    assert _db.session.get(type(item), item.id).reserved == (2 if status == "submitted" else 0)
    (event,) = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "match_member_replaced")
    ).all()
    assert event.actor_id == officer.id and event.object_id == match.id
    assert event.details["recipient_id"] == old.recipient_id
    assert event.details["replacement_recipient_id"] == newcomer.id
    assert event.details["drop_reason"] == "deceased"


def test_a_replacement_must_be_eligible_and_a_reason_chosen(client, officer):
    match = _scene()
    old = MatchMemberFactory(match=match)
    stranger = candidate("Luar", code=OTHER)
    _db.session.commit()
    url = f"/penyaluran/{match.id}/ganti"
    no_reason = client.post(url, data={"member_id": old.id, "recipient_id": stranger.id})
    assert 'id="drop_reason-error"' in text(no_reason)
    forged = client.post(
        url, data={"member_id": old.id, "recipient_id": stranger.id, "drop_reason": "moved"}
    )
    assert forged.status_code == 200 and 'id="recipient_id-error"' in text(forged)
    assert [m.status for m in _members(match)] == ["active"]


def test_an_approved_match_can_no_longer_be_replaced_or_built(client, officer):
    match = _scene()
    old = MatchMemberFactory(match=match)
    match.status = "approved"
    _db.session.commit()
    assert client.get(f"/penyaluran/{match.id}/susun").status_code == 403
    response = client.post(
        f"/penyaluran/{match.id}/ganti",
        data={"member_id": old.id, "recipient_id": candidate("X").id, "drop_reason": "moved"},
    )
    assert response.status_code == 403


def test_a_submitted_match_cannot_take_new_people(client, officer):
    match = _scene()
    match.status = "submitted"
    fine = candidate("Layak")
    _db.session.commit()
    response = client.post(f"/penyaluran/{match.id}/susun/tambah", data={"recipient_id": fine.id})
    assert response.status_code == 200 and _members(match) == []


def test_a_nik_typed_in_the_name_filter_is_not_searched(client, officer):
    match = _scene()
    siti = candidate("Siti")
    _db.session.commit()
    page = text(client.get(f"/penyaluran/{match.id}/susun?name={siti.nik}"))
    assert "Siti" in page and f'value="{siti.nik}"' not in page


# --- the contribution's page ----------------------------------------------------------


def test_contribution_page_shows_plans_and_quantities_to_the_officer(client, officer):
    match = _scene(quantities=(6,))
    item = match.contribution.items[0]
    MatchAllocationFactory(member__match=match, item=item, quantity=2)
    approved = match_for(match.contribution, status="approved", label="Sudah disetujui")
    MatchAllocationFactory(member__match=approved, item=item, quantity=3)
    item.reserved = Decimal(3)
    _db.session.commit()
    page = text(client.get(f"/contributions/{match.contribution_id}"))
    assert "Rencana penyaluran" in page and "Sudah disetujui" in page
    row = page[page.index('id="plan-quantities"') :]
    assert [cell in row for cell in (">6<", ">2<", ">3<")] == [True, True, True]
    assert f'href="/penyaluran/{match.id}/susun"' in page or "/penyaluran/" in page


def test_partner_sees_an_outline_and_masked_names_only_after_approval(client, login_as):
    match = _scene()
    draft_member = MatchMemberFactory(match=match)
    submitted = match_for(match.contribution, status="submitted")
    waiting = MatchMemberFactory(match=submitted)
    approved = match_for(match.contribution, status="approved")
    shown = MatchMemberFactory(match=approved)
    shown.flags = [{"category": "PKH", "date": "2025-01-01", "programme": "Rahasia"}]
    shown.recipient.name, waiting.recipient.name = "Yang Disetujui", "Masih Menunggu"
    draft_member.recipient.name = "Masih Disusun"
    _db.session.commit()
    login_as("partner", company=match.contribution.company)
    page = text(client.get(f"/contributions/{match.contribution_id}"))
    nik = shown.recipient.nik
    assert nik[:6] + "********" + nik[-2:] in page
    assert nik not in page and shown.recipient.name in page
    assert "Masih Menunggu" not in page and waiting.recipient.nik not in page
    assert "Masih Disusun" not in page and "Rahasia" not in page
    assert "plan-quantities" not in page and "/susun" not in page
