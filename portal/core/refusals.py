"""Showing a service's refusal on the form that asked for the change.

Every area's domain error carries ``message`` (a translatable string) and ``field``
(the form field it belongs beside, or None for the whole form)."""

from __future__ import annotations


def show_error(form, error) -> None:
    """Put a refused change's message beside its field, or above the form."""
    if error.field and error.field in form:
        field = form[error.field]
        field.errors = [*field.errors, error.message]  # a tuple until the form validated
    else:
        form.form_errors.append(error.message)
