// Helpers shared by the zombienet test scripts: JSON-RPC to a node over HTTP (a zerog node
// serves HTTP and WebSocket on one port), heights, waiting with a deadline, and running the
// zerog-node CLI. Only nodes a step names are asked, so a paused node never stalls a step.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

/** The HTTP URL of a node from zombienet's network info. */
function url(networkInfo, name) {
  const node = networkInfo.nodesByName[name];
  if (!node) throw new Error(`no node named ${name}`);
  return node.wsUri.replace(/^ws:/, "http:");
}

/** Calls `method` on node `name`; throws on an RPC error or after `timeoutMs`. */
async function rpc(networkInfo, name, method, params = [], timeoutMs = 10000) {
  const res = await fetch(url(networkInfo, name), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${name} ${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Best and finalized block numbers of node `name`. */
async function heights(networkInfo, name) {
  const best = await rpc(networkInfo, name, "chain_getHeader");
  const finalizedHash = await rpc(networkInfo, name, "chain_getFinalizedHead");
  const finalized = await rpc(networkInfo, name, "chain_getHeader", [finalizedHash]);
  return { best: parseInt(best.number, 16), finalized: parseInt(finalized.number, 16), finalizedHash };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (async, returns truthy when done) every second until `seconds` pass. */
async function waitFor(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < deadline) {
    try {
      const done = await check();
      if (done) return done;
    } catch (e) {
      last = e;
    }
    await sleep(1000);
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

/** Runs `zerog-node ARGS...`; returns its stdout, throws with its stderr when it fails. */
function cli(args) {
  const bin = process.env.ZEROG_NODE;
  if (!bin) throw new Error("ZEROG_NODE is not set (run through scripts/zombienet.sh)");
  const out = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (out.status !== 0) {
    throw new Error(`zerog-node ${args.join(" ")} failed (${out.status}): ${out.stderr.slice(-2000)}`);
  }
  return out.stdout;
}

/** State one step leaves for a later one (a JSON file in the network's folder). */
function state(networkInfo) {
  const file = path.join(networkInfo.tmpDir, "zerog-test-state.json");
  const read = () => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {});
  return {
    get: (key) => {
      const value = read()[key];
      if (value === undefined) throw new Error(`no ${key} from an earlier step`);
      return value;
    },
    set: (key, value) => fs.writeFileSync(file, JSON.stringify({ ...read(), [key]: value })),
  };
}

/** Logs a line to zombienet's output, prefixed so it stands out. */
function log(line) {
  console.log(`      zerog: ${line}`);
}

module.exports = { url, rpc, heights, sleep, waitFor, cli, state, log };
