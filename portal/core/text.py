"""Translatable messages that are text: what a user typed stays text when it is shown.

Flask-Babel's lazy strings answer ``__html__`` with the formatted message, so Jinja and
``flash()`` (whose session serializer stores anything with ``__html__`` as Markup) trust
every name put into them. The portal's lazy strings trust only the translated template,
a fixed string of ours, and escape each value formatted into it. Every module takes
``_l`` from here; ``tests/test_security_messages.py`` fails on any other lazy string
that carries arguments."""

from __future__ import annotations

from flask import g, has_app_context
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from markupsafe import Markup  # noqa: TID251 - the one place that builds markup


class LazyText(LazyString):
    """A message translated when used; ``str()`` is the plain text (mail, CSV, logs),
    ``__html__`` the same text with its values escaped (pages, flashes). As in Flask-Babel,
    ``_args[0]`` is the source string and ``_kwargs`` the values (the import keeps both
    to translate a row's reason when it is shown)."""

    def __init__(self, translate, args: tuple, variables: dict):
        super().__init__(translate, *args)
        self._kwargs = variables

    def _template(self) -> str:
        return str(self._func(*self._args))

    def __str__(self) -> str:
        template = self._template()
        return template % self._kwargs if self._kwargs else template

    def __html__(self) -> Markup:
        template = Markup(self._template())
        return template % self._kwargs if self._kwargs else template


def catalogue():
    """The request's translations, looked up once per locale and request: a page
    translates hundreds of labels, and Flask-Babel's ``get_translations`` walks its
    context, domain and locale anew each time.

    Kept beside Flask-Babel's own per-request locale (``g._flask_babel``) and keyed by
    that locale object, so ``force_locale`` and ``refresh`` switch it too."""
    if not has_app_context():
        return get_translations()
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None) if context is not None else None
    if locale is None:
        locale = get_locale()
        context = g.get("_flask_babel")
        if context is None:
            return get_translations()
    cached = getattr(context, "portal_catalogue", None)
    if cached is None or cached[0] is not locale:
        cached = context.portal_catalogue = (locale, get_translations())
    return cached[1]


def _template(string: str) -> str:
    """The translated template, its placeholders left unfilled."""
    return catalogue().ugettext(string)


def _plural_template(singular: str, plural: str, num: int) -> str:
    return catalogue().ungettext(singular, plural, num)


def lazy_gettext(string: str, **variables) -> LazyText:
    """Like Flask-Babel's ``lazy_gettext``, but the values are text, escaped in HTML."""
    return LazyText(_template, (string,), variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyText:
    """The plural form for ``num``; ``%(num)s`` is available as in Flask-Babel."""
    variables.setdefault("num", num)
    return LazyText(_plural_template, (singular, plural, num), variables)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark a string for extraction without translating it now."""
    return message


def rendered(html: str) -> Markup:
    """What one of our templates rendered (autoescaped, so every value in it is already
    escaped), kept as markup when a page includes it again from a cache."""
    return Markup(html)
