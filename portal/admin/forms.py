"""Forms of the admin area: one per screen, list filters read from the query string."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    EmailField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.admin import services
from portal.core import settings as settings_store
from portal.core.forms import ANY, NONE_CHOSEN, choices, kecamatan_choices, strip
from portal.core.ids import optional_id
from portal.core.labels import COMPANY_SECTOR_LABELS, COMPANY_STATE_LABELS, ROLE_LABELS
from portal.core.refusals import Refusal
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Company, Desa, Kecamatan, User


def desa_choices(empty) -> list[SelectChoice]:
    """Every desa, grouped by kecamatan."""
    query = select(Desa, Kecamatan.name).join(Kecamatan).order_by(Kecamatan.name, Desa.name)
    return [SelectChoice("", empty)] + [
        SelectChoice(str(desa.id), desa.label, optgroup=kec_name)
        for desa, kec_name in db.session.execute(query)
    ]


def company_choices(empty) -> list[SelectChoice]:
    rows = db.session.scalars(select(Company).order_by(Company.name))
    return [SelectChoice("", empty)] + [SelectChoice(str(c.id), c.name) for c in rows]


def _filter_field(label, **kwargs) -> SelectField:
    return SelectField(label, validators=[Optional()], **kwargs)


class FilterForm(FlaskForm):
    """A list's filters, read from the query string; bad values are simply ignored."""

    class Meta:
        csrf = False

    def filters(self) -> dict:
        self.validate()
        return {name: (None if f.errors else f.data) for name, f in self._fields.items()}

    def url_args(self) -> dict:
        """The valid, non-empty filters, for the pager's links."""
        return {key: value for key, value in self.filters().items() if value not in (None, "")}


