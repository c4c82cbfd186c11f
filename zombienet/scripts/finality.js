// Finality checks over several nodes. The first argument is the check, the rest its
// parameters and the nodes it asks (only those: a paused node is never asked).
//   advance,BLOCKS,NODE...   every node's finalized height rises by BLOCKS from now
//   stall,SECONDS,NODE...    over SECONDS no node finalizes a block, while blocks go on
//   agree,NODE...            the nodes finalize up to the highest best block seen now, and
//                            every finalized block is the same on all of them
//   catchup,NODE,OTHER...    NODE's best and finalized heights reach the others'
//   peers,COUNT,NODE...      every node is connected to at least COUNT peers
// Returns a number for `return is ...` comparisons: blocks finalized, authored or agreed.
const { heights, rpc, sleep, waitFor, log } = require("./zerog.js");

async function run(_nodeName, networkInfo, args) {
  const [check, ...rest] = args;
  switch (check) {
    case "advance": {
      const [blocks, ...nodes] = rest;
      const from = {};
      for (const n of nodes) from[n] = (await heights(networkInfo, n)).finalized;
      await waitFor(`finality to advance ${blocks} blocks on ${nodes}`, 3600, async () => {
        for (const n of nodes) {
          if ((await heights(networkInfo, n)).finalized < from[n] + Number(blocks)) return false;
        }
        return true;
      });
      log(`finality advanced ${blocks} blocks on ${nodes.join(", ")} (from ${JSON.stringify(from)})`);
      return Number(blocks);
    }
    case "stall": {
      const [seconds, ...nodes] = rest;
      // A round that was nearly done when voters went away may still conclude: settle first.
      await sleep(6000);
      const before = {};
      for (const n of nodes) before[n] = await heights(networkInfo, n);
      await sleep(Number(seconds) * 1000);
      let authored = Infinity;
      for (const n of nodes) {
        const now = await heights(networkInfo, n);
        if (now.finalized !== before[n].finalized) {
          throw new Error(`${n} finalized ${before[n].finalized} -> ${now.finalized} without a supermajority`);
        }
        authored = Math.min(authored, now.best - before[n].best);
      }
      log(`finality stalled for ${seconds} s on ${nodes.join(", ")}; at least ${authored} blocks authored meanwhile`);
      return authored;
    }
    case "agree": {
      const nodes = rest;
      // Every block any node has now, including those authored while finality stalled.
      let target = 0;
      for (const n of nodes) target = Math.max(target, (await heights(networkInfo, n)).best);
      await waitFor(`finality to reach ${target} on ${nodes}`, 3600, async () => {
        for (const n of nodes) if ((await heights(networkInfo, n)).finalized < target) return false;
        return true;
      });
      for (let h = 1; h <= target; h++) {
        const hashes = new Set();
        for (const n of nodes) hashes.add(await rpc(networkInfo, n, "chain_getBlockHash", [h]));
        if (hashes.size !== 1) throw new Error(`the nodes disagree on finalized block ${h}: ${[...hashes]}`);
      }
      log(`${nodes.join(", ")} agree on all ${target} finalized blocks`);
      return target;
    }
    case "catchup": {
      const [node, ...others] = rest;
      let best = 0;
      let finalized = 0;
      for (const n of others) {
        const h = await heights(networkInfo, n);
        best = Math.max(best, h.best);
        finalized = Math.max(finalized, h.finalized);
      }
      await waitFor(`${node} to catch up to #${best} (finalized #${finalized})`, 3600, async () => {
        const h = await heights(networkInfo, node);
        return h.best >= best && h.finalized >= finalized;
      });
      log(`${node} caught up to #${best}, finalized #${finalized}`);
      return best;
    }
    case "peers": {
      const [count, ...nodes] = rest;
      await waitFor(`every node to have ${count} peers`, 3600, async () => {
        for (const n of nodes) {
          if ((await rpc(networkInfo, n, "system_health")).peers < Number(count)) return false;
        }
        return true;
      });
      log(`${nodes.join(", ")} each have at least ${count} peers`);
      return Number(count);
    }
    default:
      throw new Error(`unknown check ${check}`);
  }
}

module.exports = { run };
