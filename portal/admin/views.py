"""Dinsos admin pages: user accounts, companies, settings and kecamatan offices.

Every view is for admins only. Views read the form, call ``portal.admin.services``
and render or redirect; a refused change comes back as a message beside its field.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from portal.admin import branding, forms, services
from portal.core import handover
from portal.core import settings as settings_store
from portal.core.labels import COMPANY_STATE_LABELS, label
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import attempt
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.htmx import render
from portal.letters.access import signs_letters
from portal.models import Company, User
from portal.models.regions import KecamatanOffice

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(services.letter_number_example, "letter_number_example")
PER_PAGE = 25


def get_or_404(model, object_id):
    """The record or 404: the admin's pages have no narrower scope."""
    return get_in_scope_or_404(model, object_id)


def _hand_over_password(user: User, password: str) -> None:
    """Keep a temporary password on the server for one showing on the user's page, to
    this admin only (caller commits)."""
    handover.hand_over(current_user, handover.TEMPORARY_PASSWORD, user.id, password)


# --- users -------------------------------------------------------------------------


@bp.route("/users")
@access("admin")
def users():
    """Every account; filters and search reload only the results (HTMX active search)."""
    form = forms.UserFilterForm(request.args)
    f = form.filters()
    query = services.user_query(f["q"], f["role"], f["kecamatan"], f["status"])
    page = paginate(query, PER_PAGE)
    return render("admin/users.html", block="results", form=form, page=page, args=form.url_args())


@bp.route("/users/new", methods=["GET", "POST"])
@access("admin")
def user_new():
    """Create an account; its temporary password is shown once on the next page."""
    form = forms.UserForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            user, password = services.create_user(current_user, form.to_data())
            _hand_over_password(user, password)
        if outcome.ok:
            flash(_l("The account of %(name)s has been created.", name=user.name), "success")
            return redirect(url_for("admin.user_show", user_id=user.id))
    return render("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>")
