"""A NIK or KK is ASCII digits only (Arabic-Indic, full-width or superscript digits are
refused as "only digits", never a crash), and a refused NIK carries no warnings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.core.nik import KK_NOT_DIGITS, NIK_NOT_DIGITS, check_kk, check_nik
from portal.models import Recipient
from tests import factories

TODAY = date(2025, 6, 1)
MAN = "6402061405850001"  # Tenggarong, a man born 14 May 1985
KK = "6402060203150001"


def translate(number: str, digits: str) -> str:
    """The same number written with another script's digits 0-9."""
    return number.translate(str.maketrans("0123456789", digits))


ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
FULL_WIDTH = "０１２３４５６７８９"
DEVANAGARI = "०१२३४५६७८९"
NOT_ASCII = [
    pytest.param(translate(MAN, ARABIC_INDIC), id="arabic-indic"),
    pytest.param(translate(MAN, FULL_WIDTH), id="full-width"),
    pytest.param(translate(MAN, DEVANAGARI), id="devanagari"),
    pytest.param(MAN[:6] + "¹⁴" + MAN[8:], id="superscript-in-the-date"),
    pytest.param(MAN[:-1] + "١", id="one-arabic-digit-at-the-end"),
]


@pytest.mark.parametrize("value", NOT_ASCII)
def test_a_nik_in_other_digits_is_refused_as_not_digits(value):
    result = check_nik(value, today=TODAY)
    assert not result.valid
    assert [str(e) for e in result.errors] == [str(NIK_NOT_DIGITS)]
    assert result.birth_date is None and result.warnings == ()


@pytest.mark.parametrize("value", [translate(KK, ARABIC_INDIC), translate(KK, FULL_WIDTH)])
def test_a_kk_in_other_digits_is_refused_as_not_digits(value):
    result = check_kk(value)
    assert not result.valid
    assert [str(e) for e in result.errors] == [str(KK_NOT_DIGITS)]


@pytest.mark.parametrize("value", NOT_ASCII)
def test_the_form_refuses_a_nik_in_other_digits_beside_the_field(client, login_as, db, value):
    officer = login_as("officer", locale="en")
    response = client.post(
        "/registry/recipients/new",
        data={
            "nik": value,
            "name": "Siti Aminah",
            "sex": "P",
            "desa_id": factories.desa_of(officer.kecamatan).id,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="nik-error"' in html
    assert "A NIK has only digits." in html
    assert db.session.scalar(select(func.count()).select_from(Recipient)) == 0


def test_the_lookup_refuses_a_nik_in_other_digits(client, login_as):
    login_as("officer", locale="en")
    response = client.post("/registry/lookup", data={"nik": translate(MAN, ARABIC_INDIC)})
    assert response.status_code == 200
    assert "A NIK has only digits." in response.get_data(as_text=True)


# --- a refused NIK has errors, not warnings ----------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "6471011405850000",  # Balikpapan (outside Kukar) and serial 0000
        "6471013102850001",  # Balikpapan and 31 February
        "6402061405850000",  # serial 0000, record disagreeing below
    ],
)
def test_a_refused_nik_carries_no_warnings(value):
    result = check_nik(value, sex="P", birth_date=date(1990, 1, 1), today=TODAY)
    assert not result.valid and result.errors
    assert result.warnings == ()


def test_the_same_nik_with_a_good_serial_warns(db):
    """The contrast: the warnings above exist once the NIK itself is right."""
    result = check_nik("6471011405850001", sex="P", birth_date=date(1990, 1, 1), today=TODAY)
    assert result.valid
    assert len(result.warnings) == 3


def test_a_refused_kk_carries_no_warnings():
    result = check_kk("6471010203150000")  # Balikpapan and serial 0000
    assert not result.valid and result.warnings == ()
    assert len(check_kk("6471010203150001").warnings) == 1
