#!/usr/bin/env bash
# Builds zerog-node with runtime benchmarks and regenerates the weights.rs of our pallets.
# Usage: [STEPS=50] [REPEAT=20] scripts/benchmark-weights.sh [pallet_name ...]   (default: all of ours)
set -euo pipefail
cd "$(dirname "$0")/.."
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
pallets=("$@")
[ ${#pallets[@]} -eq 0 ] && pallets=(pallet_validator_set pallet_da pallet_storage)
for pallet in "${pallets[@]}"; do
  dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)/src"
  "$node" benchmark pallet --runtime "$wasm" --genesis-builder=runtime \
    --genesis-builder-preset=dev --pallet "$pallet" --extrinsic '*' \
    --steps "${STEPS:-50}" --repeat "${REPEAT:-20}" --heap-pages 4096 \
    --template .maintain/frame-weight-template.hbs --output "$dir/weights.rs"
done
