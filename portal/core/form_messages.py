"""WTForms' own messages ("This field is required.", "Not a valid choice.") read in the
user's language. WTForms ships no Indonesian catalogue, so its messages are listed here
for extraction into the portal's catalogue and looked up there."""

from __future__ import annotations

from flask import has_request_context
from flask_wtf import FlaskForm

from portal.core.text import N_, catalogue


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    return singular, plural


MESSAGES = (
    N_("Invalid field name '%s'."),
    N_("Field must be equal to %(other_name)s."),
    Np_(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    Np_(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    Np_(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    Np_(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
)


class FormTranslations:
    """The gettext interface WTForms asks for, answered from the portal's catalogue.
    WTForms formats the result itself, so nothing is formatted here."""

    def gettext(self, string: str) -> str:
        return catalogue().ugettext(string) if has_request_context() else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return catalogue().ungettext(singular, plural, n)


TRANSLATIONS = FormTranslations()


def use_portal_catalogue() -> None:
    """Every FlaskForm takes its built-in messages from the portal's catalogue."""
    FlaskForm.Meta.get_translations = lambda meta, form: TRANSLATIONS