@access("admin")
def user_show(user_id: int):
    """An account, its actions and its history."""
    user = get_or_404(User, user_id)
    password = handover.take(current_user, handover.TEMPORARY_PASSWORD, user.id)
    return render(
        "admin/user_show.html",
        user=user,
        temporary_password=password,
        events=services.history(user),
        office=services.office_of_camat(user),
        signs_letters=signs_letters(user),
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@access("admin")
def user_edit(user_id: int):
    """Change an account's details, role or scope."""
    user = get_or_404(User, user_id)
    form = forms.UserForm(user=user)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            changed = services.update_user(current_user, user, form.to_data())
        if outcome.ok:
            if changed:
                flash(_l("The account has been saved."), "success")
            return redirect(url_for("admin.user_show", user_id=user.id))
    return render("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@access("admin")
def user_deactivate(user_id: int):
    """Close an account: the person can no longer log in and their sessions end."""
    user = get_or_404(User, user_id)
    with attempt() as outcome:
        office = services.deactivate_user(current_user, user)
    if outcome.ok:
        flash(_l("The account of %(name)s has been deactivated.", name=user.name), "success")
        if office is not None:
            flash(
                _l(
                    "%(name)s is still recorded as camat in office of Kecamatan %(kecamatan)s. "
                    "Choose the new camat on the office page; letters already signed keep "
                    "their signer's name, title and NIP.",
                    name=user.name,
                    kecamatan=office.kecamatan.name,
                ),
                "warning",
            )
    return redirect(url_for("admin.user_show", user_id=user.id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@access("admin")
def user_reactivate(user_id: int):
    """Open a closed account again."""
    user = get_or_404(User, user_id)
    with attempt() as outcome:
        services.reactivate_user(current_user, user)
    if outcome.ok:
        flash(_l("The account of %(name)s is active again.", name=user.name), "success")
    return redirect(url_for("admin.user_show", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@access("admin")
def user_reset_password(user_id: int):
    """Issue a temporary password, shown once; the person must replace it at login."""
    user = get_or_404(User, user_id)
    with attempt() as outcome:
        password = services.reset_password(current_user, user)
        _hand_over_password(user, password)
    if outcome.ok:
        flash(_l("A temporary password has been issued."), "success")
    return redirect(url_for("admin.user_show", user_id=user.id))


# --- companies ---------------------------------------------------------------------


@bp.route("/companies")
@access("admin")
def companies():
    """Every company; filters and search reload only the results (HTMX active search)."""
    form = forms.CompanyFilterForm(request.args)
    f = form.filters()
    query = services.company_query(f["q"], f["status"], f["sector"])
    page = paginate(query, PER_PAGE)
    return render(
        "admin/companies.html", block="results", form=form, page=page, args=form.url_args()
    )


@bp.route("/companies/new", methods=["GET", "POST"])
@access("admin")
def company_new():
    """Register a company on its behalf (active at once)."""
    form = forms.CompanyForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            company = services.create_company(current_user, form.to_data())
        if outcome.ok:
            flash(_l("%(name)s has been registered.", name=company.name), "success")
            return redirect(url_for("admin.company_show", company_id=company.id))
    return render("admin/company_form.html", form=form, company=None)


def _company_page(company: Company, status_form=None):
    return render(
        "admin/company_show.html",
        company=company,
        status_form=status_form or forms.CompanyStatusForm(formdata=None),
        possible=services.company_actions_for(company),
        events=services.history(company),
    )


@bp.route("/companies/<int:company_id>")
@access("admin")
def company_show(company_id: int):
    """A company, its staff accounts, status actions and history."""
    return _company_page(get_or_404(Company, company_id))


@bp.route("/companies/<int:company_id>/edit", methods=["GET", "POST"])
@access("admin")
def company_edit(company_id: int):
    """Change a company's details."""
    company = get_or_404(Company, company_id)
    form = forms.CompanyForm(company=company)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            changed = services.update_company(current_user, company, form.to_data())
        if outcome.ok:
            if changed:
                flash(_l("The company has been saved."), "success")
            return redirect(url_for("admin.company_show", company_id=company.id))
    return render("admin/company_form.html", form=form, company=company)


@bp.route("/companies/<int:company_id>/status", methods=["POST"])
@access("admin")
def company_status(company_id: int):
    """Activate, reject or suspend a company (a reason is needed to reject or suspend)."""
    company = get_or_404(Company, company_id)
    form = forms.CompanyStatusForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            services.change_company_status(
                current_user, company, request.form.get("action", ""), form.reason.data
            )
        if outcome.ok:
            flash(
                _l(
                    "%(name)s is now: %(status)s.",
                    name=company.name,
                    status=label(COMPANY_STATE_LABELS, company.status),
                ),
                "success",
            )
            return redirect(url_for("admin.company_show", company_id=company.id))
    return _company_page(company, form)


# --- settings ----------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@access("admin")
def settings():
    """The business rules an admin edits (look-back window, validation period, …)."""
    current = {key: _as_text(settings_store.get(key)) for key in settings_store.SPECS}
    form = forms.SettingsForm(data=current)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            changed = services.save_settings(current_user, form.values())
        if outcome.ok:
            if changed:
                flash(_l("The settings have been saved."), "success")
            else:
                flash(_l("Nothing was changed."), "info")
            return redirect(url_for("admin.settings"))
    return _settings_page(form=form)


def _settings_page(form=None, logo_form=None, status: int = 200):
    if form is None:
        current = {key: _as_text(settings_store.get(key)) for key in settings_store.SPECS}
        form = forms.SettingsForm(data=current, formdata=None)
    return render(
        "admin/settings.html",
        status=status,
        form=form,
        logo_form=logo_form or forms.LogoForm(formdata=None),
        logo=branding.current_logo(),
        specs=settings_store.SPECS,
        events=services.settings_history(),
    )


@bp.route("/settings/logo", methods=["POST"])
@access("admin")
def logo():
    """Upload the portal's logo (shown in every page's header and as the favicon)."""
    form = forms.LogoForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            branding.set_logo(current_user, form.logo.data)
        if outcome.ok:
            flash(_l("The new logo is in place."), "success")
            return redirect(url_for("admin.settings"))
    return _settings_page(logo_form=form, status=400)


@bp.route("/settings/logo/remove", methods=["POST"])
@access("admin")
def logo_remove():
    """Go back to the portal's default logo."""
    with attempt() as outcome:
        removed = branding.remove_logo(current_user)
    if outcome.ok and removed:
        flash(_l("The default logo is back."), "success")
    return redirect(url_for("admin.settings"))


def _as_text(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


# --- kecamatan offices -------------------------------------------------------------


@bp.route("/offices")
@access("admin")
def offices():
    """The 20 kecamatan offices: letterhead data, camat in office, letter numbering."""
    return render("admin/offices.html", rows=services.office_rows())


@bp.route("/offices/<int:kecamatan_id>/edit", methods=["GET", "POST"])
@access("admin")
def office_edit(kecamatan_id: int):
    """Edit one kecamatan office."""
    office = get_or_404(KecamatanOffice, kecamatan_id)
    form = forms.OfficeForm(office=office)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            changed = services.update_office(current_user, office, form.to_data())
        if outcome.ok:
            if changed:
                flash(
                    _l(
                        "The office of Kecamatan %(name)s has been saved.",
                        name=office.kecamatan.name,
                    ),
                    "success",
                )
            return redirect(url_for("admin.offices"))
    return render("admin/office_form.html", form=form, office=office)
