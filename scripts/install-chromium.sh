#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test (test/output.html.browser.test.ts).
# Idempotent: does nothing when /usr/bin/chromium exists. Uses sudo only when not root.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-chromium.sh: not root and sudo is not available; install the 'chromium' package as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
