"""Forms of the registry: one per screen (the labels of its codes are in ``portal.core.labels``)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.core.forms import (
    ANY,
    NONE_CHOSEN,
    LocalDateField,
    MultiCheckboxField,
    choices,
    kecamatan_choices,
    strip,
)
from portal.core.ids import MAX_ID, optional_id
from portal.core.labels import (
    DEACTIVATION_LABELS,
    SECTOR_LABELS,
    SEX_LABELS,
    TARGET_GROUP_LABELS,
    VALIDATION_STATE_LABELS,
)
from portal.core.paging import MAX_PAGE
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import AidCategory
from portal.registry.access import desas_for
from portal.registry.recipients import RecipientData
from portal.registry.search import RecipientFilters

AID_MONTHS = (3, 6, 12, 24)


class SearchForm(FlaskForm):
    """The list's search and filters. Sent as a POST body (``q`` may be a NIK); the
    filters that cannot carry a NIK also come from the query string."""

    class Meta:
        csrf = False  # CSRFProtect still checks every POST; GET filters need none

    SEARCH_FIELD = "q"  # read only from a POST body, never from a URL
    q = SearchField(_l("Name, NIK, KK or desa"), filters=[strip], validators=[Length(max=100)])
    kecamatan = SelectField(_l("Kecamatan"), coerce=optional_id, validators=[Optional()])
    desa = SelectField(_l("Desa / kelurahan"), coerce=optional_id, validators=[Optional()])
    group = SelectField(
        _l("Target group"), choices=choices(TARGET_GROUP_LABELS, ANY), validators=[Optional()]
    )
    sector = SelectField(
        _l("Skills / business"), choices=choices(SECTOR_LABELS, ANY), validators=[Optional()]
    )
    state = SelectField(
        _l("Validation"), choices=choices(VALIDATION_STATE_LABELS, ANY), validators=[Optional()]
    )
    aid = SelectField(
        _l("Received aid in the last"),
        coerce=optional_id,
        choices=[SelectChoice("", _l("— any time or never —"))]
        + [SelectChoice(str(n), _l("%(num)s months", num=n)) for n in AID_MONTHS],
        validators=[Optional()],
    )
    inactive = BooleanField(_l("Show deactivated people"))
    warned = BooleanField(_l("Has warnings"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        desas = desas_for(user)
        if user.role == "admin":
            self.kecamatan.choices = kecamatan_choices(ANY)
            # Without JavaScript the desa list follows the kecamatan once the form is sent.
            if self.kecamatan.data:
                desas = [d for d in desas if d.kecamatan_id == self.kecamatan.data]
        else:
            del self.kecamatan
        self.desa.choices = [SelectChoice("", ANY)] + [
            SelectChoice(str(d.id), d.name) for d in desas
        ]

    def _value(self, name):
        field = self._fields.get(name)
        return None if field is None or field.errors else field.data

    def filters(self) -> RecipientFilters:
        """The valid filters; a bad value is ignored rather than refused."""
        self.validate()
        return RecipientFilters(
            q=self._value("q") or "",
            kecamatan_id=self._value("kecamatan"),
            desa_id=self._value("desa"),
            target_group=self._value("group") or None,
            sector=self._value("sector") or None,
            state=self._value("state") or None,
            aid_months=self._value("aid"),
            inactive=bool(self._value("inactive")),
            warned=bool(self._value("warned")),
        )

    def page_number(self) -> int:
        return self._value("page") or 1

    def url_args(self) -> dict:
        """The filters that may travel in a URL: never the search text."""
        args = {}
        for name in ("kecamatan", "desa", "group", "sector", "state", "aid"):
            value = self._value(name)
            if value not in (None, ""):
                args[name] = value
        for name in ("inactive", "warned"):
            if self._value(name):
                args[name] = "y"
        return args


class RecipientForm(FlaskForm):
    """A person's data, typed by an officer or a village operator."""

    nik = StringField(
        _l("NIK"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the 16-digit NIK.")), Length(max=20)],
    )
    kk = StringField(_l("KK number"), filters=[strip], validators=[Length(max=20)])
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the name.")), Length(max=120)],
    )
    sex = SelectField(
        _l("Sex"),
        choices=choices(SEX_LABELS, NONE_CHOSEN),
        validators=[Optional()],
        invalid_choice_message=_l("Choose from the list."),
    )
    birth_place = StringField(_l("Place of birth"), filters=[strip], validators=[Length(max=80)])
    birth_date = LocalDateField(_l("Date of birth"), validators=[Optional()])
    address = TextAreaField(_l("Address"), validators=[Length(max=500)])
    phone = TelField(_l("Phone"), filters=[strip], validators=[Length(max=40)])
    desa_id = SelectField(
        _l("Desa / kelurahan"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose the desa or kelurahan."))],
        invalid_choice_message=_l("Choose from the list."),
    )
    target_groups = MultiCheckboxField(
        _l("Target groups"), choices=choices(TARGET_GROUP_LABELS), validators=[Optional()]
    )
    sectors = MultiCheckboxField(
        _l("Skills / business interest"), choices=choices(SECTOR_LABELS), validators=[Optional()]
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.desa_id.choices = [SelectChoice("", NONE_CHOSEN)] + [
            SelectChoice(str(d.id), d.name) for d in desas_for(user)
        ]

    def to_data(self) -> RecipientData:
        return RecipientData(
            nik=self.nik.data or "",
            kk=self.kk.data or "",
            name=self.name.data or "",
            sex=self.sex.data or None,
            birth_place=self.birth_place.data or "",
            birth_date=self.birth_date.data,
            address=self.address.data or "",
            phone=self.phone.data or "",
            desa_id=self.desa_id.data,
            target_groups=list(self.target_groups.data or []),
            sectors=list(self.sectors.data or []),
        )


class CorrectionForm(RecipientForm):
    """A village operator's proposed change, with the reason the officer reads."""

    reason = TextAreaField(
        _l("Why should the record change?"),
        filters=[strip],
        validators=[DataRequired(_l("Say why the record should change.")), Length(max=1000)],
    )


class ReasonForm(FlaskForm):
    """Reject a person or a correction."""

    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[DataRequired(_l("Give a reason.")), Length(max=1000)],
    )


class DeactivateForm(FlaskForm):
    reason = SelectField(
        _l("Why does this person leave the list?"),
        choices=choices(DEACTIVATION_LABELS, NONE_CHOSEN),
        validators=[DataRequired(_l("Choose why this person leaves the list."))],
        invalid_choice_message=_l("Choose from the list."),
    )
    note = TextAreaField(_l("Note"), filters=[strip], validators=[Length(max=1000)])


class BulkValidateForm(FlaskForm):
    """Validate the selected people, or every pending person of one import batch."""

    ids = SelectMultipleField(coerce=int, validate_choice=False, validators=[Optional()])
    batch_id = IntegerField(
        _l("Import batch number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)]
    )

    def chosen_ids(self) -> list[int]:
        return [i for i in self.ids.data or [] if 0 < i <= MAX_ID]


class LookupForm(FlaskForm):
    """A NIK typed in the header box; sent as a POST body, never in a URL."""

    class Meta:
        csrf = False  # CSRFProtect checks the POST itself

    nik = SearchField(
        _l("NIK"),
        filters=[strip],
        validators=[DataRequired(_l("Type a NIK.")), Length(max=30)],
    )


class CategoryForm(FlaskForm):
    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[DataRequired(_l("Give the category a short code.")), Length(max=30)],
    )
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[DataRequired(_l("Give the category a name.")), Length(max=120)],
    )
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Length(max=500)])


class PairForm(FlaskForm):
    first_id = SelectField(
        _l("Category"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose two categories."))],
        invalid_choice_message=_l("Choose from the list."),
    )
    second_id = SelectField(
        _l("may go together with"),
        coerce=optional_id,
        validators=[DataRequired(_l("Choose two categories."))],
        invalid_choice_message=_l("Choose from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = db.session.scalars(select(AidCategory).order_by(AidCategory.name))
        options = [SelectChoice("", NONE_CHOSEN)] + [SelectChoice(str(c.id), c.name) for c in rows]
        self.first_id.choices = options
        self.second_id.choices = list(options)


class DuplicateFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(
        _l("Check"),
        choices=[
            SelectChoice("name", _l("Same name and birth date, different NIK")),
            SelectChoice("kk", _l("One KK in several kecamatan")),
        ],
        validators=[Optional()],
    )
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])
