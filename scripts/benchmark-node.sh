# Sourced by the benchmark scripts: builds zerog-node with runtime benchmarks and sets
# $node (the binary) and $wasm (the runtime blob it benchmarks).
#
# PROFILE=release (the default) is the only build whose numbers are weights: the runtime
# runs as optimised wasm either way, but a dev build's host functions (storage overlay,
# trie, executor glue) are unoptimised, and on our machine they made an empty extrinsic
# cost 1.34 ms instead of about 0.1 ms. PROFILE=debug is for checking that benchmarks run.
# A cold release build with the feature takes well over an hour on 2 cores.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
# pallet-revive's benchmark fixtures need solc; we do not re-benchmark pallet_revive here.
export SKIP_PALLET_REVIVE_FIXTURES=1
profile="${PROFILE:-release}"
case "$profile" in
  release) cargo build --locked --release -p zerog-node --features runtime-benchmarks ;;
  debug) cargo build --locked -p zerog-node --features runtime-benchmarks ;;
  *) echo "PROFILE must be release or debug" >&2; exit 2 ;;
esac
node="$CARGO_TARGET_DIR/$profile/zerog-node"
# A debug outer build leaves the plain (release-built) blob; a release one compresses it.
wbuild="$CARGO_TARGET_DIR/$profile/wbuild/zerog-runtime"
for wasm in "$wbuild/zerog_runtime.compact.compressed.wasm" "$wbuild/zerog_runtime.wasm"; do
  [ -f "$wasm" ] && break
done
