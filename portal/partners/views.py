"""CSR partners: registration, the waiting room, the company page with staff
invitations, and the admin's queue of companies to activate, reject or suspend."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.auth.session import log_in
from portal.core import audit, handover, throttle
from portal.core.paging import paginate
from portal.core.policy import PUBLIC, access
from portal.core.refusals import Refusal, attempt, show_error
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.extensions import db, limiter
from portal.htmx import render
from portal.models import Company
from portal.partners import forms, services
from portal.partners.mail import (
    invitation_url,
    send_invitation,
    send_invitation_to_an_account,
    send_registration_for_an_account,
    send_registration_received,
)

bp = Blueprint("partners", __name__)
PER_PAGE = 25


def get_company_or_404(company_id: int) -> Company:
    return get_in_scope_or_404(Company, company_id)


# --- registration and the waiting room ---------------------------------------------


def _registration_throttled(limit):
    form = forms.RegistrationForm()
    form.form_errors.append(throttle.wait_message(limit))
    return throttle.refused(render("partners/register.html", form=form), limit)


@bp.route("/partners/register", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(
    throttle.configured("REGISTRATION_LIMIT_PER_ADDRESS"),
    key_func=throttle.address_key,
    methods=["POST"],
    on_breach=_registration_throttled,
)
def register():
    """A company's CSR staff register the company and their own account.

    Every accepted form gets the same answer, whether or not its address already has an
    account: the visitor is not logged in but sent to log in, and where mail is
    configured the address's owner is the one told what happened. Every attempt is
    counted per address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = forms.RegistrationForm()
    if form.validate_on_submit():
        try:
            with attempt(form) as attempted:
                outcome = services.register_company(form.to_data())
        except IntegrityError:  # the same form sent twice at the same moment
            db.session.rollback()
            form.company_name.errors.append(_l("A company with this name is already registered."))
        else:
            if attempted.ok:
                if current_app.config.get("MAIL_SERVER"):
                    if outcome.user is not None:
                        send_registration_received(outcome.user.email, form.company_name.data)
                    else:
                        send_registration_for_an_account(outcome.owner, form.company_name.data)
                return redirect(url_for("partners.registered"))
    return render("partners/register.html", form=form)


@bp.route("/partners/register/received")
@access(PUBLIC)
def registered():
    """The one answer to every registration: log in to follow it."""
    return render(
        "partners/registered.html", mail_enabled=bool(current_app.config.get("MAIL_SERVER"))
    )


@bp.route("/partners/waiting")
@access("partner")
def waiting():
    """What a company that is not active yet sees: its status and any reason given."""
    company = current_user.company
    if company.status in ("active", "suspended"):
        return redirect(url_for("main.home"))
    return render("partners/waiting.html", company=company)


# --- the company page and staff invitations ----------------------------------------


def _company_page(form=None, status: int = 200):
    company = current_user.company
    link = handover.take(current_user, handover.INVITATION_LINK, company.id)
    return render(
        "partners/company.html",
        status=status,
        company=company,
        staff=services.active_staff(company),
        invitations=services.open_invitations(company),
        form=form or forms.InvitationForm(),
        can_submit=services.company_can_submit(current_user),
        invitation_link=link,
        invitation_days=services.INVITATION_DAYS,
    )


@bp.route("/partners/company")
@access("partner")
def company():
    """The partner's own company: its details, staff and open invitations."""
    return _company_page()


@bp.route("/partners/company/invitations", methods=["POST"])
@access("partner")
def invite():
    """Invite a colleague; without SMTP the link is shown once to pass on."""
    form = forms.InvitationForm()
    if not form.validate_on_submit():
        return _company_page(form)
    mail = current_app.config.get("MAIL_SERVER")
    with attempt(form) as outcome:
        invitation, token = services.invite_colleague(current_user, form.email.data)
        if not mail:
            handover.hand_over(
                current_user, handover.INVITATION_LINK, invitation.company_id, _shown_link(token)
            )
    if not outcome.ok:
        return _company_page(form)
    if mail:
        owner = services.account_for(invitation.email)
        if owner is None:
            send_invitation(invitation, token, current_user.name)
        else:  # the owner is told instead; the inviter is answered the same way
            send_invitation_to_an_account(invitation, owner, current_user.name)
        flash(_l("The invitation has been sent to %(email)s.", email=invitation.email), "success")
    else:
        flash(_l("The invitation for %(email)s is ready.", email=invitation.email), "success")
    return redirect(url_for("partners.company"))


def _shown_link(token: str) -> str:
    """The invitation link shown to the inviter to pass on (no mail is sent). On
    PUBLIC_BASE_URL when set; otherwise the address the inviter is using, which only the
    inviter sees: it is never mailed."""
    if current_app.config.get("PUBLIC_BASE_URL"):
        return invitation_url(token)
    return url_for("partners.register_invited", token=token, _external=True)


