"""The one view helper for a change: ``attempt`` commits what succeeded, rolls back what
was refused and shows the refusal beside its field or as a flash."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from portal.core.refusals import Refusal, attempt
from portal.extensions import db
from portal.models import Company
from tests.factories import CompanyFactory


class NameForm(FlaskForm):
    name = StringField()


def _rename(company: Company, name: str, refusal: Exception | None = None) -> None:
    company.name = name
    db.session.flush()
    if refusal is not None:
        raise refusal


def _name_in_database(company_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Company, company_id).name


def test_success_is_committed(app, db):
    company = CompanyFactory(name="Lama")
    db.session.commit()
    with app.test_request_context(), attempt() as outcome:
        _rename(company, "Baru")
    assert outcome.ok and outcome.refusal is None
    db.session.rollback()  # a commit happened: nothing left to undo
    assert _name_in_database(company.id) == "Baru"


def test_refusal_beside_its_field_rolls_back(app, db):
    company = CompanyFactory(name="Lama")
    db.session.commit()
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        with attempt(form) as outcome:
            _rename(company, "Baru", Refusal("Nama sudah dipakai.", field="name"))
        assert not outcome.ok and outcome.refusal.field == "name"
        assert form.name.errors == ["Nama sudah dipakai."]
        assert get_flashed_messages() == []
    assert _name_in_database(company.id) == "Lama"


def test_refusal_without_a_form_is_flashed(app, db):
    company = CompanyFactory(name="Lama")
    db.session.commit()
    with app.test_request_context():
        with attempt() as outcome:
            _rename(company, "Baru", Refusal("Tidak bisa."))
        assert get_flashed_messages(with_categories=True) == [("danger", "Tidak bisa.")]
    assert outcome.refusal.message == "Tidak bisa."
    assert _name_in_database(company.id) == "Lama"


def test_refusal_left_to_the_view_is_not_shown(app, db):
    with app.test_request_context():
        with attempt(category=None) as outcome:
            raise Refusal("Lihat sendiri.", existing="the other")
        assert get_flashed_messages() == []
    assert outcome.refusal.existing == "the other"
    assert str(outcome.refusal) == "Lihat sendiri."


def test_other_errors_pass_on_uncommitted(app, db):
    company = CompanyFactory(name="Lama")
    db.session.commit()
    with app.test_request_context(), pytest.raises(RuntimeError), attempt():
        _rename(company, "Baru", RuntimeError("bug"))
    db.session.rollback()
    assert _name_in_database(company.id) == "Lama"
