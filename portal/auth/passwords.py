"""The one rule for a new password, used by every form that sets one.

At least 8 and at most 64 characters; refused when it is among the most common
passwords (the list in ``portal/data/passwords``), only repeats a short piece or runs
through consecutive characters, or contains the name of the account's e-mail address.
No composition rules: a few ordinary words together make a good password.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from wtforms.validators import ValidationError

from portal.core.text import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 64
MIN_EMAIL_NAME = 3  # a shorter e-mail name ("ab@…") would refuse half of all passwords
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data/passwords/common-passwords.txt.gz"
SEPARATORS = re.compile(r"[\W_]+")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The common-password list in lower case, read once per process."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def _repeats_a_piece(password: str) -> bool:
    """``aaaaaaaa``, ``passwordpassword``, ``abcabcabc``: one piece said again and again."""
    return re.fullmatch(r"(.+?)\1+", password, flags=re.DOTALL) is not None


def _is_a_run(password: str) -> bool:
    """``abcdefgh``, ``98765432``: each character one step from the one before."""
    steps = {ord(b) - ord(a) for a, b in zip(password, password[1:], strict=False)}
    return steps in ({1}, {-1})


def email_names(email: str | None) -> set[str]:
    """The name part of an address as it may appear in a password: ``budi.santoso``
    and ``budisantoso`` for ``Budi.Santoso+csr@contoh.example``."""
    name = (email or "").strip().lower().partition("@")[0].partition("+")[0]
    names = {name, SEPARATORS.sub("", name)}
    return {n for n in names if len(n) >= MIN_EMAIL_NAME}


def password_problem(password: str | None, email: str | None = None):
    """Why ``password`` may not be used for the account of ``email``, or None."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)s characters.", n=MAX_LENGTH)
    lowered = password.lower()
    compact = SEPARATORS.sub("", lowered)
    if any(name in lowered or name in compact for name in email_names(email)):
        return _l("Do not use the name of your e-mail address in the password.")
    if lowered.strip() in common_passwords() or _repeats_a_piece(lowered) or _is_a_run(lowered):
        return _l(
            "This password is too easy to guess: it is one of the most used ones. "
            "A few words that only you would put together make a good password."
        )
    return None


class NewPassword:
    """WTForms validator applying ``password_problem``. The account's address comes from
    the form's ``password_email()`` (the typed e-mail on registration, the known one
    elsewhere)."""

    def __call__(self, form, field) -> None:
        email = form.password_email() if hasattr(form, "password_email") else None
        if problem := password_problem(field.data, email):
            raise ValidationError(problem)
