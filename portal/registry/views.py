"""Registry pages: the recipient list and search, a person's page, adding and editing a
person, and the NIK lookup. The blueprint and the helpers its pages share are in
``blueprint``; importing this module registers every registry route on it.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.core.audit import history_with_actors
from portal.core.codes import codes_of
from portal.core.paging import paginate
from portal.core.policy import access
from portal.core.refusals import attempt
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.htmx import htmx, render
from portal.models import RecipientCorrection, User
from portal.registry import category_views, decision_views, forms, search
from portal.registry.access import can_decide, can_propose_correction
from portal.registry.blueprint import READERS, bp, get_recipient_or_404
from portal.registry.lookup import aid_history
from portal.registry.lookup import lookup as lookup_nik
from portal.registry.recipients import (
    VIEW_ACTIONS,
    create_recipient,
    data_of,
    record_view,
    update_recipient,
)
from portal.registry.validity import validation_expires_at

# The routes of these modules are on ``bp`` too (imported for that, and so named here).
ROUTE_MODULES = (category_views, decision_views)
PER_PAGE = 25
# Search results are counted this far (or to the page after the current one), then the
# list says "more than": counting every match of a short name regency-wide costs a scan.
SEARCH_COUNT_LIMIT = 100

# --- the list -------------------------------------------------------------------------


def search_formdata():
    """The list's search and filters: a POST body, or the URL's filters without the search
    text (a ``?q=`` may carry a NIK; read from a URL it would be searched, echoed back and
    kept in access logs and history, so it is dropped unread)."""
    if request.method == "POST":
        return request.form
    args = request.args.copy()
    args.poplist(forms.SearchForm.SEARCH_FIELD)
    return args


@bp.route("/registry/recipients", methods=["GET", "POST"])
@access(*READERS)
def recipients():
    """The registry of the user's area. Filters may be in the URL; the search text (it may
    be a NIK) only ever comes in a POST body, so it is never pushed into history."""
    form = forms.SearchForm(current_user, search_formdata())
    filters = form.filters()
    if request.method == "POST" and not filters.q and not htmx.request:
        return redirect(url_for("registry.recipients", **form.url_args()), 303)
    query = search.recipient_query(current_user, filters)
    number = form.page_number()
    count_limit = max(SEARCH_COUNT_LIMIT, (number + 1) * PER_PAGE)
    if filters.q:
        page = paginate(query, PER_PAGE, page=number, count=False)
        if 0 < len(page.items) < PER_PAGE or (number == 1 and not page.items):
            page.total = (number - 1) * PER_PAGE + len(page.items)  # the last page: no count
        else:
            page.total = search.count_up_to(query, count_limit + 1)
    else:
        page = paginate(query, PER_PAGE, page=number)
    response = render(
        "registry/recipients.html",
        block="results",
        form=form,
        page=page,
        args=form.url_args(),
        searching=bool(filters.q),
        count_limit=count_limit,
    )
    if request.method == "POST" and htmx.request and not filters.q:
        response.headers["HX-Push-Url"] = url_for("registry.recipients", **form.url_args())
    return response


# --- one person -----------------------------------------------------------------------


@bp.route("/registry/recipients/<int:recipient_id>")
@access(*READERS)
def show(recipient_id: int):
    """A person's data, family, aid history and history; opening it is logged."""
    recipient = get_recipient_or_404(recipient_id)
    record_view(current_user, recipient)
    db.session.commit()
    household, aid = aid_history(recipient)
    events = history_with_actors(recipient)
    groups, sectors = codes_of(recipient)
    return render(
        "registry/show.html",
        recipient=recipient,
        household=household,
        aid=aid,
        events=[(e, actor) for e, actor in events if e.action not in VIEW_ACTIONS],
        views=[(e, actor) for e, actor in events if e.action in VIEW_ACTIONS][-20:],
        groups=groups,
        sectors=sectors,
        expires_at=validation_expires_at(recipient),
        validator=db.session.get(User, recipient.validated_by_id)
        if recipient.validated_by_id
        else None,
        reject_form=forms.ReasonForm(),
        deactivate_form=forms.DeactivateForm(),
        may_decide=can_decide(current_user, recipient),
        may_propose_correction=can_propose_correction(current_user, recipient),
        corrections=db.session.scalars(
            select(RecipientCorrection)
            .where(RecipientCorrection.recipient_id == recipient.id)
            .order_by(RecipientCorrection.proposed_at.desc())
        ).all(),
    )


@bp.route("/registry/recipients/new", methods=["GET", "POST"])
@access("officer", "village")
def new():
    """Add a person (officer) or propose one for the officer to validate (village)."""
    form = forms.RecipientForm(current_user)
    if current_user.role == "village" and request.method == "GET":
        form.desa_id.data = current_user.desa_id
    existing = None
    if form.validate_on_submit():
        with attempt(form) as outcome:  # the warnings are on the record and on its page
            recipient, _warnings = create_recipient(current_user, form.to_data())
        if outcome.refusal:
            existing = outcome.refusal.existing
        else:
            if current_user.role == "village":
                flash(_l("Sent to the kecamatan officer, who will validate it."), "success")
            else:
                flash(
                    _l("%(name)s has been added, waiting for validation.", name=recipient.name),
                    "success",
                )
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/form.html", form=form, recipient=None, existing=existing)


@bp.route("/registry/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@access("officer")
def edit(recipient_id: int):
    """Change a person's data."""
    recipient = get_recipient_or_404(recipient_id)
    form = forms.RecipientForm(current_user, data=vars(data_of(recipient)))
    existing = None
    if form.validate_on_submit():
        with attempt(form) as outcome:  # the warnings are on the record and on its page
            changed, _warnings = update_recipient(current_user, recipient, form.to_data())
        if outcome.refusal:
            existing = outcome.refusal.existing
        else:
            if changed:
                flash(_l("The record has been saved."), "success")
            return redirect(url_for("registry.show", recipient_id=recipient.id))
    return render("registry/form.html", form=form, recipient=recipient, existing=existing)


# --- NIK lookup -----------------------------------------------------------------------


@bp.route("/registry/lookup", methods=["GET", "POST"])
@access("officer", "admin", "camat")
def lookup():
    """Type a NIK (in a POST body) and see every aid of that person and their family."""
    form = forms.LookupForm(request.form if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.validate():
        result = lookup_nik(form.nik.data)
        if result.household.person is not None:
            record_view(current_user, result.household.person, looked_up=True)
            db.session.commit()
    return render("registry/lookup.html", block="lookup_results", form=form, result=result)
