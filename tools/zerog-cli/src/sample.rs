//! Sample data for benchmarks and tests.

/// Deterministic pseudo-random bytes (xorshift), different per `seed`.
pub fn random_blob(len: usize, seed: u64) -> Vec<u8> {
	let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
	let mut out = Vec::with_capacity(len + 8);
	while out.len() < len {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		out.extend_from_slice(&state.to_le_bytes());
	}
	out.truncate(len);
	out
}

#[cfg(test)]
mod tests {
	#[test]
	fn random_blobs_have_the_size_and_differ_by_seed() {
		let a = super::random_blob(1001, 1);
		assert_eq!(a.len(), 1001);
		assert_ne!(a, super::random_blob(1001, 2));
		assert_eq!(a, super::random_blob(1001, 1));
	}
}
