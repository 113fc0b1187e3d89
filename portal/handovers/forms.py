"""Forms of the handover pages: recording the handover (date, place, notes, one row per
recipient, photos and the scan), adding files afterwards, and the reversal's reason.

One row per active member of the match says whether they received their items, or why
not; the rows carry the member's id, which the view checks against the match (a forged
id is refused). Photo rows are a fixed handful, so the page works without JavaScript."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.core.dates import local_today
from portal.core.forms import TOO_LONG, ChoiceField, LocalDateField, choices, required_text
from portal.core.text import lazy_gettext as _l

PHOTO_ROWS = 4
PLACE_MAX = 200
# What happened to one recipient at the handover: received, or why not.
OUTCOME_LABELS = {
    "received": _l("Received"),
    "absent": _l("Not present"),
    "moved": _l("Moved away"),
    "deceased": _l("Deceased"),
    "refused": _l("Refused the aid"),
    "other": _l("Other reason"),
}


class MemberRow(Form):
    """One recipient at the handover."""

    member_id = HiddenField()
    outcome = ChoiceField(_l("Received?"), choices=choices(OUTCOME_LABELS), default="received")
    note = StringField(_l("Note on the absence"), validators=[Length(max=500, message=TOO_LONG)])
    collected_by = StringField(
        _l("Collected by (proxy)"), validators=[Length(max=PLACE_MAX, message=TOO_LONG)]
    )

    def validate_note(self, field):
        if self.outcome.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Please say why the recipient did not receive their aid."))

    def validate_collected_by(self, field):
        if self.outcome.data != "received" and (field.data or "").strip():
            raise ValidationError(
                _l("Only someone who received their aid can have had it collected for them.")
            )


class PhotoRow(Form):
    """One photo with its caption and whether the partner may see it."""

    file = FileField(_l("Photo (JPEG or PNG, at most 5 MB)"))
    caption = StringField(_l("Caption"), validators=[Length(max=200, message=TOO_LONG)])
    shareable = BooleanField(_l("May be shared with the partner"), default=False)


class FilesForm(FlaskForm):
    """Photos and the scan; on their own, to add to a recorded handover."""

    photos = FieldList(FormField(PhotoRow), min_entries=PHOTO_ROWS, max_entries=PHOTO_ROWS)
    scan = FileField(_l("Scan of the signed letter (PDF, JPEG or PNG, at most 10 MB)"))


class RecordForm(FilesForm):
    """The officer's record of the handover."""

    handed_over_on = LocalDateField(
        _l("Date of the handover"),
        validators=[InputRequired(_l("Please give the date of the handover."))],
        default=local_today,
    )
    place = StringField(
        _l("Place"), validators=required_text(_l("Please say where the handover took place."), 200)
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000, message=TOO_LONG)])
    members = FieldList(FormField(MemberRow))

    def validate_handed_over_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The handover date cannot be in the future."))


class ReverseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this handover reversed?"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=2000, message=TOO_LONG)],
    )
