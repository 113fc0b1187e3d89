"""Forms of the contributions area: the partner's proposal with its item rows, attachments
and the list filters. The forms of the decisions on a proposal are in ``decision_forms``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import MonthInput, NumberInput, TextInput

from portal.contributions.queries import ListFilters, companies_with_contributions
from portal.contributions.services import ContributionData, ItemData
from portal.core.forms import (
    ANY,
    CHOICE_MESSAGES,
    NONE_CHOSEN,
    TOO_LONG,
    ChoiceField,
    LocalDateField,
    MultiCheckboxField,
    choices,
    kecamatan_choices,
    required_text,
)
from portal.core.labels import (
    ATTACHMENT_KIND_LABELS,
    CONTRIBUTION_KIND_LABELS,
    CONTRIBUTION_STATE_LABELS,
    SECTOR_LABELS,
    TARGET_GROUP_LABELS,
)
from portal.core.text import lazy_gettext as _l

DINSOS_DECIDES = "dinsos"
MAX_QUANTITY = Decimal("99999999999")
ITEM_KEY = re.compile(r"^items-(\d+)-(.+)$")


class QuantityField(Field):
    """A decimal quantity above zero; a comma is read as the decimal sign ("1,5")."""

    widget = TextInput(input_type="text")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data.normalize(), "f")

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "")
        if not text:
            return
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Enter a number, for example 2 or 1,5.")) from None
        if not value.is_finite() or value <= 0:
            raise ValueError(_l("The quantity must be more than zero."))
        if value > MAX_QUANTITY or value.as_tuple().exponent < -3:
            raise ValueError(_l("Enter a number with at most three decimals."))
        self.data = value


class RupiahField(Field):
    """Whole Rupiah above zero; "Rp 1.500.000" and "1500000" both read as 1500000."""

    widget = TextInput(input_type="text")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        digits = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE).replace(" ", "").replace(".", "")
        if digits.startswith("-"):
            raise ValueError(_l("The value cannot be negative."))
        if not digits.isdigit() or len(digits) > 15:
            raise ValueError(_l("Enter whole Rupiah, for example 1500000."))
        if int(digits) == 0:
            raise ValueError(_l("The value must be more than zero."))
        self.data = int(digits)


class WholeNumberField(IntegerField):
    """An optional whole number of at least 1, with the message in the reader's language."""

    widget = NumberInput(step="1", min="1")

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        if not text.isdigit() or int(text) < 1 or len(text) > 9:
            raise ValueError(_l("Enter a whole number of at least 1."))
        self.data = int(text)


class ItemForm(Form):
    """One item row; an entirely empty row is ignored."""

    name = StringField(_l("Item"), validators=[Length(max=200, message=TOO_LONG)])
    quantity = QuantityField(_l("Quantity"), render_kw={"inputmode": "decimal"})
    unit = StringField(_l("Unit"), validators=[Length(max=20, message=TOO_LONG)])
    unit_value = RupiahField(_l("Estimated unit value (Rp)"), render_kw={"inputmode": "numeric"})

    def is_blank(self) -> bool:
        return not any((f.raw_data or [""])[0].strip() for f in self)

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank():
            for f in self:
                f.errors = []
            return True
        ok = super().validate(extra_validators)
        for name, message in (
            ("name", _l("Name the item.")),
            ("unit", _l("Give the unit, for example unit, kg or set.")),
        ):
            if not (self[name].data or "").strip():
                self[name].errors = [*self[name].errors, message]
                ok = False
        if self.quantity.data is None and not self.quantity.errors:
            self.quantity.errors = [_l("The quantity must be more than zero.")]
            ok = False
        if self.unit_value.data is None and not self.unit_value.errors:
            self.unit_value.errors = [_l("Enter the estimated unit value in Rupiah.")]
            ok = False
        return ok

    def row_total(self) -> int | None:
        if self.quantity.data is None or self.unit_value.data is None:
            return None
        return int(self.quantity.data * self.unit_value.data)


