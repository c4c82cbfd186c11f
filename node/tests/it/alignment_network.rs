//! Alignment nodes on a network: the testnet preset (Alice, Bob, Charlie and Dave validate,
//! and each is a storage provider of the whole flow, a DA operator and the operator of one
//! licence), with 10-block eras and 5-block reveal windows. Every node runs `--alignment`.
//!
//! Eve registers a compute service whose gateway (a thread of this test) answers health
//! checks. A file (every provider keeps all of it) and a DA blob are stored. Then Dave drops his
//! storage data: he restarts with his store deleted and without `--storage-provider`, while
//! the chain still counts him as a provider. The alignment nodes check each other over the
//! holding-challenge protocols, flag Dave, and the quorum slashes him through
//! pallet-storage. Nobody else is flagged (Eve's service included), and the honest operators
//! earn the era's active share.
//!
//! Eve also attacks (issue 31, finding 3): 40 deals for files that never existed, submitted
//! without an upload. Before acknowledgements, almost every storage check was drawn on one
//! of them and the honest quorum failed honest providers. Now providers are checked only on
//! deals they acknowledged, and the junk deals are voided and refunded less the fee.

use crate::common::{
	tx::{block_hash, events, execute},
	Node,
};
use pallet_alignment::Subject;
use serde_json::{json, Value};
use sp_core::Pair;
use sp_keyring::Sr25519Keyring;
use std::{
	io::{BufRead, BufReader, Write},
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc,
	},
};
use std::{path::Path, time::Duration};
use zerog_alignment_service::compute::{health_message, HealthAnswer};
use zerog_runtime::{AccountId, RuntimeCall, RuntimeEvent, UNIT};

/// Blocks a deal has to be acknowledged in this test's chain.
const JUNK_ACK_WINDOW: u32 = 60;
/// What a voided deal keeps, in this test's chain.
const VOID_FEE: u128 = 1_000_000_000;
/// Deals Eve submits for files that never existed.
const JUNK_DEALS: usize = 40;

/// Eve's junk: `JUNK_DEALS` 1 MiB deals under random roots, in one batch, never uploaded.
fn junk_deals() -> RuntimeCall {
	let calls = (0..JUNK_DEALS as u8)
		.map(|i| {
			let submission = pallet_storage::Submission {
				root: [i; 32],
				size: 1 << 20,
				// 1 MiB is 4,096 sectors: one aligned subtree of height 12.
				subtrees: vec![(12, [i.wrapping_add(100); 32])].try_into().unwrap(),
				tags: Default::default(),
				replicas: 1,
				periods: 1,
			};
			RuntimeCall::FileStorage(pallet_storage::Call::submit { submission })
		})
		.collect();
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
}

/// The testnet chain spec with fast eras.
fn chain_spec(dir: &Path) -> String {
	let (ok, out, err) = Node::run_cli(&["build-spec", "--chain", "testnet"]);
	assert!(ok, "build-spec failed: {err}");
	let mut spec: Value = serde_json::from_str(&out).unwrap();
	let params = &mut spec["genesis"]["runtimeGenesis"]["patch"]["alignment"]["params"];
	params["era_length"] = json!(10);
	params["reveal_window"] = json!(5);
	// Junk deals live for 6 eras before they are voided, with a fee small enough to see the
	// refund.
	let storage = &mut spec["genesis"]["runtimeGenesis"]["patch"]["fileStorage"]["params"];
	storage["ackWindow"] = json!(JUNK_ACK_WINDOW);
	storage["voidFee"] = json!(VOID_FEE);
	let path = dir.join("testnet-fast-eras.json");
	std::fs::write(&path, spec.to_string()).unwrap();
	path.display().to_string()
}

/// A compute gateway on a free loopback port that answers `GET /zerog/health?challenge=0x…`
/// with `signer`'s signature, counting the checks it answered. Returns its endpoint.
fn health_gateway(signer: sp_core::sr25519::Pair, answered: Arc<AtomicU32>) -> String {
	let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
	let endpoint = format!("http://{}", listener.local_addr().unwrap());
	std::thread::spawn(move || {
		for stream in listener.incoming() {
			let Ok(mut stream) = stream else { continue };
			let mut reader = BufReader::new(&stream);
			let mut request = String::new();
			if reader.read_line(&mut request).is_err() {
				continue;
			}
			// Read the headers to the blank line: closing with unread bytes resets the
			// connection, and the checker would see a failed check.
			let mut header = String::new();
			while reader.read_line(&mut header).is_ok_and(|n| n > 0) && !header.trim().is_empty() {
				header.clear();
			}
			let challenge = request
				.split_once("challenge=0x")
				.and_then(|(_, rest)| hex::decode(&rest[..64.min(rest.len())]).ok())
				.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok());
			let Some(challenge) = challenge else { continue };
			let account = AccountId::from(signer.public());
			let signature = sp_runtime::MultiSignature::from(
				signer.sign(&health_message(&challenge, &account)),
			);
			let body = serde_json::to_string(&HealthAnswer::new(&account, &signature)).unwrap();
			let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
			answered.fetch_add(1, Ordering::SeqCst);
		}
	});
	endpoint
}

