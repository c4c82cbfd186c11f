#!/usr/bin/env bash
# Builds zerog-node (and zerog-eth-rpc, which it starts for the Ethereum JSON-RPC on 8545) and runs a single-validator development chain (Alice), RPC on 9944.
# Extra arguments go to the node, e.g. `scripts/dev.sh --rpc-external`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
# The whole workspace, as the tests build it: one feature set, one cache.
cargo build --locked --workspace --bins
exec "$CARGO_TARGET_DIR/debug/zerog-node" --dev "$@"
