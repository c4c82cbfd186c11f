// Shared by the EVM test and benchmark: the dev keys and the contracts, compiled by solcjs.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import solc from "solc";

/** Hardhat/Anvil development keys 0-2 (public; funded by zerog's dev genesis). */
export const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
];

/** The solc version that compiles the contracts. */
export function solcVersion() {
  return solc.version();
}

/** The iNFT precompile's interface, from its crate (imported as "IInft.sol"). */
export const IINFT_SOURCE = new URL("../../../pallets/inft-precompile/IInft.sol", import.meta.url);

/**
 * Compiles `files` from `contracts/` (and the iNFT interface they may import); returns
 * {ContractName: {abi, bytecode}}.
 */
export function compile(files = ["ZeroToken.sol", "Guard.sol"]) {
  const sources = { "IInft.sol": { content: readFileSync(IINFT_SOURCE, "utf8") } };
  for (const file of files) {
    sources[file] = { content: readFileSync(new URL(`contracts/${file}`, import.meta.url), "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  assert.equal(errors.length, 0, `solc errors: ${JSON.stringify(errors)}`);
  const contracts = {};
  for (const file of Object.values(output.contracts)) {
    for (const [name, c] of Object.entries(file)) {
      contracts[name] = { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
    }
  }
  return contracts;
}

/** Runs `call`, which must revert; returns the revert reason (or custom error name) ethers decoded. */
export async function revertReason(call, what) {
  try {
    await call();
    assert.fail(`${what}: did not revert`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.equal(e.code, "CALL_EXCEPTION", `${what}: ${e}`);
    return e.reason ?? e.revert?.name;
  }
}
