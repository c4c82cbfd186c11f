#!/usr/bin/env bash
# Regenerates chain-specs/{dev,local,testnet}.json (plain) and *-raw.json (raw storage)
# from the runtime's genesis presets. A test fails when the committed files drift.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
cargo build --locked --workspace --bins
node="$CARGO_TARGET_DIR/debug/zerog-node"
for chain in dev local testnet; do
  "$node" export-chain-spec --chain "$chain" > "chain-specs/$chain.json"
  "$node" export-chain-spec --chain "$chain" --raw > "chain-specs/$chain-raw.json"
  echo "wrote chain-specs/$chain.json and chain-specs/$chain-raw.json"
done
