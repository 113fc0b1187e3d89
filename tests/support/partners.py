"""The partner registration form, filled in as an applicant would."""

FORM = {
    "company_name": "PT Mahakam Lestari",
    "sector": "plantation",
    "address": "Jl. Mulawarman No. 10, Loa Kulu",
    "phone": "0541 765432",
    "company_email": "csr@mahakam.example",
    "contact_name": "Rina Marlina",
    "representative_name": "H. Ahmad Fauzi",
    "representative_title": "Direktur Utama",
    "name": "Rina Marlina",
    "email": "rina@mahakam.example",
    "password": "kata-sandi-panjang",
    "confirm": "kata-sandi-panjang",
}
