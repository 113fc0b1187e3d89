"""A partner's CSR impact report on the Kukar-sized dataset (``bench.generate``: 100,000
recipients, 2,000 contributions and their aid history) plus one company with many
handed-over plans: 40 contributions in every kecamatan, 80 plans of 25 people, their
handovers, 6,000 monitoring visits, 80 signed letters and 60 handover photos (half of
them shareable).

Figures: the PDF as the partner downloads it (the GET of the report's period through
the app, login and session included), median of several rounds; beside it, in the same
run, the figures' queries alone, the render alone (wall clock, and the process's CPU time,
which the machine's other load disturbs less), and the floor: a bare WeasyPrint
render of the same HTML with a fresh stylesheet and font configuration, as a plain
caller would write it."""

from __future__ import annotations

import io
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PIL import Image
from sqlalchemy import insert, select
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from bench.common import Figure, bench_app, median, timed
from bench.generate import BENCH_PASSWORD, generate
from portal.core.dates import utcnow
from portal.extensions import db
from portal.letters.render import STATIC
from portal.models import (
    Attachment,
    Company,
    Contribution,
    ContributionItem,
    HandoverLine,
    HandoverRecord,
    Kecamatan,
    Letter,
    Match,
    MatchAllocation,
    MatchMember,
    MonitoringVisit,
    Recipient,
    SignerCertificate,
    User,
)
from portal.reports.impact import STYLESHEET, impact_html, render_pdf
from portal.reports.impact_data import impact
from portal.reports.periods import Period

CONTRIBUTIONS = 40
PLANS_EACH = 2
PEOPLE_EACH = 25
PHOTOS = 60
ROUNDS = 7
WARM_UP = 2
TARGET_S = 2.0
PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
SEED = 12


def run(database_url: str) -> list[Figure]:
    app = bench_app(database_url)
    with app.app_context():
        generate(db.session)
        company_id, partner = _company_with_handovers(random.Random(SEED))
        db.session.commit()
        figures = _measure(app, company_id, partner)
        db.session.remove()
        db.engine.dispose()
    return figures


# --- the company's handovers, visits, letters and photos ---------------------------------


