#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn the exit traces in a Vireo console transcript into Chrome Trace Event JSON.

The monitor's `trace NAME dump` prints a VM's trace between two marker lines
(vmm/trace.c); this finds every such dump in the transcript (the last one of each VM wins),
and writes {"traceEvents": [...]} with one complete ("X") event per exit: its name the exit's
reason, ts and dur in microseconds from the VM's start (TSC ticks at the dump's tsc_hz), pid
the VM, tid the vCPU, args the exit's details. The file loads in Perfetto (ui.perfetto.dev)
and chrome://tracing. docs/DEBUGGING.md shows the whole path.

    tools/trace2json.py console.log trace.json
"""

import argparse
import json
import re
import sys

# Colours and the log's prefix may stand before each line; the dump's words follow them.
BEGIN = re.compile(r"vireo-trace-begin vm=(\d+) name=(\S+) vcpus=(\d+) tsc_hz=(\d+) "
                   r"start=([0-9a-f]+) records=(\d+)")
VCPU = re.compile(r"\bV (\d+) total=(\d+) lost=(\d+)$")
EVENT = re.compile(r"\bE (\d+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) reason=(\S+)((?: \w+=\S+)*)$")
END = re.compile(r"vireo-trace-end vm=(\d+) events=(\d+)")
SGR = re.compile(r"\x1b\[[0-9;]*m")


class DumpError(Exception):
    """The transcript holds a dump that is cut short or does not add up."""


def parse_value(text: str):
    """A detail's value: a number where it is one (hex with 0x), else the word."""
    try:
        return int(text, 0)
    except ValueError:
        return text


def parse_dumps(lines) -> list:
    """Every complete dump in the lines: dicts with the header's fields, vcpus and events."""
    dumps, dump = [], None
    for raw in lines:
        line = SGR.sub("", raw.rstrip("\r\n"))
        m = BEGIN.search(line)
        if m:
            dump = {"vm": int(m[1]), "name": m[2], "vcpus": int(m[3]), "tsc_hz": int(m[4]),
                    "start": int(m[5], 16), "records": int(m[6]), "vcpu_totals": {},
                    "events": []}
            continue
        if dump is None:
            continue
        m = EVENT.search(line)
        if m:
            details = dict(word.split("=", 1) for word in m[6].split())
            dump["events"].append({"vcpu": int(m[1]), "tsc": int(m[2], 16),
                                   "took": int(m[3], 16), "rip": int(m[4], 16),
                                   "reason": m[5].replace("_", " "),
                                   "details": {k: parse_value(v) for k, v in details.items()}})
            continue
        m = VCPU.search(line)
        if m:
            dump["vcpu_totals"][int(m[1])] = {"total": int(m[2]), "lost": int(m[3])}
            continue
        m = END.search(line)
        if m:
            if int(m[1]) != dump["vm"] or int(m[2]) != len(dump["events"]):
                raise DumpError(f"the dump of vm{dump['vm']} says {m[2]} events, the transcript "
                                f"has {len(dump['events'])} of them")
            dumps.append(dump)
            dump = None
    if dump is not None:
        raise DumpError(f"the dump of vm{dump['vm']} {dump['name']} has no end marker")
    return dumps


def chrome_trace(dumps: list) -> dict:
    """The Trace Event document of the last dump of each VM."""
    last = {d["vm"]: d for d in dumps}
    events = []
    for vm, dump in sorted(last.items()):
        per_us = dump["tsc_hz"] / 1e6
        events.append({"name": "process_name", "ph": "M", "pid": vm, "tid": 0,
                       "args": {"name": f"vm{vm} {dump['name']}"}})
        for vcpu in range(dump["vcpus"]):
            events.append({"name": "thread_name", "ph": "M", "pid": vm, "tid": vcpu,
                           "args": {"name": f"vCPU {vcpu}"}})
        for e in dump["events"]:
            args = {"rip": hex(e["rip"]), **e["details"]}
            events.append({"name": e["reason"], "cat": "exit", "ph": "X", "pid": vm,
                           "tid": e["vcpu"], "ts": (e["tsc"] - dump["start"]) / per_us,
                           "dur": e["took"] / per_us, "args": args})
    return {"traceEvents": events, "displayTimeUnit": "ns"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("transcript", help="the console's output ('-': standard input)")
    parser.add_argument("output", help="the JSON file to write ('-': standard output)")
    args = parser.parse_args()
    source = sys.stdin if args.transcript == "-" else open(args.transcript, errors="replace")
    with source:
        try:
            dumps = parse_dumps(source)
        except DumpError as e:
            print(f"trace2json: {e}", file=sys.stderr)
            return 1
    if not dumps:
        print("trace2json: no 'trace NAME dump' in the transcript", file=sys.stderr)
        return 1
    document = chrome_trace(dumps)
    if args.output == "-":
        json.dump(document, sys.stdout)
    else:
        with open(args.output, "w") as out:
            json.dump(document, out)
    exits = sum(1 for e in document["traceEvents"] if e["ph"] == "X")
    print(f"trace2json: {exits} exits of {len({d['vm'] for d in dumps})} VM(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
