#!/usr/bin/env python3
"""Estimate Chinese lexicon corrections from parallel Chinese-English text (Tatoeba).

For each Chinese word w, every Tatoeba pair whose Chinese side holds w (not under a
negator) gives one estimate of w's valence: the English side's raw sentiment minus
what the *other* Chinese words of the sentence already contribute,

    target = raw(en) - (raw(zh) - contribution(w)),

i.e. the part of the English sentiment the Chinese lexicon misses or over-counts,
on top of what w itself says. The estimates are averaged with shrinkage towards 0
(`--shrink` pseudo-pairs), so rare words move little. Then:

* an entry of zh-cedict-projected (hand-written zh-core entries are never changed) seen in at least `--min-pairs`
  pairs whose estimate has the opposite sign and at least `--min-abs` magnitude, or
  whose estimate is within `--neutral` of 0 while the entry says |v| >= 1, is
  corrected to the estimate (0: removed; the loader drops 0-valued entries);
* a word without an entry, seen in at least `--min-pairs-new` pairs, whose estimate
  has at least `--min-abs-new` magnitude, is added (only words of 2+ Han characters,
  not stopwords);

and prints the English entries whose Chinese counterparts disagree (the reverse
check; English files are hand-written, so this is a report, not an output).

Raw sums are recovered from `duibi score` output (x = s * sqrt(15) / sqrt(1 - s^2)).
Scores come from `duibi` itself, run with the shipped English lexicons and, on the
Chinese side, with only zh-cedict-projected and zh-core (so the output file never
feeds its own estimate). Deterministic: sorted output, no randomness.

Usage (repository root, after `cargo build --release`):
    python3 tools/lexicon/build_parallel.py \
        [--tatoeba ../shared/eval/crosslingual/tatoeba-cmn-en.tsv] \
        [--duibi target/release/duibi] [--out data/lexicons/zh-parallel.tsv]
The settings were chosen on WMT21 (evaluation only; never read here) and checked on
WMT23; see README "Comparing across languages".
"""
import argparse
import collections
import os
import sys

from tatoeba import doc_raw, read_pairs, run, tokenize

