#!/usr/bin/env python3
"""summarize.py TIMES.tsv CORPUS_BYTES: the table of bench/compare.sh.

TIMES.tsv rows: label, round, seconds, peak RSS (kB). Ratios are computed per round
(runs of one round are adjacent in time) and reported as median (min–max)."""
import statistics, sys
from collections import defaultdict

path, nbytes = sys.argv[1], int(sys.argv[2])
runs = defaultdict(dict)  # label -> round -> (s, kB)
for line in open(path):
    label, rnd, s, kb = line.split("\t")
    runs[label][int(rnd)] = (float(s), int(kb))

def spread(xs, fmt="{:.2f}"):
    if not xs:
        return "n/a"
    m = statistics.median(xs)
    if len(xs) == 1:
        return fmt.format(m) + " (1 run)"
    return f"{fmt.format(m)} ({fmt.format(min(xs))}–{fmt.format(max(xs))}, {len(xs)} runs)"

mb = nbytes / 1e6
print()
print(f"corpus: {mb:.1f} MB")
print(f"{'run':<22} {'MB/s':>28} {'peak RSS MB':>24}")
names = {
    "duibi_1t": "duibi, 1 thread", "duibi_2t": "duibi, 2 threads",
    "rl_1t": "rust-limit, 1 thread", "rl_2t": "rust-limit, 2 threads",
    "py_1p": "Python, 1 process", "py_2p": "Python, 2 processes",
    "duibi_4x_2t": "duibi 4× corpus, 2 thr",
}
for label, name in names.items():
    if label not in runs:
        continue
    r = runs[label]
    scale = 4 if label == "duibi_4x_2t" else 1
    speeds = [mb * scale / s for s, _ in r.values()]
    rss = [kb / 1024 for _, kb in r.values()]
    print(f"{name:<22} {spread(speeds):>28} {spread(rss, '{:.0f}'):>24}")

def ratio(num, den, invert=True):
    """Speed ratio num/den per round = time(den)/time(num)."""
    a, b = runs.get(num, {}), runs.get(den, {})
    out = []
    for k in sorted(set(a) & set(b)):
        out.append(b[k][0] / a[k][0] if invert else a[k][0] / b[k][0])
    return out

print()
print("ratios (speed; median, min–max over rounds)")
targets = [
    ("duibi 1t / rust-limit 1t", ratio("duibi_1t", "rl_1t"), "≥ 0.80"),
    ("duibi 2t / duibi 1t", ratio("duibi_2t", "duibi_1t"), "≥ 1.8"),
    ("duibi 2t / rust-limit 2t", ratio("duibi_2t", "rl_2t"), ""),
]
py = [runs["py_1p"][k][0] / runs["duibi_1t_py"][k][0]
      for k in sorted(set(runs.get("py_1p", {})) & set(runs.get("duibi_1t_py", {})))]
targets.append(("duibi 1t / Python 1p", py, "≥ 25"))
for name, xs, tgt in targets:
    print(f"  {name:<26} {spread(xs):>30}   target {tgt}" if tgt else f"  {name:<26} {spread(xs):>30}")

if "startup" in runs:
    st = [s * 1000 for s, _ in runs["startup"].values()]
    print(f"  start-up (2-file corpus)   {spread(st, '{:.0f}')} ms   target ≤ 150 ms")
one = [kb / 1024 for _, kb in runs.get("duibi_2t", {}).values()]
if one:
    print(f"  peak RSS, corpus           {max(one):.0f} MB (max over runs)   target ≤ 150 MB")
if "duibi_4x_2t" in runs and one:
    four = max(kb / 1024 for _, kb in runs["duibi_4x_2t"].values())
    print(f"  peak RSS, corpus ×4        {four:.0f} MB = {four / max(one):.2f} × the corpus   target ≤ 1.2 ×")
