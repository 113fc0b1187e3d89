"""One way to run a job: every task goes through ``jobs.services.running``, and every job
kind's label is named in one place that no other module changes on import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import portal
from portal.core.queue import app_task
from portal.jobs import services
from portal.models import Job

ROOT = Path(portal.__file__).parent
BY_HAND = {"start", "fail"}  # the steps ``running`` takes for a task
calls: list[str] = []


@app_task()
def refuses(job_id: str) -> None:
    with services.running(job_id, on_error=lambda: calls.append("on_error")):
        raise services.JobRefused("The file cannot be imported. The import's page says why.")


@app_task()
def breaks_quietly(job_id: str) -> None:
    with services.running(job_id, on_error=lambda: calls.append("on_error"), reraise=False):
        raise RuntimeError("the disk is full")


def run(task, db) -> Job:
    job = services.create_job("worker_check")
    db.session.commit()
    calls.clear()
    task(job.id)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def test_a_refused_job_fails_with_its_message_and_no_error_logged(db, caplog):
    job = run(refuses, db)
    assert (job.state, job.message) == (
        "failed",
        "The file cannot be imported. The import's page says why.",
    )
    assert calls == []
    assert "Traceback" not in caplog.text and "failed" not in caplog.text


def test_an_error_runs_the_tasks_own_clean_up_before_the_job_fails(db, caplog):
    job = run(breaks_quietly, db)
    assert (job.state, job.message) == ("failed", services.FAILED_MESSAGE)
    assert calls == ["on_error"]
    assert "the disk is full" in caplog.text


def _hand_run_steps(path: Path) -> list[str]:
    """Calls of ``start``/``fail`` of portal.jobs.services, however the module names it."""
    tree = ast.parse(path.read_text(), str(path))
    aliases, direct = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "portal.jobs":
            aliases |= {a.asname or a.name for a in node.names if a.name == "services"}
        elif isinstance(node, ast.ImportFrom) and node.module == "portal.jobs.services":
            direct |= {a.asname or a.name for a in node.names if a.name in BY_HAND}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "portal.jobs.services"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in BY_HAND
            and isinstance(func.value, ast.Name)
            and func.value.id in aliases
        ) or (isinstance(func, ast.Name) and func.id in direct):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return found


def test_no_task_starts_or_fails_a_job_by_hand():
    """Starting and failing a job is ``running``'s work; tasks only report progress."""
    services_file = ROOT / "jobs" / "services.py"
    found = [
        line
        for path in sorted(ROOT.rglob("*.py"))
        if path != services_file
        for line in _hand_run_steps(path)
    ]
    assert found == []


@pytest.mark.parametrize("kind", ["worker_check", "import_analyse", "import_commit"])
def test_every_job_kind_is_labelled_without_importing_its_area(kind):
    """The label does not depend on which modules happen to be imported already."""
    code = f"from portal.jobs import services; print(services.kind_label({kind!r}) != {kind!r})"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent
    ).stdout.strip()
    assert out == "True"


def test_no_module_changes_the_job_labels():
    """Only portal/jobs/services.py touches KIND_LABELS; other modules call kind_label."""
    services_file = ROOT / "jobs" / "services.py"
    touched = [
        f"{path.relative_to(ROOT.parent)}:{node.lineno}"
        for path in sorted(ROOT.rglob("*.py"))
        if path != services_file
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Attribute) and node.attr == "KIND_LABELS"
    ]
    assert touched == []
