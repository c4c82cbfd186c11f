#!/usr/bin/env bash
# Sustained native balance transfers per second, finality latency and node memory.
#
#   scripts/bench-transfers.sh dev [BENCH ARGS...]      one --dev node (authors and finalizes alone)
#   scripts/bench-transfers.sh local4 [BENCH ARGS...]   the four testnet validators (zombienet)
#
# BENCH ARGS go to `zerog-node bench transfers` (default: --count 6000 --rate 1500); on
# local4 the transfers are spread over all four nodes' RPC. Before and after the load it
# prints each node's RSS, CPU time and where block time went (node_stats.py), and the
# bench's own report with latency percentiles. Environment: PROFILE=debug|release (which
# build), ZEROG_VOTE_LAG (GRANDPA vote lag, default 0), ZEROG_NODE (a binary to use),
# ZEROG_NODE_FLAGS (more flags for the dev node, e.g. "--pool-type single-state").
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
network="${1:-dev}"
shift || true
bench_args=("$@")
[ ${#bench_args[@]} -eq 0 ] && bench_args=(--count 6000 --rate 1500)
profile="${PROFILE:-debug}"
export ZEROG_VOTE_LAG="${ZEROG_VOTE_LAG:-0}"
source scripts/node-binary.sh
read -r -a node_flags <<< "${ZEROG_NODE_FLAGS:-}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d -t zerog-bench-transfers-XXXX)
pids=(); specs=(); rpc_urls=(); cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT

case "$network" in
  dev)
    rpc_port=$(free_port); prom_port=$(free_port); p2p_port=$(free_port)
    "$ZEROG_NODE" --dev --base-path "$work/dev" --rpc-port "$rpc_port" --prometheus-port "$prom_port" \
      --listen-addr "/ip4/127.0.0.1/tcp/$p2p_port" --eth-rpc-port off --pora-cpu 0 \
      --finality-vote-lag "$ZEROG_VOTE_LAG" --rpc-max-connections 1000 ${node_flags[@]+"${node_flags[@]}"} \
      > "$work/dev.log" 2>&1 &
    pid=$!
    cleanup+=("kill $pid 2>/dev/null; wait $pid 2>/dev/null; echo 'bench-transfers: node log in $work/dev.log'")
    pids=("$pid"); specs=("dev=$pid=http://127.0.0.1:$prom_port/metrics")
    rpc_urls=("http://127.0.0.1:$rpc_port")
    ;;
  local4)
    export ZOMBIENET_DIR="$work/zombienet"
    scripts/zombienet.sh spawn local4 > "$work/zombienet.log" 2>&1 &
    zpid=$!
    cleanup+=("kill -INT $zpid 2>/dev/null; sleep 2; pkill -9 -f -- '$ZOMBIENET_DIR' 2>/dev/null; echo 'bench-transfers: network files in $ZOMBIENET_DIR'")
    for _ in $(seq 1 600); do [ -f "$ZOMBIENET_DIR/zombie.json" ] && break; sleep 1; done
    [ -f "$ZOMBIENET_DIR/zombie.json" ] || { tail -n 50 "$work/zombienet.log"; exit 1; }
    for name in alice bob charlie dave; do
      read -r ws prom < <(python3 -c 'import json,sys; n=json.load(open(sys.argv[1]))["nodesByName"][sys.argv[2]]; print(n["wsUri"], n["prometheusUri"])' "$ZOMBIENET_DIR/zombie.json" "$name")
      pid=$(pgrep -f -- "--name $name .*$ZOMBIENET_DIR" | head -1 || true)
      [ -n "$pid" ] || pid=$(pgrep -f -- "$ZOMBIENET_DIR.*--name $name" | head -1)
      pids+=("$pid"); specs+=("$name=$pid=$prom"); rpc_urls+=("${ws/ws:/http:}")
    done
    ;;
  *) echo "usage: scripts/bench-transfers.sh dev|local4 [bench args]" >&2; exit 2 ;;
esac

# Wait until the chain finalizes, then let it idle before the first snapshot.
for _ in $(seq 1 300); do
  finalized=$(curl -sf -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"chain_getFinalizedHead","params":[]}' "${rpc_urls[0]}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' 2>/dev/null || true)
  number=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"chain_getHeader\",\"params\":[\"$finalized\"]}" "${rpc_urls[0]}" \
    | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"],16))' 2>/dev/null || echo 0)
  [ "${number:-0}" -ge 3 ] && break
  sleep 1
done
sleep 10
echo "bench-transfers: $network, $profile node, vote lag $ZEROG_VOTE_LAG, node flags '${ZEROG_NODE_FLAGS:-}', bench ${bench_args[*]}"
python3 scripts/node_stats.py sample "$work/before.json" "${specs[@]}"
python3 scripts/node_stats.py watch "$work/peak.json" "${pids[@]}" &
watcher=$!
submit=()
for url in "${rpc_urls[@]:1}"; do submit+=(--submit-rpc "$url"); done
status=0
"$ZEROG_NODE" bench transfers --rpc "${rpc_urls[0]}" "${submit[@]}" "${bench_args[@]}" || status=$?
python3 scripts/node_stats.py sample "$work/after.json" "${specs[@]}"
kill "$watcher"; wait "$watcher" 2>/dev/null || true
python3 scripts/node_stats.py report "$work/before.json" "$work/after.json" "$work/peak.json"
exit $status
