#!/usr/bin/env bash
# Serve the portal and a Huey consumer beside it; Ctrl-C stops both.
set -euo pipefail
BIN=.venv/bin
# One `flask run` process serves here, so login throttling may count in its memory;
# with REDIS_URL the counters go to Redis (`make serve`'s workers share the database).
if [ -z "${REDIS_URL:-}" ]; then export THROTTLE_STORAGE="${THROTTLE_STORAGE:-memory}"; fi
# An idle consumer polls at most every quarter second (Huey's default backs off to 10 s),
# so a queued job starts at once; small import checks run in the request itself.
"$BIN/huey_consumer" portal.worker.huey --workers 2 --worker-type thread --max-delay 0.25 --quiet &
consumer=$!
trap 'kill "$consumer" 2>/dev/null || true; wait "$consumer" 2>/dev/null || true' EXIT INT TERM
echo "Sinergi: http://127.0.0.1:5000 (Ctrl-C stops the server and the background worker)"
"$BIN/flask" --app wsgi run --host 127.0.0.1 --port 5000
