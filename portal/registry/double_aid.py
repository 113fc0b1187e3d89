"""The double-aid rule (DESIGN section 4): new aid of a category is flagged when the person
or anyone on their KK received, within the look-back window before the handover, aid of the
same category, or of another category unless the two are an allowed pair (PKH with BPNT).

Everything the rule needs is read here: the window (the ``lookback_months`` setting, its
default in ``core/settings.py``), the allowed pairs (``AidCategoryPair`` rows, which the
admin edits through ``registry/categories.py`` and whose defaults ``core/reference.py``
loads), and the aid of a household (``registry/lookup.py``). One person is checked with
``double_aid_flags``; matching checks many at once with ``flags_for_many``.

Planned aid counts too: an active member of a submitted or approved match is to receive
that contribution's category (``registry/planned.py``), whatever the delivery date, until
the handover turns it into an aid record; ``exclude_match_id`` leaves out the match being
checked itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, union
from sqlalchemy.orm import selectinload

from portal.core import settings
from portal.core.dates import add_months
from portal.extensions import db
from portal.models import AidCategoryPair, AidRecord, Recipient
from portal.registry.lookup import Household, aid_of, household_of
from portal.registry.planned import PlannedAid, planned_for
from portal.registry.recipients import clean_number

# People checked per round of queries in ``flags_for_many`` (bounds each IN list).
CHUNK = 500


@dataclass(frozen=True)
class AidFlag:
    """An earlier aid that makes new aid of a category look doubled."""

    record: AidRecord | PlannedAid
    same_category: bool  # the same category; otherwise one not allowed together with it
    family: bool  # received by someone else on the KK
    who: str = ""  # the family member's name, when the registry knows who it was


def window_months() -> int:
    """How many months back an earlier aid counts (the ``lookback_months`` setting)."""
    return settings.get("lookback_months")


def window_start(as_of: date | None = None, months: int | None = None) -> date:
    """Aid on or after this date, up to ``as_of`` (today by default), is inside the window."""
    months = window_months() if months is None else months
    return add_months(as_of or date.today(), -months)


def allowed_pairs() -> set[tuple[int, int]]:
    """The category pairs (lower id first) a person may receive together."""
    return {(p.first_id, p.second_id) for p in db.session.scalars(select(AidCategoryPair))}


def _clash(aid, category_id: int, pairs, house: Household) -> AidFlag | None:
    """The flag an earlier (or planned) aid raises against new aid of ``category_id``."""
    if aid.category_id is None:
        return None
    same = aid.category_id == category_id
    pair = (min(aid.category_id, category_id), max(aid.category_id, category_id))
    if not same and pair in pairs:
        return None
    own = aid.nik == house.nik or (house.person is not None and aid.recipient_id == house.person.id)
    who = "" if own else _member_name(aid, house)
    return AidFlag(record=aid, same_category=same, family=not own, who=who)


def _member_name(aid, house: Household) -> str:
    """Who on the KK received it, if the registry knows them."""
    for member in house.family:
        if (aid.nik and member.nik == aid.nik) or member.id == aid.recipient_id:
            return member.name
    return ""


def double_aid_flags(
    nik: str,
    kk: str | None,
    category_id: int,
    on_date: date,
    exclude_match_id: int | None = None,
) -> list[AidFlag]:
    """Aid the person or anyone on their KK received within the look-back window before
    ``on_date`` (or is planned to receive) that clashes with new aid of ``category_id``:
    aid of the same category, or of another category unless the admin declared the two
    may go together (PKH with BPNT).
    """
    since = window_start(on_date)
    house = household_of(nik, kk)
    pairs = allowed_pairs()
    planned = planned_for(house.niks, house.kks, house.ids, exclude_match_id)
    records = [*planned, *aid_of(house, since, on_date)]
    flags = (_clash(aid, category_id, pairs, house) for aid in records)
    return [flag for flag in flags if flag is not None]


def flags_for_many(
    people: Iterable[tuple[str, str | None]],
    category_id: int,
    as_of: date,
    exclude_match_id: int | None = None,
) -> dict[str, list[AidFlag]]:
    """``double_aid_flags`` for many people at once, keyed by their (cleaned) NIK: each
    person is given as ``(nik, kk)``; the window and the pairs are read once, and every
    round of ``CHUNK`` people costs the same few queries however many people it holds."""
    wanted = {clean_number(nik): clean_number(kk) if kk else "" for nik, kk in people}
    since = window_start(as_of)
    pairs = allowed_pairs()
    result: dict[str, list[AidFlag]] = {}
    niks = list(wanted)
    for start in range(0, len(niks), CHUNK):
        chunk = {nik: wanted[nik] for nik in niks[start : start + CHUNK]}
        households = _households(chunk, since, as_of, exclude_match_id)
        for nik, (house, records) in households.items():
            flags = (_clash(aid, category_id, pairs, house) for aid in records)
            result[nik] = [flag for flag in flags if flag is not None]
    return result


def _households(
    wanted: dict[str, str], since: date, until: date, exclude_match_id: int | None = None
) -> dict[str, tuple[Household, list]]:
    """Each person's household (as ``household_of`` finds it), its planned aid and its
    aid in the window (as ``aid_of`` reads it), for a few hundred people in a fixed
    number of queries."""
    niks = list(wanted)
    persons = {
        r.nik: r for r in db.session.scalars(select(Recipient).where(Recipient.nik.in_(niks)))
    }
    listed_kks: dict[str, set[str]] = {}
    known = select(AidRecord.nik, AidRecord.kk).where(
        AidRecord.nik.in_(niks), AidRecord.kk.is_not(None)
    )
    for nik, kk in db.session.execute(known.distinct()):
        listed_kks.setdefault(nik, set()).add(kk)
    houses: dict[str, Household] = {}
    for nik, kk in wanted.items():
        house = Household(nik=nik, person=persons.get(nik))
        kks = {kk} if kk else set()
        if house.person is not None and house.person.kk:
            kks.add(house.person.kk)
        house.kks = {k for k in kks | listed_kks.get(nik, set()) if k}
        houses[nik] = house
    all_kks = set().union(*(h.kks for h in houses.values()))
    members: dict[str, list[Recipient]] = {}
    if all_kks:
        query = select(Recipient).where(Recipient.kk.in_(all_kks)).order_by(Recipient.name)
        for member in db.session.scalars(query):
            members.setdefault(member.kk, []).append(member)
    for nik, house in houses.items():
        family = {
            m.id: m
            for kk in house.kks
            for m in members.get(kk, ())
            if m.nik is not None and m.nik != nik
        }
        house.family = sorted(family.values(), key=lambda m: m.name)
    all_niks = set().union(*(h.niks for h in houses.values()))
    all_ids = set().union(*(h.ids for h in houses.values()))
    conditions = [AidRecord.nik.in_(all_niks)]
    if all_kks:
        conditions.append(AidRecord.kk.in_(all_kks))
    if all_ids:
        conditions.append(AidRecord.recipient_id.in_(all_ids))
    # One id look-up per condition, each by its (…, received_on) index: with a few
    # hundred values in one OR, SQLite scanned the whole window by date instead.
    in_window = (AidRecord.received_on >= since, AidRecord.received_on <= until)
    ids = union(*(select(AidRecord.id).where(c, *in_window) for c in conditions))
    query = (
        select(AidRecord)
        .where(AidRecord.id.in_(ids))
        .options(selectinload(AidRecord.category))
        .order_by(AidRecord.received_on.desc(), AidRecord.id)
    )
    records = [
        *planned_for(all_niks, all_kks, all_ids, exclude_match_id),
        *db.session.scalars(query),
    ]
    return {
        nik: (
            house,
            [
                aid
                for aid in records
                if aid.nik in house.niks
                or (aid.kk is not None and aid.kk in house.kks)
                or aid.recipient_id in house.ids
            ],
        )
        for nik, house in houses.items()
    }