class ContributionForm(FlaskForm):
    """The partner's proposal: one form for a new draft and for editing a draft."""

    form_token = HiddenField()
    title = StringField(
        _l("Title"),
        validators=required_text(_l("Give the contribution a title."), 200),
    )
    kind = ChoiceField(
        _l("Kind"),
        choices=choices(CONTRIBUTION_KIND_LABELS),
        validators=[DataRequired()],
    )
    target = ChoiceField(
        _l("Target kecamatan"),
        validators=[DataRequired(_l("Choose a kecamatan, or let Dinsos decide."))],
    )
    target_groups = MultiCheckboxField(
        _l("Target groups"),
        choices=choices(TARGET_GROUP_LABELS),
        **CHOICE_MESSAGES,
    )
    sectors = MultiCheckboxField(_l("Sectors"), choices=choices(SECTOR_LABELS), **CHOICE_MESSAGES)
    planned_date = LocalDateField(_l("Planned date"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000, message=TOO_LONG)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000, message=TOO_LONG)])
    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=200)
    topic = StringField(_l("Training topic"), validators=[Length(max=200, message=TOO_LONG)])
    sessions = WholeNumberField(_l("Number of sessions"), validators=[Optional()])
    seats = WholeNumberField(_l("Seats"), validators=[Optional()])
    trainer = StringField(
        _l("Trainer or institution"), validators=[Length(max=200, message=TOO_LONG)]
    )
    place = StringField(_l("Place"), validators=[Length(max=200, message=TOO_LONG)])
    attachments = MultipleFileField(_l("Attachments (PDF, JPEG or PNG, at most 5 MB each)"))
    attachment_kind = ChoiceField(
        _l("Kind of attachment"),
        choices=choices(ATTACHMENT_KIND_LABELS),
        default="proposal_letter",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = kecamatan_choices(
            NONE_CHOSEN, SelectChoice(DINSOS_DECIDES, _l("Let Dinsos decide"))
        )

    def validate_planned_date(self, field) -> None:
        if field.data is not None and not 2000 <= field.data.year <= 2100:
            raise ValidationError(_l("Enter a date between 2000 and 2100."))

    def filled_rows(self) -> list[ItemForm]:
        return [entry.form for entry in self.items if not entry.form.is_blank()]

    def row_totals(self) -> list[int | None]:
        return [entry.form.row_total() for entry in self.items]

    def grand_total(self) -> int:
        return sum(total for total in self.row_totals() if total)

    def to_data(self) -> ContributionData:
        target = self.target.data
        return ContributionData(
            title=self.title.data.strip(),
            kind=self.kind.data,
            kecamatan_id=None if target == DINSOS_DECIDES else int(target),
            target_groups=list(self.target_groups.data or []),
            sectors=list(self.sectors.data or []),
            planned_date=self.planned_date.data,
            description=(self.description.data or "").strip(),
            notes=(self.notes.data or "").strip(),
            topic=(self.topic.data or "").strip(),
            sessions=self.sessions.data,
            seats=self.seats.data,
            trainer=(self.trainer.data or "").strip(),
            place=(self.place.data or "").strip(),
            items=[
                ItemData(
                    name=row.name.data.strip(),
                    quantity=row.quantity.data,
                    unit=row.unit.data.strip(),
                    unit_value=row.unit_value.data,
                )
                for row in self.filled_rows()
            ],
        )


def data_from(contribution, target_groups, sectors) -> dict:
    """The edit form's starting values, taken from a saved draft."""
    target = DINSOS_DECIDES if contribution.kecamatan_id is None else str(contribution.kecamatan_id)
    return {
        "title": contribution.title,
        "kind": contribution.kind,
        "target": target,
        "target_groups": target_groups,
        "sectors": sectors,
        "planned_date": contribution.planned_date,
        "description": contribution.description,
        "notes": contribution.notes,
        "topic": contribution.topic,
        "sessions": contribution.sessions,
        "seats": contribution.seats,
        "trainer": contribution.trainer,
        "place": contribution.place,
        "items": [
            {"name": i.name, "quantity": i.quantity, "unit": i.unit, "unit_value": i.unit_value}
            for i in contribution.items
        ]
        or [{}],
    }


def rows_changed(formdata: MultiDict, remove: int | None = None, add: bool = False) -> MultiDict:
    """The posted form with item rows renumbered 0..n-1, one removed or one added.

    This is how the "add row"/"remove row" buttons work with or without JavaScript:
    the server re-renders the form from this data.
    """
    rows: dict[int, list[tuple[str, str]]] = {}
    rest = MultiDict()
    for key, value in formdata.items(multi=True):
        match = ITEM_KEY.match(key)
        if match:
            rows.setdefault(int(match.group(1)), []).append((match.group(2), value))
        elif key not in ("add_item", "remove_item", "recalculate"):
            rest.add(key, value)
    kept = [fields for index, fields in sorted(rows.items()) if index != remove]
    if add or not kept:
        kept.append([("name", "")])
    for new_index, fields in enumerate(kept):
        for name, value in fields:
            rest.add(f"items-{new_index}-{name}", value)
    return rest


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("File (PDF, JPEG or PNG, at most 5 MB)"), validators=[FileRequired(_l("Choose a file."))]
    )
    kind = ChoiceField(
        _l("Kind of attachment"),
        choices=choices(ATTACHMENT_KIND_LABELS),
        default="proposal_letter",
    )


