#!/usr/bin/env bash
# Installs what a zerog build needs on Debian/Ubuntu, skipping what is already there:
# protobuf-compiler (litep2p), clang + libclang-dev (rocksdb bindings), and the
# wasm32-unknown-unknown target with rust-src (the runtime's wasm build), and Node.js with
# npm (the EVM test installs solc and ethers from npm), and python3 (the module-cycle check).
set -euo pipefail

need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v rustup >/dev/null 2>&1; then
  echo "setup: rustup is required (https://rustup.rs)" >&2
  exit 1
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
for component in rust-src rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" \
    || rustup component add "$component"
done
echo "setup: protoc $(protoc --version | cut -d' ' -f2), $(clang --version | head -1), wasm32 target, rust-src, rustfmt and clippy present, node $(node --version), npm $(npm --version 2>/dev/null)"
