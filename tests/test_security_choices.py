"""A choice not among a field's choices is refused beside the field, blank ones included
(``sex=%20`` passed ``Optional()`` and broke a CHECK constraint); and an unexpected
database error ends in the portal's own 500 page, the session rolled back first."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Optional

from portal.core.ids import optional_id
from portal.models import Recipient
from portal.registry import forms as registry_forms
from tests.factories import new_nik
from tests.support.pages import field_error, shown

OOPS = "Something went wrong on our side. Your data is safe; please try again."


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Recipient))


@pytest.mark.parametrize("sex", [" ", "\t", "  L", "X", "l"])
def test_a_blank_or_unknown_sex_is_refused_beside_the_field(app, client, login_as, db, sex):
    officer = login_as("officer")
    desa = registry_forms.desas_for(officer)[0]
    data = {"nik": new_nik(), "name": "Siti Aminah", "sex": sex, "desa_id": desa.id}
    response = client.post("/registry/recipients/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_error(page, "sex") == shown(app, "Choose from the list.")
    assert 'value="Siti Aminah"' in page  # what was typed is kept
    assert _count(db) == 0


def test_the_correction_form_refuses_a_blank_sex_too(app, client, login_as, db):
    from tests.support.registry import person

    village = login_as("village")
    resident = person(desa=village.desa)
    db.session.commit()
    data = {"nik": resident.nik, "name": resident.name, "sex": " ", "desa_id": village.desa_id}
    response = client.post(
        f"/registry/recipients/{resident.id}/correct", data=dict(data, reason="Salah ketik")
    )
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "sex") == shown(
        app, "Choose from the list."
    )


def _choices(*values):
    return [SelectChoice(v, v or "—") for v in values]


class Sample(FlaskForm):
    class Meta:
        csrf = False

    optional = SelectField(choices=_choices("", "L", "P"), validators=[Optional()])
    required = SelectField(choices=_choices("", "a"), validators=[DataRequired()])
    radio = RadioField(choices=_choices("y", "n"), validators=[Optional()])
    many = SelectMultipleField(choices=_choices("x", "y"), validators=[Optional()])
    number = SelectField(
        choices=_choices("", "1"),
        coerce=optional_id,
        validators=[Optional()],
    )


@pytest.mark.parametrize("name", ["optional", "radio", "many", "number"])
@pytest.mark.parametrize("value", [" ", "\u00a0", "zz", "1 "])
def test_every_choice_field_refuses_a_value_not_among_its_choices(app, name, value):
    data = {"required": "a", name: value}
    with app.test_request_context(method="POST", data=data):
        form = Sample()
        assert not form.validate()
        assert form[name].errors, f"{name}={value!r} was accepted"


@pytest.mark.parametrize("data", [{}, {"optional": "", "radio": "", "number": ""}])
def test_an_optional_choice_left_empty_is_still_fine(app, data):
    with app.test_request_context(method="POST", data={"required": "a", **data}):
        form = Sample()
        assert form.validate(), form.errors
        assert form.optional.data in ("", None)


def test_an_unexpected_database_error_ends_in_the_portals_500_page(
    app, client, login_as, db, monkeypatch
):
    """A value the database refuses (here past the form, as a blank choice once was) must
    not leave the session unusable for the error page."""
    officer = login_as("officer")
    desa = registry_forms.desas_for(officer)[0]
    to_data = registry_forms.RecipientForm.to_data

    def forged(form):
        data = to_data(form)
        data.sex = " "
        return data

    monkeypatch.setattr(registry_forms.RecipientForm, "to_data", forged)
    data = {"nik": new_nik(), "name": "Siti Aminah", "sex": "P", "desa_id": desa.id}
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post("/registry/recipients/new", data=data, headers=headers)
        assert response.status_code == 500
        page = response.get_data(as_text=True)
        assert (
            shown(app, "Something went wrong on our side. Your data is safe; please try again.")
            in page
        )
    assert "<nav" in client.post("/registry/recipients/new", data=data).get_data(as_text=True)
    assert _count(db) == 0


def test_when_even_the_layout_fails_a_plain_error_page_answers(app, client, login_as, monkeypatch):
    from portal.core import errors

    login_as("officer")

    def broken(*args, **kwargs):
        raise RuntimeError("the layout itself fails")

    monkeypatch.setattr(errors, "render", broken)
    response = client.get("/registry/recipients/999999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert shown(app, "The page you are looking for does not exist.") in page
