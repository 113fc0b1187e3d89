"""The camat's approval of a 200-recipient match, without the letter's PDF (and, reported
beside it, with the letter rendered and signed as approval does): the server time
of the approve POST (password check, every member checked again, the number taken by the
conditional counter update, audit and notifications, commit), median over fresh matches."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from sqlalchemy import select

from bench.common import Figure, bench_app, median
from portal.auth.services import hash_password, new_session_token
from portal.core.dates import utcnow
from portal.core.nik import synthetic_nik
from portal.extensions import db
from portal.matching import numbering, transitions
from portal.models import (
    Company,
    Contribution,
    ContributionItem,
    Desa,
    Kecamatan,
    Match,
    MatchAllocation,
    MatchMember,
    Recipient,
    User,
)

RECIPIENTS = 200
APPROVALS = 15
WARM_UP = 2
TARGET_MS = 300
KECAMATAN = "64.02.10"
PASSWORD = "bench-camat-2025"


WITH_LETTER = 5  # approvals that also render and sign the letter (reported beside)


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context(), app.test_request_context():
        match_ids, camat_email = _prepare(APPROVALS + WARM_UP + WITH_LETTER)
        db.session.remove()
    client = app.test_client()
    response = client.post("/login", data={"email": camat_email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"bench login as the camat failed ({response.status_code})")
    plain, lettered = match_ids[: APPROVALS + WARM_UP], match_ids[APPROVALS + WARM_UP :]
    real_letter = numbering.issue_letter
    numbering.issue_letter = lambda match, number, actor: None  # the figure without the PDF
    try:
        times = _approve(client, plain)[WARM_UP:]
    finally:
        numbering.issue_letter = real_letter
    with_letter = _approve(client, lettered)
    with app.app_context():
        approved = db.session.scalars(select(Match.letter_seq).where(Match.id.in_(match_ids)))
        if sorted(approved) != list(range(1, len(match_ids) + 1)):
            raise RuntimeError("the approvals did not number the letters 1, 2, 3, ...")
        db.engine.dispose()
    value = median(times)
    return [
        Figure(
            f"approve a {RECIPIENTS}-recipient match, no PDF (median of {APPROVALS})",
            round(value, 1),
            "ms",
            f"<= {TARGET_MS} ms",
            value <= TARGET_MS,
        ),
        Figure(
            f"  the same with its letter rendered and signed (median of {WITH_LETTER})",
            round(median(with_letter), 1),
            "ms",
            "reported",
            True,
        ),
    ]


def _approve(client, match_ids: list[int]) -> list[float]:
    times = []
    for match_id in match_ids:
        start = time.perf_counter()
        response = client.post(f"/penyaluran/{match_id}/approve", data={"password": PASSWORD})
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 302:
            raise RuntimeError(f"approval of match {match_id} gave {response.status_code}")
    return times


def _prepare(count: int) -> tuple[list[int], str]:
    """``count`` submitted matches of 200 validated recipients each, in one kecamatan."""
    kecamatan = db.session.scalar(select(Kecamatan).where(Kecamatan.code == KECAMATAN))
    desas = db.session.scalars(select(Desa).where(Desa.kecamatan_id == kecamatan.id)).all()
    officer, camat = (_user(role, kecamatan) for role in ("officer", "camat"))
    company = Company(name="PT Bench Approval", sector="mining", status="active")
    db.session.add(company)
    db.session.flush()
    contribution = Contribution(
        company_id=company.id,
        title="Paket alat usaha (bench)",
        kind="equipment",
        kecamatan_id=kecamatan.id,
        status="accepted",
        submitted_at=utcnow(),
    )
    contribution.items = [
        ContributionItem(position=0, name="Mesin jahit", quantity=count * RECIPIENTS, unit="unit"),
        ContributionItem(position=1, name="Obras", quantity=count * RECIPIENTS, unit="unit"),
    ]
    db.session.add(contribution)
    db.session.flush()
    rng = random.Random(11)
    ids = []
    for n in range(count):
        match = Match(
            contribution_id=contribution.id, kecamatan_id=kecamatan.id, label=f"Tahap {n}"
        )
        db.session.add(match)
        for position in range(RECIPIENTS):
            person = _recipient(
                rng, kecamatan, desas[position % len(desas)], n * RECIPIENTS + position
            )
            member = MatchMember(recipient=person, position=position)
            member.allocations = [
                MatchAllocation(item_id=item.id, quantity=1) for item in contribution.items
            ]
            match.members.append(member)
        db.session.flush()
        transitions.submit(match, officer)
        db.session.commit()
        ids.append(match.id)
    return ids, camat.email


def _user(role: str, kecamatan: Kecamatan) -> User:
    user = User(
        email=f"{role}@bench-approval.demo",
        password_hash=hash_password(PASSWORD),
        session_token=new_session_token(),
        name=f"Bench {role}",
        role=role,
        kecamatan_id=kecamatan.id,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _recipient(rng: random.Random, kecamatan: Kecamatan, desa: Desa, serial: int) -> Recipient:
    born = date(1970, 1, 1) + timedelta(days=rng.randint(0, 12_000))
    sex = rng.choice("LP")
    return Recipient(
        nik=synthetic_nik(rng, kecamatan.code, born, sex, serial=serial % 9999 + 1),
        name=f"Penerima {serial}",
        sex=sex,
        birth_date=born,
        desa_id=desa.id,
        kecamatan_id=kecamatan.id,
        source="MANUAL",
        validation_status="validated",
        validated_at=utcnow(),
        active=True,
    )
