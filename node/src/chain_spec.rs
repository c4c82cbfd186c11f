//! The built-in chain specifications, each made from a genesis preset of the runtime.

use sc_service::ChainType;
use zerog_runtime::{genesis_presets, WASM_BINARY};

/// A chain spec with the runtime's genesis built from a preset or a JSON patch.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and SS58 format that wallets read from the chain spec.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), "ZG".into());
	properties.insert("tokenDecimals".into(), 18.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// The runtime's code as chain specs carry it: zstd-compressed once (the executor
/// decompresses it), about a quarter of the size, which matters for the committed files in
/// chain-specs/. A release build embeds the blob compressed already; compressing that again
/// gave a genesis `:code` that no executor could load.
fn compressed_code(wasm: &[u8]) -> Result<Vec<u8>, String> {
	let limit = sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT;
	let plain = sp_maybe_compressed_blob::decompress(wasm, limit)
		.map_err(|e| format!("the runtime's wasm could not be decompressed: {e}"))?;
	sp_maybe_compressed_blob::compress_weakly(&plain, limit)
		.ok_or_else(|| "the runtime's wasm could not be compressed".to_string())
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm is not available: build without SKIP_WASM_BUILD".to_string()
	})?;
	let code = compressed_code(wasm)?;
	Ok(ChainSpec::builder(&code, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id("zerog")
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`/`--chain dev`: Alice alone authors and finalizes; sudo is Alice.
pub fn development() -> Result<ChainSpec, String> {
	from_preset("zerog dev", "zerog_dev", ChainType::Development, genesis_presets::DEV_PRESET)
}

/// `--chain local`: Alice and Bob are validators; sudo is Alice.
pub fn local() -> Result<ChainSpec, String> {
	from_preset("zerog local", "zerog_local", ChainType::Local, genesis_presets::LOCAL_PRESET)
}

/// `--chain testnet`: four validators (Alice, Bob, Charlie, Dave) and no sudo key.
pub fn testnet() -> Result<ChainSpec, String> {
	from_preset("zerog testnet", "zerog_testnet", ChainType::Live, genesis_presets::TESTNET_PRESET)
}

/// Resolves `--chain ID`: a built-in name or a path to a JSON chain spec.
pub fn load(id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
	Ok(match id {
		"dev" => Box::new(development()?),
		"" | "local" => Box::new(local()?),
		"testnet" => Box::new(testnet()?),
		path => Box::new(ChainSpec::from_json_file(std::path::PathBuf::from(path))?),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn code_is_compressed_once_whether_the_blob_was_compressed_or_not() {
		let plain = b"\0asm\x01\0\0\0 a stand-in for the runtime's sections".repeat(100);
		let limit = sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT;
		let already = sp_maybe_compressed_blob::compress_weakly(&plain, limit).unwrap();
		for blob in [&plain[..], &already[..]] {
			let code = compressed_code(blob).unwrap();
			let once = sp_maybe_compressed_blob::decompress(&code, limit).unwrap();
			assert_eq!(&once[..], &plain[..], "one decompression gives the wasm back");
		}
	}
}
