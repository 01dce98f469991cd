#!/usr/bin/env bash
# Builds, against the pinned wheel's libraries and the matching header generation:
#   $BUILD_DIR/addon/Release/tt_alloc_tracker.node   the addon's TT-Metal flavour (cmake-js, the
#                                                             project's CMakeLists.txt + cmake/tt-metal.cmake)
#   $BUILD_DIR/driver/tt_metal_mock_driver.node      the mock-device driver (native/tt-metal-mock)
#   $BUILD_DIR/driver/tt_metal_mock_smoke            its plain C++ smoke program
# Exit 3 with one line when the header set is missing (callers skip).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REPO_ROOT"

generation_dir=$TT_HEADERS/generations/$TT_HEADERS_GENERATION
if [ ! -d "$generation_dir" ]; then
  echo "tt-metal-mock: skipped: TT-Metal header generation $TT_HEADERS_GENERATION not found under $TT_HEADERS (set TT_METAL_HEADERS)"
  exit 3
fi
lib=$RUNTIME_DIR/ttnn/build/lib
flags="$(node scripts/tt-metal-mock/flags.js "$TT_HEADERS" "$TT_HEADERS_GENERATION" | tr '\n' ' ')"
# The upstream headers warn a lot (deprecations) under our -Wall; their warnings are not ours to fix.
flags="$flags -Wno-deprecated-declarations"
# Node's own headers, installed with the node binary running this script: no header download.
node_include=$(node -p "require('path').join(require('path').dirname(require('path').dirname(process.execPath)), 'include', 'node')")
addon_api=$(node -p "require('path').resolve(require('node-addon-api').include_dir)")
jobs=${TT_METAL_MOCK_JOBS:-2}

cmake -S native/tt-metal-mock -B $BUILD_DIR/driver -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$flags" -DTT_METAL_LIB_DIR="$lib" -DNODE_INCLUDE_DIR="$node_include" \
  -DNODE_ADDON_API_DIR="$addon_api" > "$BUILD_DIR.driver.log"
cmake --build $BUILD_DIR/driver -j "$jobs" >> "$BUILD_DIR.driver.log" || {
  grep -E "error|Error" "$BUILD_DIR.driver.log" | head -20; exit 1; }
rm -f "$BUILD_DIR.driver.log"

# cmake/tt-metal.cmake takes a TT_METAL_HOME laid out as a built tt-metal checkout: the generation's
# tt_metal/ and tt_stl/ and the wheel's libraries as build/lib. libtt_stl is linked too (the headers'
# inline code calls into it; libtt_metal does not re-export it).
home=$MOCK_DIR/tt-metal-home-$TTNN_VERSION
rm -rf "$home" && mkdir -p "$home/build"
ln -s "$generation_dir/tt_metal" "$home/tt_metal"
ln -s "$generation_dir/tt_stl" "$home/tt_stl"
ln -s "$lib" "$home/build/lib"
npx cmake-js rebuild --out $BUILD_DIR/addon --CDTT_METAL_HOME="$home" \
  --CDCMAKE_PROJECT_INCLUDE="$REPO_ROOT/scripts/tt-metal-mock/extra-flags.cmake" --CDTT_METAL_EXTRA_CXX_FLAGS="$flags" \
  --CDCMAKE_SHARED_LINKER_FLAGS="-L$lib -ltt_stl -Wl,-rpath,$lib" > "$BUILD_DIR.addon.log" 2>&1 || {
  grep -E "error|Error" "$BUILD_DIR.addon.log" | head -20; exit 1; }
rm -f "$BUILD_DIR.addon.log"
