"""Business rules an admin edits in the portal, with their defaults (DESIGN section 3)."""

from __future__ import annotations

from dataclasses import dataclass

from portal.core.text import lazy_gettext as _l
from portal.extensions import db
from portal.models import Setting
from portal.models.vocabulary import TARGET_GROUPS


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: object
    default: str
    kind: str  # "int", "int_list" (sorted) or "code_list" (codes of ``choices``, in order)
    minimum: int = 1
    maximum: int = 120
    choices: tuple[str, ...] = ()
    # Said beside a setting that nothing reads yet; None once its feature is in place.
    not_yet: object = None


SPECS = {
    spec.key: spec
    for spec in (
        SettingSpec("lookback_months", _l("Double-aid look-back window (months)"), "12", "int"),
        SettingSpec("validation_months", _l("Validation period (months)"), "12", "int"),
        SettingSpec(
            "monitoring_schedule",
            _l("Monitoring visits due (months after handover, comma separated)"),
            "1,3,6",
            "int_list",
        ),
        SettingSpec("approval_wait_days", _l("Approval waiting limit (days)"), "7", "int"),
        # Matching ranks candidates of equal fit by the first of these groups they are in.
        SettingSpec(
            "target_group_priority",
            _l("Priority of target groups when ranking candidates (codes, first comes first)"),
            "wrse,disability,elderly,neglected_children",
            "code_list",
            choices=TARGET_GROUPS,
        ),
    )
}


class InvalidSetting(ValueError):
    """A value that does not fit its setting."""


def parse(spec: SettingSpec, raw: str):
    """Turn the stored text into its typed value, refusing what does not fit."""
    if spec.kind == "code_list":
        return _codes(spec, raw)
    try:
        if spec.kind == "int":
            values = [int(raw.strip())]
        else:
            values = [int(part) for part in raw.replace(" ", "").split(",") if part]
    except ValueError as exc:
        raise InvalidSetting("not a whole number") from exc
    if not values or any(v < spec.minimum or v > spec.maximum for v in values):
        raise InvalidSetting("out of range")
    if spec.kind == "int_list":
        return sorted(set(values))
    return values[0]


def _codes(spec: SettingSpec, raw: str) -> list[str]:
    """An ordered list of distinct codes of ``spec.choices``: at least one."""
    codes = [part.strip().lower() for part in raw.split(",") if part.strip()]
    if not codes:
        raise InvalidSetting("empty")
    if len(set(codes)) != len(codes) or not set(codes) <= set(spec.choices):
        raise InvalidSetting("unknown or repeated code")
    return codes


def get(key: str):
    """The current value of a setting: the admin's, else the default."""
    spec = SPECS[key]
    row = db.session.get(Setting, key)
    return parse(spec, row.value if row else spec.default)


def put(key: str, raw: str, actor) -> None:
    """Store a new value after checking it (the caller commits)."""
    spec = SPECS[key]
    value = parse(spec, raw)
    text = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = text
    row.updated_by_id = getattr(actor, "id", None)
    db.session.add(row)