MONTH_FORMAT = _l("Write the month as YYYY-MM, for example 2025-05.")


class FilterForm(FlaskForm):
    """A list's filters from the query string; a bad value is ignored, never a 500."""

    class Meta:
        csrf = False

    q = SearchField(_l("Title"), validators=[Length(max=100, message=TOO_LONG)])
    status = ChoiceField(
        _l("Status"),
        choices=choices(CONTRIBUTION_STATE_LABELS, ANY),
        validators=[Optional()],
    )
    company = ChoiceField(_l("Company"), validators=[Optional()])
    kind = ChoiceField(
        _l("Kind"),
        choices=choices(CONTRIBUTION_KIND_LABELS, ANY),
        validators=[Optional()],
    )
    sector = ChoiceField(
        _l("Sector"),
        choices=choices(SECTOR_LABELS, ANY),
        validators=[Optional()],
    )
    group = ChoiceField(
        _l("Target group"),
        choices=choices(TARGET_GROUP_LABELS, ANY),
        validators=[Optional()],
    )
    kecamatan = ChoiceField(_l("Kecamatan"), validators=[Optional()])
    received = BooleanField(_l("Only proposals sent in"))
    month = StringField(
        _l("Month sent in"),
        validators=[Optional(), Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message=MONTH_FORMAT)],
        widget=MonthInput(),
    )

    def __init__(self, *args, companies=(), show_kecamatan=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.company.choices = [SelectChoice("", ANY)] + [
            SelectChoice(str(c.id), c.name) for c in companies
        ]
        self.kecamatan.choices = kecamatan_choices(
            ANY, SelectChoice("none", _l("Dinsos decides (not routed)"))
        )
        if not show_kecamatan:
            del self.kecamatan

    def filters(self) -> ListFilters:
        self.validate()

        def value(name):
            f = self._fields.get(name)
            return None if f is None or f.errors or f.data in (None, "") else f.data

        company = value("company")
        return ListFilters(
            q=(value("q") or "").strip(),
            status=value("status"),
            company=int(company) if company else None,
            kind=value("kind"),
            sector=value("sector"),
            target_group=value("group"),
            kecamatan=value("kecamatan"),
            received=bool(value("received")),
            month=value("month"),
        )

    def url_args(self) -> dict:
        return {
            name: f.data
            for name, f in self._fields.items()
            if not f.errors and f.data not in (None, "", False)
        }


def filter_form(user, formdata) -> FilterForm:
    """The list's filter form as ``user`` sees it (the list and its export read it)."""
    partner = user.role == "partner"
    form = FilterForm(
        formdata,
        companies=() if partner else companies_with_contributions(user),
        show_kecamatan=user.role == "admin",
    )
    if partner:
        del form.company
    return form
