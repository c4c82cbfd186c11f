#!/usr/bin/env bash
# Builds zerog-node and runs a single-validator development chain (Alice), RPC on 9944.
# Extra arguments go to the node, e.g. `scripts/dev.sh --rpc-external`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
cargo build --locked -p zerog-node
exec "$CARGO_TARGET_DIR/debug/zerog-node" --dev "$@"
