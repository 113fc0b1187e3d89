"""Validation states: a validation runs for the configured number of months
(``validation_months``), is "expiring" in its last 30 days and "expired" after. The same
definition serves one person (``validation_state``) and SQL (``state_condition``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_

from portal.core import settings
from portal.core.dates import add_months, as_utc, utcnow
from portal.models import Recipient

EXPIRING_DAYS = 30
VALIDATION_FILTERS = ("pending", "validated", "expiring", "expired", "renew", "rejected")


def validation_cutoff(now: datetime, months: int | None = None) -> datetime:
    """Validations on or before this moment have expired."""
    months = settings.get("validation_months") if months is None else months
    return add_months(as_utc(now), -months)


def validation_expires_at(recipient: Recipient, months: int | None = None) -> datetime | None:
    """When a validated person's validation runs out (None unless validated)."""
    if recipient.validation_status != "validated" or recipient.validated_at is None:
        return None
    months = settings.get("validation_months") if months is None else months
    return add_months(as_utc(recipient.validated_at), months)


def validation_state(recipient: Recipient, now: datetime | None = None, months=None) -> str:
    """pending, rejected, validated, expiring (within 30 days) or expired."""
    if recipient.validation_status != "validated":
        return recipient.validation_status
    now = as_utc(now or utcnow())
    cutoff = validation_cutoff(now, months)
    validated_at = as_utc(recipient.validated_at)
    if validated_at is None or validated_at <= cutoff:
        return "expired"
    if validated_at <= validation_cutoff(now + timedelta(days=EXPIRING_DAYS), months):
        return "expiring"
    return "validated"


def state_condition(state: str, now: datetime, months: int | None = None):
    """The SQL of a validation state, as ``validation_state`` decides it for one person:
    the one definition the list's filter, the candidates and the home page's figures use.
    A validation without a date counts as expired."""
    cutoff = validation_cutoff(now, months)
    soon = validation_cutoff(now + timedelta(days=EXPIRING_DAYS), months)
    validated = Recipient.validation_status == "validated"
    undated = Recipient.validated_at.is_(None)
    if state == "validated":
        return and_(validated, Recipient.validated_at > cutoff)
    if state == "expiring":
        return and_(validated, Recipient.validated_at > cutoff, Recipient.validated_at <= soon)
    if state == "expired":
        return and_(validated, or_(undated, Recipient.validated_at <= cutoff))
    if state == "renew":
        return and_(validated, or_(undated, Recipient.validated_at <= soon))
    return Recipient.validation_status == state


def state_column(now: datetime | None = None, months: int | None = None):
    """pending, validated, expired or rejected as a SQL expression, to count by state."""
    expired = state_condition("expired", as_utc(now or utcnow()), months)
    return case((expired, "expired"), else_=Recipient.validation_status)
