// ERC-20 transfer throughput through zerog's Ethereum JSON-RPC (ethers signs, the node runs).
//
//   ETH_RPC_URL=http://127.0.0.1:8545 COUNT=2000 SENDERS=20 node bench.mjs
//
// Deploys ZeroToken, gives SENDERS fresh accounts gas money and tokens, pre-signs COUNT
// EIP-1559 token transfers spread over them, submits them all and waits until every one
// is in a block. Prints the submission and inclusion rates and one `BENCH {json}` line.
// `scripts/bench-evm.sh` runs it next to the native balance-transfer benchmark.

import assert from "node:assert/strict";
import { ethers } from "ethers";
import { compile, DEV_KEYS } from "./contracts.mjs";

const url = process.env.ETH_RPC_URL ?? "http://127.0.0.1:8545";
const count = Number(process.env.COUNT ?? 2000);
const senderCount = Number(process.env.SENDERS ?? 20);
const concurrency = Number(process.env.CONCURRENCY ?? 32);

/** Runs `task(item)` over `items`, at most `limit` at a time. */
async function pool(items, limit, task) {
  let next = 0;
  const results = new Array(items.length);
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Waits until each sender's confirmed nonce reaches its target. */
async function waitForNonces(provider, targets, timeoutMs) {
  const start = Date.now();
  for (;;) {
    const nonces = await pool(targets, 16, ([address]) => provider.getTransactionCount(address, "latest"));
    if (nonces.every((n, i) => n >= targets[i][1])) return;
    assert.ok(Date.now() - start < timeoutMs, "transactions were not all included in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Latencies (ms) of `n` sequential `eth_blockNumber` calls to `target`. */
async function latencies(target, n) {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] });
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    await r.json();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.ceil(times.length * p) - 1)].toFixed(2);
  return `p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`;
}

async function main() {
  // The front's cost: one call through it, and straight to the inner server as baseline.
  if (process.env.INNER_URL) {
    await latencies(url, 50);
    console.log(`eth_blockNumber x1000 through zerog-eth-rpc's front: ${await latencies(url, 1000)}; ` +
      `inner server directly (baseline): ${await latencies(process.env.INNER_URL, 1000)}`);
  }
  const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 250, batchMaxCount: 1 });
  const network = await provider.getNetwork();
  const alice = new ethers.Wallet(DEV_KEYS[0], provider);
  const { ZeroToken } = compile();
  const token = await new ethers.ContractFactory(ZeroToken.abi, ZeroToken.bytecode, alice).deploy(
    "Bench Token", "BNT", ethers.parseUnits("1000000000", 18),
  );
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();

  // Senders: fresh keys, funded with gas money and tokens by alice.
  const senders = Array.from({ length: senderCount }, (_, i) =>
    new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes(`zerog-evm-bench-${i}`)), provider));
  let nonce = await provider.getTransactionCount(alice.address);
  const fees = await provider.getFeeData();
  const fee = { type: 2, chainId: network.chainId, maxFeePerGas: fees.maxFeePerGas * 2n, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  const transferGas = (await token.transfer.estimateGas(senders[0].address, 1n)) * 2n;
  const valueGas = (await provider.estimateGas({ from: alice.address, to: senders[0].address, value: 1n })) * 2n;
  const setup = [];
  for (const s of senders) {
    setup.push(await alice.signTransaction({ ...fee, to: s.address, value: ethers.parseEther("100"), gasLimit: valueGas, nonce: nonce++ }));
    const data = token.interface.encodeFunctionData("transfer", [s.address, ethers.parseUnits("1000000", 18)]);
    setup.push(await alice.signTransaction({ ...fee, to: tokenAddress, data, gasLimit: transferGas, nonce: nonce++ }));
  }
  for (const raw of setup) await provider.send("eth_sendRawTransaction", [raw]);
  await waitForNonces(provider, [[alice.address, nonce]], 120000);

  // Pre-sign the measured transfers (signing is not timed).
  const perSender = Math.ceil(count / senderCount);
  const raws = [];
  const targets = [];
  for (const [i, s] of senders.entries()) {
    const base = await provider.getTransactionCount(s.address);
    const n = Math.min(perSender, count - i * perSender);
    if (n <= 0) break;
    for (let k = 0; k < n; k++) {
      const data = token.interface.encodeFunctionData("transfer", [senders[(i + 1) % senderCount].address, 1n]);
      raws.push(await s.signTransaction({ ...fee, to: tokenAddress, data, gasLimit: transferGas, nonce: base + k }));
    }
    targets.push([s.address, base + n]);
  }
  const firstBlock = await provider.getBlockNumber();

  const start = performance.now();
  await pool(raws, concurrency, (raw) => provider.send("eth_sendRawTransaction", [raw]));
  const submitted = performance.now();
  await waitForNonces(provider, targets, 600000);
  const included = performance.now();
  const lastBlock = await provider.getBlockNumber();

  let maxPerBlock = 0;
  for (let b = firstBlock + 1; b <= lastBlock; b++) {
    const block = await provider.getBlock(b);
    maxPerBlock = Math.max(maxPerBlock, block.transactions.length);
  }
  const result = {
    count: raws.length,
    senders: targets.length,
    submitSeconds: (submitted - start) / 1000,
    includedSeconds: (included - start) / 1000,
    submitPerSecond: raws.length / ((submitted - start) / 1000),
    includedPerSecond: raws.length / ((included - start) / 1000),
    blocks: lastBlock - firstBlock,
    maxPerBlock,
    gasLimitPerTransfer: transferGas.toString(),
  };
  console.log(
    `ERC-20 transfers: ${result.count} from ${result.senders} senders, submitted in ` +
      `${result.submitSeconds.toFixed(1)} s (${result.submitPerSecond.toFixed(0)}/s), all in blocks after ` +
      `${result.includedSeconds.toFixed(1)} s: ${result.includedPerSecond.toFixed(1)} transfers/s ` +
      `over ${result.blocks} blocks (max ${maxPerBlock} per block)`,
  );
  console.log("BENCH " + JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
