// iNFTs from Solidity through zerog's iNFT precompile, with ethers against a running
// `zerog-node --dev` (node/tests/inft_evm.rs starts it and registers dev key 2 as an oracle).
//
//   ETH_RPC_URL=http://127.0.0.1:8545 node inft.mjs
//
// A contract (AgentVault) mints an agent, authorizes a user and sells the agent to Bob with
// proofs made here: the oracle's and Bob's `personal_sign` signatures over the messages,
// which this script builds itself and checks against the precompile's message views. A
// forged proof, a static-call mint, a replay and a double revoke are refused. Prints one
// `RESULT {json}` line for the Rust test.

import assert from "node:assert/strict";
import { ethers } from "ethers";
import { compile, DEV_KEYS, revertReason } from "./contracts.mjs";

const url = process.env.ETH_RPC_URL ?? "http://127.0.0.1:8545";
const INFT_ADDRESS = "0x0000000000000000000000000000000078570000";

/** SCALE compact encoding of a length. */
function compact(n) {
  if (n < 64) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  throw new Error("lengths here stay below 16384");
}

/** u64 little endian. */
function u64(n) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

/** SCALE-encoded byte vector. */
function vec(bytes) {
  return ethers.concat([compact(ethers.getBytes(bytes).length), bytes]);
}

/** What the oracle signs (pallets/inft README): SCALE of the domain, genesis, token, hashes, keys, nonce. */
function ownershipMessage(genesis, token, oldHash, newHash, sealedKey, receiverKey, nonce) {
  return ethers.concat([
    ethers.toUtf8Bytes("zerog:inft:ownership:v1"), genesis, u64(token), oldHash, newHash,
    vec(sealedKey), vec(receiverKey), u64(nonce),
  ]);
}

/** What the receiver (or its assistant) signs. */
function accessMessage(genesis, token, newHash, receiverKey, nonce) {
  return ethers.concat([
    ethers.toUtf8Bytes("zerog:inft:access:v1"), genesis, u64(token), newHash, vec(receiverKey), u64(nonce),
  ]);
}

/** A wallet's signature of a proof message: personal_sign over keccak256(message). */
function sign(wallet, message) {
  return wallet.signMessage(ethers.getBytes(ethers.keccak256(message)));
}

