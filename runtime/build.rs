//! Builds the runtime's wasm blob (skipped with SKIP_WASM_BUILD=1).
fn main() {
	#[cfg(feature = "std")]
	{
		// Point the wasm build at the workspace so that it uses our Cargo.lock even when the
		// target directory lives outside the checkout.
		let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
		std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
