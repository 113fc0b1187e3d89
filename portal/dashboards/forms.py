"""The filters of the lists behind the dashboards' figures, read from the query string
(no search text: nothing that could carry a NIK travels in these URLs). A value that is
not one of the choices is ignored, never a 500."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectChoice
from wtforms.validators import Optional

from portal.core.dates import local_today, recent_months
from portal.core.forms import ANY, ChoiceField, choices, kecamatan_choices
from portal.core.labels import TARGET_GROUP_LABELS
from portal.core.text import lazy_gettext as _l
from portal.dashboards.lists import PeopleFilters, VisitFilters
from portal.extensions import db
from portal.models import Desa, User

VISIT_WHEN_LABELS = {
    "overdue": _l("Overdue"),
    "soon": _l("Due in the next 30 days"),
    "recorded": _l("Recorded"),
}


def desa_choices(user: User, kecamatan: str | None = None) -> list[SelectChoice]:
    """The desa a list may be narrowed to: the user's kecamatan's, else every desa (of the
    chosen kecamatan, once one is chosen)."""
    query = select(Desa.id, Desa.name).order_by(Desa.name)
    if user.role in ("officer", "camat"):
        query = query.where(Desa.kecamatan_id == (user.kecamatan_id or -1))
    elif kecamatan and str(kecamatan).isdigit():
        query = query.where(Desa.kecamatan_id == int(kecamatan))
    return [SelectChoice("", ANY)] + [
        SelectChoice(str(i), name) for i, name in db.session.execute(query)
    ]


class ListForm(FlaskForm):
    """What the three lists share: choices checked, the valid filters read back."""

    class Meta:
        csrf = False

    def value(self, name):
        field = self._fields.get(name)
        return None if field is None or field.errors or field.data in (None, "") else field.data

    def number(self, name) -> int | None:
        text = self.value(name)
        return int(text) if text and str(text).isdigit() else None

    def url_args(self) -> dict:
        return {
            name: ("y" if field.data is True else field.data)
            for name, field in self._fields.items()
            if not field.errors and field.data not in (None, "", False)
        }


class PeopleForm(ListForm):
    kecamatan = ChoiceField(_l("Kecamatan"), validators=[Optional()])
    desa = ChoiceField(_l("Desa / kelurahan"), validators=[Optional()])
    group = ChoiceField(
        _l("Target group"), choices=choices(TARGET_GROUP_LABELS, ANY), validators=[Optional()]
    )
    month = ChoiceField(_l("Served in"), validators=[Optional()])

    def __init__(self, user: User, *args, show_kecamatan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = kecamatan_choices(ANY)
        self.desa.choices = desa_choices(user, self.kecamatan.data if show_kecamatan else None)
        self.month.choices = [SelectChoice("", ANY)] + [
            SelectChoice(m, m) for m in recent_months(local_today(), 24)
        ]
        if not show_kecamatan:
            del self.kecamatan

    def filters(self) -> PeopleFilters:
        self.validate()
        return PeopleFilters(
            kecamatan=self.number("kecamatan"),
            desa=self.number("desa"),
            group=self.value("group"),
            month=self.value("month"),
        )


class VisitForm(ListForm):
    when = ChoiceField(
        _l("Visits"), choices=choices(VISIT_WHEN_LABELS, ANY), validators=[Optional()]
    )
    months = ChoiceField(_l("Scheduled visit"), validators=[Optional()])
    desa = ChoiceField(_l("Desa / kelurahan"), validators=[Optional()])
    in_use = BooleanField(_l("Aid in use"), false_values=("", "n", "false"))
    running = BooleanField(_l("Business running"), false_values=("", "n", "false"))

    def __init__(self, user: User, *args, schedule=(1, 3, 6), **kwargs):
        super().__init__(*args, **kwargs)
        self.months.choices = [SelectChoice("", ANY)] + [
            SelectChoice(str(m), _l("After %(num)s months", num=m)) for m in schedule
        ]
        self.desa.choices = desa_choices(user)

    def filters(self) -> VisitFilters:
        self.validate()
        return VisitFilters(
            when=self.value("when"),
            months=self.number("months"),
            in_use=bool(self.value("in_use")),
            running=bool(self.value("running")),
            desa=self.number("desa"),
        )


class OverrideForm(ListForm):
    desa = ChoiceField(_l("Desa / kelurahan"), validators=[Optional()])

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa.choices = desa_choices(user)
