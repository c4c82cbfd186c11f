#!/usr/bin/env bash
# ERC-20 transfers per second through the Ethereum JSON-RPC, with native balance transfers
# measured on the same dev node in the same run as the reference.
#
#   scripts/bench-evm.sh [COUNT]          (default 2000 transfers each)
#
# Uses the debug build by default; PROFILE=release for a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
count="${1:-2000}"
profile="${PROFILE:-debug}"
flag=""; [ "$profile" = release ] && flag="--release"
cargo build --locked $flag --workspace --bins
(cd node/tests/evm && npm ci --no-audit --no-fund --loglevel=error)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rpc_port=$(free_port); eth_port=$(free_port); p2p_port=$(free_port)
base=$(mktemp -d)
"$CARGO_TARGET_DIR/$profile/zerog-node" --dev --base-path "$base" --rpc-port "$rpc_port" \
  --eth-rpc-port "$eth_port" --listen-addr "/ip4/127.0.0.1/tcp/$p2p_port" --no-prometheus \
  --rpc-max-connections 1000 > "$base/node.log" 2>&1 &
node_pid=$!
log_copy="${TMPDIR:-/tmp}/zerog-bench-evm-node.log"
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; cp "$base/node.log" "$log_copy"; rm -rf "$base"; echo "bench-evm: node log in $log_copy"' EXIT
for _ in $(seq 1 240); do
  curl -sf -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$eth_port" \
    >/dev/null && break
  sleep 0.5
done
echo "bench-evm: $profile node, RPC $rpc_port, Ethereum RPC $eth_port, $count transfers each"
inner=$(grep -o 'inner eth-rpc server on 127.0.0.1:[0-9]*' "$base/node.log" | head -1 | sed 's/.*://')
ETH_RPC_URL="http://127.0.0.1:$eth_port" INNER_URL="${inner:+http://127.0.0.1:$inner}" COUNT="$count" \
  node node/tests/evm/bench.mjs
"$CARGO_TARGET_DIR/$profile/zerog-node" bench transfers --rpc "http://127.0.0.1:$rpc_port" --count "$count"
