//! The committed chain specs in `chain-specs/` must match what the runtime's genesis presets
//! produce. Regenerate them with `scripts/gen-chain-specs.sh` after a preset change.
//!
//! The runtime's wasm (`code`) is left out of the comparison: it embeds build paths, so it
//! differs between checkouts even when the runtime's logic is the same.

use serde_json::Value;
use std::process::Command;

/// Storage key of the runtime code (`:code`) in a raw spec.
const CODE_KEY: &str = "0x3a636f6465";

fn without_code(mut spec: Value, raw: bool) -> Value {
	let genesis = &mut spec["genesis"];
	let removed = if raw {
		genesis["raw"]["top"].as_object_mut().and_then(|top| top.remove(CODE_KEY))
	} else {
		genesis["runtimeGenesis"].as_object_mut().and_then(|g| g.remove("code"))
	};
	assert!(removed.is_some(), "the spec carries the runtime code");
	spec
}

fn generated(chain: &str, raw: bool) -> Value {
	let mut cmd = Command::new(crate::common::node_binary());
	cmd.args(["export-chain-spec", "--chain", chain]);
	if raw {
		cmd.arg("--raw");
	}
	let output = cmd.output().expect("zerog-node runs");
	assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("a JSON chain spec")
}

fn committed(chain: &str, raw: bool) -> Value {
	let name = if raw { format!("{chain}-raw.json") } else { format!("{chain}.json") };
	let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
		.join("../chain-specs")
		.join(&name);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{}: {e}; run scripts/gen-chain-specs.sh", path.display()));
	serde_json::from_str(&text).expect("a JSON chain spec")
}

#[test]
fn committed_chain_specs_match_the_runtime_presets() {
	for chain in ["dev", "local", "testnet"] {
		for raw in [false, true] {
			assert_eq!(
				without_code(generated(chain, raw), raw),
				without_code(committed(chain, raw), raw),
				"chain-specs/{chain}{} drifted from the runtime; run scripts/gen-chain-specs.sh",
				if raw { "-raw.json" } else { ".json" },
			);
		}
	}
}

#[test]
fn only_dev_and_local_have_a_sudo_key() {
	for (chain, has_sudo) in [("dev", true), ("local", true), ("testnet", false)] {
		let spec = generated(chain, false);
		let patch = &spec["genesis"]["runtimeGenesis"]["patch"];
		assert_eq!(!patch["sudo"]["key"].is_null(), has_sudo, "{chain}: {patch}");
	}
}
