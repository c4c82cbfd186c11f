// Ethereum-tooling test of zerog: compiles contracts with solc (solcjs) and drives them with
// ethers against a running `zerog-node --dev` through its Ethereum JSON-RPC.
//
//   ETH_RPC_URL=http://127.0.0.1:8545 node erc20.mjs
//
// Prints one `RESULT {json}` line at the end, which the Rust test (node/tests/evm_dev.rs)
// compares with the chain's own RPC. Exits non-zero on the first failed check.

import assert from "node:assert/strict";
import { ethers } from "ethers";
import { compile, DEV_KEYS, revertReason, solcVersion } from "./contracts.mjs";

const url = process.env.ETH_RPC_URL ?? "http://127.0.0.1:8545";
const expectedChainId = BigInt(process.env.ETH_CHAIN_ID ?? "16898");

/**
 * Broadcasts a signed transaction that must be refused; returns the node's JSON-RPC error
 * and the error code ethers derived from it (NONCE_EXPIRED, INSUFFICIENT_FUNDS, ...).
 */
async function refused(provider, raw, what) {
  try {
    const tx = await provider.broadcastTransaction(raw);
    assert.fail(`${what}: accepted as ${tx.hash}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    const error = e.error ?? e.info?.error ?? e.info?.info?.error ?? {};
    assert.equal(typeof error.code, "number", `${what}: not a JSON-RPC error: ${e}`);
    assert.ok(error.message, `${what}: empty error message`);
    console.log(`  ${what}: refused with ${error.code} "${error.message}" (ethers: ${e.code})`);
    return { code: error.code, message: error.message, ethers: e.code };
  }
}

async function main() {
  const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 250 });
  const [alice, bob] = DEV_KEYS.map((k) => new ethers.Wallet(k, provider));
  const contracts = compile();
  console.log(`compiled with solc ${solcVersion()}`);

  // Chain facts.
  const chainId = BigInt(await provider.send("eth_chainId", []));
  assert.equal(chainId, expectedChainId, "eth_chainId");
  assert.equal((await provider.getNetwork()).chainId, expectedChainId, "network chain id");
  const startBlock = await provider.getBlockNumber();
  const aliceStartBalance = await provider.getBalance(alice.address);
  assert.ok(aliceStartBalance > ethers.parseEther("1000"), `dev key 0 is funded: ${aliceStartBalance}`);
  const aliceStartNonce = await provider.getTransactionCount(alice.address);

  // Deploy the ERC-20 with an EIP-1559 transaction.
  const supply = ethers.parseUnits("1000000", 18);
  const Token = new ethers.ContractFactory(contracts.ZeroToken.abi, contracts.ZeroToken.bytecode, alice);
  const token = await Token.deploy("Zero Token", "ZRO", supply, { type: 2 });
  const deployTx = token.deploymentTransaction();
  assert.equal(deployTx.type, 2, "deployment is an EIP-1559 transaction");
  assert.equal(deployTx.chainId, expectedChainId);
  const deployReceipt = await deployTx.wait();
  assert.equal(deployReceipt.status, 1, "deployment succeeded");
  const tokenAddress = await token.getAddress();
  assert.equal(deployReceipt.contractAddress, tokenAddress);
  assert.notEqual(await provider.getCode(tokenAddress), "0x", "contract code is stored");
  assert.equal(await token.symbol(), "ZRO");
  assert.equal(await token.totalSupply(), supply);
  assert.equal(await token.balanceOf(alice.address), supply);
  console.log(`ZeroToken at ${tokenAddress}, block ${deployReceipt.blockNumber}, gas ${deployReceipt.gasUsed}`);

  // Transfer and read balances back.
  const amount = ethers.parseUnits("1234.5", 18);
  const transferTx = await token.transfer(bob.address, amount);
  const transferReceipt = await transferTx.wait();
  assert.equal(transferReceipt.status, 1, "transfer succeeded");
  assert.equal(await token.balanceOf(bob.address), amount);
  assert.equal(await token.balanceOf(alice.address), supply - amount);

  // The Transfer event: in the receipt, and through eth_getLogs.
  const transferTopic = token.interface.getEvent("Transfer").topicHash;
  const receiptLogs = transferReceipt.logs.map((log) => token.interface.parseLog(log));
  assert.equal(receiptLogs.length, 1, "one log in the receipt");
  assert.equal(receiptLogs[0].name, "Transfer");
  assert.deepEqual([...receiptLogs[0].args], [alice.address, bob.address, amount]);
  const logs = await provider.getLogs({
    address: tokenAddress,
    topics: [transferTopic, ethers.zeroPadValue(alice.address, 32), ethers.zeroPadValue(bob.address, 32)],
    fromBlock: deployReceipt.blockNumber,
    toBlock: transferReceipt.blockNumber,
  });
  assert.equal(logs.length, 1, `eth_getLogs finds the transfer: ${JSON.stringify(logs)}`);
  assert.equal(logs[0].transactionHash, transferTx.hash);
  assert.equal(logs[0].blockNumber, transferReceipt.blockNumber);
  assert.equal(BigInt(logs[0].data), amount);
  const allTransfers = await provider.getLogs({ address: tokenAddress, fromBlock: deployReceipt.blockNumber, toBlock: "latest", topics: [transferTopic] });
  assert.equal(allTransfers.length, 2, "mint and transfer");
  const fetchedReceipt = await provider.getTransactionReceipt(transferTx.hash);
  assert.equal(fetchedReceipt.blockHash, transferReceipt.blockHash);
  assert.equal(fetchedReceipt.from, alice.address);
  assert.equal(fetchedReceipt.to, tokenAddress);
  const fetchedTx = await provider.getTransaction(transferTx.hash);
  assert.equal(fetchedTx.nonce, transferTx.nonce);
  console.log(`transfer ${transferTx.hash} in block ${transferReceipt.blockNumber}, gas ${transferReceipt.gasUsed}`);

  // Estimate, then send with exactly that gas limit.
  const estimate = await token.connect(bob).transfer.estimateGas(alice.address, 1000n);
  assert.ok(estimate > 21000n, `estimate ${estimate}`);
  const estimatedTx = await token.connect(bob).transfer(alice.address, 1000n, { gasLimit: estimate });
  const estimatedReceipt = await estimatedTx.wait();
  assert.equal(estimatedReceipt.status, 1, "sent with the estimated gas");
  assert.ok(estimatedReceipt.gasUsed <= estimate, `used ${estimatedReceipt.gasUsed} <= ${estimate}`);
  console.log(`estimateGas ${estimate}, used ${estimatedReceipt.gasUsed}`);

  // Reverts: the reason reaches the client through eth_call and eth_estimateGas.
  const Guard = new ethers.ContractFactory(contracts.Guard.abi, contracts.Guard.bytecode, alice);
  const guard = await Guard.deploy();
  await guard.waitForDeployment();
  assert.equal(await guard.check(42n), 42n);
  assert.equal(await revertReason(() => guard.check(1000n), "eth_call"), "Guard: amount above limit");
  assert.equal(
    await revertReason(() => guard.check.estimateGas(1000n), "eth_estimateGas"),
    "Guard: amount above limit",
  );
  assert.equal(
    await revertReason(() => token.connect(bob).transfer.staticCall(alice.address, supply), "token"),
    "ZeroToken: transfer exceeds balance",
  );
  try {
    await guard.adminOnly();
    assert.fail("adminOnly did not revert");
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.equal(e.revert?.name, "Unauthorized", `custom error decoded: ${e}`);
  }
  console.log("revert reasons reach the client");

  // Bad input: wrong chain id, stale nonce, no funds, no replay protection.
  const feeData = await provider.getFeeData();
  const base = {
    type: 2,
    to: bob.address,
    value: 1n,
    gasLimit: (await provider.estimateGas({ from: alice.address, to: bob.address, value: 1n })) * 2n,
    maxFeePerGas: feeData.maxFeePerGas,
    maxPriorityFeePerGas: feeData.maxPriorityFeePerGas,
  };
  const nonce = await provider.getTransactionCount(alice.address);
  const errors = {};
  errors.chainId = await refused(
    provider,
    await alice.signTransaction({ ...base, chainId: 1n, nonce }),
    "wrong chain id",
  );
  assert.equal(errors.chainId.code, -32000);
  assert.match(errors.chainId.message, /^invalid chain id for signer: have 1 want 16898$/);
  errors.nonce = await refused(
    provider,
    await alice.signTransaction({ ...base, chainId, nonce: nonce - 1 }),
    "stale nonce",
  );
  assert.equal(errors.nonce.ethers, "NONCE_EXPIRED");
  assert.match(errors.nonce.message, /^nonce too low/);
  const pauper = ethers.Wallet.createRandom();
  errors.balance = await refused(
    provider,
    await pauper.signTransaction({ ...base, chainId, nonce: 0 }),
    "no funds",
  );
  assert.equal(errors.balance.ethers, "INSUFFICIENT_FUNDS");
  errors.value = await refused(
    provider,
    await alice.signTransaction({ ...base, chainId, nonce, value: aliceStartBalance * 2n }),
    "value above balance",
  );
  assert.equal(errors.value.ethers, "INSUFFICIENT_FUNDS");
  errors.unprotected = await refused(
    provider,
    await alice.signTransaction({ type: 0, to: bob.address, value: 1n, gasLimit: base.gasLimit, gasPrice: feeData.gasPrice, nonce }),
    "no chain id (pre-EIP-155)",
  );
  assert.match(errors.unprotected.message, /^only replay-protected/);
  assert.equal(await provider.getTransactionCount(alice.address), nonce, "refused transactions used no nonce");

  // The node goes on: a plain value transfer still lands.
  const valueTx = await alice.sendTransaction({ to: bob.address, value: ethers.parseEther("1"), type: 2 });
  const valueReceipt = await valueTx.wait();
  assert.equal(valueReceipt.status, 1);

  const endBlock = await provider.getBlockNumber();
  assert.ok(endBlock > startBlock, `blocks advanced ${startBlock} -> ${endBlock}`);
  const result = {
    chainId: chainId.toString(),
    token: tokenAddress,
    alice: alice.address,
    aliceStartNonce,
    aliceNonce: await provider.getTransactionCount(alice.address),
    aliceBalance: (await provider.getBalance(alice.address)).toString(),
    blockNumber: await provider.getBlockNumber(),
    transferBlock: transferReceipt.blockNumber,
    transferBlockHash: transferReceipt.blockHash,
    errors,
  };
  console.log("RESULT " + JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