/// The voids of Eve's junk deals among `events`, each checked: refunded what it paid less
/// the fee, to Eve.
fn count_voids(
	events: &[RuntimeEvent],
	junk: &std::collections::HashMap<u64, u128>,
	eve: &AccountId,
) -> usize {
	events
		.iter()
		.filter_map(|e| match e {
			RuntimeEvent::FileStorage(pallet_storage::Event::DealVoided {
				deal,
				owner,
				refund,
				fee,
			}) => Some((*deal, owner, *refund, *fee)),
			_ => None,
		})
		.inspect(|(deal, owner, refund, fee)| {
			let paid = junk.get(deal).unwrap_or_else(|| panic!("deal {deal} was voided"));
			assert_eq!((*owner, *fee, *refund), (eve, VOID_FEE, paid - VOID_FEE), "deal {deal}");
		})
		.count()
}

fn pending(node: &Node, licence: u32, at: sp_core::H256) -> u128 {
	let licence = node.rpc.call("alignment_licence", json!([licence, at])).unwrap();
	licence["pendingRewards"].as_str().unwrap().parse().unwrap()
}

#[test]
fn alignment_nodes_flag_the_provider_that_dropped_its_data_and_honest_operators_earn() {
	let _load = crate::common::load::network();
	let files = tempfile::tempdir().unwrap();
	let spec = chain_spec(files.path());
	let keys =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
	let mut nodes: Vec<Node> = Vec::new();
	for key in keys {
		let name = format!("{key:?}").to_lowercase();
		let flag = format!("--{name}");
		let boot: Vec<String> = nodes.iter().map(|n| n.multiaddr()).collect();
		let mut args = vec![
			"--chain",
			spec.as_str(),
			"--allow-private-ip",
			flag.as_str(),
			"--storage-provider",
			"--da-operator",
			"--alignment",
			"--pora-cpu",
			"0",
			"-l",
			"alignment=debug",
		];
		if !boot.is_empty() {
			args.push("--bootnodes");
			args.extend(boot.iter().map(String::as_str));
		}
		nodes.push(Node::start(&name, &args, false));
	}
	for node in &nodes {
		node.wait_for("three peers", Duration::from_secs(90), |n| {
			n.rpc.call("system_health", json!([])).unwrap()["peers"].as_u64().unwrap_or(0) >= 3
		});
	}
	let mut dave = nodes.pop().unwrap();
	let alice = &nodes[0];

	// Eve's compute service, with a gateway that answers health checks.
	let answered = Arc::new(AtomicU32::new(0));
	let signer = sp_core::sr25519::Pair::from_seed(&[9; 32]);
	let endpoint = health_gateway(signer.clone(), answered.clone());
	let info = pallet_compute::ServiceInfoOf::<zerog_runtime::Runtime> {
		kind: pallet_compute::ServiceKind::Inference,
		model: b"llama-3.1-8b-instruct".to_vec().try_into().unwrap(),
		endpoint: endpoint.into_bytes().try_into().unwrap(),
		input_price: UNIT / 1_000_000,
		output_price: UNIT / 1_000_000,
		verifiability: pallet_compute::Verifiability::None,
		signer: AccountId::from(signer.public()),
		attestation: None,
	};
	let register = pallet_compute::Call::<zerog_runtime::Runtime>::register_service {
		info,
		bond: 1_000 * UNIT,
	};
	execute(alice, Sr25519Keyring::Eve, RuntimeCall::Compute(register));

	// Eve's attack: deals for data that never existed. What each paid is what a void owes.
	let eve = Sr25519Keyring::Eve.to_account_id();
	let junk: std::collections::HashMap<u64, u128> =
		execute(alice, Sr25519Keyring::Eve, junk_deals())
			.into_iter()
			.filter_map(|event| match event {
				RuntimeEvent::FileStorage(pallet_storage::Event::FileSubmitted {
					deal,
					owner,
					fee,
					..
				}) if owner == eve => Some((deal, fee)),
				_ => None,
			})
			.collect();
	assert_eq!(junk.len(), JUNK_DEALS);
	let junk_at = alice.best_number();

	// A 1 MiB file kept by all four providers, and a DA blob.
	let input = files.path().join("file.bin");
	std::fs::write(&input, zerog_cli::sample::random_blob(1 << 20, 5)).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"storage",
		"upload",
		input.to_str().unwrap(),
		"--replicas",
		"4",
		"--duration",
		"1d",
		"--suri",
		"//Ferdie",
		"--rpc",
		&alice.rpc_url(),
		"--json",
		"--timeout",
		"180",
	]);
	assert!(ok, "storage upload failed: {err}\n{}", crate::common::tail(&alice.log()));
	let upload = serde_json::from_str::<Value>(out.trim()).unwrap();
	let root = upload["root"].as_str().unwrap().to_string();
	let real_deal = upload["fragments"][0]["deal"].as_u64().unwrap();
	let blob = files.path().join("blob.bin");
	std::fs::write(&blob, zerog_cli::sample::random_blob(200_000, 6)).unwrap();
	let (ok, out, err) = Node::run_cli(&[
		"da",
		"submit",
		blob.to_str().unwrap(),
		"--suri",
		"//Ferdie",
		"--rpc",
		&alice.rpc_url(),
		"--json",
	]);
	assert!(ok, "da submit failed: {err}\n{}", crate::common::tail(&alice.log()));
	let blob_id = serde_json::from_str::<Value>(out.trim()).unwrap()["id"].as_u64().unwrap();
	for node in nodes.iter().chain([&dave]) {
		node.wait_for("the whole file", Duration::from_secs(60), |n| {
			let info = n.rpc.call("storage_fileInfo", json!([root])).unwrap();
			info["localSegments"] == info["segments"]
		});
	}
	// Every provider's node acknowledges the file on chain (at a finalized block): from then
	// on each is checked on it, Dave included.
	let dave_account: AccountId = Sr25519Keyring::Dave.to_account_id();
	let mut acked = std::collections::HashSet::new();
	let mut scanned = 0;
	alice.wait_for("four acknowledgements of the file", Duration::from_secs(90), |n| {
		let best = n.best_number();
		for number in scanned + 1..=best {
			for event in events(&n.rpc, block_hash(&n.rpc, number)) {
				if let RuntimeEvent::FileStorage(pallet_storage::Event::DealAcknowledged {
					deal,
					who,
					..
				}) = event
				{
					assert_eq!(deal, real_deal, "{who} acknowledged a deal with no data");
					acked.insert(who);
				}
			}
		}
		scanned = best;
		acked.len() == keys.len()
	});
	// Dave drops his storage data and stops keeping replicas; the chain still counts him.
	{
		dave.stop();
		for chain in std::fs::read_dir(dave.base_path().join("chains")).unwrap() {
			let store = chain.unwrap().path().join("storage");
			if store.exists() {
				std::fs::remove_dir_all(&store).unwrap();
			}
		}
		dave.change_args(&["--storage-provider"], &[]);
		dave.restart();
		// Back means connected and synced: a node still importing the blocks it missed
		// cannot answer for blobs it has not seen yet.
		dave.wait_for("three peers again, and synced", Duration::from_secs(90), |n| {
			let health = n.rpc.call("system_health", json!([])).unwrap();
			health["peers"].as_u64().unwrap_or(0) >= 3
				&& health["isSyncing"] == json!(false)
				&& n.best_number() + 1 >= alice.best_number()
		});
	}
	// DA members are checked on blobs past their repair window (a minute after they became
	// available): until then the DA subjects have nothing to check.
	alice.wait_for("the blob to be challengeable", Duration::from_secs(120), |n| {
		crate::common::da_challengeable(n, blob_id)
	});
	let from = alice.best_number();

	// Watch every block from the start for the era outcomes: no honest node is ever
	// flagged or slashed, in particular in the eras that ran while the junk deals were live
	// (at least two of them finalized), every junk deal is voided with its refund, and
	// Dave's storage is declared faulty.
	let honest: Vec<AccountId> = keys[..3].iter().map(|k| k.to_account_id()).collect();
	let mut voided = 0;
	// Eras that started while the junk was live, and how many of them were finalized.
	let mut junk_eras = std::collections::HashSet::new();
	let mut junk_eras_finalized = 0;
	// Only an era that started after Dave was back counts for his flag: its checks all ran
	// with him reachable, so his DA check must pass and only his storage fail.
	let mut started_after = std::collections::HashSet::new();
	let mut found = None;
	let mut next = 1;
	let waited = std::time::Instant::now();
	alice.wait_for("Dave's storage flagged", Duration::from_secs(420), |n| {
		while next <= n.best_number() {
			let hash = block_hash(&n.rpc, next);
			let events = events(&n.rpc, hash);
			voided += count_voids(&events, &junk, &eve);
			for event in &events {
				match event {
					RuntimeEvent::Alignment(pallet_alignment::Event::EraStarted {
						era, ..
					}) => {
						if next >= from {
							started_after.insert(*era);
						}
						if next > junk_at && next < junk_at + JUNK_ACK_WINDOW {
							junk_eras.insert(*era);
						}
					},
					RuntimeEvent::Alignment(pallet_alignment::Event::EraFinalized {
						era, ..
					}) if junk_eras.contains(era) => junk_eras_finalized += 1,
					RuntimeEvent::Alignment(pallet_alignment::Event::SubjectFaulty {
						era,
						subject,
						..
					}) => {
						assert!(
							!honest.contains(subject.account()) && *subject.account() != eve,
							"an honest node was flagged: {event:?}\n{}",
							crate::common::tail(&n.log())
						);
						if found.is_none()
							&& *subject == Subject::Storage(dave_account.clone())
							&& started_after.contains(era)
						{
							found = Some((next, hash, events.clone()));
						}
					},
					RuntimeEvent::FileStorage(pallet_storage::Event::ProviderSlashed {
						who,
						..
					}) => assert!(!honest.contains(who), "an honest provider was slashed: {event:?}"),
					_ => {},
				}
			}
			next += 1;
		}
		found.is_some() && voided == JUNK_DEALS && junk_eras_finalized >= 2
	});
	let (number, hash, events) = found.unwrap();
	let era = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Alignment(pallet_alignment::Event::EraFinalized { era, .. }) => {
				Some(*era)
			},
			_ => None,
		})
		.expect("the era was finalized in that block");
	eprintln!(
		"Dave flagged in block {number} (era {era}), {:?} after the wait began at block {from}: {events:#?}",
		waited.elapsed()
	);

	// The slash went through pallet-storage in the same block.
	assert!(
        events.iter().any(|e| matches!(
            e,
            RuntimeEvent::FileStorage(pallet_storage::Event::ProviderSlashed { who, slashed }) if *who == dave_account && *slashed > 0
        )),
        "no ProviderSlashed for Dave: {events:#?}"
    );
	let outcome = events
		.iter()
		.find_map(|e| match e {
			RuntimeEvent::Alignment(pallet_alignment::Event::EraFinalized { outcome, .. }) => {
				Some(outcome.clone())
			},
			_ => None,
		})
		.expect("the era was finalized in that block");
	assert!(outcome.reporters >= 3 && outcome.agreeing >= 3, "{outcome:?}");
	assert!(outcome.active_reward > 0, "{outcome:?}");

	// The honest operators' licences earned both shares in that block.
	let parent = block_hash(&alice.rpc, number - 1);
	for (licence, who) in honest.iter().enumerate() {
		let ids = alice.rpc.call("alignment_licencesOf", json!([who.to_string()])).unwrap();
		assert_eq!(ids, json!([licence]));
		let earned = pending(alice, licence as u32, hash) - pending(alice, licence as u32, parent);
		let log = nodes[licence].log();
		let said: Vec<&str> =
			log.lines().filter(|line| line.contains(&format!("era {era}: "))).collect();
		assert_eq!(
			earned,
			outcome.holder_reward + outcome.active_reward,
			"licence {licence}: what its operator said of era {era}:\n{}",
			said.join("\n")
		);
	}

	// Alice's report of that era: every subject had data to check, and only Dave failed, so
	// her checks of the others over the network (storage and DA holding proofs) passed.
	let log = alice.log();
	let line = log
		.lines()
		.find(|line| line.contains(&format!("era {era}: ")) && line.contains("subjects checked"))
		.unwrap_or_else(|| panic!("no report of era {era}:\n{}", crate::common::tail(&log)));
	eprintln!("{line}");
	let counts = &line[line.rfind("era ").unwrap()..];
	let failures: Vec<&str> = log.lines().filter(|l| l.contains(": FAIL")).collect();
	assert!(
		counts.contains(" 1 failed, 0 with nothing to check"),
		"{line}\nfailed checks so far:\n{}",
		failures.join("\n")
	);
	// And Eve's gateway was asked.
	assert!(
		answered.load(Ordering::SeqCst) >= 3,
		"the compute gateway answered {} checks",
		answered.load(Ordering::SeqCst)
	);
}
