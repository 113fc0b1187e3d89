"""Human labels for the codes stored in the database, translated when shown."""

from portal.core.text import lazy_gettext as _l

ROLE_LABELS = {
    "partner": _l("CSR partner"),
    "village": _l("Village operator"),
    "officer": _l("Kecamatan officer"),
    "camat": _l("Camat"),
    "admin": _l("Dinsos administrator"),
}
COMPANY_STATE_LABELS = {
    "pending": _l("Waiting for activation"),
    "active": _l("Active"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
}
COMPANY_SECTOR_LABELS = {
    "mining": _l("Mining"),
    "plantation": _l("Plantation"),
    "oil_gas": _l("Oil and gas"),
    "forestry": _l("Forestry"),
    "energy": _l("Energy"),
    "other": _l("Other"),
}
CONTRIBUTION_STATE_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "allocating": _l("Allocating"),
    "completed": _l("Completed"),
    "withdrawn": _l("Withdrawn"),
    "split": _l("Split per kecamatan"),
}
CONTRIBUTION_KIND_LABELS = {
    "equipment": _l("Equipment / tools"),
    "training": _l("Training"),
    "goods": _l("Goods"),
    "other": _l("Other"),
}
TARGET_GROUP_LABELS = {
    "wrse": _l("Vulnerable women (WRSE)"),
    "elderly": _l("Elderly"),
    "disability": _l("People with disabilities"),
    "neglected_children": _l("Neglected children"),
    "kube": _l("Joint business group (KUBE)"),
    "pre_prosperous": _l("Pre-prosperous family"),
}
SECTOR_LABELS = {
    "food": _l("Baking and food"),
    "sewing": _l("Sewing"),
    "retail": _l("Small shop (UMKM)"),
    "motor_workshop": _l("Motor workshop"),
    "multimedia": _l("Multimedia"),
    "agriculture": _l("Agriculture and plantation"),
    "fishing": _l("Fishing"),
    "other": _l("Other"),
}
VALIDATION_STATE_LABELS = {
    "pending": _l("Waiting for validation"),
    "validated": _l("Validated"),
    "expiring": _l("Validation expires within 30 days"),
    "expired": _l("Validation expired"),
    "renew": _l("Expiring or expired"),
    "rejected": _l("Rejected"),
}
JOB_STATE_LABELS = {
    "queued": _l("Waiting"),
    "running": _l("Running"),
    "done": _l("Finished"),
    "failed": _l("Failed"),
}

