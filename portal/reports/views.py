"""Reports: the monthly evaluation of a kecamatan or the regency (page, print and export),
and a company's CSR impact report (PDF and XLSX). Who may read which area or company is
``reports.access``; the figures are ``queries`` and ``impact_data``."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.core.dates import local_today
from portal.core.policy import access
from portal.core.refusals import Refusal, show_error
from portal.extensions import db
from portal.htmx import render
from portal.reports import access as rules
from portal.reports import exporting, forms, impact, queries
from portal.reports.impact_data import impact as impact_figures

bp = Blueprint("reports", __name__, url_prefix="/laporan")
EVALUATION_PAGE = "reports/evaluation.html"
IMPACT_PAGE = "reports/impact_form.html"


def _evaluation_form(formdata):
    if not formdata:  # this month, as fields, so the export form carries it too
        today = local_today()
        formdata = MultiDict({"month": str(today.month), "year": str(today.year)})
    flags = rules.page_flags(current_user)
    return forms.EvaluationForm(
        current_user, formdata, may_choose_kecamatan=flags["may_choose_kecamatan"]
    )


def _evaluation_report(form):
    """The evaluation the valid ``form`` asks for, with its area; (None, None) with the
    reason beside the field otherwise."""
    if not form.validate():
        return None, None
    try:
        area = rules.evaluation_area(current_user, form.kecamatan_id())
    except Refusal as refusal:
        show_error(form, refusal)
        return None, None
    return queries.evaluation(current_user, area, form.period()), area


def _evaluation_page(form, report, status: int = 200):
    return render(
        EVALUATION_PAGE,
        block="results",
        status=status,
        form=form,
        report=report,
        **rules.page_flags(current_user),
    )


@bp.route("/evaluasi")
@access(*rules.EVALUATION_ROLES)
def evaluation():
    """The month's evaluation: this month's unless another is chosen."""
    form = _evaluation_form(request.args or None)
    report, _ = _evaluation_report(form)
    return _evaluation_page(form, report, 200 if report is not None else 422)


@bp.route("/evaluasi/ekspor", methods=["POST"])
@access(*rules.EVALUATION_ROLES)
def evaluation_export():
    """The evaluation as XLSX or CSV (audited: it names people)."""
    fmt = request.form.get("format", "xlsx")
    form = _evaluation_form(request.form)
    report, area = _evaluation_report(form)
    if report is None or fmt not in exporting.FORMATS:
        return _evaluation_page(form, None, 422)
    data = exporting.file_bytes(fmt, exporting.evaluation_sections(report))
    exporting.record_evaluation_export(current_user, report, area.id if area else None, fmt)
    db.session.commit()
    name = exporting.evaluation_filename(report, area.code if area else None, fmt)
    return _download(data, name, exporting.FORMATS[fmt])


def _impact_form(formdata):
    flags = rules.page_flags(current_user)
    return forms.ImpactForm(current_user, formdata, may_choose_company=flags["may_choose_company"])


def _impact_page(form, status: int = 200):
    return render(
        IMPACT_PAGE,
        status=status,
        form=form,
        max_months=forms.MAX_MONTHS,
        **rules.page_flags(current_user),
    )


@bp.route("/dampak")
@access(*rules.IMPACT_ROLES)
def impact_report():
    """Choose the period (and, for Dinsos, the company) of an impact report."""
    return _impact_page(_impact_form(None))


@bp.route("/dampak/unduh")
@access(*rules.IMPACT_ROLES)
def impact_download():
    """The impact report of the period as PDF or XLSX (no personal data: counts only)."""
    fmt = request.args.get("format", "pdf")
    form = _impact_form(request.args)
    if not form.validate() or fmt not in ("pdf", "xlsx"):
        return _impact_page(form, 422)
    try:
        company = rules.impact_company(current_user, form.company_id())
    except Refusal as refusal:
        show_error(form, refusal)
        return _impact_page(form, 422)
    report = impact_figures(current_user, company, form.period())
    if fmt == "pdf":
        return _download(
            impact.render_pdf(report), impact.filename(report, "pdf"), "application/pdf"
        )
    data = exporting.file_bytes("xlsx", exporting.impact_sections(report))
    return _download(data, impact.filename(report, "xlsx"), exporting.FORMATS["xlsx"])


def _download(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