def _company_with_handovers(rng: random.Random) -> tuple[int, str]:
    """The company with the most partner accounts' first id, now with many handovers."""
    company = db.session.scalar(select(Company).where(Company.status == "active").limit(1))
    partner = db.session.scalar(select(User).where(User.company_id == company.id))
    kecamatan = list(db.session.scalars(select(Kecamatan).order_by(Kecamatan.code)))
    certificate = _certificate(partner.id)
    photo_owners = []
    for n in range(CONTRIBUTIONS):
        kec = kecamatan[n % len(kecamatan)]
        contribution, items = _contribution(company.id, kec.id, n)
        people = list(
            db.session.scalars(
                select(Recipient.id)
                .where(Recipient.kecamatan_id == kec.id, Recipient.validation_status == "validated")
                .order_by(Recipient.id)
                .offset(n // len(kecamatan) * PLANS_EACH * PEOPLE_EACH)
                .limit(PLANS_EACH * PEOPLE_EACH)
            )
        )
        for p in range(PLANS_EACH):
            chosen = people[p * PEOPLE_EACH : (p + 1) * PEOPLE_EACH]
            record = _handed_over(rng, contribution, kec, items, chosen, certificate, n, p)
            photo_owners.append(record)
    _photos(rng, photo_owners)
    return company.id, partner.email


def _certificate(user_id: int) -> int:
    now = utcnow()
    certificate = SignerCertificate(
        user_id=user_id,
        certificate_pem="-",
        key_pem="-",
        subject="CN=Camat Bench",
        issuer="CN=Sinergi Bench CA",
        serial="1",
        not_before=now - timedelta(days=900),
        not_after=now + timedelta(days=900),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate.id


def _contribution(company_id: int, kec_id: int, n: int):
    contribution = Contribution(
        company_id=company_id,
        title=f"Bantuan alat usaha bench {n:02d}",
        kind="equipment" if n % 4 else "goods",
        kecamatan_id=kec_id,
        status="completed",
        submitted_at=datetime(2024, 12, 1, tzinfo=UTC),
    )
    db.session.add(contribution)
    db.session.flush()
    items = [
        ContributionItem(
            contribution_id=contribution.id,
            position=0,
            name="Oven gas 2 rak",
            quantity=Decimal(60),
            unit="unit",
            unit_value=2_750_000,
        ),
        ContributionItem(
            contribution_id=contribution.id,
            position=1,
            name="Loyang",
            quantity=Decimal(120),
            unit="buah",
            unit_value=85_000,
        ),
    ]
    db.session.add_all(items)
    db.session.flush()
    return contribution, items


def _handed_over(rng, contribution, kec, items, people, certificate_id, n, p) -> int:
    day = date(2025, 1, 6) + timedelta(days=4 * (n * PLANS_EACH + p))
    approved = datetime.combine(day - timedelta(days=5), datetime.min.time(), UTC)
    number = f"400.9/{n * PLANS_EACH + p + 1:03d}/CSR-BENCH/{day.year}"
    match = Match(
        contribution_id=contribution.id,
        kecamatan_id=kec.id,
        label=f"Tahap {p + 1}",
        status="handed_over",
        submitted_at=approved - timedelta(days=2),
        approved_at=approved,
        letter_number=number,
    )
    db.session.add(match)
    db.session.flush()
    members = _rows(
        MatchMember,
        [
            {"match_id": match.id, "recipient_id": rid, "position": k, "status": "active"}
            | {"flags": [], "flag_reason": ""}
            for k, rid in enumerate(people)
        ],
        MatchMember.match_id == match.id,
    )
    allocations = [
        {"member_id": mid, "item_id": item.id, "quantity": Decimal(1 + position)}
        for mid in members
        for position, item in enumerate(items)
    ]
    db.session.execute(insert(MatchAllocation.__table__), allocations)
    record = HandoverRecord(
        match_id=match.id, kind="handover", handed_over_on=day, place="Balai Desa", details={}
    )
    db.session.add(record)
    db.session.flush()
    received = {mid: rng.random() > 0.05 for mid in members}
    lines = [
        {"record_id": record.id, "member_id": mid, "recipient_id": rid, "received": received[mid]}
        for mid, rid in zip(members, people, strict=True)
    ]
    db.session.execute(insert(HandoverLine.__table__), lines)
    db.session.execute(
        insert(MonitoringVisit.__table__),
        [
            _visit(rng, record.id, match.id, mid, rid, kec.id, day, months)
            for mid, rid in zip(members, people, strict=True)
            if received[mid]
            for months in (1, 3, 6)
        ],
    )
    db.session.add(_letter(match, number, certificate_id, approved))
    db.session.flush()
    return record.id


def _rows(model, rows: list[dict], condition) -> list[int]:
    db.session.execute(insert(model.__table__), rows)
    return list(db.session.scalars(select(model.id).where(condition).order_by(model.id)))


def _visit(rng, record_id, match_id, member_id, recipient_id, kec_id, day, months) -> dict:
    due = day + timedelta(days=30 * months)
    status = rng.choices(("recorded", "due", "closed"), (75, 20, 5))[0]
    recorded = status == "recorded"
    return {
        "handover_id": record_id,
        "match_id": match_id,
        "member_id": member_id,
        "recipient_id": recipient_id,
        "kecamatan_id": kec_id,
        "months": months,
        "due_on": due,
        "status": status,
        "visited_on": due if recorded else None,
        "aid_in_use": rng.random() < 0.85 if recorded else None,
        "business_running": rng.random() < 0.7 if recorded else None,
        "close_reason": "moved" if status == "closed" else None,
        "notes": "",
    }


def _letter(match, number: str, certificate_id: int, approved: datetime) -> Letter:
    return Letter(
        match_id=match.id,
        number=number,
        verification_code=f"B{match.id:07d}",
        letter_date=approved,
        signer_certificate_id=certificate_id,
        signer_name="Camat Bench",
        signer_title="Camat",
        signed_at=approved,
        sha256="0" * 64,
        size=4,
        pdf=b"%PDF",
    )


def _photos(rng, records: list[int]) -> None:
    """Handover photos as a camera sends them (JPEG, 1024×768), half of them shareable."""
    for n in range(PHOTOS):
        data = _jpeg(rng)
        db.session.add(
            Attachment(
                owner_type="handover_record",
                owner_id=records[n % len(records)],
                kind="photo",
                filename=f"foto-{n}.jpg",
                content_type="image/jpeg",
                size=len(data),
                sha256="0" * 64,
                data=data,
                shareable=n % 2 == 0,
                caption=f"Serah terima tahap {n}",
            )
        )
    db.session.flush()


def _jpeg(rng) -> bytes:
    image = Image.linear_gradient("L").resize((1024, 768)).convert("RGB")
    tint = Image.new("RGB", image.size, tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    Image.blend(image, tint, 0.4).save(out, format="JPEG", quality=80)
    return out.getvalue()


# --- measuring ------------------------------------------------------------------------------


def _bare(html: str) -> bytes:
    fonts = FontConfiguration()
    base = f"{STATIC.as_uri()}/"
    css = CSS(filename=str(STYLESHEET), base_url=base, font_config=fonts)
    return HTML(string=html, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)


def _measure(app, company_id: int, partner_email: str) -> list[Figure]:
    client = app.test_client()
    client.post("/login", data={"email": partner_email, "password": BENCH_PASSWORD})
    args = {"start": "01/01/2025", "end": "31/12/2025", "format": "pdf"}
    company = db.session.get(Company, company_id)
    partner = db.session.scalar(select(User).where(User.email == partner_email))

    def download() -> bytes:
        response = client.get("/laporan/dampak/unduh", query_string=args)
        if response.status_code != 200 or not response.data.startswith(b"%PDF"):
            raise RuntimeError(f"the report answered {response.status_code}")
        return response.data

    report = impact(partner, company, PERIOD)
    html = impact_html(report)
    for _ in range(WARM_UP):
        download()
        _bare(html)
    whole, queries, rendering, cpu, bare = [], [], [], [], []
    for _ in range(ROUNDS):  # interleaved, so each sees the same machine load
        whole.append(timed(download)[0])
        queries.append(timed(lambda: impact(partner, company, PERIOD))[0])
        db.session.rollback()
        started = time.process_time()
        rendering.append(timed(lambda: render_pdf(report))[0])
        cpu.append(time.process_time() - started)
        bare.append(timed(lambda: _bare(html))[0])
    size_kb = len(download()) / 1024
    seconds = median(whole)
    return [
        Figure(
            f"partner impact PDF ({report.people:,} people, {len(report.letters)} letters, "
            f"{len(report.photos)} photos), GET, median",
            round(seconds, 2),
            "s",
            f"≤ {TARGET_S} s",
            seconds <= TARGET_S,
        ),
        Figure(
            "  its figures' queries alone, median", round(median(queries), 3), "s", "reported", True
        ),
        Figure("  its render alone, median", round(median(rendering), 3), "s", "reported", True),
        Figure(
            "  its render alone, CPU time, median", round(median(cpu), 3), "s", "reported", True
        ),
        Figure(
            "  floor: bare WeasyPrint render of the same HTML, median",
            round(median(bare), 3),
            "s",
            f"reported ({size_kb:.0f} KB PDF)",
            True,
        ),
    ]
