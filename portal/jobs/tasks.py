"""Tasks of the jobs area: the worker check an administrator starts from /jobs/."""

from __future__ import annotations

from portal.core.queue import app_task
from portal.jobs import services

CHECK_STEPS = 3


@app_task()
def check_worker(job_id: str) -> None:
    """Prove a consumer is taking work: a few steps of progress, then done."""
    with services.running(job_id, total=CHECK_STEPS) as job:
        for step in range(1, CHECK_STEPS + 1):
            services.progress(job, step)
        services.finish(job, message=services.WORKER_OK_MESSAGE)