async function main() {
  const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 250 });
  const [alice, bob, oracle] = DEV_KEYS.map((k) => new ethers.Wallet(k, provider));
  const contracts = compile(["AgentVault.sol"]);
  const inft = new ethers.Contract(INFT_ADDRESS, contracts.IInft.abi, alice);

  // The precompile answers as a contract would.
  assert.notEqual(await provider.getCode(INFT_ADDRESS), "0x", "the precompile has code, so Solidity calls it");
  const genesis = await inft.genesisHash();
  const oracleId = await inft.accountOf(oracle.address);
  assert.equal(oracleId, ethers.concat([oracle.address, "0x" + "ee".repeat(12)]).toLowerCase(), "an address's account");

  // Alice deploys the vault with 10 ZG for deposits.
  const Vault = new ethers.ContractFactory(contracts.AgentVault.abi, contracts.AgentVault.bytecode, alice);
  const vault = await Vault.deploy({ value: ethers.parseEther("10") });
  await vault.waitForDeployment();
  const vaultAddress = await vault.getAddress();

  // The vault mints an agent.
  const dataHash = ethers.keccak256(ethers.toUtf8Bytes("encrypted model weights v1"));
  const mintTx = await vault.mintAgent("model weights", dataHash, ethers.toUtf8Bytes("sealed-to-vault"), "zerog://agent/1");
  const mintReceipt = await mintTx.wait();
  assert.equal(mintReceipt.status, 1, "mint succeeded");
  const token = await vault.lastToken();
  const minted = mintReceipt.logs.filter((l) => l.address === INFT_ADDRESS).map((l) => inft.interface.parseLog(l));
  assert.deepEqual(minted.map((e) => [e.name, ...e.args]), [["Transfer", ethers.ZeroAddress, vaultAddress, token]]);
  assert.equal(await inft.ownerOf(token), vaultAddress, "the vault owns the agent");
  const [item] = await inft.dataOf(token);
  assert.deepEqual([item.description, item.dataHash, ethers.toUtf8String(item.sealedKey)], ["model weights", dataHash, "sealed-to-vault"]);
  assert.equal(await inft.tokenURI(token), "zerog://agent/1");
  assert.equal(await inft.nonceOf(token), 0n);
  console.log(`vault ${vaultAddress} minted token ${token} in block ${mintReceipt.blockNumber}, gas ${mintReceipt.gasUsed}`);

  // It authorizes Alice to use the agent; static calls cannot change state.
  await (await vault.authorize(token, alice.address)).wait();
  assert.equal(await inft.isAuthorized(token, alice.address), true);
  assert.deepEqual([...(await inft.authorizedUsersOf(token))], [alice.address]);
  assert.equal(await vault.mayUse(token, alice.address), true);
  assert.equal(await vault.mayUse(token, bob.address), false);
  assert.equal(await vault.mintInStaticCall(), false, "a mint inside a static call fails");

  // Proofs for selling to Bob: re-encrypted data, the oracle's and Bob's signatures.
  const newHash = ethers.keccak256(ethers.toUtf8Bytes("model weights re-encrypted for bob"));
  const sealedForBob = ethers.toUtf8Bytes("sealed-to-bob");
  const bobKey = ethers.toUtf8Bytes("bob-x25519-public-key");
  const nonce = await inft.nonceOf(token);
  const ownership = ownershipMessage(genesis, token, dataHash, newHash, sealedForBob, bobKey, nonce);
  const access = accessMessage(genesis, token, newHash, bobKey, nonce);
  assert.equal(await inft.ownershipMessage(token, dataHash, newHash, sealedForBob, bobKey, nonce), ethers.hexlify(ownership));
  assert.equal(await inft.accessMessage(token, newHash, bobKey, nonce), ethers.hexlify(access));
  const proof = {
    oracle: oracleId,
    newDataHash: newHash,
    newSealedKey: sealedForBob,
    receiverKey: bobKey,
    ownershipSignature: await sign(oracle, ownership),
    accessSignature: await sign(bob, access),
  };

  // A forged access proof (the oracle signs for Bob) is refused, and nothing moves.
  const forged = { ...proof, accessSignature: await sign(oracle, access) };
  assert.equal(await revertReason(() => vault.sell(token, bob.address, [forged]), "forged"), "inft: BadAccessProof");
  assert.equal(await revertReason(() => vault.sell(token, bob.address, []), "no proofs"), "inft: ProofsRequired");

  // The sale with the real proofs.
  const sellTx = await vault.sell(token, bob.address, [proof]);
  const sellReceipt = await sellTx.wait();
  assert.equal(sellReceipt.status, 1, "sale succeeded");
  const sold = sellReceipt.logs.filter((l) => l.address === INFT_ADDRESS).map((l) => inft.interface.parseLog(l));
  assert.deepEqual(sold.map((e) => e.name), ["Transfer", "PublishedSealedKey"]);
  assert.deepEqual([...sold[0].args], [vaultAddress, bob.address, token]);
  assert.deepEqual([sold[1].args.to, sold[1].args.tokenId], [bob.address, token]);
  assert.deepEqual([...sold[1].args.sealedKeys], [ethers.hexlify(sealedForBob)]);
  const logs = await provider.getLogs({
    address: INFT_ADDRESS,
    topics: [inft.interface.getEvent("PublishedSealedKey").topicHash, ethers.zeroPadValue(bob.address, 32)],
    fromBlock: mintReceipt.blockNumber,
  });
  assert.equal(logs.length, 1, "eth_getLogs finds the published key");
  assert.equal(await inft.ownerOf(token), bob.address, "Bob owns the agent");
  assert.equal(await inft.nonceOf(token), 1n);
  const [bobsItem] = await inft.dataOf(token);
  assert.deepEqual([bobsItem.dataHash, bobsItem.sealedKey], [newHash, ethers.hexlify(sealedForBob)]);
  assert.equal(await inft.isAuthorized(token, alice.address), false, "a sale ends the authorizations");
  console.log(`sold token ${token} to ${bob.address} in block ${sellReceipt.blockNumber}, gas ${sellReceipt.gasUsed}`);

  // The used proofs do not work again, and the vault no longer owns the agent.
  const asBob = inft.connect(bob);
  assert.equal(await revertReason(() => asBob.clone(token, bob.address, [proof]), "replay"), "inft: BadOwnershipProof");
  assert.equal(await revertReason(() => vault.authorize(token, alice.address), "not owner"), "inft: NotOwner");

  // Bob, from his wallet: authorize and revoke; revoking twice is refused.
  await (await asBob.authorizeUsage(token, alice.address)).wait();
  await (await asBob.revokeAuthorization(token, alice.address)).wait();
  assert.equal(await revertReason(() => asBob.revokeAuthorization(token, alice.address), "revoke twice"), "inft: NotAuthorized");

  const result = {
    token: token.toString(),
    vault: vaultAddress,
    bob: bob.address,
    oracle: oracle.address,
    newDataHash: newHash,
    sealedKey: ethers.hexlify(sealedForBob),
    sellBlock: sellReceipt.blockNumber,
    mintGas: mintReceipt.gasUsed.toString(),
    sellGas: sellReceipt.gasUsed.toString(),
  };
  console.log("RESULT " + JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
