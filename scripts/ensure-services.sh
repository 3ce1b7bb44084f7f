#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use is up. On these machines it runs on 127.0.0.1:5432
# with trust auth; if it has stopped, start it the way the machine documents. A machine without
# PostgreSQL at all gets a clear message, and the PostgreSQL tests then fail rather than skip.
set -u
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then exit 0; fi
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done
fi
echo "warning: PostgreSQL is not answering on 127.0.0.1:5432; THEMATICA_TEST_POSTGRES_URL tests will fail" >&2
exit 0
