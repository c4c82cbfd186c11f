//! What `bench transfers` prints: rates and latency percentiles, as text or one JSON object.

use serde_json::json;

/// The value at percentile `p` (0-100) of `values` (nearest rank); 0 when empty.
pub fn percentile(values: &[f64], p: f64) -> f64 {
	if values.is_empty() {
		return 0.0;
	}
	let mut sorted = values.to_vec();
	sorted.sort_by(|a, b| a.total_cmp(b));
	let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
	sorted[rank.clamp(1, sorted.len()) - 1]
}

/// p50, p95, p99 and the maximum of `values`.
pub fn summary(values: &[f64]) -> serde_json::Value {
	json!({
		"p50": round(percentile(values, 50.0)),
		"p95": round(percentile(values, 95.0)),
		"p99": round(percentile(values, 99.0)),
		"max": round(percentile(values, 100.0)),
	})
}

fn round(x: f64) -> f64 {
	(x * 1000.0).round() / 1000.0
}

/// One run's results.
pub struct Report {
	/// Transfers signed.
	pub transfers: usize,
	/// Distinct sending accounts.
	pub senders: usize,
	/// The target rate (0: as fast as the node takes them).
	pub rate: u32,
	/// Seconds from the first submission to the last one accepted.
	pub submit_seconds: f64,
	/// Transfers the node refused for good, and the first reason.
	pub refused: (usize, Option<String>),
	/// Submissions retried because the pool was full or validated on a pruned fork.
	pub retried: usize,
	/// Sends made again of accepted transfers that had left the pool without reaching a
	/// block (one transfer may be sent again more than once).
	pub resubmitted: usize,
	/// Per transfer: seconds from submission to the first block that held it.
	pub inclusion: Vec<f64>,
	/// Seconds from the first submission to the last inclusion.
	pub included_span: f64,
	/// Per transfer: seconds from submission to finality.
	pub finality: Vec<f64>,
	/// Seconds from the first submission to the last finalization.
	pub finalized_span: f64,
	/// Transfers per finalized block that held any.
	pub per_block: Vec<usize>,
	/// Seconds from first sight to finality, of every block finalized during the run.
	pub block_lags: Vec<f64>,
}

impl Report {
	/// Rate over a span; 0 for an empty span.
	fn per_second(count: usize, span: f64) -> f64 {
		if span > 0.0 {
			count as f64 / span
		} else {
			0.0
		}
	}

	/// The report as one JSON object (rates per second, latencies in seconds).
	pub fn to_json(&self) -> serde_json::Value {
		let max_block = self.per_block.iter().copied().max().unwrap_or(0);
		json!({
			"transfers": self.transfers,
			"senders": self.senders,
			"targetRate": self.rate,
			"submitted": { "seconds": round(self.submit_seconds), "perSecond": round(Self::per_second(self.transfers - self.refused.0, self.submit_seconds)) },
			"refused": self.refused.0,
			"refusedReason": self.refused.1,
			"retried": self.retried,
			"resubmitted": self.resubmitted,
			"included": { "count": self.inclusion.len(), "perSecond": round(Self::per_second(self.inclusion.len(), self.included_span)), "latency": summary(&self.inclusion) },
			"finalized": { "count": self.finality.len(), "perSecond": round(Self::per_second(self.finality.len(), self.finalized_span)), "latency": summary(&self.finality) },
			"blocks": { "withTransfers": self.per_block.len(), "maxTransfers": max_block, "finalityLag": summary(&self.block_lags) },
		})
	}

	/// The report as lines of text.
	pub fn to_text(&self) -> String {
		let j = self.to_json();
		let lat = |v: &serde_json::Value| {
			format!(
				"p50 {} s, p95 {} s, p99 {} s, max {} s",
				v["p50"], v["p95"], v["p99"], v["max"]
			)
		};
		let target =
			if self.rate > 0 { format!("{}/s", self.rate) } else { "as fast as accepted".into() };
		let mut text = format!(
            "native transfers: {} from {} senders, target {target}; submitted in {} s ({}/s), {} refused, {} retried (pool full or pruned fork), {} resubmitted (dropped by the pool)\n",
            self.transfers, self.senders, j["submitted"]["seconds"], j["submitted"]["perSecond"], self.refused.0, self.retried, self.resubmitted,
        );
		if let Some(reason) = &self.refused.1 {
			text += &format!("  first refusal: {reason}\n");
		}
		text += &format!(
			"  in blocks: {} at {}/s; submit to block {}\n",
			self.inclusion.len(),
			j["included"]["perSecond"],
			lat(&j["included"]["latency"]),
		);
		text += &format!(
			"  finalized: {} at {}/s; submit to finality {}\n",
			self.finality.len(),
			j["finalized"]["perSecond"],
			lat(&j["finalized"]["latency"]),
		);
		text += &format!(
			"  blocks: {} held transfers, at most {} in one; block seen to finalized {}",
			self.per_block.len(),
			j["blocks"]["maxTransfers"],
			lat(&j["blocks"]["finalityLag"]),
		);
		text
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn percentiles_take_the_nearest_rank() {
		let values: Vec<f64> = (1..=100).map(f64::from).collect();
		assert_eq!(percentile(&values, 50.0), 50.0);
		assert_eq!(percentile(&values, 95.0), 95.0);
		assert_eq!(percentile(&values, 100.0), 100.0);
		assert_eq!(percentile(&[3.0, 1.0, 2.0], 50.0), 2.0);
		assert_eq!(percentile(&[7.0], 99.0), 7.0);
		assert_eq!(percentile(&[], 50.0), 0.0);
	}

	#[test]
	fn rates_and_counts_reach_the_json() {
		let report = Report {
			transfers: 10,
			senders: 5,
			rate: 0,
			submit_seconds: 2.0,
			refused: (2, Some("bad".into())),
			retried: 1,
			resubmitted: 3,
			inclusion: vec![1.0; 8],
			included_span: 4.0,
			finality: vec![3.0; 8],
			finalized_span: 8.0,
			per_block: vec![5, 3],
			block_lags: vec![2.0, 4.0],
		};
		let j = report.to_json();
		assert_eq!(j["submitted"]["perSecond"], 4.0);
		assert_eq!(j["included"]["perSecond"], 2.0);
		assert_eq!(j["finalized"]["perSecond"], 1.0);
		assert_eq!(j["finalized"]["latency"]["p95"], 3.0);
		assert_eq!(j["blocks"]["maxTransfers"], 5);
		assert_eq!(j["blocks"]["finalityLag"]["max"], 4.0);
		assert_eq!(j["resubmitted"], 3);
		assert!(report.to_text().contains("first refusal: bad"));
		assert!(report.to_text().contains("3 resubmitted"));
	}
}
