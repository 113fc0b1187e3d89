"""Forms of the officer's builder: a new draft, the candidates' filters, "pick the N best",
and replacing a member. The candidate rows and the quantities have one field per row
(``recipient_id``, ``reason-<id>``, ``q-<member>-<item>``), read by ``rows``."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.core.forms import ANY, CHOICE_MESSAGES, NONE_CHOSEN, TOO_LONG, ChoiceField, choices
from portal.core.ids import optional_id
from portal.core.labels import DEACTIVATION_LABELS, SECTOR_LABELS, TARGET_GROUP_LABELS
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.matching.allocation import MatchData
from portal.matching.ranking import CandidateFilters
from portal.models import Desa

DROP_LABELS = DEACTIVATION_LABELS | {"other": _l("Other reason")}


def desa_choices(kecamatan_id: int, empty) -> list[SelectChoice]:
    rows = db.session.scalars(
        select(Desa).where(Desa.kecamatan_id == kecamatan_id).order_by(Desa.name)
    )
    return [SelectChoice("", empty)] + [SelectChoice(str(d.id), d.name) for d in rows]


class MatchForm(FlaskForm):
    """A new draft: its name, optional desa and delivery date (one token per form)."""

    label = StringField(
        _l("Name of the plan"),
        validators=[
            DataRequired(_l("Give the plan a name.")),
            Length(max=200, message=TOO_LONG),
        ],
    )
    desa_id = ChoiceField(_l("Desa (optional)"), coerce=optional_id, validators=[Optional()])
    delivery_date = DateField(_l("Delivery date (optional)"), validators=[Optional()])
    form_token = HiddenField()

    def __init__(self, kecamatan_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa_id.choices = desa_choices(kecamatan_id, NONE_CHOSEN)

    def to_data(self) -> MatchData:
        return MatchData(
            label=self.label.data or "",
            desa_id=self.desa_id.data,
            delivery_date=self.delivery_date.data,
        )


class FilterForm(FlaskForm):
    """The candidates' filters, from the query string: a name may be there, a NIK not (a
    search text with digits is dropped unread)."""

    class Meta:
        csrf = False

    name = SearchField(_l("Name"), validators=[Length(max=100, message=TOO_LONG)])
    desa = ChoiceField(_l("Desa"), coerce=optional_id, validators=[Optional()])
    target_group = ChoiceField(
        _l("Target group"), choices=choices(TARGET_GROUP_LABELS, ANY), validators=[Optional()]
    )
    sector = ChoiceField(_l("Sector"), choices=choices(SECTOR_LABELS, ANY), validators=[Optional()])

    def __init__(self, kecamatan_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa.choices = desa_choices(kecamatan_id, ANY)
        self.nik_dropped = any(ch.isdigit() for ch in self.name.data or "")
        if self.nik_dropped:
            self.name.data = ""

    def filters(self) -> CandidateFilters:
        """What the filters ask for; a bad value is ignored, never a 500."""
        self.validate()
        if self.nik_dropped:
            self.name.errors = [_l("Search by name here; look a NIK up on the NIK page.")]

        def value(field):
            return field.data if not field.errors else None

        return CandidateFilters(
            desa_id=value(self.desa),
            target_group=value(self.target_group) or None,
            sector=value(self.sector) or None,
            name=(value(self.name) or "").strip(),
        )

    def url_args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager and the forms' actions."""
        f = self.filters()
        args = {
            "name": f.name,
            "desa": f.desa_id,
            "target_group": f.target_group,
            "sector": f.sector,
        }
        return {key: value for key, value in args.items() if value}


class PickForm(FlaskForm):
    count = IntegerField(
        _l("How many"),
        validators=[
            DataRequired(_l("Enter how many people to pick.")),
            NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000.")),
        ],
    )


class ReplaceForm(FlaskForm):
    """Who drops out, why, and who takes their place."""

    member_id = HiddenField()
    recipient_id = HiddenField()
    drop_reason = ChoiceField(
        _l("Why they drop out"),
        choices=choices(DROP_LABELS, NONE_CHOSEN),
        validators=[DataRequired(_l("Choose why this person drops out."))],
        **CHOICE_MESSAGES,
    )
    drop_note = TextAreaField(_l("Note"), validators=[Length(max=2000, message=TOO_LONG)])
    flag_reason = TextAreaField(
        _l("Reason for keeping a flagged replacement"),
        validators=[Length(max=2000, message=TOO_LONG)],
    )


def ids_in(values) -> list[int]:
    """The ids in a list of form values; anything else is dropped."""
    result = []
    for value in values:
        try:
            number = optional_id(value)
        except ValueError:
            continue
        if number is not None and number not in result:
            result.append(number)
    return result


def shares_in(form) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """The quantities (``q-<member>-<item>``) and reasons (``reason-m-<member>``) posted."""
    quantities, reasons = {}, {}
    for key, value in form.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "q" and parts[1].isdigit() and parts[2].isdigit():
            quantities[(int(parts[1]), int(parts[2]))] = value
        elif len(parts) == 3 and parts[:2] == ["reason", "m"] and parts[2].isdigit():
            reasons[int(parts[2])] = value[:2000]
    return quantities, reasons
