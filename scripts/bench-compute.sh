#!/usr/bin/env bash
# Settlement throughput in the wasm runtime, next to its baselines measured in the same run:
# the runtime's own sr25519 verification (a receipt carries two signatures) and a balance
# transfer. Prints receipts settled per second of block time.
# Usage: [STEPS=10] [REPEAT=5] scripts/bench-compute.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/benchmark-node.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {
  "$node" benchmark pallet --runtime "$wasm" --genesis-builder=runtime \
    --genesis-builder-preset=dev --pallet "$1" --extrinsic "$2" \
    --steps "${STEPS:-10}" --repeat "${REPEAT:-5}" --heap-pages 4096 \
    --json-file "$out/$1.$2.json" > /dev/null
}
run pallet_compute settle
run frame_benchmarking sr25519_verification
run pallet_balances transfer_keep_alive
python3 - "$out" <<'PY'
import json, statistics, sys, os
out = sys.argv[1]
def times(name):
    """Median extrinsic time (ns) per value of the single component (or None)."""
    (result,) = json.load(open(os.path.join(out, name)))
    by = {}
    for r in result["time_results"]:
        key = r["components"][0][1] if r["components"] else None
        by.setdefault(key, []).append(r["extrinsic_time"])
    return {k: statistics.median(v) for k, v in by.items()}
def slope(points):
    xs, ys = zip(*sorted(points.items()))
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
settle = times("pallet_compute.settle.json")
verify = times("frame_benchmarking.sr25519_verification.json")
transfer = times("pallet_balances.transfer_keep_alive.json")
per_receipt, per_verify = slope(settle), slope(verify)
full = max(settle)
per_transfer = statistics.median(transfer.values())
print(f"settle, per receipt (slope over n):   {per_receipt/1e3:8.1f} us  -> {1e9/per_receipt:8.0f} receipts/s of block time")
print(f"settle, batch of {full} receipts:        {settle[full]/1e6:8.2f} ms  -> {full*1e9/settle[full]:8.0f} receipts/s")
print(f"baseline: 2 x sr25519 verify (runtime): {2*per_verify/1e3:8.1f} us  -> {1e9/(2*per_verify):8.0f} receipts/s if verification were all")
print(f"baseline: balances.transfer_keep_alive: {per_transfer/1e3:8.1f} us  -> {1e9/per_transfer:8.0f} transfers/s")
PY
