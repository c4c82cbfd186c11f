// Data checks on the `full` network, through the real zerog-node CLI. The first argument is
// the step, the rest the nodes it uses; results pass between steps through a state file.
//   submit-blob,NODE            a 4 MiB blob through `da submit`, waited for until Available
//   get-blob,NODE               `da get` from NODE returns the blob byte for byte
//   upload-file,NODE,REPLICAS   an 8 MiB file through `storage upload`, waited for its replicas
//   file-held,NODE...           every NODE (a provider) holds every segment, and the file
//                               downloads from the first one byte for byte
//   kv-put,NODE / kv-get,NODE   a KV write through the KV node, and the value read back
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { url, rpc, cli, state, waitFor, log } = require("./zerog.js");

const sha = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
const STREAM = "zombienet-full";

async function run(_nodeName, networkInfo, args) {
  const [step, ...nodes] = args;
  const saved = state(networkInfo);
  const dir = networkInfo.tmpDir;
  switch (step) {
    case "submit-blob": {
      const file = path.join(dir, "blob.bin");
      const data = crypto.randomBytes(4 << 20);
      fs.writeFileSync(file, data);
      const report = JSON.parse(cli(["da", "submit", file, "--suri", "//Ferdie", "--rpc", url(networkInfo, nodes[0]), "--json"]));
      saved.set("blob", { id: report.id, sha: sha(data) });
      log(`blob ${report.id} available: ${JSON.stringify(report)}`);
      return report.id;
    }
    case "get-blob": {
      const blob = saved.get("blob");
      const out = path.join(dir, `blob-from-${nodes[0]}.bin`);
      const started = Date.now();
      cli(["da", "get", String(blob.id), "-o", out, "--rpc", url(networkInfo, nodes[0])]);
      if (sha(fs.readFileSync(out)) !== blob.sha) throw new Error(`${nodes[0]} served a different blob`);
      log(`${nodes[0]} served blob ${blob.id} byte for byte in ${Date.now() - started} ms`);
      return 1;
    }
    case "upload-file": {
      const [node, replicas] = nodes;
      const file = path.join(dir, "file.bin");
      const data = crypto.randomBytes(8 << 20);
      fs.writeFileSync(file, data);
      const report = JSON.parse(
        cli(["storage", "upload", file, "--suri", "//Eve", "--replicas", replicas, "--duration", "1d",
          "--rpc", url(networkInfo, node), "--json", "--timeout", "300"]),
      );
      saved.set("file", { root: report.root, sha: sha(data) });
      log(`file ${report.root} stored with ${replicas} replicas: ${JSON.stringify(report)}`);
      return Number(replicas);
    }
    case "file-held": {
      const file = saved.get("file");
      for (const n of nodes) {
        await waitFor(`${n} to hold every segment`, 120, async () => {
          const info = await rpc(networkInfo, n, "storage_fileInfo", [file.root]);
          return info.localSegments > 0 && info.localSegments === info.segments && info;
        });
      }
      const out = path.join(dir, `file-from-${nodes[0]}.bin`);
      cli(["storage", "download", file.root, "-o", out, "--rpc", url(networkInfo, nodes[0])]);
      if (sha(fs.readFileSync(out)) !== file.sha) throw new Error(`the file from ${nodes[0]} differs`);
      const info = await rpc(networkInfo, nodes[0], "storage_fileInfo", [file.root]);
      log(`${nodes.join(", ")} hold every segment; ${nodes[0]} serves the file; ${JSON.stringify(info)}`);
      return nodes.length;
    }
    case "kv-put": {
      const value = `written ${new Date().toISOString()}`;
      const report = JSON.parse(
        cli(["kv", "put", STREAM, "greeting", value, "--suri", "//Eve", "--rpc", url(networkInfo, nodes[0]), "--json"]),
      );
      saved.set("kv", { value });
      log(`KV write applied: ${JSON.stringify(report)}`);
      return 1;
    }
    case "kv-get": {
      const { value } = saved.get("kv");
      const found = JSON.parse(cli(["kv", "get", STREAM, "greeting", "--rpc", url(networkInfo, nodes[0])]));
      const got = Buffer.from(found.value.replace(/^0x/, ""), "hex").toString("utf8");
      if (got !== value) throw new Error(`kv get returned ${JSON.stringify(found)}`);
      log(`KV node serves ${JSON.stringify(got)} at version ${found.version}`);
      return 1;
    }
    default:
      throw new Error(`unknown step ${step}`);
  }
}

module.exports = { run };
