"""The admin's registry pages: the regency-wide duplicates report, aid categories and the
pairs of categories that may go together. Routes on the registry blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from portal.core.ids import MAX_ID
from portal.core.policy import access
from portal.core.refusals import attempt
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import render
from portal.models import AidCategory
from portal.registry import categories as cat_services
from portal.registry import duplicates, forms
from portal.registry.blueprint import bp

# --- admin: duplicates and categories -------------------------------------------------


@bp.route("/admin/duplicates")
@access("admin")
def duplicates_report():
    """Regency-wide suspected duplicates, for review."""
    form = forms.DuplicateFilterForm(request.args)
    form.validate()
    kind = form.kind.data if form.kind.data in ("name", "kk") and not form.kind.errors else "name"
    number = form.page.data if form.page.data and not form.page.errors else 1
    page = duplicates.duplicate_groups(kind, number)
    return render("registry/duplicates.html", block="results", form=form, page=page, kind=kind)


@bp.route("/admin/categories")
@access("admin")
def categories():
    """Aid categories and the pairs that may go together."""
    return render(
        "registry/categories.html",
        categories=cat_services.all_categories(),
        pairs=cat_services.all_pairs(),
        pair_form=forms.PairForm(),
    )


def _category_form(category: AidCategory | None):
    form = forms.CategoryForm(obj=category)
    if form.validate_on_submit():
        with attempt(form) as outcome:
            cat_services.save_category(
                current_user, category, form.code.data, form.name.data, form.description.data or ""
            )
        if outcome.ok:
            flash(_l("The category has been saved."), "success")
            return redirect(url_for("registry.categories"))
    return render("registry/category_form.html", form=form, category=category)


@bp.route("/admin/categories/new", methods=["GET", "POST"])
@access("admin")
def category_new():
    """Add an aid category."""
    return _category_form(None)


@bp.route("/admin/categories/<int:category_id>/edit", methods=["GET", "POST"])
@access("admin")
def category_edit(category_id: int):
    """Rename or describe an aid category."""
    return _category_form(db.get_or_404(AidCategory, category_id))


@bp.route("/admin/categories/<int:category_id>/active", methods=["POST"])
@access("admin")
def category_active(category_id: int):
    """Deactivate a category, or bring it back."""
    category = db.get_or_404(AidCategory, category_id)
    with attempt() as outcome:
        cat_services.set_category_active(current_user, category, request.form.get("active") == "1")
    if outcome.ok:
        flash(_l("The category has been saved."), "success")
    return redirect(url_for("registry.categories"))


@bp.route("/admin/categories/pairs", methods=["POST"])
@access("admin")
def pair_add():
    """Declare two categories allowed together."""
    form = forms.PairForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            cat_services.add_pair(current_user, form.first_id.data, form.second_id.data)
        if outcome.ok:
            flash(_l("The two categories may now go together."), "success")
            return redirect(url_for("registry.categories"))
    return render(
        "registry/categories.html",
        status=400,
        categories=cat_services.all_categories(),
        pairs=cat_services.all_pairs(),
        pair_form=form,
    )


@bp.route("/admin/categories/pairs/remove", methods=["POST"])
@access("admin")
def pair_remove():
    """Stop allowing two categories together."""
    try:
        first, second = int(request.form["first_id"]), int(request.form["second_id"])
        if not (0 < first <= MAX_ID and 0 < second <= MAX_ID):
            raise ValueError
    except (KeyError, ValueError):
        abort(400)
    with attempt() as outcome:
        cat_services.remove_pair(current_user, first, second)
    if outcome.ok:
        flash(_l("The pair has been removed."), "success")
    return redirect(url_for("registry.categories"))
