"""An example letter as plain data, with no database: the benchmark renders it, the tests
check the PDF against it and the README's picture is its first page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from portal.letters.data import (
    Item,
    LetterData,
    Letterhead,
    Party,
    Person,
    SigningRecord,
    Training,
)
from portal.letters.receipt_pdf import Receipt, ReceiptBatch

DESAS = ("Bendang Raya", "Loa Ipuh", "Mangkurawang", "Jahab", "Rapak Lambur")


def sample_letter(recipients: int = 12, *, kind: str = "bast", **changes) -> LetterData:
    """A BAST of kecamatan Tenggarong with ``recipients`` people in the lampiran."""
    people = tuple(
        Person(
            name=f"Penerima Contoh {n}",
            masked_nik=f"640206********{n % 100:02d}",
            desa=DESAS[n % len(DESAS)],
            items="Oven gas 1 unit; Mixer roti 1 unit",
        )
        for n in range(1, recipients + 1)
    )
    letter = LetterData(
        kind=kind,
        number="400.9/007/CSR-64.02.06/V/2025",
        day=date(2025, 5, 14),
        place="Kantor Camat Tenggarong",
        letterhead=Letterhead(
            "Tenggarong",
            "Jl. Jenderal Sudirman No. 1, Tenggarong 75512",
            "(0541) 661234",
            "kec.tenggarong@kukarkab.go.id",
        ),
        first=Party(
            "Budi Santoso",
            "Manajer CSR",
            "PT Mahakam Batubara Lestari",
            "Jl. Imam Bonjol No. 8, Tenggarong",
        ),
        second=Party(
            "Drs. Ahmad Yani, M.Si.",
            "Camat Tenggarong",
            "Pemerintah Kecamatan Tenggarong",
            "Jl. Jenderal Sudirman No. 1, Tenggarong 75512",
            nip="197205141998031004",
        ),
        acknowledger=Party(
            "",
            "Kepala Dinas Sosial Kabupaten Kutai Kartanegara",
            "Dinas Sosial Kabupaten Kutai Kartanegara",
            "",
        ),
        verification_code="K7QM2XWD9A",
        verification_url="http://127.0.0.1:5000/verifikasi/K7QM2XWD9A",
        signing=SigningRecord(
            "Siti Rahmawati",
            "12 Mei 2025 10.15 WITA",
            "Drs. Ahmad Yani, M.Si.",
            "Camat",
            "14 Mei 2025 09.30 WITA",
            1,
        ),
        items=(
            Item("Oven gas", str(recipients), "unit", 1_500_000, 1_500_000 * recipients),
            Item("Mixer roti", str(recipients), "unit", 750_000, 750_000 * recipients),
        ),
        people=people,
        training=(
            Training(
                "Tata boga", 3, recipients, "14 Mei 2025", "Balai Desa Loa Ipuh", "LPK Mandiri"
            )
            if kind == "training"
            else None
        ),
    )
    return replace(letter, **changes)


def sample_receipts(recipients: int = 3) -> ReceiptBatch:
    """The receipts of the sample letter: the first recipient collected in person, the
    second through a proxy, the others before the handover is recorded."""
    letter = sample_letter(0)
    collected = {0: "", 1: "Siti Aminah"}
    receipts = tuple(
        Receipt(
            name=f"Penerima Contoh {n + 1}",
            masked_nik=f"640206********{(n + 1) % 100:02d}",
            desa=DESAS[(n + 1) % len(DESAS)],
            items="Oven gas 1 unit; Mixer roti 1 unit",
            collected_by=collected.get(n),
        )
        for n in range(recipients)
    )
    return ReceiptBatch(
        kecamatan="Tenggarong",
        address=letter.letterhead.address,
        phone=letter.letterhead.phone,
        company=letter.first.organisation,
        number=letter.number,
        verification_code=letter.verification_code,
        verification_url=letter.verification_url,
        place="Balai Desa Loa Ipuh",
        day="20 Mei 2025",
        officer="Siti Rahmawati",
        receipts=receipts,
    )
