"""The registry's blueprint and what its pages share: the template globals (labels,
validation state, warnings, the double-aid window) and the scope checks that give a 404.

Its routes are in ``views`` (the list, a person's page, adding and editing, the NIK
lookup), ``decision_views`` (validation, rejection, deactivation, village proposals and
corrections) and ``category_views`` (the admin's duplicates report and aid categories).
A NIK never travels in a URL: searches and lookups are POST bodies; links name people
by id. Each view checks scope through ``get_recipient_or_404``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, g
from flask_login import current_user

from portal.core import settings
from portal.core.formatting import long_date
from portal.core.labels import SECTOR_LABELS, TARGET_GROUP_LABELS, label, registry_label
from portal.core.nik import warning_messages
from portal.core.scope import get_in_scope_or_404
from portal.models import Recipient, RecipientCorrection
from portal.registry import double_aid, validity
from portal.registry.access import in_scope, page_flags
from portal.registry.corrections import as_json
from portal.registry.recipients import data_of
from portal.registry.validation import warned_pending_of_batch

bp = Blueprint("registry", __name__)
READERS = ("officer", "admin", "camat", "village")


@bp.context_processor
def access_flags() -> dict[str, bool]:
    """The registry's ``may_*`` page flags, for every page of the blueprint."""
    return page_flags(current_user)


@bp.app_template_global()
def validation_state(recipient: Recipient) -> str:
    """The person's validation state; the period is read once per request, not per row
    (an unset setting is a query each time it is read)."""
    if "validation_months" not in g:
        g.validation_months = settings.get("validation_months")
    return validity.validation_state(recipient, months=g.validation_months)


@bp.app_template_global()
def recipient_warnings(recipient: Recipient) -> list[str]:
    """The sentences of the warnings kept on the record (plain text, escaped when shown)."""
    return [
        str(message)
        for message in warning_messages(
            recipient.warning_codes, recipient.nik, recipient.kk, recipient.birth_date
        )
    ]


@bp.app_template_global()
def warned_in_batch(batch_id: int) -> int:
    """People of an import still waiting for validation whose records carry warnings."""
    return warned_pending_of_batch(current_user, batch_id)


@bp.app_template_global()
def recipient_in_scope(recipient: Recipient) -> bool:
    """Whether the current user's area holds this person."""
    return in_scope(current_user, recipient)


@bp.app_template_global()
def lookback_start() -> date:
    """Aid on or after this date is inside the double-aid look-back window."""
    return double_aid.window_start()


@bp.app_template_global()
def correction_value(name: str, value) -> str:
    """A proposed value as the officer reads it."""
    if name == "target_groups":
        return ", ".join(label(TARGET_GROUP_LABELS, code) for code in value) or "–"
    if name == "sectors":
        return ", ".join(label(SECTOR_LABELS, code) for code in value) or "–"
    if name == "sex":
        return registry_label("sex", value)
    if name == "birth_date" and value:
        return long_date(date.fromisoformat(value))
    return str(value or "–")


@bp.app_template_global()
def correction_current(recipient: Recipient, name: str) -> str:
    """The record's present value of a field a correction names."""
    current = as_json(getattr(data_of(recipient), name))
    return correction_value(name, current)


def get_recipient_or_404(recipient_id: int) -> Recipient:
    """The recipient, if the current user's kecamatan or desa holds them."""
    return get_in_scope_or_404(Recipient, recipient_id, in_scope)


def get_correction_or_404(correction_id: int) -> RecipientCorrection:
    """The correction, if the current user's area holds its person."""
    return get_in_scope_or_404(
        RecipientCorrection, correction_id, lambda user, c: in_scope(user, c.recipient)
    )


def flash_warnings(warnings) -> None:
    """Show the NIK/KK warnings that did not block a change."""
    for warning in warnings:
        flash(warning, "warning")
