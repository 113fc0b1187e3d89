"""Forms of the partners area: registration, invitations, the admin's status actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.auth.passwords import NewPassword
from portal.core.forms import ANY, TOO_LONG, required_text
from portal.core.labels import COMPANY_SECTOR_LABELS, COMPANY_STATE_LABELS
from portal.core.text import lazy_gettext as _l
from portal.models import COMPANY_SECTORS, COMPANY_STATES
from portal.partners import services
from portal.partners.services import RegistrationData


def _password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Choose a password.")), NewPassword()],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )
    return password, confirm


def _email_validators(required_message):
    return [
        DataRequired(required_message),
        Email(_l("This is not a valid e-mail address.")),
        Length(max=254, message=TOO_LONG),
    ]


class RegistrationForm(FlaskForm):
    """A company and its first staff account, from the login page."""

    company_name = StringField(
        _l("Company name"),
        validators=required_text(_l("Enter the company's name."), 200),
    )
    sector = SelectField(
        _l("Sector"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(c, COMPANY_SECTOR_LABELS[c]) for c in COMPANY_SECTORS],
        validators=[DataRequired(_l("Choose the company's sector."))],
        invalid_choice_message=_l("Choose the company's sector."),
    )
    address = TextAreaField(
        _l("Address"),
        validators=required_text(_l("Enter the company's address."), 500),
    )
    phone = TelField(_l("Phone"), validators=required_text(_l("Enter a phone number."), 40))
    company_email = EmailField(
        _l("Company e-mail"),
        validators=[
            Optional(),
            Email(_l("This is not a valid e-mail address.")),
            Length(max=120, message=TOO_LONG),
        ],
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=required_text(_l("Enter the contact person's name."), 120),
    )
    representative_name = StringField(
        _l("Representative who signs letters"),
        validators=required_text(_l("Enter the name of the person who signs letters."), 120),
    )
    representative_title = StringField(
        _l("Representative's title"),
        validators=required_text(_l("Enter the representative's title, e.g. CSR Manager."), 120),
    )
    name = StringField(_l("Your name"), validators=required_text(_l("Enter your name."), 120))
    email = EmailField(
        _l("Your e-mail (to log in)"),
        validators=_email_validators(_l("Enter your e-mail address.")),
    )
    password, confirm = _password_fields()

    def password_email(self) -> str:
        return self.email.data or ""

    def validate_company_name(self, field):
        if services.company_name_taken(field.data):
            raise ValidationError(_l("A company with this name is already registered."))

    def to_data(self) -> RegistrationData:
        return RegistrationData(
            company_name=self.company_name.data,
            sector=self.sector.data,
            address=self.address.data,
            phone=self.phone.data,
            company_email=self.company_email.data or "",
            contact_name=self.contact_name.data,
            representative_name=self.representative_name.data,
            representative_title=self.representative_title.data,
            name=self.name.data,
            email=self.email.data,
            password=self.password.data,
        )


class InvitationForm(FlaskForm):
    """Invite a colleague by e-mail."""

    email = EmailField(
        _l("Colleague's e-mail"),
        validators=_email_validators(_l("Enter your colleague's e-mail address.")),
    )


class AcceptInvitationForm(FlaskForm):
    """The invitee's own name and password."""

    name = StringField(_l("Your name"), validators=required_text(_l("Enter your name."), 120))
    password, confirm = _password_fields()

    def __init__(self, *args, invited_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = invited_email

    def password_email(self) -> str:
        return self.invited_email


class ReasonForm(FlaskForm):
    """Rejecting or suspending a company needs a reason the company will see."""

    reason = TextAreaField(
        _l("Reason"),
        validators=required_text(_l("Give the reason; the company will see it."), 2000),
    )


class QueueFilterForm(FlaskForm):
    """Filters of the registration queue (GET, so no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Company name"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s, COMPANY_STATE_LABELS[s]) for s in COMPANY_STATES]
        + [SelectChoice("all", ANY)],
        default="pending",
        validators=[Optional()],
    )

    def filters(self) -> dict:
        status = self.status.data if self.status.data in COMPANY_STATES else None
        if self.status.data not in (*COMPANY_STATES, "all"):
            status = "pending"
        return {"q": (self.q.data or "").strip(), "status": status}

    def url_args(self) -> dict:
        args = {"status": self.status.data or "pending"}
        if self.q.data:
            args["q"] = self.q.data
        return args
