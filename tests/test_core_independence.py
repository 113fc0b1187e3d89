"""Dependencies run one way: ``core`` imports no feature area, and only the web layer reads
``flask.request``. Both are read from the source (imports inside functions included), so a
lazy import that dodges a cycle counts as much as one at the top of a file."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import portal

ROOT = Path(portal.__file__).parent

# What core may build on: itself, the models, the extension objects, the configuration, the
# HTMX helper and the bundled data. Every other top-level name under ``portal`` (the feature
# areas, the CLI, the worker, the app factory in ``portal/__init__``) is a feature.
SHARED = {"core", "models", "extensions", "config", "htmx", "data"}
FEATURES = sorted(
    {info.name for info in pkgutil.iter_modules([str(ROOT)])} - SHARED
    | {"create_app"}  # ``from portal import create_app`` pulls in every area
)

# Modules outside a ``views`` module that may read the request: the request hooks and the
# helpers views call to read it (paging, HTMX headers, the role gate, throttling by address,
# the navigation bar a page's template context keeps per application root and page).
REQUEST_READERS = {
    "portal.htmx",
    "portal.core.nav",
    "portal.core.paging",
    "portal.core.policy",
    "portal.core.security",
    "portal.core.throttle",
    "portal.auth.session",
    "portal.partners.gate",
}


def modules(package: Path = ROOT) -> dict[str, Path]:
    """Every module under ``package`` by dotted name."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported_names(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) for every import in the module, wherever it stands; ``from a
    import b`` yields ``a.b`` (b may be a module); literal ``import_module("x")`` counts."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def feature_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[0] == "portal" and len(parts) > 1 and parts[1] in FEATURES:
        return parts[1]
    return None


def test_the_feature_list_knows_the_areas():
    assert {"admin", "auth", "contributions", "jobs", "registry", "worker", "cli"} <= set(FEATURES)
    assert feature_of("portal.jobs.queue.app_task") == "jobs"
    assert feature_of("portal.create_app") == "create_app"
    assert feature_of("portal.core.queue.huey") is None


CORE = modules(ROOT / "core")


@pytest.mark.parametrize("name", sorted(CORE))
def test_core_imports_no_feature_area(name):
    offending = [
        f"{CORE[name].relative_to(ROOT.parent)}:{line} imports {dotted}"
        for line, dotted in imported_names(name, CORE[name])
        if feature_of(dotted)
    ]
    assert offending == []


def test_import_walk_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "def later():\n"
        "    from portal.jobs.queue import app_task\n"
        "    from .. import create_app\n"
        "    import importlib\n"
        "    importlib.import_module('portal.registry.services')\n"
    )
    dotted = [d for _, d in imported_names("portal.core.sample", source)]
    assert [feature_of(d) for d in dotted if feature_of(d)] == ["jobs", "create_app", "registry"]


def reads_request(path: Path) -> list[int]:
    """Lines where the module takes ``flask.request`` (imported by name or as an attribute)."""
    tree = ast.parse(path.read_text(), str(path))
    flask_names = set()
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.globals"):
            lines += [node.lineno for alias in node.names if alias.name == "request"]
        elif isinstance(node, ast.Import):
            flask_names |= {a.asname or a.name for a in node.names if a.name == "flask"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "request"
            and isinstance(node.value, ast.Name)
            and node.value.id in flask_names
        ):
            lines.append(node.lineno)
    return lines


def is_service(name: str) -> bool:
    return any(part == "services" or part.startswith("services_") for part in name.split("."))


def is_web_layer(name: str) -> bool:
    parts = name.split(".")
    return name in REQUEST_READERS or any(
        p == "views" or p.endswith("_views") or p.startswith("views_") for p in parts
    )


ALL = modules()
SERVICES = sorted(name for name in ALL if is_service(name))


def test_every_area_has_services_to_check():
    assert {"portal.admin.services", "portal.contributions.services"} <= set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_no_service_reads_the_request(name):
    assert reads_request(ALL[name]) == []


def test_only_the_web_layer_reads_the_request():
    """Services, tasks, imports, models and core helpers take plain values, so the same code
    runs in a request, a Huey task, the CLI and a benchmark."""
    readers = {name for name in ALL if not is_web_layer(name) and reads_request(ALL[name])}
    assert sorted(readers) == []


def test_request_walk_sees_every_spelling(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "from flask import request as r\nimport flask\ndef f():\n    return flask.request.args\n"
    )
    assert reads_request(source) == [1, 4]


MODELS = modules(ROOT / "models")
# flask_login's UserMixin is the one piece of a web library a model carries (User logs in).
MODEL_MAY_IMPORT = (
    "portal.models",
    "portal.extensions",
    "portal.core.dates",
    "flask_login.UserMixin",
)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_models_import_nothing_of_the_web(name):
    """Models build on the extension objects, each other and the plain dates helpers only, so
    a model never pulls in a view, a service or the request."""
    offending = [
        f"{MODELS[name].relative_to(ROOT.parent)}:{line} imports {dotted}"
        for line, dotted in imported_names(name, MODELS[name])
        if dotted.split(".")[0] in ("portal", "flask", "flask_login", "flask_wtf", "wtforms")
        and not dotted.startswith(MODEL_MAY_IMPORT)
    ]
    assert offending == []
