#!/usr/bin/env bash
# Multi-node zerog networks with zombienet's native provider: real zerog-node processes on
# loopback ports, no containers. The zombienet CLI comes from npm and is installed into
# zombienet/node_modules from the committed lock file.
#
#   scripts/zombienet.sh test [NETWORK...]   run NETWORK.zndsl for each (default: local4 full)
#   scripts/zombienet.sh spawn NETWORK       start NETWORK and keep it running (Ctrl-C stops it)
#
# Networks: local4 (four testnet validators), full (four validators that are DA operators
# and storage providers, plus a KV node). Environment:
#   ZEROG_NODE      the node binary (default: build the workspace's and use it)
#   PROFILE         debug (default) or release, for that build
#   ZEROG_VOTE_LAG  --finality-vote-lag of every node (default 0, the node's default)
#   ZOMBIENET_DIR   where the network's files and node logs go (default: a new temp folder)
#   ZEROG_CHAIN_SPEC  the raw chain spec (default: the testnet spec exported from ZEROG_NODE;
#                   give chain-specs/testnet-raw.json to run the committed one)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"

action="${1:-test}"
shift || true
networks=("$@")
[ ${#networks[@]} -eq 0 ] && networks=(local4 full)
case "$action" in
  test|spawn) ;;
  *) echo "usage: scripts/zombienet.sh test [local4] [full] | spawn local4|full" >&2; exit 2 ;;
esac
for net in "${networks[@]}"; do
  [ -f "zombienet/$net.toml" ] || { echo "zombienet: no network zombienet/$net.toml" >&2; exit 2; }
done

source scripts/node-binary.sh
# The testnet spec of the node under test, exported from it: the committed
# chain-specs/testnet-raw.json carries the runtime of whichever commit last regenerated it
# (the chain-spec test checks its genesis, not its code, which embeds build paths), and an
# older runtime emits events this tree's CLI cannot decode.
if [ -z "${ZEROG_CHAIN_SPEC:-}" ]; then
  spec_dir="$(mktemp -d -t zerog-zombienet-spec-XXXX)"
  "$ZEROG_NODE" export-chain-spec --chain testnet --raw > "$spec_dir/testnet-raw.json"
  export ZEROG_CHAIN_SPEC="$spec_dir/testnet-raw.json"
fi
export ZEROG_VOTE_LAG="${ZEROG_VOTE_LAG:-0}"

if [ ! -x zombienet/node_modules/.bin/zombienet ] \
  || [ zombienet/package-lock.json -nt zombienet/node_modules/.package-lock.json ]; then
  (cd zombienet && npm ci --no-audit --no-fund --loglevel=error)
fi
zombienet_cli="$root/zombienet/node_modules/.bin/zombienet"

for net in "${networks[@]}"; do
  dir="${ZOMBIENET_DIR:-$(mktemp -d -t "zerog-zombienet-$net-XXXX")}"
  # zombienet wants a folder it creates itself.
  rmdir "$dir" 2>/dev/null || true
  start=$SECONDS
  echo "zombienet: $action $net with $ZEROG_NODE (vote lag $ZEROG_VOTE_LAG), files in $dir"
  if [ "$action" = spawn ]; then
    exec "$zombienet_cli" -p native -l text -d "$dir" spawn "zombienet/$net.toml"
  fi
  status=0
  "$zombienet_cli" -p native -l text -d "$dir" test "zombienet/$net.zndsl" || status=$?
  echo "zombienet: $net took $((SECONDS - start))s"
  if [ $status -ne 0 ]; then
    for log in "$dir"/*.log; do
      [ -f "$log" ] || continue
      echo "----- last lines of $log"
      tail -n 40 "$log"
    done
    echo "zombienet: $net failed (exit $status); node logs in $dir" >&2
    exit $status
  fi
done
