"""Forms of the matching pages: the camat approves (confirming with their password) or
returns with a note, the officer closes what remains of a contribution, and the list's
filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SearchField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.dates import local_today, recent_months
from portal.core.forms import ANY, TOO_LONG, ChoiceField, choices, kecamatan_choices
from portal.core.labels import MATCH_STATE_LABELS
from portal.core.text import lazy_gettext as _l
from portal.matching.lists import ListFilters, desa_choices


class ApproveForm(FlaskForm):
    # Asked as a signing passphrase is for a government e-signature (issue 11 signs here).
    password = PasswordField(
        _l("Your password, to confirm"),
        validators=[DataRequired(_l("Enter your password to approve.")), Length(max=200)],
    )


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("What should the officer change?"),
        validators=[
            DataRequired(_l("Write what the officer should change.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )


class CloseRemainingForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the rest not handed out?"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=2000, message=TOO_LONG)],
    )


class FilterForm(FlaskForm):
    """The list's filters from the query string; a bad value is ignored, never a 500."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Plan, contribution or company"), validators=[Length(max=100, message=TOO_LONG)]
    )
    status = ChoiceField(_l("Status"), validators=[Optional()])
    kecamatan = ChoiceField(_l("Kecamatan"), validators=[Optional()])
    desa = ChoiceField(_l("Desa / kelurahan"), validators=[Optional()])
    handed = ChoiceField(_l("Handed over in"), validators=[Optional()])

    def __init__(self, *args, desas=(), show_kecamatan=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(MATCH_STATE_LABELS, ANY) + [
            SelectChoice("returned", _l("Returned by the camat"))
        ]
        self.kecamatan.choices = kecamatan_choices(ANY)
        self.desa.choices = [SelectChoice("", ANY)] + [
            SelectChoice(str(d.id), d.name) for d in desas
        ]
        self.handed.choices = [SelectChoice("", ANY)] + [
            SelectChoice(month, month) for month in recent_months(local_today())
        ]
        if not show_kecamatan:
            del self.kecamatan

    def filters(self) -> ListFilters:
        self.validate()

        def value(name):
            f = self._fields.get(name)
            return None if f is None or f.errors or f.data in (None, "") else f.data

        kecamatan, desa = value("kecamatan"), value("desa")
        return ListFilters(
            q=(value("q") or "").strip(),
            status=value("status"),
            kecamatan=int(kecamatan) if kecamatan else None,
            desa=int(desa) if desa else None,
            handed=value("handed"),
        )

    def url_args(self) -> dict:
        return {
            name: f.data
            for name, f in self._fields.items()
            if not f.errors and f.data not in (None, "")
        }


def filter_form(user, formdata) -> FilterForm:
    """The list's filters as ``user`` sees them (a partner has no desa filter): the page
    and its export read the same form."""
    form = FilterForm(
        formdata,
        desas=desa_choices(user) if user.role != "partner" else (),
        show_kecamatan=user.role == "admin",
    )
    if user.role == "partner":
        del form.desa
    return form
