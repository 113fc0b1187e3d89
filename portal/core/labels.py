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
MATCH_STATE_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for the camat"),
    "approved": _l("Approved"),
    "handed_over": _l("Handed over"),
    "monitored": _l("Monitored"),
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

# Each import state named for what the officer has to do next.
IMPORT_STATE_LABELS = {
    "uploaded": _l("Map the columns"),
    "analysing": _l("Checking the file"),
    "previewed": _l("Checked: confirm the import"),
    "running": _l("Importing"),
    "completed": _l("Completed"),
    "failed": _l("Stopped by an error: upload a corrected file"),
    "interrupted": _l("Interrupted: resume the import"),
    "rolled_back": _l("Rolled back"),
}
# What happens next in each state, and who acts: shown beside a status on its page.
NEXT_STEPS = {
    "contribution": {
        "draft": _l("Draft — the company completes it and submits it to the kecamatan."),
        "submitted": _l(
            "Submitted — the kecamatan officer accepts, returns or rejects it "
            "(Dinsos first chooses the kecamatan when the company left it open)."
        ),
        "accepted": _l("Accepted — the kecamatan officer prepares the allocation plan."),
        "allocating": _l(
            "Allocating — the camat approves the allocation plan and signs the handover letter."
        ),
        "completed": _l("Completed — the aid has been handed over; nothing more to do."),
        "rejected": _l("Rejected — closed; the company may propose a new contribution."),
        "withdrawn": _l("Withdrawn by the company — closed; nothing more to do."),
        "split": _l("Divided per kecamatan — each part goes on in its own kecamatan."),
    },
    "validation": {
        "pending": _l("Waiting for validation — the kecamatan officer checks and validates it."),
        "validated": _l("Validated — this person may be chosen for aid."),
        "expiring": _l("Validation ends soon — the kecamatan officer validates this person again."),
        "expired": _l(
            "Validation expired — the kecamatan officer validates this person again "
            "before any new aid."
        ),
        "rejected": _l(
            "Rejected — the village operator may propose a correction with better data."
        ),
    },
    "company": {
        "pending": _l("Waiting for activation — Dinsos Kukar checks and activates the company."),
        "active": _l("Active — the company may propose contributions."),
        "rejected": _l("Rejected — contact Dinsos Kukar to register again."),
        "suspended": _l("Suspended — contact Dinsos Kukar; no new contributions until then."),
    },
    "correction": {
        "pending": _l("Waiting — the kecamatan officer accepts or rejects the correction."),
        "accepted": _l("Accepted — the registry holds the corrected data."),
        "rejected": _l("Rejected — the data stays as it was."),
    },
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
    "logo_changed": _l("Portal logo changed"),
    "logo_removed": _l("Portal logo reset to the default"),
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
    "contribution_remaining_closed": _l("What remains was closed by the officer"),
    # matches (handover plans)
    "match_submitted": _l("Submitted to the camat"),
    "match_returned": _l("Returned by the camat"),
    "match_approved": _l("Approved by the camat"),
    "match_handed_over": _l("Handover recorded"),
    "handover_reversed": _l("Handover reversed"),
    "handover_files_added": _l("Handover photos or scan added"),
    "contribution_reopened": _l("Reopened by a reversed handover"),
    "attachment_added": _l("Attachment added"),
    "attachment_removed": _l("Attachment removed"),
    # matches (the officer's builder)
    "match_created": _l("Draft plan created"),
    "match_member_replaced": _l("Recipient replaced"),
    # monitoring visits
    "visit_recorded": _l("Monitoring visit recorded"),
    "visit_closed": _l("Monitoring visit closed"),
    "match_monitored": _l("Monitoring completed"),
    # letters (amendments)
    "letter_amendment_started": _l("Amendment started by the officer"),
    "match_amendment_started": _l("Sent back to the officer to amend its letter"),
    "letter_replaced": _l("Replaced by an amended letter"),
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


def source_label(code: str | None) -> str:
    """A source of people or of aid history, in words."""
    labels = RECIPIENT_SOURCE_LABELS if code in RECIPIENT_SOURCE_LABELS else AID_SOURCE_LABELS
    return label(labels, code)


def audit_state_label(code: str | None) -> str:
    """A state in an admin history: an account's, a company's, or a role."""
    for labels in (ACCOUNT_STATE_LABELS, COMPANY_STATE_LABELS, ROLE_LABELS):
        if code in labels:
            return str(labels[code])
    return code or "–"


def next_step(kind: str, code: str | None) -> str:
    """What happens next to a ``kind`` of record (contribution, validation, company,
    correction) in state ``code``, and who acts; "" when nothing is said."""
    return str(NEXT_STEPS.get(kind, {}).get(code, ""))


def register_labels(app) -> None:
    """Every label as a template global."""
    app.jinja_env.globals.update(
        action_label=action_label,
        next_step=next_step,
        audit_state_label=audit_state_label,
        registry_label=registry_label,
        source_label=source_label,
        recipient_source_codes=tuple(RECIPIENT_SOURCE_LABELS),
        aid_source_codes=tuple(AID_SOURCE_LABELS),
        role_label=lambda code: label(ROLE_LABELS, code),
        company_state_label=lambda code: label(COMPANY_STATE_LABELS, code),
        company_sector_label=lambda code: label(COMPANY_SECTOR_LABELS, code),
        contribution_state_label=lambda code: label(CONTRIBUTION_STATE_LABELS, code),
        contribution_kind_label=lambda code: label(CONTRIBUTION_KIND_LABELS, code),
        target_group_label=lambda code: label(TARGET_GROUP_LABELS, code),
        sector_label=lambda code: label(SECTOR_LABELS, code),
        validation_state_label=lambda code: label(VALIDATION_STATE_LABELS, code),
        match_state_label=lambda code: label(MATCH_STATE_LABELS, code),
        job_state_label=lambda code: label(JOB_STATE_LABELS, code),
        import_state_label=lambda code: label(IMPORT_STATE_LABELS, code),
    )