@bp.route("/partners/company/invitations/<int:invitation_id>/revoke", methods=["POST"])
@access("partner")
def revoke_invitation(invitation_id: int):
    """Withdraw an open invitation of one's own company."""
    invitation = services.get_company_invitation(current_user, invitation_id)
    if invitation is None:
        abort(404)
    with attempt() as outcome:
        services.revoke_invitation(current_user, invitation)
    if outcome.ok:
        flash(_l("The invitation for %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(url_for("partners.company"))


def _acceptance_throttled(limit):
    token = (request.view_args or {}).get("token", "")
    try:
        invitation = services.invitation_for_token(token)
    except Refusal:
        return None  # the plain 429 page
    form = forms.AcceptInvitationForm()
    form.form_errors.append(throttle.wait_message(limit))
    page = render("partners/accept.html", form=form, invitation=invitation, token=token)
    return throttle.refused(page, limit)


@bp.route("/partners/invitations/<token>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(
    throttle.configured("INVITATION_LIMIT_PER_ADDRESS"),
    key_func=throttle.address_key,
    methods=["POST"],
    on_breach=_acceptance_throttled,
)
def register_invited(token: str):
    """An invited colleague sets their name and password and joins the company (every
    attempt is counted per address)."""
    if current_user.is_authenticated:
        flash(_l("Log out first to accept an invitation for another account."), "warning")
        return redirect(url_for("main.home"))
    try:
        invitation = services.invitation_for_token(token)
    except Refusal as error:
        return render("partners/invitation_invalid.html", status=410, error=error)
    form = forms.AcceptInvitationForm(invited_email=invitation.email)
    if form.validate_on_submit():
        try:
            with attempt(category=None) as outcome:
                user = services.accept_invitation(token, form.name.data, form.password.data)
            error = outcome.refusal
        except IntegrityError:  # the address got an account meanwhile
            db.session.rollback()
            error = Refusal(services.INVITATION_UNUSABLE)
        if error:
            return render("partners/invitation_invalid.html", status=410, error=error)
        log_in(user)
        flash(_l("Welcome to %(company)s.", company=invitation.company.name), "success")
        return redirect(url_for("main.home"))
    return render("partners/accept.html", form=form, invitation=invitation, token=token)


# --- the admin's queue and the company life cycle ----------------------------------


@bp.route("/admin/companies/pending")
@access("admin")
def queue():
    """Companies waiting for activation (or any status); search reloads only the results."""
    form = forms.QueueFilterForm(request.args)
    f = form.filters()
    page = paginate(services.company_queue(f["status"], f["q"]), PER_PAGE)
    return render(
        "partners/queue.html", block="results", form=form, page=page, args=form.url_args()
    )


def _review_page(company: Company, reject_form=None, suspend_form=None):
    return render(
        "partners/review.html",
        company=company,
        staff=services.active_staff(company),
        actions=services.actions_for(company),
        events=audit.history_with_actors(company),
        reject_form=reject_form or forms.ReasonForm(prefix="reject"),
        suspend_form=suspend_form or forms.ReasonForm(prefix="suspend"),
    )


@bp.route("/admin/companies/<int:company_id>/review")
@access("admin")
def review(company_id: int):
    """One company as the admin reviews it: details, staff, history and its actions."""
    return _review_page(get_company_or_404(company_id))


def _transition(company: Company, apply, done_message):
    """Run one transition; a refusal becomes a message, nothing half-applied."""
    with attempt() as outcome:
        apply()
    if outcome.ok:
        flash(done_message, "success")
    return redirect(url_for("partners.review", company_id=company.id))


@bp.route("/admin/companies/<int:company_id>/activate", methods=["POST"])
@access("admin")
def activate(company_id: int):
    """pending → active."""
    company = get_company_or_404(company_id)
    return _transition(
        company,
        lambda: services.change_status(current_user, company, "activate"),
        _l("%(name)s has been activated.", name=company.name),
    )


@bp.route("/admin/companies/<int:company_id>/lift-suspension", methods=["POST"])
@access("admin")
def lift(company_id: int):
    """suspended → active."""
    company = get_company_or_404(company_id)
    return _transition(
        company,
        lambda: services.change_status(current_user, company, "lift"),
        _l("The suspension of %(name)s has been lifted.", name=company.name),
    )


def _with_reason(company: Company, action: str, done_message):
    """A transition that needs a reason (its form is prefixed with the action's name)."""
    form = forms.ReasonForm(prefix=action)
    if not form.validate_on_submit():
        return _review_page(company, **{f"{action}_form": form})
    with attempt(category=None) as outcome:
        services.change_status(current_user, company, action, form.reason.data)
    if outcome.ok:
        flash(done_message, "success")
    elif outcome.refusal.field:
        show_error(form, outcome.refusal)
        return _review_page(company, **{f"{action}_form": form})
    else:
        flash(outcome.refusal.message, "danger")
    return redirect(url_for("partners.review", company_id=company.id))


@bp.route("/admin/companies/<int:company_id>/reject", methods=["POST"])
@access("admin")
def reject(company_id: int):
    """pending → rejected, with a reason the applicant sees."""
    company = get_company_or_404(company_id)
    return _with_reason(
        company,
        "reject",
        _l("%(name)s has been rejected.", name=company.name),
    )


@bp.route("/admin/companies/<int:company_id>/suspend", methods=["POST"])
@access("admin")
def suspend(company_id: int):
    """active → suspended, with a reason the staff see."""
    company = get_company_or_404(company_id)
    return _with_reason(
        company,
        "suspend",
        _l("%(name)s has been suspended.", name=company.name),
    )
