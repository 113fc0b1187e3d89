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
    "expired": _l("Validation expired"),
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


def label(mapping: dict, code: str | None) -> str:
    return str(mapping.get(code, code or "–"))


def register_labels(app) -> None:
    app.jinja_env.globals.update(
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
