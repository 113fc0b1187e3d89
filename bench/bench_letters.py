"""A handover letter with a 50-recipient lampiran: rendering and signing it together,
against a bare WeasyPrint render of the same HTML and stylesheet measured in the same run
(a fresh ``HTML(...).write_pdf()`` as a plain caller would write it), and signing alone."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from bench.common import Figure, bench_app, median, timed
from portal.extensions import db
from portal.letters.render import STATIC, STYLESHEET, letter_html, render_pdf
from portal.letters.sample import sample_letter
from portal.models import Kecamatan, User
from portal.signing import signer_for
from portal.signing.authority import ensure_authority

RECIPIENTS = 50
ROUNDS = 15
WARM_UP = 2
TARGET_MS = 500
TARGET_RATIO = 1.3


def run(database_url: str) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="sinergi-bench-ca-"))
    app = bench_app(database_url)
    app.config.update(
        SIGNING_CA_CERT=str(folder / "ca-cert.pem"), SIGNING_CA_KEY=str(folder / "ca-key.pem")
    )
    with app.app_context():
        ensure_authority()
        signer = signer_for(_camat())
        figures = _measure(signer)
        db.session.rollback()
        db.engine.dispose()
    return figures


def _camat() -> User:
    kecamatan = db.session.query(Kecamatan).filter_by(code="64.02.06").one()
    user = User(
        email="camat.bench@sinergi.example",
        password_hash="x",
        name="Drs. Ahmad Yani, M.Si.",
        title="Camat",
        nip="197205141998031004",
        role="camat",
        kecamatan_id=kecamatan.id,
        session_token="bench",
    )
    db.session.add(user)
    db.session.flush()
    return user


def _bare(html: str) -> bytes:
    fonts = FontConfiguration()
    base = f"{STATIC.as_uri()}/"
    css = CSS(filename=str(STYLESHEET), base_url=base, font_config=fonts)
    return HTML(string=html, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)


def _sign(signer, pdf: bytes) -> bytes:
    return signer.sign(pdf, field_name="TandaTanganCamat", reason="Bench", location="Tenggarong")


def _measure(signer) -> list[Figure]:
    letter = sample_letter(RECIPIENTS)
    html = letter_html(letter)
    for _ in range(WARM_UP):
        _sign(signer, render_pdf(letter))
        _bare(html)
    together, bare, signing, cpu = [], [], [], []
    for _ in range(ROUNDS):  # interleaved, so both see the same machine load
        started = time.process_time()
        seconds, pdf = timed(lambda: render_pdf(letter))
        sign_seconds, _ = timed(lambda pdf=pdf: _sign(signer, pdf))
        cpu.append(time.process_time() - started)
        together.append(seconds + sign_seconds)
        signing.append(sign_seconds)
        bare.append(timed(lambda: _bare(html))[0])
    both_ms, bare_ms = median(together) * 1000, median(bare) * 1000
    ratio = both_ms / bare_ms
    return [
        Figure(
            f"letter render+sign ({RECIPIENTS} recipients), median",
            round(both_ms),
            "ms",
            f"≤ {TARGET_MS} ms",
            both_ms <= TARGET_MS,
        ),
        Figure(
            "letter render+sign ÷ bare WeasyPrint render",
            round(ratio, 2),
            "×",
            f"≤ {TARGET_RATIO}× (bare {bare_ms:.0f} ms)",
            ratio <= TARGET_RATIO,
        ),
        Figure(
            "letter signing alone, median", round(median(signing) * 1000), "ms", "reported", True
        ),
        # On a shared machine the wall clock counts other people's work; CPU time does not.
        Figure(
            "letter render+sign, CPU time of this process, median",
            round(median(cpu) * 1000),
            "ms",
            f"reported (load average {os.getloadavg()[0]:.1f})",
            True,
        ),
    ]
