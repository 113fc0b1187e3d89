"""Entry point for the consumer: ``huey_consumer portal.worker.huey``.

Importing the task modules registers their tasks with the Huey instance, so
every module that defines a task is imported here (tests/test_jobs.py checks).
"""

from portal.core import mail  # noqa: F401  (registers its tasks)
from portal.jobs import tasks  # noqa: F401
from portal.jobs.queue import huey
from portal.registry import import_tasks  # noqa: F401

__all__ = ["huey"]
