# Sourced by the scripts that run nodes: sets and exports ZEROG_NODE. A ZEROG_NODE already
# set is used as it is; otherwise the workspace's binaries are built for PROFILE (debug or
# release), with the same package set as the test build so that no feature change rebuilds
# the tree.
if [ -z "${ZEROG_NODE:-}" ]; then
  node_profile="${PROFILE:-debug}"
  node_flag=""; [ "$node_profile" = release ] && node_flag="--release"
  cargo build --locked $node_flag --workspace --bins
  ZEROG_NODE="${CARGO_TARGET_DIR:-$HOME/.cache/zerog-target}/$node_profile/zerog-node"
fi
export ZEROG_NODE
