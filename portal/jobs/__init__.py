"""Job records: what pages read progress from, and the one helper every task runs its job
through (the Huey queue itself is portal.core.queue)."""
