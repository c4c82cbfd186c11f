//! The health check of a compute service.
//!
//! The checker sends `GET <endpoint>/zerog/health?challenge=0x<32 bytes hex>`. A healthy
//! gateway answers `200` with the JSON `{"signer": "0x<32-byte account>", "signature":
//! "0x<SCALE MultiSignature>"}`. The signature is by the service's registered signer over
//! [`health_message`]: `zerog_traits::answers::answer_message(challenge, blake2_256(signer))`.
//!
//! The check passes when the signer is the one registered on chain and the signature
//! verifies. Its evidence is blake2-256 of the signer account, which every honest checker
//! sees alike, and which is public: the signature is what shows the checker reached the
//! endpoint. The challenge is the checker's own, fresh each era (see
//! `zerog_traits::answers::answer_challenge`), so the signature is a receipt the chain
//! checks on reveal: it cannot be replayed, nor taken from another checker.

use codec::{Decode, Encode};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde::{Deserialize, Serialize};
use sp_runtime::{traits::Verify, AccountId32, MultiSignature};
use std::time::Duration;
use zerog_data_plane::holding::answer_message;

/// The path of the health check under the service's endpoint.
pub const HEALTH_PATH: &str = "/zerog/health";
/// Largest answer read.
const MAX_ANSWER_BYTES: usize = 4096;

/// The evidence of a passed health check: blake2-256 of the signer account.
pub fn health_evidence(signer: &AccountId32) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(signer.as_ref())
}

/// The bytes `signer` signs to answer `challenge`.
pub fn health_message(challenge: &[u8; 32], signer: &AccountId32) -> Vec<u8> {
	answer_message(challenge, &health_evidence(signer))
}

/// The URL the checker asks, for a service whose endpoint is `endpoint`.
pub fn health_url(endpoint: &str, challenge: &[u8; 32]) -> String {
	format!(
		"{}{HEALTH_PATH}?challenge=0x{}",
		endpoint.trim_end_matches('/'),
		hex::encode(challenge)
	)
}

/// A gateway's answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HealthAnswer {
	/// `0x` hex of the signer's 32-byte account.
	pub signer: String,
	/// `0x` hex of the SCALE-encoded `MultiSignature`.
	pub signature: String,
}

impl HealthAnswer {
	/// The answer a gateway whose signer is `signer` sends, given its signature over
	/// [`health_message`].
	pub fn new(signer: &AccountId32, signature: &MultiSignature) -> Self {
		HealthAnswer {
			signer: format!("0x{}", hex::encode(<AccountId32 as AsRef<[u8]>>::as_ref(signer))),
			signature: format!("0x{}", hex::encode(signature.encode())),
		}
	}
}

/// Why a health check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HealthError {
	/// The endpoint could not be reached, or did not answer `200` in time.
	#[error("the endpoint is unreachable: {0}")]
	Unreachable(String),
	/// The answer is not the expected JSON.
	#[error("malformed answer: {0}")]
	Malformed(String),
	/// The answer names another signer than the registered one.
	#[error("the answer names another signer than the registered one")]
	WrongSigner,
	/// The signature does not verify.
	#[error("the signature does not verify")]
	BadSignature,
}

fn unhex(text: &str) -> Result<Vec<u8>, HealthError> {
	hex::decode(text.trim_start_matches("0x")).map_err(|e| HealthError::Malformed(e.to_string()))
}

/// Checks an answer's `body` for `challenge` against the registered `signer`; returns the
/// evidence and the signature (the receipt).
pub fn verify_health(
	body: &[u8],
	signer: &AccountId32,
	challenge: &[u8; 32],
) -> Result<([u8; 32], MultiSignature), HealthError> {
	let answer: HealthAnswer =
		serde_json::from_slice(body).map_err(|e| HealthError::Malformed(e.to_string()))?;
	if unhex(&answer.signer)? != <AccountId32 as AsRef<[u8]>>::as_ref(signer) {
		return Err(HealthError::WrongSigner);
	}
	let signature = MultiSignature::decode(&mut &unhex(&answer.signature)?[..])
		.map_err(|e| HealthError::Malformed(e.to_string()))?;
	if !signature.verify(&health_message(challenge, signer)[..], signer) {
		return Err(HealthError::BadSignature);
	}
	Ok((health_evidence(signer), signature))
}

/// An HTTP(S) client for health checks (rustls with the system's roots).
pub struct HealthClient {
	client: Client<
		hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
		Empty<Bytes>,
	>,
	timeout: Duration,
}

impl HealthClient {
	/// A client that gives each check `timeout`.
	pub fn new(timeout: Duration) -> std::io::Result<Self> {
		let connector = hyper_rustls::HttpsConnectorBuilder::new()
			.with_provider_and_native_roots(rustls::crypto::ring::default_provider())?
			.https_or_http()
			.enable_http1()
			.build();
		Ok(HealthClient { client: Client::builder(TokioExecutor::new()).build(connector), timeout })
	}

	/// Checks the service at `endpoint` whose registered signer is `signer`.
	pub async fn check(
		&self,
		endpoint: &str,
		signer: &AccountId32,
		challenge: &[u8; 32],
	) -> Result<([u8; 32], MultiSignature), HealthError> {
		let body = tokio::time::timeout(self.timeout, self.fetch(&health_url(endpoint, challenge)))
			.await
			.map_err(|_| HealthError::Unreachable("timed out".into()))??;
		verify_health(&body, signer, challenge)
	}

