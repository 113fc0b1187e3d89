"""Forms of the decisions on a contribution: the partner withdraws, the reviewers accept,
return or reject, Dinsos routes it to a kecamatan."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.core.forms import NONE_CHOSEN, TOO_LONG, ChoiceField, kecamatan_choices
from portal.core.ids import optional_id
from portal.core.text import lazy_gettext as _l


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for returning"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=2000, message=TOO_LONG)],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for rejecting"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=2000, message=TOO_LONG)],
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=2000, message=TOO_LONG)])


class AcceptForm(FlaskForm):
    aid_category_id = ChoiceField(
        _l("Aid category"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose the aid category."))],
    )

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.aid_category_id.choices = [SelectChoice("", NONE_CHOSEN)] + [
            SelectChoice(c.id, c.name) for c in categories
        ]


class RouteForm(FlaskForm):
    kecamatan_id = ChoiceField(
        _l("Send to kecamatan"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose a kecamatan."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan_id.choices = kecamatan_choices(NONE_CHOSEN)
