# Sourced by the tt-metal-mock scripts: the pinned runtime and where everything goes.
# ttnn 0.70.1 (PyPI, 2026-05-15) is the first release whose IGraphProcessor matches the 2026-04 header
# generation (13 vtable slots with is_capture_processor, TrackedArgument, processors not yet
# thread_local, configure_mock_mode exported): docs/tt-metal.md, "Real runtime on mock devices".
# TT_METAL_MOCK_TTNN=0.72.0 picks the first release with thread_local processors and its generation
# (2026-05-thread-local) for a manual run: the scripts build it, test/tt-metal-mock*.test.ts assert 0.70.1.
case "${TT_METAL_MOCK_TTNN:-0.70.1}" in
  0.70.1)
    TTNN_VERSION=0.70.1
    TTNN_SHA256=011b1e9a7d327255dce0835ece5cd088d96dd1960b5dba4af40187967ba06676
    TT_HEADERS_GENERATION=2026-04
    ;;
  0.72.0)
    TTNN_VERSION=0.72.0
    TTNN_SHA256=e12f702f5b26e7729a4d15e9702c3921e79a9dd8323586b462885efa1bb5af69
    TT_HEADERS_GENERATION=2026-05-thread-local
    ;;
  0.81.1)
    # Newest: its IGraphProcessor (15 slots) is the 2026-08 one, without the background registration.
    TTNN_VERSION=0.81.1
    TTNN_SHA256=cc6df66162c8b5f5a5eb7347fe687b6095bf57bd64f9ba1be3d9b7f42e01d64f
    TT_HEADERS_GENERATION=2026-08-background
    ;;
  *)
    echo "tt-metal-mock: TT_METAL_MOCK_TTNN=$TT_METAL_MOCK_TTNN is not pinned (0.70.1, 0.72.0, 0.81.1)" >&2
    exit 2
    ;;
esac
TTNN_WHEEL=ttnn-$TTNN_VERSION-cp312-cp312-manylinux_2_34_x86_64.whl
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MOCK_DIR=${TT_METAL_MOCK_DIR:-$REPO_ROOT/.tt-metal-mock}
RUNTIME_DIR=$MOCK_DIR/ttnn-$TTNN_VERSION
# Build output: the pinned default where the tests look, other versions beside it.
BUILD_DIR=$REPO_ROOT/build-tt-metal-mock
if [ "$TTNN_VERSION" != 0.70.1 ]; then BUILD_DIR=$REPO_ROOT/build-tt-metal-mock-$TTNN_VERSION; fi
# The header set is not part of the repository (it may not be copied in); TT_METAL_HEADERS overrides.
TT_HEADERS=${TT_METAL_HEADERS:-/work/shared/tt-metal-headers}
