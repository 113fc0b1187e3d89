"""Entry point for the consumer: ``huey_consumer portal.worker.huey``.

Importing the task modules registers their tasks with the Huey instance, so
every module that defines a task is imported here (tests/test_jobs.py checks).
The queue lives in core, which imports no feature area; this module hands it
the app factory its tasks run under.
"""

from portal import create_app
from portal.core import mail  # noqa: F401  (registers its tasks)
from portal.core.queue import huey, use_app_factory
from portal.exports import tasks as export_tasks  # noqa: F401
from portal.jobs import tasks  # noqa: F401
from portal.letters import tasks as letter_tasks  # noqa: F401
from portal.registry.imports import tasks as import_tasks  # noqa: F401

use_app_factory(create_app)

__all__ = ["huey"]
