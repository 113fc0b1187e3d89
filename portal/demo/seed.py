"""Reproducible demo data: the demo accounts and companies, about 2,000 recipients in
three kecamatan with their aid history, and contributions in every state.

The same seed gives the same people, NIKs and contributions; dates count back from
today so validations expire and contributions look recent whenever the demo runs.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from portal.auth.services import hash_password, new_session_token
from portal.core.dates import utcnow
from portal.core.reference import category_ids, load_aid_categories
from portal.core.regions import load_regions
from portal.demo.accounts import DEMO_ACCOUNTS, DEMO_COMPANIES
from portal.demo.bulk import insert_people, places_in
from portal.demo.contributions import Cast, create_contributions
from portal.demo.handovers import create_handovers
from portal.demo.matching import KECAMATAN as MATCHING_KECAMATAN
from portal.demo.matching import create_matches
from portal.demo.people import Validators
from portal.extensions import db
from portal.letters.demo import issue_missing_letters
from portal.models import (
    AidRecord,
    Company,
    Desa,
    Kecamatan,
    KecamatanOffice,
    Letter,
    MonitoringVisit,
    User,
)

SEED = 6402
RECIPIENTS = 2_000
DEMO_KECAMATAN = ("64.02.10", "64.02.06", "64.02.02")  # Kembang Janggut, Tenggarong, Loa Kulu

COMPANY_DETAILS = {
    "mahakam": ("Jl. Gajah Mada No. 18, Samarinda", "0541-742100", "csr@mahakambatubara.demo"),
    "sawit": ("Jl. Poros Tenggarong–Kota Bangun Km 12", "0541-661500", "csr@sawitkartanegara.demo"),
}


def _company(name, sector, status, representative, title, reason="") -> dict:
    return {
        "name": name,
        "sector": sector,
        "status": status,
        "status_reason": reason,
        "representative_name": representative,
        "representative_title": title,
    }


# Companies without demo logins: more sectors, and the states other than active.
MORE_COMPANIES = {
    "energi": _company(
        "PT Energi Delta Mahakam", "oil_gas", "active", "Ir. Bonar Sitompul", "Manajer Humas"
    ),
    "migas": _company(
        "PT Migas Sanga-Sanga Nusantara", "oil_gas", "active", "Ratna Dewi, S.T.", "Kepala CSR"
    ),
    "agro": _company(
        "PT Agro Muara Kaman Lestari", "plantation", "active", "H. Syamsuddin", "Manajer Kemitraan"
    ),
    "loakulu": _company(
        "PT Tambang Loa Kulu Sejahtera", "mining", "active", "Andi Pratama, S.E.", "Manajer CSR"
    ),
    "tabang": _company(
        "PT Sawit Tabang Raya", "plantation", "pending", "Yohanes Laing", "Direktur"
    ),
    "hutan": _company("PT Hutan Lestari Kutai", "forestry", "pending", "Marlina Sari", "Direktur"),
    "janggut": _company(
        "PT Batubara Kembang Janggut",
        "mining",
        "suspended",
        "Ir. Darmawan",
        "Kepala Teknik",
        reason="Izin usaha pertambangan sedang ditinjau ulang oleh dinas terkait.",
    ),
    "surya": _company(
        "CV Tenaga Surya Borneo",
        "energy",
        "rejected",
        "Fajar Nugroho",
        "Direktur",
        reason="Akta pendirian dan NIB tidak dilampirkan.",
    ),
}
OFFICES = {
    "64.02.10": ("Jl. Poros Kembang Janggut No. 1, Desa Kembang Janggut", "0541-6290112"),
    "64.02.06": ("Jl. Imam Bonjol No. 1, Kelurahan Melayu, Tenggarong", "0541-661234"),
    "64.02.02": ("Jl. Jenderal Sudirman No. 2, Desa Loa Kulu Kota", "0541-6920123"),
}


class SeedRefused(Exception):
    """The database is not one the demo data may be written into."""


def seed_demo(force: bool = False) -> dict:
    """Fill the database with the demo data and commit; returns counts by kind."""
    _check_database(force)
    if db.session.scalar(select(func.count()).select_from(Kecamatan)) == 0:
        load_regions()
    load_aid_categories()
    now = utcnow()
    try:
        companies = _companies()
        users = _users(companies)
        kecamatan_ids = _kecamatan_ids()
        _offices(users, kecamatan_ids)
        categories = category_ids()
        officers = {a.kecamatan_code: users[a.email] for a in DEMO_ACCOUNTS if a.role == "officer"}
        validators = Validators({kecamatan_ids[k]: [u.id] for k, u in officers.items()}, now)
        people = insert_people(
            db.session,
            SEED,
            places_in(db.session, list(DEMO_KECAMATAN)),
            RECIPIENTS,
            validators,
            categories,
        )
        partners = _partners(companies, users)
        admin = next(users[a.email] for a in DEMO_ACCOUNTS if a.role == "admin")
        cast = Cast(companies, partners, officers, kecamatan_ids, categories, now, admin)
        contributions, events = create_contributions(cast)
        matches = create_matches(kecamatan_ids[MATCHING_KECAMATAN], now)
        handed = create_handovers(now)  # handed-over plans, in the past, and their visits
        issue_missing_letters()  # approvals issue their own; any numbered without one
        letters = db.session.scalar(select(func.count()).select_from(Letter))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {
        "users": len(users),
        "companies": len(companies),
        **people,
        # Handovers add the portal's own aid records to the imported programmes'.
        "aid_records": db.session.scalar(select(func.count()).select_from(AidRecord)),
        "contributions": contributions,
        "handover plans": matches + handed["handovers"],
        "handovers": handed["handovers"],
        "monitoring visits": db.session.scalar(select(func.count()).select_from(MonitoringVisit)),
        "visits recorded": handed["visits recorded"],
        "audit events": events,
        "letters": letters,
    }


def _check_database(force: bool) -> None:
    emails = [account.email for account in DEMO_ACCOUNTS]
    if db.session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails))):
        raise SeedRefused("The demo data is already in this database.")
    if not force and db.session.scalar(select(func.count()).select_from(User)):
        raise SeedRefused(
            "The database already has users; demo data goes only into an empty database "
            "(use --force to add it anyway)."
        )


def _companies() -> dict[str, Company]:
    companies = {}
    for key, data in DEMO_COMPANIES.items():
        address, phone, email = COMPANY_DETAILS[key]
        companies[key] = Company(
            **data,
            status="active",
            address=address,
            phone=phone,
            email=email,
            contact_name=data["representative_name"],
        )
    for n, (key, data) in enumerate(MORE_COMPANIES.items(), start=1):
        companies[key] = Company(
            **data,
            address=f"Jl. Poros Samarinda–Tenggarong Km {n * 3}, Kutai Kartanegara",
            phone=f"0541-66{n:04d}",
            email=f"csr@{key}.demo",
            contact_name=data["representative_name"],
        )
    db.session.add_all(companies.values())
    db.session.flush()
    return companies


def _users(companies: dict[str, Company]) -> dict[str, User]:
    """The demo accounts (passwords as in accounts.py), and one staff account per other
    company with a password nobody knows."""
    desa_ids = dict(db.session.execute(select(Desa.code, Desa.id)).all())
    desa_kecamatan = dict(db.session.execute(select(Desa.code, Desa.kecamatan_id)).all())
    kecamatan_ids = _kecamatan_ids()
    users = {}
    for account in DEMO_ACCOUNTS:
        user = User(
            email=account.email,
            password_hash=hash_password(account.password),
            session_token=new_session_token(),
            name=account.name,
            title=account.title,
            nip=account.nip,
            role=account.role,
        )
        if account.company_key:
            user.company_id = companies[account.company_key].id
        if account.kecamatan_code:
            user.kecamatan_id = kecamatan_ids[account.kecamatan_code]
        if account.desa_code:
            user.desa_id = desa_ids[account.desa_code]
            user.kecamatan_id = desa_kecamatan[account.desa_code]
        users[account.email] = user
    unknown = hash_password(secrets.token_urlsafe(24))
    for key, company in companies.items():
        if key not in DEMO_COMPANIES:
            users[company.email] = User(
                email=company.email,
                password_hash=unknown,
                session_token=new_session_token(),
                name=company.contact_name,
                title="Staf CSR",
                role="partner",
                company_id=company.id,
            )
    db.session.add_all(users.values())
    db.session.flush()
    return users


def _partners(companies: dict[str, Company], users: dict[str, User]) -> dict[str, User]:
    """The first staff account of each company, keyed like the companies."""
    by_company = {}
    for user in users.values():
        if user.role == "partner":
            by_company.setdefault(user.company_id, user)
    return {key: by_company[company.id] for key, company in companies.items()}


def _kecamatan_ids() -> dict[str, int]:
    return dict(db.session.execute(select(Kecamatan.code, Kecamatan.id)).all())


def _offices(users: dict[str, User], kecamatan_ids: dict[str, int]) -> None:
    """Each demo kecamatan office gets its camat, address and phone."""
    camats = {a.kecamatan_code: users[a.email] for a in DEMO_ACCOUNTS if a.role == "camat"}
    for code, (address, phone) in OFFICES.items():
        office = db.session.get(KecamatanOffice, kecamatan_ids[code])
        office.address, office.phone = address, phone
        office.email = f"kecamatan.{code.replace('.', '')}@kukarkab.go.id"
        office.camat_user_id = camats[code].id
