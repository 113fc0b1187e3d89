"""The letter's content as plain frozen data, built once from a match at approval.

``letter_data(match, number, ...)`` reads the database; everything after it (rendering,
signing, the benchmark) takes only these dataclasses, so a letter renders the same in a
request, a task or a CLI command. Personal data stops here: recipients carry a masked NIK.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import current_app

from portal.core import words
from portal.core.dates import as_utc, utcnow
from portal.core.mail import public_url
from portal.core.nik import mask_nik
from portal.extensions import db
from portal.models import Attachment, Match, User

WITA = ZoneInfo("Asia/Makassar")
REGENCY = "Kutai Kartanegara"
# The Mengetahui line when the configuration names nobody (demo data).
DEFAULT_ACKNOWLEDGER = ("Kepala Dinas Sosial Kabupaten Kutai Kartanegara", "", "")


@dataclass(frozen=True)
class Letterhead:
    kecamatan: str
    address: str
    phone: str
    email: str
    logo: str | None = None  # a data: URI


@dataclass(frozen=True)
class Party:
    name: str
    title: str
    organisation: str
    address: str
    nip: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    quantity: str
    unit: str
    unit_value: int
    total: int


@dataclass(frozen=True)
class Person:
    name: str
    masked_nik: str
    desa: str
    items: str


@dataclass(frozen=True)
class Training:
    topic: str
    sessions: int
    seats: int
    when: str
    place: str
    trainer: str


@dataclass(frozen=True)
class SigningRecord:
    proposed_by: str
    proposed_at: str
    approved_by: str
    approved_title: str
    approved_at: str
    flags_kept: int


@dataclass(frozen=True)
class ReplacedLetter:
    """The letter an amended letter replaces: its number and date (in words' month)."""

    number: str
    day: str


@dataclass(frozen=True)
class LetterData:
    kind: str  # "bast" or "training"
    number: str
    day: date
    place: str
    letterhead: Letterhead
    first: Party  # PIHAK PERTAMA, the company
    second: Party  # PIHAK KEDUA, the camat
    acknowledger: Party  # Mengetahui
    verification_code: str
    verification_url: str
    signing: SigningRecord
    items: tuple[Item, ...] = ()
    people: tuple[Person, ...] = ()
    training: Training | None = None
    copies: int = 2
    bsre: bool = False
    replaces: ReplacedLetter | None = None

    @property
    def total(self) -> int:
        return sum(item.total for item in self.items)


def wita(moment: datetime | None) -> datetime:
    return (as_utc(moment) or utcnow()).astimezone(WITA)


def moment_text(moment: datetime | None) -> str:
    """``14 Mei 2025 09.30 WITA``."""
    local = wita(moment)
    return f"{words.long_date(local.date())} {local:%H.%M} WITA"


def quantity_text(value: Decimal | int) -> str:
    """``2``, ``1,5``: Indonesian decimals without trailing zeros."""
    return format_decimal(Decimal(value).normalize(), format="#,##0.###", locale="id")


def camat_title(user: User, kecamatan: str) -> str:
    """``Camat Tenggarong``, or ``Plt. Camat Tenggarong`` for an acting head."""
    acting = "plt" in (user.title or "").lower().replace(".", " ").split()
    return f"{'Plt. ' if acting else ''}Camat {kecamatan}"


def letter_data(
    match: Match,
    number: str,
    verification_code: str,
    signer: User,
    *,
    bsre: bool = False,
    replaces=None,
) -> LetterData:
    """Everything the letter says, for ``match`` approved by ``signer`` under ``number``."""
    contribution, kecamatan = match.contribution, match.kecamatan
    office = kecamatan.office
    address = office.address if office else ""
    day = wita(match.approved_at).date()
    training = contribution.kind == "training"
    return LetterData(
        kind="training" if training else "bast",
        number=number,
        day=day,
        place=f"Kantor Camat {kecamatan.name}",
        letterhead=_letterhead(kecamatan.name, office),
        first=_company_party(contribution.company),
        second=Party(
            name=signer.name,
            title=camat_title(signer, kecamatan.name),
            organisation=f"Pemerintah Kecamatan {kecamatan.name}",
            address=address,
            nip=signer.nip or "",
        ),
        acknowledger=_acknowledger(),
        verification_code=verification_code,
        verification_url=public_url(f"/verifikasi/{verification_code}"),
        signing=_signing_record(match, signer),
        items=() if training else _items(match),
        people=tuple(_person(member, training) for member in match.active_members),
        training=_training(match, day) if training else None,
        bsre=bsre,
        replaces=_replaced(replaces),
    )


def _replaced(letter) -> ReplacedLetter | None:
    if letter is None:
        return None
    return ReplacedLetter(letter.number, words.long_date(wita(letter.letter_date).date()))


def _letterhead(kecamatan: str, office) -> Letterhead:
    if office is None:
        return Letterhead(kecamatan, "", "", "")
    logo = None
    if office.logo_attachment_id:
        attachment = db.session.get(Attachment, office.logo_attachment_id)
        if attachment is not None and attachment.content_type in ("image/png", "image/jpeg"):
            encoded = base64.b64encode(attachment.data).decode()
            logo = f"data:{attachment.content_type};base64,{encoded}"
    return Letterhead(kecamatan, office.address, office.phone, office.email, logo)


def _company_party(company) -> Party:
    return Party(
        name=company.representative_name or company.contact_name,
        title=company.representative_title,
        organisation=company.name,
        address=company.address,
    )


def _acknowledger() -> Party:
    config = current_app.config
    title = config.get("LETTER_ACKNOWLEDGER_TITLE") or DEFAULT_ACKNOWLEDGER[0]
    return Party(
        name=config.get("LETTER_ACKNOWLEDGER_NAME") or "",
        title=title,
        organisation="Dinas Sosial Kabupaten Kutai Kartanegara",
        address="",
        nip=config.get("LETTER_ACKNOWLEDGER_NIP") or "",
    )


def _items(match: Match) -> tuple[Item, ...]:
    """Each contribution item the match hands over, with the quantity of all its members."""
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for member in match.active_members:
        for allocation in member.allocations:
            quantities[allocation.item_id] += Decimal(allocation.quantity)
    rows = []
    for item in match.contribution.items:
        if quantities.get(item.id):
            quantity = quantities[item.id]
            total = int(quantity * item.unit_value)
            rows.append(Item(item.name, quantity_text(quantity), item.unit, item.unit_value, total))
    return tuple(rows)


def _person(member, training: bool) -> Person:
    recipient = member.recipient
    if training:
        received = "1 kursi pelatihan"
    else:
        received = "; ".join(
            f"{allocation.item.name} {quantity_text(allocation.quantity)} {allocation.item.unit}"
            for allocation in sorted(member.allocations, key=lambda a: a.item.position)
        )
    return Person(
        name=recipient.name,
        masked_nik=mask_nik(recipient.nik),
        desa=recipient.desa.name if recipient.desa else "",
        items=received,
    )


def _training(match: Match, day: date) -> Training:
    contribution = match.contribution
    when = match.delivery_date or contribution.planned_date or day
    return Training(
        topic=contribution.topic or contribution.title,
        sessions=contribution.sessions or 1,
        seats=len(match.active_members),
        when=words.long_date(when),
        place=contribution.place or "-",
        trainer=contribution.trainer or "-",
    )


def _signing_record(match: Match, signer: User) -> SigningRecord:
    proposer = match.submitted_by or match.created_by
    return SigningRecord(
        proposed_by=proposer.name if proposer else "-",
        proposed_at=moment_text(match.submitted_at) if match.submitted_at else "-",
        approved_by=signer.name,
        approved_title=signer.title or "",
        approved_at=moment_text(match.approved_at),
        flags_kept=sum(1 for member in match.active_members if member.flags),
    )


def letterhead_of(kecamatan) -> Letterhead:
    """The kop of ``kecamatan``'s office (the receipts share the letter's)."""
    return _letterhead(kecamatan.name, kecamatan.office)


def person_of(member, training: bool = False) -> Person:
    """One match member as the lampiran (and a receipt) names them: masked NIK only."""
    return _person(member, training)
