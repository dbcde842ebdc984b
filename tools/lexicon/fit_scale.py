#!/usr/bin/env python3
"""Fit the map that puts Chinese sentence scores on the English scale (config.rs
ZH_SCALE_POS / ZH_SCALE_NEG, applied by duibi's sentiment::ScaleMap).

Scores both sides of the Tatoeba zh-en pairs (CC BY 2.0 FR) with `duibi score
--no-scale-map`, recovers each side's raw sum (x = s * sqrt(15) / sqrt(1 - s^2), summed
over the sentences with a lexicon hit) and, per sign, matches the means of the two
languages' raw sums over the pairs where both sides have that sign:

    ZH_SCALE_POS = mean(en raw | both > 0) / mean(zh raw | both > 0)
    ZH_SCALE_NEG = mean(en raw | both < 0) / mean(zh raw | both < 0)

A per-sign linear map through 0 is monotone and keeps every sign. Prints the two
constants; paste them into src/config.rs. Deterministic.

Usage (repository root, after `cargo build --release`):
    python3 tools/lexicon/fit_scale.py [--tatoeba ../shared/eval/crosslingual/tatoeba-cmn-en.tsv]
"""
import argparse
import json
import math
import os
import subprocess
import tempfile


def raw_of(s):
    s = max(min(s, 0.999999), -0.999999)
    return s * math.sqrt(15.0) / math.sqrt(1.0 - s * s)


def score(duibi, lines):
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        name = f.name
    try:
        out = subprocess.run([duibi, "score", "--no-scale-map", "-i", name], check=True,
                             capture_output=True, text=True).stdout
    finally:
        os.unlink(name)
    return [sum(raw_of(s["score"]) for s in json.loads(l)["sentences"] if s["terms"])
            for l in out.splitlines() if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tatoeba", default="../shared/eval/crosslingual/tatoeba-cmn-en.tsv")
    ap.add_argument("--duibi", default="target/release/duibi")
    a = ap.parse_args()
    zh, en = [], []
    with open(a.tatoeba, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        zi, ei = header.index("zh"), header.index("en")
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) > max(zi, ei):
                zh.append(c[zi])
                en.append(c[ei])
    rz, re_ = score(a.duibi, zh), score(a.duibi, en)
    for name, sel in (("POS", lambda z, e: z > 0 and e > 0), ("NEG", lambda z, e: z < 0 and e < 0)):
        pairs = [(z, e) for z, e in zip(rz, re_) if sel(z, e)]
        f = sum(e for _, e in pairs) / sum(z for z, _ in pairs)
        print(f"pub const ZH_SCALE_{name}: f32 = {f:.3f};  // {len(pairs)} pairs")


if __name__ == "__main__":
    main()
