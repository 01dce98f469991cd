# Sourced by the tt-metal-mock scripts: the pinned runtime and where everything goes.
# ttnn 0.70.1 (PyPI, 2026-05-15) is the first release whose IGraphProcessor matches the 2026-04 header
# generation (13 vtable slots with is_capture_processor, TrackedArgument, processors not yet
# thread_local, configure_mock_mode exported): docs/tt-metal.md, "Real runtime on mock devices".
TTNN_VERSION=0.70.1
TTNN_WHEEL=ttnn-0.70.1-cp312-cp312-manylinux_2_34_x86_64.whl
TTNN_SHA256=011b1e9a7d327255dce0835ece5cd088d96dd1960b5dba4af40187967ba06676
TT_HEADERS_GENERATION=2026-04
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MOCK_DIR=${TT_METAL_MOCK_DIR:-$REPO_ROOT/.tt-metal-mock}
RUNTIME_DIR=$MOCK_DIR/ttnn-$TTNN_VERSION
# The header set is not part of the repository (it may not be copied in); TT_METAL_HEADERS overrides.
TT_HEADERS=${TT_METAL_HEADERS:-/work/shared/tt-metal-headers}
