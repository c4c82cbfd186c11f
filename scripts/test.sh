#!/usr/bin/env bash
# Runs the whole zerog test suite: unit tests, pallet benchmark tests, and the end-to-end
# tests that start real zerog-node processes. Prints how long each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

stage() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== stage: $name"
  "$@"
  echo "=== stage: $name took $((SECONDS - start))s"
}

stage setup scripts/setup.sh
# One format for the whole tree (rustfmt.toml), and no modules that import each other.
stage format cargo fmt --all -- --check
stage module-cycles python3 scripts/check-module-cycles.py
stage build cargo build --locked --workspace --bins --tests
# The workspace lints ([workspace.lints]) as errors, with the build's features (with
# `--features zerog-runtime/try-runtime` clippy rebuilds the C++ of RocksDB and wasm-opt and
# checks the whole dependency tree a second time; the pallets' `try_state` code is checked
# through their unit tests).
stage clippy cargo clippy --locked --workspace --all-targets -- -D warnings
# Unit tests, then the end-to-end tests (one binary, `node/tests/it`, whose suites run in
# parallel within the slots of node/tests/it/common/load.rs).
stage test cargo test --locked --workspace
# Both erasure codecs, and the shared primitives built without std (as the runtime does).
stage erasure-novelpoly cargo test --locked -p zerog-erasure --features novelpoly
stage erasure-no-std env RUSTC_BOOTSTRAP=1 cargo build --locked -p zerog-erasure \
  --no-default-features --target wasm32-unknown-unknown -Z build-std=core,alloc
# Benchmarks compile and run once each as tests against the pallet's mock runtime.
stage benchmark-tests env SKIP_WASM_BUILD=1 \
  cargo test --locked -p pallet-validator-set -p pallet-da -p pallet-storage -p pallet-compute -p pallet-alignment -p pallet-inft \
  --features runtime-benchmarks
# Multi-node networks under zombienet (native provider): finality with validators stopped
# and restarted, DA and storage with two nodes stopped, a KV node.
stage zombienet scripts/zombienet.sh test local4 full
echo "=== all stages passed in ${SECONDS}s"
