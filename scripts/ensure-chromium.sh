#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests (Playwright drives it
# with executable_path; `playwright install` is never used, since a browser download fails on
# these machines). A fresh CI machine runs `make test` as root, so apt-get can install it; anyone
# else gets a clear message and the browser tests then fail rather than skip.
set -u
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing chromium for the browser tests (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && [ -x "$CHROMIUM" ] && exit 0
fi
echo "warning: $CHROMIUM is missing (apt-get install chromium); the browser tests will fail" >&2
exit 0
