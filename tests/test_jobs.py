"""Background jobs: progress records, eager tasks in tests, and a real Huey consumer."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.api import TaskWrapper

import portal
from portal import worker
from portal.core.queue import app_task, huey, make_huey
from portal.extensions import db as _db
from portal.jobs import services
from portal.jobs.tasks import CHECK_STEPS, check_worker
from portal.models import Job

CONSUMER = Path(sys.executable).with_name("huey_consumer")
snapshots: list[tuple[str, int]] = []


@app_task()
def count_to(job_id: str, total: int) -> int:
    """A small real task: counts, recording progress at each step."""
    with services.running(job_id, total=total) as job:
        for done in range(1, total + 1):
            services.progress(job, done)
            snapshots.append((job.state, job.progress))
    return total


@app_task()
def breaks(job_id: str) -> None:
    with services.running(job_id):
        raise RuntimeError("the disk is full")


def test_tests_run_tasks_eagerly(app):
    assert app.config["HUEY_IMMEDIATE"] and huey.immediate


def test_eager_task_reports_progress_and_finishes(db, make_user):
    user = make_user("officer")
    job = services.create_job("count", actor=user)
    db.session.commit()
    assert job.state == "queued" and job.message == services.QUEUED_MESSAGE
    snapshots.clear()

    result = count_to(job.id, 4)

    assert result() == 4
    assert snapshots == [("running", 1), ("running", 2), ("running", 3), ("running", 4)]
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.state, job.progress, job.total, job.percent) == ("done", 4, 4, 100)
    assert job.started_at is not None and job.finished_at is not None


def test_a_failing_task_marks_its_job_failed(db, caplog):
    job = services.create_job("count")
    db.session.commit()
    breaks(job.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "failed"
    assert job.message == services.FAILED_MESSAGE
    assert "the disk is full" not in job.message  # details go to the log, not the page
    assert "the disk is full" in caplog.text


def test_admin_starts_a_worker_check_and_follows_it(client, login_as, db):
    login_as("admin")
    response = client.post("/jobs/check")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/jobs/")
    job = db.session.get(Job, location.rsplit("/", 1)[1])
    assert (job.state, job.progress, job.total) == ("done", CHECK_STEPS, CHECK_STEPS)
    page = client.get(location)
    assert page.status_code == 200
    assert 'class="badge badge-done"' in page.get_data(as_text=True)
    assert location in client.get("/jobs/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "camat", "village", "partner"])
def test_only_admins_start_a_worker_check(client, login_as, role):
    login_as(role)
    assert client.post("/jobs/check").status_code == 403


def test_the_job_list_shows_only_ones_own_jobs(client, login_as, make_user, db):
    mine = services.create_job("worker_check", actor=login_as("officer"))
    theirs = services.create_job("worker_check", actor=make_user("officer"))
    db.session.commit()
    html = client.get("/jobs/").get_data(as_text=True)
    assert mine.id in html and theirs.id not in html


def test_worker_imports_every_module_that_defines_tasks():
    """The consumer only knows tasks whose modules ``portal.worker`` imports."""
    task_modules = {
        info.name
        for info in pkgutil.walk_packages(portal.__path__, "portal.")
        if _defines_tasks(importlib.import_module(info.name))
    }
    assert {"portal.core.mail", "portal.jobs.tasks"} <= task_modules
    assert sorted(task_modules - _modules_imported_by(Path(worker.__file__))) == []


def _modules_imported_by(path: Path) -> set[str]:
    """Modules a file imports by name (``from a import b`` counts as a and a.b)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _defines_tasks(module) -> bool:
    return any(
        isinstance(value, TaskWrapper) and value.func.__module__ == module.__name__
        for value in vars(module).values()
    )


# ---- a real consumer process ---------------------------------------------------------


def queue_backends() -> list:
    redis_url = os.environ.get("TEST_REDIS_URL")
    return [
        pytest.param(None, id="sqlite"),
        pytest.param(
            redis_url,
            id="redis",
            marks=[
                pytest.mark.redis,
                pytest.mark.skipif(
                    not redis_url,
                    reason="TEST_REDIS_URL is not set: no Redis server to test against",
                ),
            ],
        ),
    ]


@pytest.fixture()
def consumer_env(database_url, tmp_path, monkeypatch):
    """The environment a deployed consumer gets, applied to this process as well, so
    ``make_huey()`` here opens the queue the consumer reads."""
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "HUEY_SQLITE_PATH": str(tmp_path / "huey.db"),
        "SINERGI_INSTANCE": str(tmp_path / "instance"),
    }
    monkeypatch.delenv("REDIS_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def start_consumer(env: dict, log: Path) -> subprocess.Popen:
    command = [str(CONSUMER), "portal.worker.huey", "-w", "1", "-d", "0.05", "-m", "0.5", "-C"]
    with log.open("w") as out:
        return subprocess.Popen(
            command,
            env={**os.environ, **env},
            cwd=Path(portal.__file__).parent.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for_job(job_id: str, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        _db.session.rollback()  # end the read transaction to see the consumer's commits
        job = _db.session.get(Job, job_id)
        if job.finished or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("redis_url", queue_backends())
def test_a_real_consumer_runs_the_job(
    db, make_user, consumer_env, monkeypatch, tmp_path, redis_url
):
    if not CONSUMER.exists():
        pytest.skip(f"{CONSUMER} is missing")
    if redis_url:
        monkeypatch.setenv("REDIS_URL", redis_url)
        consumer_env = {**consumer_env, "REDIS_URL": redis_url}
    queue = make_huey()  # not immediate: the same storage the consumer will read
    queue.flush()
    assert not queue.immediate and huey.immediate

    job = services.create_job("worker_check", actor=make_user("admin"))
    db.session.commit()
    task = check_worker.s(job.id)
    queue.storage.enqueue(huey.serialize_task(task), task.priority)
    assert len(queue) == 1

    log = tmp_path / "consumer.log"
    consumer = start_consumer(consumer_env, log)
    try:
        job = wait_for_job(job.id)
    finally:
        consumer.send_signal(signal.SIGINT)  # graceful: finish the task in hand, then exit
        try:
            consumer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            consumer.kill()
            consumer.wait()
    output = log.read_text()
    assert (job.state, job.progress, job.message) == (
        "done",
        CHECK_STEPS,
        services.WORKER_OK_MESSAGE,
    ), output
    assert consumer.returncode == 0, output
    assert "Traceback" not in output, output
    assert len(queue) == 0
