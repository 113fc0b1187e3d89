"""Pieces every area's forms share: the empty choices' words, the filter that strips outer
spaces, choices built from a labels dict or the kecamatan table, and the checkbox list.

Ids typed into a select are coerced by ``portal.core.ids.optional_id``; every choice field
checks its choice again through ``portal.core.choices``."""

from __future__ import annotations

from sqlalchemy import select
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Kecamatan

ANY = _l("All")
NONE_CHOSEN = _l("— choose —")
# WTForms has no Indonesian catalogue: every message a user can meet is our own.
TOO_LONG = _l("At most %(max)d characters.")
NOT_AN_OPTION = _l("Choose one of the options offered.")
CHOICE_MESSAGES = {"invalid_choice_message": NOT_AN_OPTION, "invalid_value_message": NOT_AN_OPTION}
DATE_PLACEHOLDER = _l("dd/mm/yyyy")
NOT_A_DATE = _l("Write the date as dd/mm/yyyy, for example 14/05/2025.")


class LocalDateInput(TextInput):
    """A date typed as dd/mm/yyyy: a text field, since Chromium shows ``type=date`` in the
    browser's locale, not the page's."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("placeholder", str(DATE_PLACEHOLDER))
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("maxlength", 10)
        return super().__call__(field, **kwargs)


class LocalDateField(DateField):
    """A date shown and typed as dd/mm/yyyy (also read: yyyy-mm-dd and dd-mm-yyyy)."""

    widget = LocalDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"])
        kwargs.setdefault("invalid_value_message", NOT_A_DATE)
        super().__init__(label, validators, **kwargs)


def required_text(message, max_length: int) -> list:
    """The validators of a text that must be given: ``message`` when empty, at most
    ``max_length`` characters."""
    return [DataRequired(message), Length(max=max_length, message=TOO_LONG)]


def strip(value):
    """Outer spaces are never meant (pasted e-mail addresses often carry them)."""
    return value.strip() if isinstance(value, str) else value


def choices(labels: dict, empty=None) -> list[SelectChoice]:
    """One choice per code of ``labels``, after an empty choice reading ``empty`` if given."""
    first = [SelectChoice("", empty)] if empty is not None else []
    return first + [SelectChoice(code, label) for code, label in labels.items()]


def kecamatan_choices(empty=None, *extra: SelectChoice) -> list[SelectChoice]:
    """Every kecamatan by name, after an empty choice reading ``empty`` (if given) and
    ``extra`` choices."""
    first = [SelectChoice("", empty)] if empty is not None else []
    rows = db.session.scalars(select(Kecamatan).order_by(Kecamatan.name))
    return [*first, *extra] + [SelectChoice(str(k.id), k.name) for k in rows]


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value reads in the user's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **(CHOICE_MESSAGES | kwargs))


class MultiCheckboxField(SelectMultipleField):
    """Several codes as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
