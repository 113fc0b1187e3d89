"""The admin's page of a signer's certificates: which one signs, uploading a PKCS#12 file
from a real certification authority (BSrE) instead of the installation's."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal.core import audit
from portal.core.policy import access
from portal.core.refusals import Refusal, attempt
from portal.core.scope import get_in_scope_or_404
from portal.core.text import lazy_gettext as _l
from portal.htmx import render
from portal.letters import forms
from portal.letters.access import signs_letters
from portal.letters.views import bp
from portal.models import User
from portal.signing.certificates import certificates_of, is_usable, upload_pkcs12

MAX_PKCS12_BYTES = 256 * 1024
SAVED = _l("The certificate has been saved; it signs this camat's next letters.")
NOT_PKCS12 = _l(
    "This is not a PKCS#12 file with a certificate and its key, or the password is wrong."
)


@bp.route("/admin/users/<int:user_id>/certificates", methods=["GET", "POST"])
@access("admin")
def certificates(user_id: int):
    """A camat's signing certificates; an uploaded valid one signs their next letters."""
    user = get_in_scope_or_404(User, user_id, lambda _viewer, u: signs_letters(u))
    form = forms.CertificateUploadForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            _upload(user, form)
        if outcome.ok:
            flash(
                _l("The certificate has been saved; it signs this camat's next letters."), "success"
            )
            return redirect(url_for("letters.certificates", user_id=user.id))
    rows = certificates_of(user)
    return render(
        "letters/certificates.html",
        user=user,
        form=form,
        rows=rows,
        usable={row.id for row in rows if is_usable(row)},
    )


def _upload(user: User, form) -> None:
    data = form.file.data.stream.read(MAX_PKCS12_BYTES + 1)
    if len(data) > MAX_PKCS12_BYTES:
        raise Refusal(_l("A PKCS#12 file is at most 256 KB."), field="file")
    try:
        row = upload_pkcs12(user, data, form.password.data or "")
    except ValueError as error:
        raise Refusal(NOT_PKCS12, field="file") from error
    audit.record(current_user, "certificate_uploaded", user, serial=row.serial)
