# Sourced by the benchmark scripts: builds zerog-node with runtime benchmarks and sets
# $node (the binary) and $wasm (the runtime blob it benchmarks).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
# pallet-revive's benchmark fixtures need solc; we do not re-benchmark pallet_revive here.
export SKIP_PALLET_REVIVE_FIXTURES=1
cargo build --locked -p zerog-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/debug/zerog-node"
# A debug outer build leaves the plain (release-built) blob; a release one compresses it.
wbuild="$CARGO_TARGET_DIR/debug/wbuild/zerog-runtime"
for wasm in "$wbuild/zerog_runtime.compact.compressed.wasm" "$wbuild/zerog_runtime.wasm"; do
  [ -f "$wasm" ] && break
done
