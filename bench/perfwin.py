#!/usr/bin/env python3
"""Per-window thread activity of a `perf record` of a duibi run: bench/perfwin.py p.data [window_ms]
Record with: perf record -F 2999 -g -o p.data BIN analyze CORPUS -o x.json --quiet -j 2
Prints, per window, samples per thread id, and the top duibi frames where fewer than two threads are busy."""
import collections
import subprocess
import sys

data = sys.argv[1]; W = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.02
out = subprocess.run(['perf', 'script', '-i', data, '-F', 'tid,time,ip,sym'], capture_output=True, text=True).stdout
samples = []; cur = None
for line in out.splitlines():
    if line and not line.startswith('\t') and line.strip():
        p = line.split(); cur = [int(p[0]), float(p[1].rstrip(':')), []]; samples.append(cur)
    elif line.strip() and cur is not None:
        parts = line.strip().split(None, 1)
        if len(parts) > 1: cur[2].append(parts[1])
t0 = samples[0][1]
b = collections.defaultdict(collections.Counter); syms = collections.defaultdict(collections.Counter)
# A thread counts as busy in a window when it has over a quarter of the samples a fully busy
# thread gives at 2999 Hz.
full = int(W * 2999 * 0.25)
for tid, t, st in samples:
    w = int((t - t0) / W); b[w][tid] += 1
    name = next((s for s in st if s.startswith('duibi::')), st[0] if st else '?')
    syms[w][(tid, name[:100])] += 1
one = 0
for w in sorted(b):
    busy = len([v for v in b[w].values() if v > full])
    if busy < 2: one += 1
    print(int(w * W * 1000), dict(b[w]), syms[w].most_common(3) if busy < 2 else '')
print('windows', len(b), 'with fewer than two busy threads', one)