NEGATORS = {"不", "没", "没有", "别", "无", "非", "不是", "未", "不要", "不会", "不能", "并非", "毫无", "绝不", "从不", "从未", "不用", "甭", "莫", "勿"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tatoeba", default="../shared/eval/crosslingual/tatoeba-cmn-en.tsv")
    ap.add_argument("--duibi", default="target/release/duibi")
    ap.add_argument("--lexicons", default="data/lexicons")
    ap.add_argument("--stopwords", default="data/stopwords/zh.txt")
    ap.add_argument("--out", default="data/lexicons/zh-parallel.tsv")
    ap.add_argument("--min-pairs", type=int, default=8)
    ap.add_argument("--min-pairs-new", type=int, default=12)
    ap.add_argument("--shrink", type=float, default=4.0)
    ap.add_argument("--min-abs", type=float, default=0.5)
    ap.add_argument("--min-abs-new", type=float, default=0.9)
    ap.add_argument("--neutral", type=float, default=0.25)
    ap.add_argument("--report", type=int, default=30, help="English disagreements to print")
    a = ap.parse_args()

    zh, en = read_pairs(a.tatoeba)
    stop = set()
    with open(a.stopwords, encoding="utf-8") as f:
        stop = {l.strip() for l in f if l.strip() and not l.startswith("#")}

    base = [a.duibi, "score", "--no-scale-map"]
    zh_only = base + ["--replace-lexicon",
                      "--lexicon", os.path.join(a.lexicons, "zh-cedict-projected.tsv"),
                      "--lexicon", os.path.join(a.lexicons, "zh-core.tsv")]
    en_docs = run(base, en)
    zh_docs = run(zh_only, zh)
    zh_toks = tokenize(a.duibi, zh)
    assert len(en_docs) == len(zh_docs) == len(zh_toks) == len(zh)

    # Current valence of each Chinese entry (the loader's order: projected, then core).
    current, hand = {}, set()
    for name in ("zh-cedict-projected.tsv", "zh-core.tsv"):
        with open(os.path.join(a.lexicons, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                c = line.rstrip("\n").split("\t")
                try:
                    v = float(c[1])
                except (IndexError, ValueError):
                    continue
                if name == "zh-core.tsv":
                    hand.add(c[0])
                if v == 0.0:
                    current.pop(c[0], None)
                else:
                    current[c[0]] = v

    sums = collections.defaultdict(float)
    counts = collections.Counter()
    en_vs_zh = collections.defaultdict(list)
    for ed, zd, tk in zip(en_docs, zh_docs, zh_toks):
        r_en, r_zh = doc_raw(ed), doc_raw(zd)
        hits = {}
        negated = set()
        for s in zd["sentences"]:
            for t in s["terms"]:
                hits[t["term"]] = hits.get(t["term"], 0.0) + t["score"]
                if t["negated"]:
                    negated.add(t["term"])
        terms = [t["term"] for t in tk["tokens"] if t["lang"] == "zh"]
        has_neg = any(t in NEGATORS for t in terms)
        seen = set()
        for w in list(hits) + terms:
            if w in seen or w in negated:
                continue
            seen.add(w)
            if w not in hits and has_neg:
                continue
            c = hits.get(w, 0.0)
            sums[w] += r_en - (r_zh - c)
            counts[w] += 1
        for s in ed["sentences"]:
            for t in s["terms"]:
                if not t["negated"]:
                    en_vs_zh[t["term"]].append(r_zh)

    out = {}
    for w, n in counts.items():
        est = sums[w] / (n + a.shrink)
        cur = current.get(w)
        if w in hand:
            continue  # hand-written entries are decided by knowledge, not estimated
        if cur is not None:
            if n < a.min_pairs:
                continue
            if (est * cur < 0 and abs(est) >= a.min_abs) or (abs(est) < a.neutral and abs(cur) >= 1.0):
                out[w] = 0.0 if abs(est) < a.neutral else round(max(min(est, 4.0), -4.0), 2)
        else:
            if n < a.min_pairs_new or abs(est) < a.min_abs_new or w in stop:
                continue
            if len(w) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in w):
                continue
            if any(ch in w for ch in "不没无非未别"):
                continue
            out[w] = round(max(min(est, 4.0), -4.0), 2)

    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Generated by tools/lexicon/build_parallel.py from Tatoeba zh-en pairs (CC BY 2.0 FR,\n"
                "# https://tatoeba.org; sentence and contributor ids in the Tatoeba export) and the\n"
                "# shipped lexicons' scores (VADER MIT, AFINN Apache-2.0, zh-cedict-projected CC BY-SA 3.0).\n"
                "# Licence: CC BY-SA 3.0 (attribution: Tatoeba contributors; CC-CEDICT, MDBG). Do not edit:\n"
                "# rerun the script. term<TAB>score; 0 removes the entry from the loaded lexicon.\n")
        for w in sorted(out):
            f.write(f"{w}\t{out[w]}\n")
    changed = sum(1 for w in out if w in current)
    print(f"pairs {len(zh)}; corrected/removed {changed}; added {len(out) - changed} -> {a.out}",
          file=sys.stderr)

    # Reverse check: English entries whose pairs' Chinese side scores the other way.
    rep = []
    for t, zs in en_vs_zh.items():
        if len(zs) >= a.min_pairs:
            m = sum(zs) / (len(zs) + a.shrink)
            rep.append((m, len(zs), t))
    rep.sort()
    print("English entries whose Chinese sides are most negative (mean zh raw, pairs):", file=sys.stderr)
    for m, n, t in rep[: a.report]:
        print(f"  {t}\t{m:.2f}\t{n}", file=sys.stderr)


if __name__ == "__main__":
    main()
