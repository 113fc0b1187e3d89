"""The one domain refusal every service raises, and the view helper that answers it.

A service that will not make a change raises ``Refusal`` before it changes anything;
its ``message`` is a translatable string (text, never markup) and ``field`` names the
form field it belongs beside, or None for the whole form. A view runs the service
inside ``attempt(form)``: success commits, a refusal rolls back and shows its message
beside the field (or flashes it when there is no form)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from portal.extensions import db


class Refusal(Exception):
    """A refused change; nothing was changed.

    ``existing`` is the object that already holds a unique value (a NIK, a code), when
    that is the reason, so the page can point to it."""

    def __init__(self, message, field: str | None = None, existing: object | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.existing = existing

    def __str__(self) -> str:
        return str(self.message)


def refusal_of(check, *args) -> Refusal | None:
    """Why ``check(*args)`` refuses (None when it passes): the ``*_refusal`` helpers of
    each area's ``access.py`` ask their ``check_*`` rules this way."""
    try:
        check(*args)
    except Refusal as error:
        return error
    return None


def show_error(form, error) -> None:
    """Put a refused change's message beside its field, or above the form."""
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]  # a tuple until the form validated
    else:
        form.form_errors.append(error.message)


def refuse(refusal: Refusal, form=None, *, category: str | None = "danger") -> None:
    """Roll back the refused change and show why: beside ``form``'s field when a form is
    given, else flashed in ``category`` (None: the caller shows it)."""
    db.session.rollback()
    if form is not None:
        show_error(form, refusal)
    elif category:
        flash(refusal.message, category)


@dataclass
class Outcome:
    """What ``attempt`` ended in: ``ok`` once committed, else the ``refusal``."""

    ok: bool = False
    refusal: Refusal | None = None


@contextmanager
def attempt(form=None, *, category: str | None = "danger") -> Iterator[Outcome]:
    """Run the block as one change: commit when it ends, roll back on a ``Refusal``.

    The refusal goes beside ``form``'s field when a form is given, else it is flashed in
    ``category`` (None: the view answers it itself, reading ``outcome.refusal``). Any
    other exception passes on uncommitted."""
    outcome = Outcome()
    try:
        yield outcome
    except Refusal as refusal:
        outcome.refusal = refusal
        refuse(refusal, form, category=category)
    else:
        db.session.commit()
        outcome.ok = True