class UserFilterForm(FilterForm):
    q = SearchField(_l("Name or e-mail"), validators=[Length(max=100)])
    role = _filter_field(_l("Role"), choices=choices(ROLE_LABELS, ANY))
    kecamatan = _filter_field(_l("Kecamatan"), coerce=optional_id)
    status = _filter_field(
        _l("Status"),
        choices=[
            SelectChoice("", ANY),
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan.choices = kecamatan_choices(ANY)


class CompanyFilterForm(FilterForm):
    q = SearchField(_l("Company name"), validators=[Length(max=100)])
    status = _filter_field(_l("Status"), choices=choices(COMPANY_STATE_LABELS, ANY))
    sector = _filter_field(_l("Sector"), choices=choices(COMPANY_SECTOR_LABELS, ANY))


def _scope_field(label) -> SelectField:
    return SelectField(
        label,
        coerce=optional_id,
        validators=[Optional()],
        invalid_value_message=_l("Choose from the list."),
        invalid_choice_message=_l("Choose from the list."),
    )


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the e-mail address the person logs in with.")),
            Email(_l("This is not a valid e-mail address.")),
            Length(max=254),
        ],
    )
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the name.")), Length(max=120)],
    )
    title = StringField(_l("Position (jabatan)"), validators=[Length(max=120)])
    nip = StringField(_l("NIP"), validators=[Length(max=30)])
    phone = TelField(_l("Phone"), validators=[Length(max=40)])
    role = SelectField(
        _l("Role"),
        choices=choices(ROLE_LABELS, NONE_CHOSEN),
        validators=[DataRequired(_l("Choose a role."))],
        invalid_choice_message=_l("Choose a role."),
    )
    company_id = _scope_field(_l("Company (for CSR partners)"))
    kecamatan_id = _scope_field(_l("Kecamatan (for officers and camat)"))
    desa_id = _scope_field(_l("Desa or kelurahan (for village operators)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, obj=user, **kwargs)
        self._user_id = user.id if user is not None else None
        self.company_id.choices = company_choices(NONE_CHOSEN)
        self.kecamatan_id.choices = kecamatan_choices(NONE_CHOSEN)
        self.desa_id.choices = desa_choices(NONE_CHOSEN)

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the scope the chosen role needs, so every message shows at once."""
        valid = super().validate(extra_validators)
        if self.role.data and not self.role.errors:
            try:
                services.scope_for(self.to_data())
            except Refusal as error:
                if error.field in self and not self[error.field].errors:
                    self[error.field].errors.append(error.message)
                valid = False
        return valid

    def validate_email(self, field):
        if field.data and services.email_taken(field.data, self._user_id):
            raise ValidationError(_l("Another account already uses this e-mail address."))

    def validate_nip(self, field):
        nip = services.clean_nip(field.data)
        if nip and not services.NIP_PATTERN.match(nip):
            raise ValidationError(_l("A NIP has exactly 18 digits."))

    def to_data(self) -> services.UserData:
        return services.UserData(
            **{name: self[name].data for name in services.UserData.__dataclass_fields__}
        )


class CompanyForm(FlaskForm):
    name = StringField(
        _l("Company name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the company's name.")), Length(max=200)],
    )
    sector = SelectField(
        _l("Sector"),
        choices=choices(COMPANY_SECTOR_LABELS, NONE_CHOSEN),
        validators=[DataRequired(_l("Choose the sector."))],
        invalid_choice_message=_l("Choose the sector."),
    )
    address = TextAreaField(_l("Address"), validators=[Length(max=500)])
    phone = TelField(_l("Phone"), validators=[Length(max=40)])
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Email(_l("This is not a valid e-mail address.")), Length(max=120)],
    )
    contact_name = StringField(_l("Contact person"), validators=[Length(max=120)])
    representative_name = StringField(
        _l("Representative (signs the handover letter)"), validators=[Length(max=120)]
    )
    representative_title = StringField(_l("Representative's title"), validators=[Length(max=120)])

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, obj=company, **kwargs)
        self._company_id = company.id if company is not None else None

    def validate_name(self, field):
        if field.data and services.company_name_taken(field.data, self._company_id):
            raise ValidationError(_l("A company with this name is already registered."))

    def to_data(self) -> services.CompanyData:
        return services.CompanyData(
            **{name: self[name].data or "" for name in services.CompanyData.__dataclass_fields__}
        )


class CompanyStatusForm(FlaskForm):
    """Activate, reject or suspend; the pressed button names the action."""

    reason = TextAreaField(_l("Reason (required to reject or suspend)"), [Length(max=2000)])


def _setting_validator(spec):
    if spec.kind == "code_list":
        message = _l(
            "Enter codes from this list, each once, separated by commas: %(codes)s.",
            codes=", ".join(spec.choices),
        )
    elif spec.kind == "int":
        message = _l(
            "Enter a whole number from %(min)s to %(max)s.", min=spec.minimum, max=spec.maximum
        )
    else:
        message = _l(
            "Enter whole numbers from %(min)s to %(max)s, separated by commas.",
            min=spec.minimum,
            max=spec.maximum,
        )

    def check(form, field):
        try:
            settings_store.parse(spec, field.data or "")
        except settings_store.InvalidSetting as exc:
            raise ValidationError(message) from exc

    return check


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Portal logo (PNG or JPEG, at most 1 MB)"),
        validators=[FileRequired(_l("Choose an image file."))],
    )


class SettingsForm(FlaskForm):
    """One text field per setting in ``portal.core.settings.SPECS``."""

    def values(self) -> dict[str, str]:
        return {key: self[key].data for key in settings_store.SPECS}


for _key, _spec in settings_store.SPECS.items():
    setattr(SettingsForm, _key, StringField(_spec.label, [_setting_validator(_spec)]))


class OfficeForm(FlaskForm):
    address = TextAreaField(_l("Office address"), validators=[Length(max=500)])
    phone = TelField(_l("Phone"), validators=[Length(max=40)])
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Email(_l("This is not a valid e-mail address.")), Length(max=120)],
    )
    camat_user_id = _scope_field(_l("Camat in office"))
    class_code = StringField(
        _l("Archive classification code"),
        validators=[DataRequired(_l("Enter the archive classification code.")), Length(max=20)],
    )
    letter_pattern = StringField(
        _l("Letter-number pattern"),
        validators=[DataRequired(_l("Enter the letter-number pattern.")), Length(max=120)],
    )

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, obj=office, **kwargs)
        candidates = services.camat_candidates(office.kecamatan_id) if office else []
        current = (
            db.session.get(User, office.camat_user_id)
            if office is not None and office.camat_user_id
            else None
        )
        if current is not None and current not in candidates:
            candidates.append(current)  # shown so saving the form does not silently drop them
        self.camat_user_id.choices = [SelectChoice("", _l("— none —"))] + [
            SelectChoice(str(u.id), f"{u.name} ({u.title})" if u.title else u.name)
            for u in candidates
        ]

    def validate_letter_pattern(self, field):
        try:
            services.check_letter_pattern((field.data or "").strip())
        except Refusal as error:
            raise ValidationError(error.message) from error

    def to_data(self) -> services.OfficeData:
        fields = services.OfficeData.__dataclass_fields__
        values = {name: self[name].data or "" for name in fields if name != "camat_user_id"}
        return services.OfficeData(**values, camat_user_id=self.camat_user_id.data)
