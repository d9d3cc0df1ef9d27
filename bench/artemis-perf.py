#!/usr/bin/env python3
"""Reads an `artemis perf producer|consumer --json` report: the mean rate over the measured (not warm-up)
one-second intervals, and the latency percentiles of the summary. Usage: artemis-perf.py REPORT sent|received"""
import json
import sys

samples = json.load(open(sys.argv[1]))
field = sys.argv[2]
intervals = [s for s in samples if s.get("sampleType") == "interval" and not s.get("warmup")]
summary = next((s for s in samples if s.get("sampleType") == "summary"), {})
rates = [s[field] for s in intervals if field in s]
times = summary.get("totalSendTime") or summary.get("totalEndToEnd") or {}
print(json.dumps({
    "perSec": round(sum(rates) / len(rates), 1) if rates else None,
    "intervals": rates,
    "result": summary.get("result"),
    "latencyUs": {k: times[k] for k in ("50", "90", "99", "99.9", "max") if k in times},
}))
