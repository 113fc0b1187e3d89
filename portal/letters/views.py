"""Letters: the public verification page (no login, rate-limited), downloading a letter and
the scoped list of letters."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask_login import current_user

from portal.core import audit, throttle
from portal.core.errors import error_page
from portal.core.paging import paginate
from portal.core.policy import PUBLIC, access
from portal.core.refusals import Refusal, attempt
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.extensions import limiter
from portal.htmx import render
from portal.letters import amendments, forms, queries
from portal.letters.access import LETTER_ROLES, can_print_receipts, can_upload_copy, in_scope
from portal.letters.copies import add_signed_copy
from portal.matching.access import is_builder
from portal.matching.transitions import AlreadyDone
from portal.models import Letter

bp = Blueprint("letters", __name__)
PER_PAGE = 25
NOT_FOUND = _l(
    "No letter has this verification code. Check the code printed beside the QR code; "
    "a letter the portal did not issue cannot be verified here."
)
NOT_A_PDF = _l("This file is not a PDF.")
COPY_SAVED = _l("The signed copy has been kept beside the letter; it is now the file served.")
TOO_LARGE = _l("The file is larger than 20 MB; a handover letter is much smaller.")
AMENDMENT_STARTED = _l(
    "The amendment has started: correct the plan and submit it to the camat again. "
    "The letter stays valid until the camat approves the amended one."
)


def _verification_throttled(limit):
    return throttle.refused(error_page(429, throttle.wait_message(limit)), limit)


@bp.route("/verifikasi/<code>", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(
    throttle.configured("VERIFY_LIMIT_PER_ADDRESS"),
    key_func=throttle.address_key,
    on_breach=_verification_throttled,
)
def verify(code: str):
    """What the QR code opens: the letter's outline, and whether an uploaded file is it."""
    letter = queries.by_code(code)
    if letter is None:
        return error_page(404, NOT_FOUND)
    form = forms.CheckFileForm()
    verdict = None
    if request.method == "POST" and form.validate_on_submit():
        verdict = _check(letter, form)
    status = 200 if request.method == "GET" or not form.errors else 422
    return render(
        "letters/verify.html",
        block="check",
        status=status,
        letter=letter,
        form=form,
        verdict=verdict,
        certificate_valid=queries.valid_when_signed(letter),
        replaced_by=amendments.replacement_of(letter),
    )


def _check(letter: Letter, form) -> str | None:
    """ "authentic", "different", or None with the reason beside the field."""
    data = queries.read_limited(form.file.data.stream)
    if data is None:
        form.file.errors.append(TOO_LARGE)
        return None
    if not queries.is_pdf(data):
        form.file.errors.append(NOT_A_PDF)
        return None
    return "authentic" if queries.is_authentic(letter, data) else "different"


@bp.route("/surat/<int:letter_id>")
@access(*LETTER_ROLES)
def show(letter_id: int):
    """A letter: its outline, its download and, for the officer, the copy signed outside."""
    letter = get_in_scope_or_404(Letter, letter_id, in_scope)
    return _letter_page(letter, forms.SignedCopyForm())


def _letter_page(letter: Letter, form, status: int = 200, amend_form=None):
    refusal = amendments.amend_refusal(current_user, letter)
    return render(
        "letters/show.html",
        status=status,
        letter=letter,
        form=form,
        may_upload_copy=can_upload_copy(current_user, letter),
        may_print_receipts=can_print_receipts(current_user, letter),
        certificate_valid=queries.valid_when_signed(letter),
        may_amend=refusal is None,
        amend_form=amend_form or forms.AmendForm(formdata=None),
        # Why the officer of the letter cannot amend it now (a handover comes first, say).
        amend_refused=refusal.message
        if refusal and is_builder(current_user, letter.match.kecamatan_id)
        else None,
        amendment=amendments.in_progress(letter),
        replaced_by=amendments.replacement_of(letter),
        history=audit.history_with_actors(letter),
    )


@bp.route("/surat/<int:letter_id>/perubahan", methods=["POST"])
@access("officer")
def amend(letter_id: int):
    """The officer starts an amendment with a written reason: the plan goes back to them."""
    letter = get_in_scope_or_404(Letter, letter_id, in_scope)
    form = forms.AmendForm()
    if not form.validate_on_submit():
        return _letter_page(letter, forms.SignedCopyForm(), status=422, amend_form=form)
    with attempt(form) as outcome:
        amendments.start(letter, current_user, form.reason.data)
    if outcome.ok:
        flash(AMENDMENT_STARTED, "success")
        return redirect(url_for("matching.show", match_id=letter.match_id))
    refusal = outcome.refusal
    if isinstance(refusal, AlreadyDone):
        flash(refusal.message, "info")
        return redirect(url_for("letters.show", letter_id=letter.id))
    return _letter_page(letter, forms.SignedCopyForm(), status=422, amend_form=form)


@bp.route("/surat/<int:letter_id>/salinan", methods=["POST"])
@access("officer")
def upload_copy(letter_id: int):
    """Keep the copy the camat signed outside the portal (BSrE) beside the letter."""
    letter = get_in_scope_or_404(Letter, letter_id, in_scope)
    if not can_upload_copy(current_user, letter):
        abort(403)
    form = forms.SignedCopyForm()
    if form.validate_on_submit():
        data = queries.read_limited(form.file.data.stream)
        with attempt(form) as outcome:
            if data is None:
                raise Refusal(TOO_LARGE, field="file")
            add_signed_copy(letter, data, current_user)
        if outcome.ok:
            flash(COPY_SAVED, "success")
            return redirect(url_for("letters.show", letter_id=letter.id))
    return _letter_page(letter, form, status=422)


@bp.route("/surat/<int:letter_id>/unduh")
@access(*LETTER_ROLES)
def download(letter_id: int):
    """The letter exactly as it was signed and stored (or as the camat signed it again
    outside the portal, when that copy was uploaded)."""
    letter = get_in_scope_or_404(Letter, letter_id, in_scope)
    copy = letter.served_copy
    response = make_response(copy.pdf if copy is not None else letter.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(letter)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def file_name(letter: Letter) -> str:
    """``BAST-400.9-007-CSR-64.02.06-V-2025.pdf``: the number with safe characters only."""
    return "BAST-" + re.sub(r"[^A-Za-z0-9.]+", "-", letter.number).strip("-") + ".pdf"


@bp.route("/surat")
@access(*LETTER_ROLES)
def index():
    """The letters of the matches the user may see, searched and filtered."""
    form = forms.LetterFilterForm(request.args)
    form.validate()
    query = queries.list_query(current_user, form.value("q"), form.value("status"))
    page = paginate(query, PER_PAGE)
    return render("letters/index.html", block="results", form=form, page=page, args=form.url_args())
