"""Pieces every area's forms share: the empty choices' words, the filter that strips outer
spaces, choices built from a labels dict or the kecamatan table, and the checkbox list.

Ids typed into a select are coerced by ``portal.core.ids.optional_id``; every choice field
checks its choice again through ``portal.core.choices``."""

from __future__ import annotations

from sqlalchemy import select
from wtforms import SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Kecamatan

ANY = _l("All")
NONE_CHOSEN = _l("— choose —")
# WTForms has no Indonesian catalogue: every message a user can meet is our own.
TOO_LONG = _l("At most %(max)d characters.")
NOT_AN_OPTION = _l("Choose one of the options offered.")
CHOICE_MESSAGES = {"invalid_choice_message": NOT_AN_OPTION, "invalid_value_message": NOT_AN_OPTION}


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
