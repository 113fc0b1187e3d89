"""The reports' forms: the month (and, for Dinsos, the kecamatan) of the evaluation, and
the period (and, for Dinsos, the company) of an impact report. Both are read from the
query string (they carry no personal data); the evaluation's export posts the same
fields with a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from portal.core import words
from portal.core.dates import add_months, local_today
from portal.core.forms import NONE_CHOSEN, ChoiceField, LocalDateField, kecamatan_choices
from portal.core.ids import optional_id
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Company
from portal.reports.periods import Period

FIRST_YEAR = 2015
MAX_MONTHS = 24  # an impact report covers at most two years
REGENCY = _l("Whole regency (Kutai Kartanegara)")
FUTURE_MONTH = _l("Choose a month that has begun.")
NOT_A_YEAR = _l("Write a year from %(first)s to this year.", first=FIRST_YEAR)
CHOOSE_MONTH = _l("Choose a month.")
END_BEFORE_START = _l("The end of the period comes before its start.")
TOO_LONG = _l("A report covers at most %(num)s months; choose a shorter period.", num=MAX_MONTHS)
FUTURE_START = _l("The period starts in the future.")
GIVE_START = _l("Give the first day of the period.")
GIVE_END = _l("Give the last day of the period.")


class EvaluationForm(FlaskForm):
    """Which month, and (Dinsos only) which kecamatan or the whole regency."""

    class Meta:
        csrf = False  # a GET form; the export's POST is checked by CSRFProtect

    month = ChoiceField(
        _l("Month"),
        coerce=int,
        choices=[SelectChoice(str(n), words.month_name(n)) for n in range(1, 13)],
        validators=[DataRequired(CHOOSE_MONTH)],
    )
    year = IntegerField(_l("Year"), validators=[DataRequired(NOT_A_YEAR)])
    kecamatan = ChoiceField(_l("Kecamatan"), coerce=optional_id, validators=[Optional()])

    def __init__(self, user, *args, may_choose_kecamatan: bool = False, **kwargs):
        today = local_today()
        kwargs.setdefault("month", today.month)
        kwargs.setdefault("year", today.year)
        super().__init__(*args, **kwargs)
        self.year.validators = [
            DataRequired(NOT_A_YEAR),
            NumberRange(FIRST_YEAR, today.year, message=NOT_A_YEAR),
        ]
        if may_choose_kecamatan:
            self.kecamatan.choices = kecamatan_choices(REGENCY)
        else:
            del self.kecamatan

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            self._plain_year_error()
            return False
        if Period.month(self.year.data, self.month.data).first > local_today():
            self.month.errors.append(FUTURE_MONTH)
            return False
        return True

    def _plain_year_error(self) -> None:
        """WTForms' own "Not a valid integer value." has no Indonesian: say ours."""
        if self.year.errors:
            self.year.errors[:] = [NOT_A_YEAR]

    def period(self) -> Period:
        return Period.month(self.year.data, self.month.data)

    def kecamatan_id(self) -> int | None:
        return self.kecamatan.data if "kecamatan" in self else None

    def fields(self) -> dict:
        """The chosen values as they travel in a URL or an export's POST."""
        values = {"month": self.month.data, "year": self.year.data}
        if "kecamatan" in self and self.kecamatan.data:
            values["kecamatan"] = self.kecamatan.data
        return values


class ImpactForm(FlaskForm):
    """The report's period and (Dinsos only) the company."""

    class Meta:
        csrf = False

    start = LocalDateField(_l("From"), validators=[InputRequired(GIVE_START)])
    end = LocalDateField(_l("Until"), validators=[InputRequired(GIVE_END)])
    company = ChoiceField(_l("Company"), coerce=optional_id, validators=[Optional()])

    def __init__(self, user, *args, may_choose_company: bool = False, **kwargs):
        today = local_today()
        kwargs.setdefault("start", today.replace(month=1, day=1))
        kwargs.setdefault("end", today)
        super().__init__(*args, **kwargs)
        if may_choose_company:
            companies = db.session.execute(select(Company.id, Company.name).order_by(Company.name))
            self.company.choices = [SelectChoice("", NONE_CHOSEN)] + [
                SelectChoice(str(cid), name) for cid, name in companies
            ]
        else:
            del self.company

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        start, end = self.start.data, self.end.data
        if end < start:
            self.end.errors.append(END_BEFORE_START)
        elif end >= add_months(start, MAX_MONTHS):
            self.end.errors.append(TOO_LONG)
        elif start > local_today():
            self.start.errors.append(FUTURE_START)
        return not (self.start.errors or self.end.errors)

    def period(self) -> Period:
        return Period(self.start.data, self.end.data)

    def company_id(self) -> int | None:
        return self.company.data if "company" in self else None
