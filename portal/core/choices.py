"""Every choice field of every form refuses a value that is not among its choices.

WTForms checks the choice before the validators run, and ``Optional()`` then clears that
refusal whenever the value is blank, so ``sex=%20`` passed the form and reached a CHECK
constraint. Each select, radio and multiple select checks its choice again once its
validators have run; only a value left truly empty is for ``Optional()`` and
``DataRequired()`` to judge."""

from __future__ import annotations

from types import MethodType

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import ValidationError


def refuse_unknown_choices() -> None:
    """Every FlaskForm binds its choice fields with the check after validation."""
    FlaskForm.Meta.bind_field = _bind_field


def _bind_field(meta, form, unbound_field, options):
    field = unbound_field.bind(form=form, **options)
    if isinstance(field, SelectFieldBase):
        field.post_validate = MethodType(_check_choice, field)
    return field


def _check_choice(field, form, stop_validation: bool) -> None:
    type(field).post_validate(field, form, stop_validation)
    if not field.raw_data or all(value == "" for value in field.raw_data):
        return  # nothing chosen
    if field.errors:
        return  # already refused, with its own message
    if field.process_errors:
        raise ValidationError(field.process_errors[0])
    field.pre_validate(form)  # raises the field's own "choose from the list"
