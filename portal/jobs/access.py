"""Whose background work a user may follow: ``visible(user)`` is the query of the jobs a
user may see (their own; every job for an admin), ``in_scope(user, job)`` the same for
one job, and ``may_check_worker`` the flag of the worker check on the jobs page."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.models import Job, User


def visible(user: User, query: Select | None = None) -> Select:
    """The jobs ``user`` may follow: ``query`` (by default every job) limited to the
    user's own jobs, unless the user is an admin."""
    query = select(Job) if query is None else query
    if user.role == "admin":
        return query
    return query.where(Job.created_by_id == user.id)


def in_scope(user: User, job: Job) -> bool:
    """Whether ``visible(user)`` holds this one job."""
    return user.role == "admin" or job.created_by_id == user.id


def may_check_worker(user: User) -> bool:
    """Whether the jobs page offers the worker check (Dinsos only)."""
    return user.role == "admin"
