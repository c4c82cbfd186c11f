//! How many nodes the suite runs at once. The end-to-end tests share one test binary, whose
//! tests run in parallel; on a 2-core machine too many nodes at once make block times and
//! finality slow enough to fail time bounds. Each test claims, before it starts nodes, the
//! share of the machine it needs: a dev-node test one slot, a multi-node network all of
//! them (it runs alone). Claims are served first come, first served, and released when the
//! test ends, even by a panic.
//!
//! The number of slots is `ZEROG_E2E_SLOTS`, else [`DEFAULT_SLOTS`], chosen by measuring the
//! suite's time and failures on this machine (docs/BUILD.md).

use std::{
	io::Write,
	sync::{Condvar, Mutex},
	time::Instant,
};

/// Dev-node tests that may run at once (measured on 2 cores; see docs/BUILD.md).
pub const DEFAULT_SLOTS: u32 = 3;

struct Slots {
	/// Slots in use.
	used: u32,
	/// The next ticket to hand out, and the next one served.
	issued: u64,
	serving: u64,
}

static SLOTS: Mutex<Slots> = Mutex::new(Slots { used: 0, issued: 0, serving: 0 });
static CHANGED: Condvar = Condvar::new();

fn capacity() -> u32 {
	std::env::var("ZEROG_E2E_SLOTS")
		.ok()
		.and_then(|v| v.parse().ok())
		.filter(|&n| n > 0)
		.unwrap_or(DEFAULT_SLOTS)
}

/// Slots held by a running test; given back when dropped.
#[must_use = "the slots are given back when this is dropped"]
pub struct Claim {
	slots: u32,
	/// How long the test waited for its slots, and when it got them.
	waited: std::time::Duration,
	since: Instant,
}

impl Drop for Claim {
	fn drop(&mut self) {
		let mut slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
		slots.used -= self.slots;
		CHANGED.notify_all();
		drop(slots);
		// Past the test harness's output capture (which only takes `print!`s), so that CI
		// logs show where the suite's time goes.
		let name = std::thread::current().name().unwrap_or("?").to_string();
		let _ = writeln!(
			std::io::stderr(),
			"e2e timing: {name}: ran {:.0}s on {} slot(s), after waiting {:.0}s",
			self.since.elapsed().as_secs_f64(),
			self.slots,
			self.waited.as_secs_f64()
		);
	}
}

/// Waits for `wanted` slots (at most all of them), in the order tests asked.
fn claim(wanted: u32) -> Claim {
	let asked = Instant::now();
	let wanted = wanted.clamp(1, capacity());
	let mut slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
	let ticket = slots.issued;
	slots.issued += 1;
	while slots.serving != ticket || slots.used + wanted > capacity() {
		slots = CHANGED.wait(slots).unwrap_or_else(|e| e.into_inner());
	}
	slots.serving += 1;
	slots.used += wanted;
	CHANGED.notify_all();
	Claim { slots: wanted, waited: asked.elapsed(), since: Instant::now() }
}

/// A test of one dev node (or nodes started one after the other).
pub fn dev_node() -> Claim {
	claim(1)
}

/// A test of a network of several nodes: it runs alone.
pub fn network() -> Claim {
	claim(u32::MAX)
}
