"""The demo accounts: shown in the README, created by ``flask seed-demo``, used by browser tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    name: str
    title: str = ""
    nip: str = ""
    kecamatan_code: str | None = None  # officer, camat
    desa_code: str | None = None  # village
    company_key: str | None = None  # partner: key into DEMO_COMPANIES


DEMO_COMPANIES = {
    "mahakam": {
        "name": "PT Mahakam Batubara Lestari",
        "sector": "mining",
        "representative_name": "Ir. Hendra Wijaya",
        "representative_title": "General Manager CSR",
    },
    "sawit": {
        "name": "PT Sawit Kartanegara Makmur",
        "sector": "plantation",
        "representative_name": "Dewi Anggraini, S.E.",
        "representative_title": "Kepala Departemen CSR",
    },
}

DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@sinergi.demo",
        "dinsos-kukar-2025",
        "admin",
        "Rahmawati Said",
        "Kepala Bidang Pemberdayaan Sosial",
        "197805122005012003",
    ),
    DemoAccount(
        "petugas.kembangjanggut@sinergi.demo",
        "petugas-kj-2025",
        "officer",
        "Yusuf Hamdani",
        "Operator Puskesos",
        "198803152010011004",
        "64.02.10",
    ),
    DemoAccount(
        "camat.kembangjanggut@sinergi.demo",
        "camat-kj-2025",
        "camat",
        "Drs. Abdul Karim, M.Si.",
        "Camat Kembang Janggut",
        "197104101995031002",
        "64.02.10",
    ),
    DemoAccount(
        "petugas.tenggarong@sinergi.demo",
        "petugas-tgr-2025",
        "officer",
        "Siti Nurhaliza",
        "Operator Puskesos",
        "199002202015032001",
        "64.02.06",
    ),
    DemoAccount(
        "camat.tenggarong@sinergi.demo",
        "camat-tgr-2025",
        "camat",
        "H. Muhammad Ridwan, S.Sos.",
        "Camat Tenggarong",
        "197512251998031003",
        "64.02.06",
    ),
    DemoAccount(
        "petugas.loakulu@sinergi.demo",
        "petugas-lk-2025",
        "officer",
        "Agus Salim",
        "Operator Puskesos",
        "198611302011011002",
        "64.02.02",
    ),
    DemoAccount(
        "camat.loakulu@sinergi.demo",
        "camat-lk-2025",
        "camat",
        "Hj. Nurul Aini, S.IP.",
        "Plt. Camat Loa Kulu",
        "197709081999032004",
        "64.02.02",
    ),
    DemoAccount(
        "desa.bendangraya@sinergi.demo",
        "desa-br-2025",
        "village",
        "Fitriani",
        "Pekerja Sosial Masyarakat",
        desa_code="64.02.06.2014",
    ),
    DemoAccount(
        "desa.kembangjanggut@sinergi.demo",
        "desa-kj-2025",
        "village",
        "Rusmini",
        "Operator Desa",
        desa_code="64.02.10.2004",
    ),
    DemoAccount(
        "csr@mahakambatubara.demo",
        "mitra-mbl-2025",
        "partner",
        "Bambang Prasetyo",
        "Staf CSR",
        company_key="mahakam",
    ),
    DemoAccount(
        "csr@sawitkartanegara.demo",
        "mitra-skm-2025",
        "partner",
        "Lestari Handayani",
        "Staf CSR",
        company_key="sawit",
    ),
)