	async fn fetch(&self, url: &str) -> Result<Bytes, HealthError> {
		let uri: hyper::Uri = url
			.parse()
			.map_err(|e: hyper::http::uri::InvalidUri| HealthError::Unreachable(e.to_string()))?;
		let response = self
			.client
			.get(uri)
			.await
			.map_err(|e| HealthError::Unreachable(e.to_string()))?;
		if response.status() != hyper::StatusCode::OK {
			return Err(HealthError::Unreachable(format!("status {}", response.status())));
		}
		let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
			.collect()
			.await
			.map_err(|e| HealthError::Malformed(e.to_string()))?;
		Ok(body.to_bytes())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::{ecdsa, sr25519, Pair};
	use sp_runtime::{traits::IdentifyAccount, MultiSigner};
	use tokio::io::{AsyncReadExt, AsyncWriteExt};

	fn signer() -> (sr25519::Pair, AccountId32) {
		let pair = sr25519::Pair::from_seed(&[4; 32]);
		let account = MultiSigner::from(pair.public()).into_account();
		(pair, account)
	}

	fn answer(pair: &sr25519::Pair, account: &AccountId32, challenge: &[u8; 32]) -> Vec<u8> {
		let signature = MultiSignature::from(pair.sign(&health_message(challenge, account)));
		serde_json::to_vec(&HealthAnswer::new(account, &signature)).unwrap()
	}

	#[test]
	fn a_signed_answer_passes_and_every_forgery_fails() {
		let (pair, account) = signer();
		let challenge = [1; 32];
		let (evidence, signature) =
			verify_health(&answer(&pair, &account, &challenge), &account, &challenge).unwrap();
		assert_eq!(evidence, sp_crypto_hashing::blake2_256(account.as_ref()));
		assert!(signature.verify(&answer_message(&challenge, &evidence)[..], &account));

		// An ecdsa signer works as well (MultiSignature).
		let ecdsa = ecdsa::Pair::from_seed(&[5; 32]);
		let ecdsa_account = MultiSigner::from(ecdsa.public()).into_account();
		let signature =
			MultiSignature::from(ecdsa.sign(&health_message(&challenge, &ecdsa_account)));
		let body = serde_json::to_vec(&HealthAnswer::new(&ecdsa_account, &signature)).unwrap();
		assert!(verify_health(&body, &ecdsa_account, &challenge).is_ok());

		// Another registered signer; an old challenge; garbage.
		let other: AccountId32 =
			MultiSigner::from(sr25519::Pair::from_seed(&[6; 32]).public()).into_account();
		assert_eq!(
			verify_health(&answer(&pair, &account, &challenge), &other, &challenge),
			Err(HealthError::WrongSigner)
		);
		assert_eq!(
			verify_health(&answer(&pair, &account, &[2; 32]), &account, &challenge),
			Err(HealthError::BadSignature)
		);
		assert!(matches!(
			verify_health(b"{}", &account, &challenge),
			Err(HealthError::Malformed(_))
		));
		assert!(matches!(
			verify_health(b"not json", &account, &challenge),
			Err(HealthError::Malformed(_))
		));
	}

	#[test]
	fn the_url_puts_the_challenge_under_the_endpoint() {
		assert_eq!(
			health_url("https://gpu.example/v1/", &[0xab; 32]),
			format!("https://gpu.example/v1/zerog/health?challenge=0x{}", "ab".repeat(32))
		);
	}

	/// A one-request HTTP server that answers the challenge it is sent (or `status`).
	async fn gateway(pair: sr25519::Pair, account: AccountId32, status: u16) -> String {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
		let address = listener.local_addr().unwrap();
		tokio::spawn(async move {
			let (mut socket, _) = listener.accept().await.unwrap();
			let mut request = vec![0u8; 4096];
			let n = socket.read(&mut request).await.unwrap();
			let request = String::from_utf8_lossy(&request[..n]).to_string();
			let hex_challenge = request.split("challenge=0x").nth(1).unwrap()[..64].to_string();
			let challenge: [u8; 32] = hex::decode(hex_challenge).unwrap().try_into().unwrap();
			let body = answer(&pair, &account, &challenge);
			let head = format!(
				"HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
				body.len()
			);
			socket.write_all(head.as_bytes()).await.unwrap();
			socket.write_all(&body).await.unwrap();
		});
		format!("http://{address}/v1")
	}

	#[tokio::test]
	async fn the_client_checks_a_live_gateway() {
		let (pair, account) = signer();
		let client = HealthClient::new(Duration::from_secs(5)).unwrap();
		let endpoint = gateway(pair.clone(), account.clone(), 200).await;
		assert!(client.check(&endpoint, &account, &[7; 32]).await.is_ok());
		// A gateway that answers an error status fails.
		let endpoint = gateway(pair, account.clone(), 503).await;
		assert!(matches!(
			client.check(&endpoint, &account, &[7; 32]).await,
			Err(HealthError::Unreachable(_))
		));
		// Nobody listening.
		let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
			.await
			.unwrap()
			.local_addr()
			.unwrap();
		let endpoint = format!("http://{closed}/v1");
		assert!(matches!(
			client.check(&endpoint, &account, &[7; 32]).await,
			Err(HealthError::Unreachable(_))
		));
	}
}
