#!/usr/bin/env bash
# Builds zerog-node with runtime benchmarks and regenerates weights on this machine.
#
#   [STEPS=50] [REPEAT=20] scripts/benchmark-weights.sh [TARGET ...]
#
# A TARGET is one of:
#   pallet_da, pallet_storage, ...    one of our pallets: pallets/<name>/src/weights.rs
#   frame_system, pallet_balances, .. an SDK pallet the runtime uses:
#                                     runtime/src/weights/<name>.rs
#   overhead                          block and extrinsic base weights (benchmark overhead)
#   storage                           RocksDB read and write weights (benchmark storage)
#   ours | sdk                        all of our pallets | all the SDK pallets below
# With no TARGET it runs all of them. PROFILE=release|debug picks the build (see
# scripts/benchmark-node.sh: only release numbers are weights).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/benchmark-node.sh
ours=(pallet_validator_set pallet_da pallet_storage pallet_compute pallet_alignment pallet_inft)
sdk=(frame_system frame_system_extensions pallet_balances pallet_transaction_payment
  pallet_timestamp pallet_utility pallet_multisig pallet_proxy pallet_sudo)
header=.maintain/runtime-weights-header.txt
mkdir -p runtime/src/weights
targets=()
for t in "${@:-ours sdk overhead storage}"; do
  for word in $t; do
    case "$word" in
      ours) targets+=("${ours[@]}") ;;
      sdk) targets+=("${sdk[@]}") ;;
      *) targets+=("$word") ;;
    esac
  done
done

is_ours() { local p; for p in "${ours[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }
pallet_bench() { # pallet, then the output and template flags
  local pallet=$1; shift
  "$node" benchmark pallet --runtime "$wasm" --genesis-builder=runtime \
    --genesis-builder-preset=dev --pallet "$pallet" --extrinsic '*' \
    --steps "${STEPS:-50}" --repeat "${REPEAT:-20}" --heap-pages 4096 "$@"
}

for target in "${targets[@]}"; do
  echo "== $target"
  case "$target" in
    overhead)
      "$node" benchmark overhead --runtime "$wasm" --genesis-builder=runtime \
        --genesis-builder-preset=dev --header "$header" --weight-path runtime/src/weights ;;
    storage)
      # Reads and writes every key of a fresh dev chain's state, without the trie cache:
      # the cost of a cold read, which is what the runtime must budget for. One key per
      # commit: the default batch (100,000 keys) is larger than a dev state and measures
      # nothing.
      db=$(mktemp -d -t zerog-bench-storage-XXXX)
      "$node" benchmark storage --dev --base-path "$db" --state-version 1 --batch-size 1 \
        --header "$header" --weight-path runtime/src/weights
      rm -rf "$db" ;;
    *)
      if is_ours "$target"; then
        dir="pallets/$(echo "${target#pallet_}" | tr _ -)/src"
        pallet_bench "$target" --template .maintain/frame-weight-template.hbs \
          --output "$dir/weights.rs"
      else
        pallet_bench "$target" --header "$header" --output "runtime/src/weights/$target.rs"
      fi ;;
  esac
done
