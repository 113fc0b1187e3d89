"""Forms of the monitoring pages: the visits list's filters, recording a visit from the
field, and closing a recipient's remaining visits."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Field, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import TextInput

from portal.core.forms import (
    ANY,
    CHOICE_MESSAGES,
    NONE_CHOSEN,
    TOO_LONG,
    ChoiceField,
    LocalDateField,
    choices,
    kecamatan_choices,
)
from portal.core.text import lazy_gettext as _l
from portal.monitoring.queries import (
    CLOSE_REASON_LABELS,
    SORTS,
    VISIT_STATE_LABELS,
    VisitFilters,
    desa_choices,
)
from portal.monitoring.services import NOTES_MAX, VisitReport

YES_NO = {"yes": _l("Yes"), "no": _l("No")}
MAX_RUPIAH_DIGITS = 13  # Rp 9.999.999.999.999: more than any household earns a month
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class IncomeField(Field):
    """Optional whole Rupiah, zero allowed: "1.500.000", "Rp 1.500.000" and "1500000"
    all read as 1500000; a negative amount or anything else is refused."""

    widget = TextInput(input_type="text")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(" ", "")
        if not text:
            return
        if text.startswith("-"):
            raise ValueError(_l("The income cannot be negative."))
        if GROUPED.match(text):
            text = text.replace(".", "")
        if not (text.isascii() and text.isdigit()) or len(text) > MAX_RUPIAH_DIGITS:
            raise ValueError(_l("Write whole Rupiah, for example 1.500.000 or 1500000."))
        self.data = int(text)


def _yes_no(label):
    return RadioField(
        label,
        choices=choices(YES_NO),
        validators=[InputRequired(_l("Choose yes or no."))],
        **CHOICE_MESSAGES,
    )


class RecordVisitForm(FlaskForm):
    visited_on = LocalDateField(
        _l("Date of the visit"),
        validators=[InputRequired(_l("Please give the date of the visit."))],
    )
    aid_in_use = _yes_no(_l("Is the aid in use?"))
    business_running = _yes_no(_l("Is the business running?"))
    income_before = IncomeField(
        _l("Income a month before the aid (Rp, optional)"), render_kw={"inputmode": "numeric"}
    )
    income_after = IncomeField(
        _l("Income a month now (Rp, optional)"), render_kw={"inputmode": "numeric"}
    )
    notes = TextAreaField(
        _l("Notes"), validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)]
    )
    photo = FileField(
        _l("Photo (JPEG or PNG, at most 5 MB, optional)"),
        render_kw={"accept": "image/jpeg,image/png"},
    )

    def report(self) -> VisitReport:
        return VisitReport(
            visited_on=self.visited_on.data,
            aid_in_use=_as_bool(self.aid_in_use.data),
            business_running=_as_bool(self.business_running.data),
            income_before=self.income_before.data,
            income_after=self.income_after.data,
            notes=self.notes.data or "",
        )


def _as_bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class CloseScheduleForm(FlaskForm):
    reason = ChoiceField(
        _l("Why do the visits end?"),
        choices=choices(CLOSE_REASON_LABELS, NONE_CHOSEN),
        validators=[InputRequired(_l("Choose why the visits end."))],
    )
    note = TextAreaField(
        _l("Note (required for another reason)"),
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
    )


class VisitFilterForm(FlaskForm):
    """The list's filters from the query string (or a posted export); a bad value is
    ignored, never a 500."""

    class Meta:
        csrf = False

    kecamatan = ChoiceField(_l("Kecamatan"), validators=[Optional()])
    desa = ChoiceField(_l("Desa / kelurahan"), validators=[Optional()])
    state = ChoiceField(_l("State"), validators=[Optional()])
    sort = ChoiceField(_l("Order"), validators=[Optional()])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = kecamatan_choices(ANY)
        self.state.choices = choices(VISIT_STATE_LABELS, ANY)
        self.sort.choices = choices(SORTS)
        kecamatan = self._id("kecamatan") if user.role == "admin" else None
        self.desa.choices = [SelectChoice("", ANY)] + [
            SelectChoice(str(d.id), d.name) for d in desa_choices(user, kecamatan)
        ]
        if user.role != "admin":
            del self.kecamatan

    def _id(self, name: str) -> int | None:
        field = self._fields.get(name)
        text = str(field.data or "") if field is not None else ""
        return int(text) if text.isdigit() and len(text) < 12 else None

    def filters(self) -> VisitFilters:
        self.validate()

        def value(name):
            f = self._fields.get(name)
            return None if f is None or f.errors or f.data in (None, "") else f.data

        kecamatan, desa = value("kecamatan"), value("desa")
        return VisitFilters(
            kecamatan=int(kecamatan) if kecamatan else None,
            desa=int(desa) if desa else None,
            state=value("state"),
            sort=value("sort") or "due",
        )

    def url_args(self) -> dict:
        return {
            name: f.data
            for name, f in self._fields.items()
            if not f.errors and f.data not in (None, "")
        }
