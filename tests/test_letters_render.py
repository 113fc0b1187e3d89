"""The letter's PDF: what it says (read back with pypdf), its QR code (zbar), escaping of
what users typed, the training form, and page images for people to look at."""

from __future__ import annotations

from dataclasses import replace

import pytest

from portal.core.nik import mask_nik
from portal.letters.data import camat_title, letter_data
from portal.letters.render import letter_html, render_pdf
from portal.letters.sample import sample_letter
from portal.letters.services import issue_letter
from tests import factories
from tests.support.letters import ARTIFACTS, approved_match, page_images, pdf_text, qr_codes

NUMBER = "400.9/007/CSR-64.02.06/V/2025"
# Letters carry a QR code of PUBLIC_BASE_URL.
pytestmark = pytest.mark.usefixtures("public_address")


@pytest.fixture()
def match(ctx):
    return approved_match(3)


def test_the_letter_says_number_date_parties_totals_and_masked_niks(match, tmp_path):
    letter = issue_letter(match, NUMBER)
    text = pdf_text(letter.pdf, tmp_path)
    assert "BERITA ACARA SERAH TERIMA BANTUAN CSR" in text
    assert f"Nomor: {NUMBER}" in text
    assert (
        "Pada hari ini, Rabu, tanggal empat belas bulan Mei tahun dua ribu dua puluh lima "
        "(14-05-2025)" in text
    )
    assert "PT Mahakam Batubara Lestari" in text and "Budi Santoso" in text
    assert "selanjutnya disebut PIHAK PERTAMA" in text
    assert "Drs. Ahmad Yani" in text and "197205141998031004" in text
    assert "Camat Tenggarong" in text and "selanjutnya disebut PIHAK KEDUA" in text
    # 3 people × (1 × 1.500.000 + 2 × 250.000) = 6.000.000
    assert "Rp6.000.000 (enam juta rupiah)" in text
    assert "JUMLAH 6.000.000" in text
    assert "Mengetahui" in text and "Kepala Dinas Sosial Kabupaten Kutai Kartanegara" in text
    assert "DAFTAR PENERIMA MANFAAT" in text
    for member in match.active_members:
        assert mask_nik(member.recipient.nik) in text
        assert member.recipient.nik not in text
        assert member.recipient.name in text
    assert "CATATAN PENANDATANGANAN ELEKTRONIK" in text and "Siti Rahmawati" in text
    assert "14 Mei 2025 09.30 WITA" in text
    assert f"Kode verifikasi: {letter.verification_code}" in text
    assert "Balai Besar Sertifikasi Elektronik" not in text  # not signed by BSrE


def test_every_page_carries_the_qr_code_of_the_verification_address(match, tmp_path):
    letter = issue_letter(match, NUMBER)
    address = f"http://sinergi.uji.example/verifikasi/{letter.verification_code}"
    pages = page_images(letter.pdf, ARTIFACTS, stem="bast", dpi=150)
    assert len(pages) >= 3
    for page in pages:
        assert qr_codes(page) == [address], page.name


def test_names_users_typed_are_text_not_markup(ctx, tmp_path):
    company = factories.CompanyFactory(
        name='PT "Maju" <Jaya> & Sejahtera Ñusantara', representative_name="O'Brien <b>x</b>"
    )
    match = approved_match(1, company=company, item_name='Oven <script>&amp; "gas" Ümit')
    data = letter_data(match, NUMBER, "ABCDEFGHJK", match.approved_by)
    html = letter_html(data)
    assert "&lt;Jaya&gt; &amp; Sejahtera" in html and "<Jaya>" not in html
    assert "<script>" not in html and "&lt;script&gt;&amp;amp;" in html
    text = pdf_text(render_pdf(data), tmp_path)
    assert 'PT "Maju" <Jaya> & Sejahtera Ñusantara' in text
    assert "O'Brien <b>x</b>" in text
    assert 'Oven <script>&amp; "gas" Ümit' in text


def test_an_acting_camat_signs_as_plt(ctx):
    assert (
        camat_title(factories.UserFactory(title="Plt. Camat"), "Loa Kulu") == "Plt. Camat Loa Kulu"
    )
    assert camat_title(factories.UserFactory(title="Camat"), "Loa Kulu") == "Camat Loa Kulu"
    assert camat_title(factories.UserFactory(title=""), "Loa Kulu") == "Camat Loa Kulu"


def test_the_footer_names_bsre_only_for_a_bsre_certificate(tmp_path):
    text = pdf_text(render_pdf(replace(sample_letter(2), bsre=True)), tmp_path)
    assert "Balai Besar Sertifikasi Elektronik (BSrE)" in text


def test_a_training_letter_has_its_record_and_attendance_list(ctx, tmp_path):
    match = approved_match(
        4,
        kind="training",
        topic="Tata boga & kue <basah>",
        sessions=3,
        seats=20,
        trainer="LPK Mandiri",
        place="Balai Desa Loa Ipuh",
    )
    letter = issue_letter(match, NUMBER)
    text = pdf_text(letter.pdf, tmp_path)
    assert letter.kind == "training"
    assert "BERITA ACARA SERAH TERIMA PELATIHAN CSR" in text
    assert (
        "menyelenggarakan pelatihan Tata boga & kue <basah> sebanyak 3 sesi bagi 4 peserta" in text
    )
    assert "DAFTAR HADIR PESERTA PELATIHAN" in text and "Sesi 3" in text
    page_images(letter.pdf, ARTIFACTS, stem="training")


def test_the_lampiran_repeats_number_and_date_on_each_page(tmp_path):
    text = pdf_text(render_pdf(sample_letter(50)), tmp_path)
    assert text.count("LAMPIRAN BERITA ACARA SERAH TERIMA BANTUAN CSR") >= 2
    assert text.count("Tanggal : 14 Mei 2025") >= 2
