#!/usr/bin/env bash
# Fetches the pinned ttnn wheel with pip (Python 3.11 can download the cp312 wheel: --python-version
# 3.12 --only-binary --no-deps; nothing is installed, the Node addon never loads _ttnn), checks its
# sha256 and unzips the runtime into $RUNTIME_DIR: the libraries (ttnn/build/lib, ttnn.libs) and the
# runtime root TT-Metal reads (ttnn/tt_metal: SoC/core descriptors, pre-compiled firmware, ...).
# Exit 0: ready. Exit 3: PyPI not reachable (one line on stdout, callers skip).
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ -f "$RUNTIME_DIR/.complete" ]; then exit 0; fi
index=${PIP_INDEX_URL:-https://pypi.org/simple}
if ! python3 -c "import sys,urllib.request; urllib.request.urlopen(sys.argv[1].rstrip('/')+'/ttnn/', timeout=20)" "$index" 2>/dev/null; then
  echo "tt-metal-mock: skipped: PyPI ($index) cannot be reached"
  exit 3
fi
mkdir -p "$MOCK_DIR/wheel"
wheel=$MOCK_DIR/wheel/$TTNN_WHEEL
if [ ! -f "$wheel" ]; then
  python3 -m pip download "ttnn==$TTNN_VERSION" --python-version 3.12 --platform manylinux_2_34_x86_64 \
    --only-binary=:all: --no-deps --quiet -d "$MOCK_DIR/wheel"
fi
echo "$TTNN_SHA256  $wheel" | sha256sum --check --quiet
rm -rf "$RUNTIME_DIR"
# The tt-llk tests and sources of ops are not read by the runtime for buffers, CBs and device bring-up.
unzip -q "$wheel" 'ttnn/build/lib/*' 'ttnn.libs/*' 'ttnn/tt_metal/*' -x 'ttnn/tt_metal/tt-llk/tests/*' -d "$RUNTIME_DIR"
# TT-Metal checks that the SFPI compiler exists when it sets up its JIT build environment, even when every
# firmware binary comes pre-compiled in the wheel (ttnn/tt_metal/pre-compiled) and no kernel is
# compiled; SFPI is not on PyPI. A placeholder that fails loudly stands at that path, so any compile
# that would really be needed stops with "placeholder riscv-tt-elf-g++ invoked" instead of passing.
sfpi=$RUNTIME_DIR/ttnn/runtime/sfpi
mkdir -p "$sfpi/compiler/bin" "$sfpi/include"
cat > "$sfpi/compiler/bin/riscv-tt-elf-g++" <<'SH'
#!/bin/sh
echo "placeholder riscv-tt-elf-g++ invoked (SFPI is not installed): $*" >&2
exit 97
SH
chmod +x "$sfpi/compiler/bin/riscv-tt-elf-g++"
touch "$RUNTIME_DIR/.complete"
