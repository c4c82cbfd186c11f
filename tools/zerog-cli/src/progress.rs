//! What a command shows while it works: a progress bar of bytes moved (indicatif, drawn only
//! when stderr is a terminal) and a line per finished stage with the time since the start.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Instant;

/// The progress of one command; cheap to clone and to share between threads.
#[derive(Clone)]
pub struct Progress {
	bar: ProgressBar,
	started: Instant,
}

impl Default for Progress {
	fn default() -> Self {
		Self::new()
	}
}

impl Progress {
	/// Progress on stderr, starting now.
	pub fn new() -> Self {
		let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
		bar.set_style(
			ProgressStyle::with_template(
				"{msg:<10} [{bar:30}] {binary_bytes:>10}/{binary_total_bytes:<10} {binary_bytes_per_sec:>12}",
			)
			.expect("a valid template; qed")
			.progress_chars("#>-"),
		);
		Progress { bar, started: Instant::now() }
	}

	/// Shows `done` of `total` bytes of `what` (upload, download).
	pub fn bytes(&self, what: &'static str, done: u64, total: u64) {
		if self.bar.is_finished() || self.bar.length() != Some(total) {
			self.bar.reset();
			self.bar.set_length(total);
		}
		self.bar.set_message(what);
		self.bar.set_position(done);
	}

	/// A callback that shows bytes of `what` out of `total` as they are sent.
	pub fn sender(&self, what: &'static str, total: u64) -> impl Fn(u64) + Send + Sync + 'static {
		let progress = self.clone();
		move |done| progress.bytes(what, done, total)
	}

	/// Prints a finished stage (and clears the bar).
	pub fn stage(&self, text: &str) {
		self.bar.finish_and_clear();
		eprintln!("[{:>6.2} s] {text}", self.started.elapsed().as_secs_f64());
	}
}
