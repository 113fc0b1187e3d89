"""The public verification page's upload form and the letters list's filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SearchField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import ANY, TOO_LONG, ChoiceField, choices
from portal.core.text import lazy_gettext as _l

STATUS_LABELS = {"valid": _l("Valid"), "replaced": _l("Replaced")}


class CheckFileForm(FlaskForm):
    file = FileField(
        _l("The letter's PDF file (at most 20 MB)"),
        validators=[FileRequired(_l("Choose a PDF file."))],
    )


class SignedCopyForm(FlaskForm):
    file = FileField(
        _l("The letter signed again outside the portal (PDF, at most 20 MB)"),
        validators=[FileRequired(_l("Choose a PDF file."))],
    )


class AmendForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the letter amended?"),
        validators=[
            DataRequired(_l("Write why the letter is amended.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )


class CertificateUploadForm(FlaskForm):
    file = FileField(
        _l("PKCS#12 file (.p12 or .pfx) from the certification authority"),
        validators=[FileRequired(_l("Choose a PKCS#12 file."))],
    )
    password = PasswordField(_l("The file's password"))


class LetterFilterForm(FlaskForm):
    """The letters list's filters from the query string; a bad value is ignored."""

    class Meta:
        csrf = False

    q = SearchField(_l("Number, company or code"), validators=[Length(max=100, message=TOO_LONG)])
    status = ChoiceField(_l("Status"), choices=choices(STATUS_LABELS, ANY), validators=[Optional()])

    def value(self, name: str):
        field = self._fields.get(name)
        return None if field is None or field.errors or field.data in (None, "") else field.data

    def url_args(self) -> dict:
        return {name: self.value(name) for name in self._fields if self.value(name) is not None}
