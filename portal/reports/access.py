"""Who may read which report, over which area.

- The monthly evaluation ("evaluasi bulanan") is the kecamatan's and Dinsos's: an officer
  or a camat reads their own kecamatan's; the admin any kecamatan's, or the whole regency
  (no kecamatan). Nobody else reads it.
- The CSR impact report is a company's: its partner staff read their own company's; the
  admin any company's. Nobody else reads it.

``evaluation_area`` and ``impact_company`` answer which area or company a request may
read (raising ``Refusal`` otherwise); the queries then limit every figure through the
areas' own ``visible`` rules as well. ``page_flags`` are the ``may_*`` flags the pages read.
"""

from __future__ import annotations

from portal.core.refusals import Refusal, refusal_of
from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Company, Kecamatan, User

EVALUATION_ROLES = ("officer", "camat", "admin")
IMPACT_ROLES = ("partner", "admin")


def evaluation_area(user: User, kecamatan_id: int | None) -> Kecamatan | None:
    """The kecamatan whose evaluation ``user`` reads when asking for ``kecamatan_id``
    (None: the whole regency, the admin's only)."""
    if user.role in ("officer", "camat"):
        if not user.kecamatan_id or kecamatan_id not in (None, user.kecamatan_id):
            raise Refusal(_l("You can read the evaluation of your own kecamatan only."))
        return db.session.get(Kecamatan, user.kecamatan_id)
    if user.role != "admin":
        raise Refusal(_l("Only kecamatan staff and Dinsos read the monthly evaluation."))
    if kecamatan_id is None:
        return None
    kecamatan = db.session.get(Kecamatan, kecamatan_id)
    if kecamatan is None:
        raise Refusal(_l("Choose one of the options offered."), field="kecamatan")
    return kecamatan


def check_evaluation(user: User, kecamatan_id: int | None) -> None:
    evaluation_area(user, kecamatan_id)


def evaluation_refusal(user: User, kecamatan_id: int | None) -> Refusal | None:
    return refusal_of(check_evaluation, user, kecamatan_id)


def can_read_evaluation(user: User, kecamatan_id: int | None = None) -> bool:
    return evaluation_refusal(user, kecamatan_id) is None


def impact_company(user: User, company_id: int | None) -> Company:
    """The company whose impact report ``user`` reads when asking for ``company_id``
    (a partner: their own, whatever they ask for)."""
    if user.role == "partner":
        if not user.company_id or company_id not in (None, user.company_id):
            raise Refusal(_l("You can read the impact report of your own company only."))
        return db.session.get(Company, user.company_id)
    if user.role != "admin":
        raise Refusal(_l("Only the company's staff and Dinsos read its impact report."))
    company = db.session.get(Company, company_id) if company_id else None
    if company is None:
        raise Refusal(_l("Choose a company."), field="company")
    return company


def check_impact(user: User, company_id: int | None) -> None:
    impact_company(user, company_id)


def impact_refusal(user: User, company_id: int | None) -> Refusal | None:
    return refusal_of(check_impact, user, company_id)


def can_read_impact(user: User, company_id: int | None = None) -> bool:
    return impact_refusal(user, company_id) is None


def page_flags(user: User) -> dict[str, bool]:
    """What the report pages offer this user (the templates read these, never the role)."""
    role = getattr(user, "role", None)
    return {
        "may_choose_kecamatan": role == "admin",
        "may_choose_company": role == "admin",
    }
