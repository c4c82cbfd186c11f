#!/usr/bin/env bash
# Builds zerog-node with runtime benchmarks and regenerates the weights.rs of our pallets.
# Usage: [STEPS=50] [REPEAT=20] scripts/benchmark-weights.sh [pallet_name ...]   (default: all of ours)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/benchmark-node.sh
pallets=("$@")
[ ${#pallets[@]} -eq 0 ] && pallets=(pallet_validator_set pallet_da pallet_storage pallet_compute pallet_alignment pallet_inft)
for pallet in "${pallets[@]}"; do
  dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)/src"
  "$node" benchmark pallet --runtime "$wasm" --genesis-builder=runtime \
    --genesis-builder-preset=dev --pallet "$pallet" --extrinsic '*' \
    --steps "${STEPS:-50}" --repeat "${REPEAT:-20}" --heap-pages 4096 \
    --template .maintain/frame-weight-template.hbs --output "$dir/weights.rs"
done