IMPORT_STATE_LABELS = {
    "uploaded": _l("Columns to map"),
    "analysing": _l("Checking the file"),
    "previewed": _l("Checked, waiting for confirmation"),
    "running": _l("Importing"),
    "completed": _l("Completed"),
    "failed": _l("Stopped by an error"),
    "interrupted": _l("Interrupted"),
    "rolled_back": _l("Rolled back"),
}
ACCOUNT_STATE_LABELS = {"active": _l("Active"), "inactive": _l("Inactive")}
ATTACHMENT_KIND_LABELS = {
    "proposal_letter": _l("Proposal letter"),
    "photo": _l("Photo"),
    "brochure": _l("Brochure"),
    "other": _l("Other document"),
}
DEACTIVATION_LABELS = {
    "moved": _l("Moved away"),
    "deceased": _l("Deceased"),
    "refused": _l("Refused aid"),
    "not_found": _l("Not found"),
    "not_eligible": _l("No longer eligible"),
}
CORRECTION_STATE_LABELS = {
    "pending": _l("Waiting for the officer"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
}
AID_SOURCE_LABELS = {
    "PORTAL": _l("This portal"),
    "PKH": "PKH",
    "BPNT": "BPNT",
    "BLT-DD": "BLT-DD",
    "UEP": _l("Dinsos UEP"),
    "CSR": _l("Other CSR"),
    "OTHER": _l("Other programme"),
}
RECIPIENT_SOURCE_LABELS = {
    "DTKS": "DTKS/DTSEN",
    "PKH": "PKH",
    "PUSKESOS": "Puskesos",
    "MANUAL": _l("Entered in the portal"),
}
SEX_LABELS = {"L": _l("Male"), "P": _l("Female")}
# Short names of portal.core.nik.WARNING_CODES, beside each person in the lists.
WARNING_LABELS = {
    "nik_region": _l("NIK from outside Kukar"),
    "sex": _l("Sex does not match the NIK"),
    "birth_date": _l("Birth date does not match the NIK"),
    "kk_region": _l("KK from outside Kukar"),
    "kk_is_nik": _l("KK number equals the NIK"),
}
RECIPIENT_FIELD_LABELS = {
    "nik": _l("NIK"),
    "kk": _l("KK number"),
    "name": _l("Full name"),
    "sex": _l("Sex"),
    "birth_place": _l("Place of birth"),
    "birth_date": _l("Date of birth"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "desa_id": _l("Desa / kelurahan"),
    "kecamatan_id": _l("Kecamatan"),
    "target_groups": _l("Target groups"),
    "sectors": _l("Skills / business interest"),
}
# The audit-action vocabulary: every ``AuditEvent.action`` of every area, as a history reads it.
ACTION_LABELS = {
    # accounts, companies and settings
    "login": _l("Logged in"),
    "user_created": _l("Account created"),
    "user_updated": _l("Account details changed"),
    "user_deactivated": _l("Account deactivated"),
    "user_reactivated": _l("Account reactivated"),
    "password_reset": _l("Temporary password issued"),
    "password_changed": _l("Password changed"),
    "certificate_uploaded": _l("Signing certificate uploaded"),
    "company_created": _l("Company registered"),
    "company_updated": _l("Company details changed"),
    "company_activate": _l("Company activated"),
    "company_reject": _l("Company rejected"),
    "company_suspend": _l("Company suspended"),
    "setting_changed": _l("Setting changed"),
    "office_updated": _l("Office details changed"),
    # the registry
    "recipient_created": _l("Added to the registry"),
    "recipient_proposed": _l("Proposed by the village"),
    "recipient_updated": _l("Data changed"),
    "recipient_validated": _l("Validated"),
    "recipient_revalidated": _l("Validated again"),
    "recipient_rejected": _l("Rejected"),
    "recipient_deactivated": _l("Deactivated"),
    "recipient_reactivated": _l("Reactivated"),
    "recipient_viewed": _l("Record opened"),
    "recipient_looked_up": _l("Looked up by NIK"),
    "correction_proposed": _l("Correction proposed"),
    "correction_accepted": _l("Correction accepted"),
    "correction_rejected": _l("Correction rejected"),
    # contributions
    "contribution_created": _l("Draft created"),
    "contribution_updated": _l("Draft changed"),
    "contribution_submitted": _l("Submitted"),
    "contribution_withdrawn": _l("Withdrawn"),
    "contribution_accepted": _l("Accepted"),
    "contribution_returned": _l("Returned to the company"),
    "contribution_rejected": _l("Rejected"),
    "contribution_routed": _l("Sent to a kecamatan by Dinsos"),
    "contribution_split": _l("Divided among kecamatan by Dinsos"),
    "contribution_split_from": _l("Created by Dinsos from a divided proposal"),
    "contribution_allocation_started": _l("Allocation to recipients started"),
    "contribution_completed": _l("Completed"),
    "attachment_added": _l("Attachment added"),
    "attachment_removed": _l("Attachment removed"),
}


REGISTRY_LABELS = {
    "state": VALIDATION_STATE_LABELS,
    "deactivation": DEACTIVATION_LABELS,
    "correction": CORRECTION_STATE_LABELS,
    "source": AID_SOURCE_LABELS,
    "recipient_source": RECIPIENT_SOURCE_LABELS,
    "sex": SEX_LABELS,
    "field": RECIPIENT_FIELD_LABELS,
    "action": ACTION_LABELS,
    "warning": WARNING_LABELS,
}


def label(mapping: dict, code: str | None) -> str:
    """The label of ``code`` in ``mapping``; the code itself when it has none, "–" for none."""
    return str(mapping.get(code, code or "–"))


def action_label(code: str) -> str:
    """What an audit event's action reads as in a history."""
    return str(ACTION_LABELS.get(code, code))


def registry_label(kind: str, code: str | None) -> str:
    """Labels of the registry's codes: state, deactivation, correction, source, sex,
    field, action or warning."""
    return label(REGISTRY_LABELS[kind], code)


def audit_state_label(code: str | None) -> str:
    """A state in an admin history: an account's, a company's, or a role."""
    for labels in (ACCOUNT_STATE_LABELS, COMPANY_STATE_LABELS, ROLE_LABELS):
        if code in labels:
            return str(labels[code])
    return code or "–"


def register_labels(app) -> None:
    """Every label as a template global."""
    app.jinja_env.globals.update(
        action_label=action_label,
        audit_state_label=audit_state_label,
        registry_label=registry_label,
        role_label=lambda code: label(ROLE_LABELS, code),
        company_state_label=lambda code: label(COMPANY_STATE_LABELS, code),
        company_sector_label=lambda code: label(COMPANY_SECTOR_LABELS, code),
        contribution_state_label=lambda code: label(CONTRIBUTION_STATE_LABELS, code),
        contribution_kind_label=lambda code: label(CONTRIBUTION_KIND_LABELS, code),
        target_group_label=lambda code: label(TARGET_GROUP_LABELS, code),
        sector_label=lambda code: label(SECTOR_LABELS, code),
        validation_state_label=lambda code: label(VALIDATION_STATE_LABELS, code),
        job_state_label=lambda code: label(JOB_STATE_LABELS, code),
        import_state_label=lambda code: label(IMPORT_STATE_LABELS, code),
    )
