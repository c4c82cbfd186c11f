#!/usr/bin/env python3
"""Where a node's time and memory go during a benchmark, read from /proc and Prometheus.

  node_stats.py sample OUT.json NAME=PID=PROMETHEUS_URL ...   one snapshot of every node
  node_stats.py watch OUT.json PID ...                        peak RSS until SIGTERM/SIGINT
  node_stats.py report BEFORE.json AFTER.json PEAK.json       what happened in between

A snapshot holds each node's resident memory, its CPU time (user + system), and the sums and
counts of the Substrate histograms that say where block time goes: block construction by
the proposer, block verification and import, transaction-pool maintenance and validation.
"""
import json
import os
import signal
import sys
import time
import urllib.request

TICKS = os.sysconf("SC_CLK_TCK")
HISTOGRAMS = {
    "substrate_proposer_block_constructed": "blocks built",
    "substrate_block_verification_and_import_time": "blocks imported",
    "substrate_sub_txpool_maintain_duration_seconds": "pool maintenance",
    "substrate_sub_txpool_view_revalidation_duration_seconds": "pool revalidation",
}
COUNTERS = {
    "substrate_sub_txpool_validations_finished": "transactions validated",
    "substrate_proposer_number_of_transactions_sum": "transactions put in built blocks",
}


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat (utime, stime), counted after the command name.
    return (int(fields[11]) + int(fields[12])) / TICKS


def metrics(url):
    values = {}
    if not url:
        return values
    try:
        text = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return values
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        key, value = line.rsplit(" ", 1)
        name = key.split("{")[0]
        for base in HISTOGRAMS:
            if name in (base + "_sum", base + "_count"):
                values[name] = values.get(name, 0.0) + float(value)
        if name in COUNTERS:
            values[name] = values.get(name, 0.0) + float(value)
    return values


def sample(out, specs):
    snapshot = {"time": time.time(), "nodes": {}}
    for spec in specs:
        name, pid, url = (spec.split("=", 2) + [""])[:3]
        snapshot["nodes"][name] = {
            "pid": int(pid),
            "rss_kib": rss_kib(pid),
            "cpu_s": cpu_seconds(pid),
            "metrics": metrics(url),
        }
    with open(out, "w") as f:
        json.dump(snapshot, f)


def watch(out, pids):
    peak = {pid: 0 for pid in pids}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    while not stop:
        for pid in pids:
            try:
                peak[pid] = max(peak[pid], rss_kib(pid))
            except OSError:
                pass
        with open(out, "w") as f:
            json.dump(peak, f)
        time.sleep(0.5)


def report(before_path, after_path, peak_path):
    before = json.load(open(before_path))
    after = json.load(open(after_path))
    peak = json.load(open(peak_path)) if os.path.exists(peak_path) else {}
    span = after["time"] - before["time"]
    print(f"node stats over {span:.1f} s:")
    for name, b in before["nodes"].items():
        a = after["nodes"][name]
        cpu = a["cpu_s"] - b["cpu_s"]
        line = (
            f"  {name}: RSS {b['rss_kib'] / 1024:.0f} MiB idle, {peak.get(str(b['pid']), a['rss_kib']) / 1024:.0f} MiB peak; "
            f"CPU {cpu:.1f} s ({100 * cpu / span:.0f}% of a core)"
        )
        for base, what in HISTOGRAMS.items():
            count = a["metrics"].get(base + "_count", 0) - b["metrics"].get(base + "_count", 0)
            total = a["metrics"].get(base + "_sum", 0) - b["metrics"].get(base + "_sum", 0)
            if count > 0:
                line += f"; {what}: {int(count)} taking {total:.2f} s ({1000 * total / count:.0f} ms each)"
        for key, what in COUNTERS.items():
            delta = a["metrics"].get(key, 0) - b["metrics"].get(key, 0)
            if delta > 0:
                line += f"; {what}: {int(delta)}"
        print(line)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "sample":
        sample(args[0], args[1:])
    elif command == "watch":
        watch(args[0], args[1:])
    elif command == "report":
        report(*args[:3])
    else:
        sys.exit(__doc__)
