"""Every area states its scope rules in one vocabulary, and templates read flags, not roles.

Each area that limits what a user sees has an ``access.py`` with ``visible(user)`` (the
query of what the user may see) and ``in_scope(user, obj)`` (the same for one record);
pages are given ``may_*`` flags computed there, so no template compares a role."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import portal

TEMPLATES = Path(portal.__file__).parent / "templates"
# A role compared or tested in a template: `current_user.role == ...`, `role in (...)`.
ROLE_CHECK = re.compile(r"\brole\s*(==|!=|\bin\b|\bnot\s+in\b)|current_user\.role\b(?!\))")
AREAS_WITH_SCOPE = ("registry", "contributions", "jobs", "notifications", "partners", "monitoring")


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_checks_a_role():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ROLE_CHECK.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("area", AREAS_WITH_SCOPE)
def test_area_states_its_scope_in_access_module(area):
    access = importlib.import_module(f"portal.{area}.access")
    assert callable(getattr(access, "visible", None))
    assert callable(getattr(access, "in_scope", None))


def test_contributions_rules_module_is_gone():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("portal.contributions.rules")


def test_roles_are_defined_once():
    from portal.core import policy
    from portal.models import ROLES

    assert policy.ROLES is ROLES
    assert not hasattr(policy, "role_required")


def test_company_gate_is_registered_by_the_factory_not_by_importing_views(app):
    from portal.core.policy import enforce_access
    from portal.partners.gate import company_gate

    hooks = app.before_request_funcs[None]
    assert hooks.index(enforce_access) < hooks.index(company_gate)
    source = Path(portal.__file__).parent.joinpath("partners", "views.py").read_text()
    assert "company_gate" not in source
