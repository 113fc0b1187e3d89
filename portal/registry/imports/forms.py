"""Forms of the import pages: the upload and the column mapping."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from portal.core.forms import kecamatan_choices
from portal.core.text import lazy_gettext as _l
from portal.models.aid import AID_SOURCES
from portal.models.registry import RECIPIENT_SOURCES
from portal.registry.imports.columns import FIELD_LABELS

MAX_IMPORT_BYTES = 60 * 1024 * 1024
KIND_CHOICES = [
    SelectChoice("recipients", _l("Recipients (DTKS/DTSEN, PKH, Puskesos list)")),
    SelectChoice("aid_records", _l("Aid history of another programme")),
]
SOURCE_CHOICES = [
    SelectChoice(code, code)
    for code in dict.fromkeys(RECIPIENT_SOURCES + AID_SOURCES)
    if code != "PORTAL"
]


class UploadForm(FlaskForm):
    file = FileField(
        _l("File (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileSize(MAX_IMPORT_BYTES, message=_l("The file is larger than 60 MB.")),
        ],
    )
    kind = SelectField(_l("What the file holds"), choices=KIND_CHOICES)
    source = SelectField(_l("Source"), choices=SOURCE_CHOICES)
    kecamatan_id = SelectField(_l("Kecamatan"), coerce=int, validators=[Optional()])
    default_category_id = SelectField(
        _l("Aid category (when the file has no category column)"),
        coerce=int,
        validators=[Optional()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kecamatan_id.choices = kecamatan_choices()

    def validate_source(self, field):
        allowed = RECIPIENT_SOURCES if self.kind.data == "recipients" else AID_SOURCES
        if field.data not in allowed:
            raise ValidationError(_l("This source does not fit what the file holds."))


def _label(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def mapping_form(fields: tuple[str, ...], header: list[str]):
    """A form with one column choice per field, built for this file's header."""
    choices = [SelectChoice(-1, _l("— not in the file —"))] + [
        SelectChoice(index, _label(name)) for index, name in enumerate(header)
    ]

    class MappingForm(FlaskForm):
        pass

    for name in fields:
        label = FIELD_LABELS[name]
        setattr(MappingForm, name, SelectField(label, choices=choices, coerce=int))
    return MappingForm
