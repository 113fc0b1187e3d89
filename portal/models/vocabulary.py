"""The codes a contribution and a recipient share: target groups and sectors (skills or
business interest). Their labels are in ``portal.core.labels``."""

TARGET_GROUPS = (
    "wrse",  # socially/economically vulnerable women
    "elderly",
    "disability",
    "neglected_children",
    "kube",  # joint business groups
    "pre_prosperous",
)
SECTORS = (
    "food",
    "sewing",
    "retail",
    "motor_workshop",
    "multimedia",
    "agriculture",
    "fishing",
    "other",
)
