"""The CSR impact report as PDF bytes: plain ``Impact`` data → HTML → WeasyPrint, like the
letters (``portal.letters.render``): its own template (``templates/reports/impact.html``),
its own small print stylesheet (``impact.css``) and the fonts shipped in
``static/fonts``; nothing is fetched but ``data:`` images. The stylesheet and font
configuration are parsed once per process. Text is translated in the current locale
(Indonesian outside a request), so it renders the same in a request, a task or the
benchmark, inside an app context."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from portal.core import formatting
from portal.core.labels import (
    CONTRIBUTION_KIND_LABELS,
    RECIPIENT_SOURCE_LABELS,
    TARGET_GROUP_LABELS,
    label,
)
from portal.core.text import catalogue
from portal.letters.render import TEMPLATES, html_to_pdf
from portal.reports.impact_data import Impact

TEMPLATE = "reports/impact.html"
STYLESHEET = TEMPLATES / "reports" / "impact.css"


def percent(count: int, total: int) -> str:
    """``42%`` (whole percent), ``–`` when there is nothing to divide by."""
    return f"{round(100 * count / total)}%" if total else "–"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
    )
    env.filters.update(
        rupiah=formatting.rupiah, quantity=formatting.quantity, long_date=formatting.long_date
    )
    env.globals.update(
        percent=percent,
        kind_label=lambda code: label(CONTRIBUTION_KIND_LABELS, code),
        source_label=lambda code: label(RECIPIENT_SOURCE_LABELS, code),
        group_label=lambda code: label(TARGET_GROUP_LABELS, code),
    )
    return env


def impact_html(report: Impact) -> str:
    return environment().get_template(TEMPLATE).render(report=report)


def render_pdf(report: Impact) -> bytes:
    """The impact report as PDF bytes."""
    return html_to_pdf(impact_html(report), STYLESHEET)


def filename(report: Impact, fmt: str) -> str:
    return f"dampak-csr-{report.period.key}.{fmt}"
