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

from tatoeba import doc_raw, read_pairs, run


def score(duibi, lines):
    return [doc_raw(d) for d in run([duibi, "score", "--no-scale-map"], lines)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tatoeba", default="../shared/eval/crosslingual/tatoeba-cmn-en.tsv")
    ap.add_argument("--duibi", default="target/release/duibi")
    a = ap.parse_args()
    zh, en = read_pairs(a.tatoeba)
    rz, re_ = score(a.duibi, zh), score(a.duibi, en)
    for name, sel in (("POS", lambda z, e: z > 0 and e > 0), ("NEG", lambda z, e: z < 0 and e < 0)):
        pairs = [(z, e) for z, e in zip(rz, re_) if sel(z, e)]
        f = sum(e for _, e in pairs) / sum(z for z, _ in pairs)
        print(f"pub const ZH_SCALE_{name}: f32 = {f:.3f};  // {len(pairs)} pairs")


if __name__ == "__main__":
    main()
