"""Receipts (tanda terima): one page per recipient read back from the PDF (names, masked
NIK, who collected), following the recorded handover, who may print them, and the
background job with its progress and download for a large match."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from portal.core.nik import mask_nik
from portal.extensions import db
from portal.handovers import services as handovers
from portal.jobs import services as jobs
from portal.letters import receipt_pdf
from portal.letters.receipts import receipt_batch
from portal.letters.sample import sample_receipts
from portal.letters.services import issue_letter
from portal.models import Job
from tests import factories
from tests.support.letters import approved_match, pdf_text
from tests.support.registry import categories

NUMBER = "400.9/007/CSR-64.02.06/V/2025"
pytestmark = pytest.mark.usefixtures("public_address")


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture()
def letter(client):
    match = approved_match(3)
    match.contribution.aid_category_id = categories()["EQUIPMENT"]
    letter = issue_letter(match, NUMBER)
    match.letter_number = NUMBER
    db.session.commit()
    return letter


def post_receipts(client, letter):
    return client.post(f"/surat/{letter.id}/tanda-terima")


def test_each_recipient_has_a_page_with_name_masked_nik_and_who_collected(tmp_path):
    batch = sample_receipts(3)
    pdf = receipt_pdf.render_receipts(batch, processes=1)
    assert pages(pdf) == 3
    text = pdf_text(pdf, tmp_path)
    assert text.count("TANDA TERIMA BANTUAN CSR") == 3
    assert f"Berita Acara Serah Terima Nomor: {batch.number}" in text
    for receipt in batch.receipts:
        assert receipt.name in text and receipt.masked_nik in text
    assert "Diterima oleh: [X] penerima sendiri" in text
    assert "Diterima oleh: [X] diwakili oleh: Siti Aminah" in text
    assert "[ ] penerima sendiri [ ] diwakili oleh: ....." in text  # not yet recorded
    assert "Kode verifikasi: K7QM2XWD9A" in text and "SITI RAHMAWATI" in text


def test_chunks_render_in_worker_processes_in_order_with_progress(monkeypatch, tmp_path):
    monkeypatch.setattr(receipt_pdf, "CHUNK", 2)
    done = []
    pdf = receipt_pdf.render_receipts(sample_receipts(5), done.append, processes=2)
    assert done == [2, 4, 5]
    assert pages(pdf) == 5
    reader = PdfReader(io.BytesIO(pdf))
    firsts = [page.extract_text() for page in reader.pages]
    assert [f"Penerima Contoh {n}" in firsts[n - 1] for n in range(1, 6)] == [True] * 5


def test_names_typed_by_users_are_text_not_markup(tmp_path):
    batch = sample_receipts(1)
    odd = receipt_pdf.Receipt('Ani <b>"Ñ"</b> & Co', "640206********01", "Jahab", "Oven <x>", "")
    html = receipt_pdf.receipts_html(batch, (odd,))
    assert "Ani &lt;b&gt;&#34;Ñ&#34;&lt;/b&gt; &amp; Co" in html and "Ani <b>" not in html
    pdf = receipt_pdf.render_receipts(replace(batch, receipts=(odd,)), processes=1)
    text = pdf_text(pdf, tmp_path)
    assert 'Ani <b>"Ñ"</b> & Co' in text and "Oven <x>" in text


def test_before_the_handover_every_member_gets_a_receipt_with_boxes(letter, ctx):
    officer = factories.user_for_role("officer", kecamatan_id=letter.match.kecamatan_id)
    batch = receipt_batch(letter, officer)
    members = letter.match.active_members
    assert [r.masked_nik for r in batch.receipts] == [mask_nik(m.recipient.nik) for m in members]
    assert {r.collected_by for r in batch.receipts} == {None}
    assert batch.officer == officer.name and batch.number == NUMBER


def test_after_the_handover_receipts_say_who_collected_and_skip_the_absent(letter, ctx, tmp_path):
    match = letter.match
    officer = factories.user_for_role("officer", kecamatan_id=match.kecamatan_id, name="Rina")
    first, second, third = match.active_members
    handovers.record(
        match,
        officer,
        handed_over_on=date(2025, 5, 20),
        place="Balai Desa Loa Ipuh",
        absent={third.id: handovers.Absence("absent")},
        proxies={second.id: "Wakil Keluarga Uji"},
    )
    db.session.flush()
    batch = receipt_batch(letter, officer)
    assert [r.collected_by for r in batch.receipts] == ["", "Wakil Keluarga Uji"]
    pdf = receipt_pdf.render_receipts(batch, processes=1)
    assert pages(pdf) == 2
    text = pdf_text(pdf, tmp_path)
    assert first.recipient.name in text and mask_nik(first.recipient.nik) in text
    assert "diwakili oleh: Wakil Keluarga Uji" in text and "WAKIL KELUARGA UJI" in text
    assert mask_nik(third.recipient.nik) not in text
    assert "Balai Desa Loa Ipuh, 20 Mei 2025" in text and "RINA" in text
    assert first.recipient.nik not in text


@pytest.mark.parametrize("role", ["officer", "camat", "admin"])
def test_the_kecamatan_and_dinsos_print_a_small_match_at_once(client, letter, login_as, role):
    scope = {} if role == "admin" else {"kecamatan_id": letter.match.kecamatan_id}
    login_as(role, **scope)
    response = post_receipts(client, letter)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert pages(response.data) == 3
    assert (
        "Tanda-terima-400.9-007-CSR-64.02.06-V-2025.pdf" in response.headers["Content-Disposition"]
    )


@pytest.mark.parametrize(
    ("role", "other", "status"),
    [
        ("officer", True, 404),  # another kecamatan's officer
        ("camat", True, 404),
        ("partner", False, 403),  # the company's own partner: not a receipt printer
        ("partner", True, 403),
        ("village", False, 403),
    ],
)
def test_others_may_not_print_receipts(client, letter, login_as, role, other, status):
    if role == "partner":
        kwargs = {} if other else {"company": letter.match.contribution.company}
    elif other:
        kwargs = {"kecamatan": factories.kecamatan("64.02.07")}
    else:
        kwargs = {}
    login_as(role, **kwargs)
    assert post_receipts(client, letter).status_code == status


def test_anonymous_users_are_sent_to_login(client, letter):
    response = post_receipts(client, letter)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_get_prints_nothing(client, letter, login_as):
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    assert client.get(f"/surat/{letter.id}/tanda-terima").status_code == 405


def test_a_replaced_letter_prints_no_receipts(client, letter, login_as):
    letter.status = "replaced"
    db.session.commit()
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    assert post_receipts(client, letter).status_code == 403
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "tanda-terima" not in page and "Cetak tanda terima" not in page


def test_the_letter_page_offers_receipts_to_the_officer_only(client, letter, login_as):
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert f'action="/surat/{letter.id}/tanda-terima"' in page and "Cetak tanda terima" in page
    client.post("/logout")
    login_as("partner", company=letter.match.contribution.company)
    page = client.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "tanda-terima" not in page


def test_a_large_match_is_printed_in_the_background_with_progress(
    app, client, letter, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "RECEIPTS_INLINE", 2)
    monkeypatch.setitem(app.config, "RECEIPTS_PROCESSES", 1)
    monkeypatch.setattr(receipt_pdf, "CHUNK", 1)
    seen = []
    real_progress = jobs.progress

    def progress(job, done, message=None):
        seen.append(done)
        real_progress(job, done, message)

    monkeypatch.setattr(jobs, "progress", progress)
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)
    response = post_receipts(client, letter)
    assert response.status_code == 303
    job_page = response.headers["Location"]
    assert job_page.startswith("/jobs/")
    assert seen == [1, 2, 3]
    job = db.session.get(Job, job_page.rsplit("/", 1)[1])
    assert (job.kind, job.state, job.progress, job.total) == ("receipts", "done", 3, 3)
    page = client.get(job_page).get_data(as_text=True)
    link = f"/surat/tanda-terima/{job.id}"
    assert link in page and "Tanda-terima-400.9-007-CSR-64.02.06-V-2025.pdf" in page
    download = client.get(link)
    assert download.status_code == 200 and pages(download.data) == 3
    client.post("/logout")
    login_as("officer", kecamatan_id=letter.match.kecamatan_id)  # another officer
    assert client.get(link).status_code == 404
