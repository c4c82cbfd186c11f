//! Test support shared by the pallets' mocks: externalities that check a pallet's
//! `try_state` invariants at the end of every `execute_with`, so that every unit test ends
//! by checking them.

use sp_runtime::DispatchError;

/// Test externalities whose [`execute_with`](Self::execute_with) runs the pallet's
/// invariants after the closure and panics, naming the pallet, when one is broken. Every
/// other method is the inner `TestExternalities`' (through `Deref`).
pub struct CheckedExternalities {
	ext: sp_io::TestExternalities,
	pallet: &'static str,
	invariants: fn() -> Result<(), DispatchError>,
}

impl CheckedExternalities {
	/// `ext`, checked by `invariants` (the pallet's `do_try_state`) of `pallet`.
	pub fn new(
		ext: sp_io::TestExternalities,
		pallet: &'static str,
		invariants: fn() -> Result<(), DispatchError>,
	) -> Self {
		CheckedExternalities { ext, pallet, invariants }
	}

	/// Runs `execute`, then the invariants.
	pub fn execute_with<R>(&mut self, execute: impl FnOnce() -> R) -> R {
		let (pallet, invariants) = (self.pallet, self.invariants);
		self.ext.execute_with(|| {
			let result = execute();
			if let Err(e) = invariants() {
				panic!("{pallet} invariants broken at the end of the test: {e:?}");
			}
			result
		})
	}
}

impl core::ops::Deref for CheckedExternalities {
	type Target = sp_io::TestExternalities;
	fn deref(&self) -> &Self::Target {
		&self.ext
	}
}

impl core::ops::DerefMut for CheckedExternalities {
	fn deref_mut(&mut self) -> &mut Self::Target {
		&mut self.ext
	}
}
