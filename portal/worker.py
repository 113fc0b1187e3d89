"""Entry point for the consumer: ``huey_consumer portal.worker.huey``.

Importing the task modules registers their tasks with the Huey instance.
"""

from portal.core import mail  # noqa: F401  (registers its tasks)
from portal.jobs.queue import huey

__all__ = ["huey"]
