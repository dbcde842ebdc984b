#!/usr/bin/env python3
"""Attribute cross-lingual disagreements to lexicon entries and rules (issue 15).

Scores both sides of a parallel TSV (`zh` and `en` columns) with `duibi score`, labels
each pair (agree / opposite signs / one side neutral, ±0.05 band as `duibi eval
crosslingual`) and counts, for every lexicon entry that fires (both languages) and
every rule (negation, degree modifiers, contrast, Chinese character and compound
back-off, English inflection back-off, the scale map), the pairs it fires in by class.

An entry "pushes" a disagreement when its own score has the sign of its side's label
and that label differs from the other side's (a positive 支持 in a pair whose Chinese
side is positive and English side neutral or negative). The table is sorted by pushes
minus agreeing pairs the same-sign entry supports, so the first rows are the entries
worth reading.

Writes nothing into the repository: the report goes to standard output (or --out,
which must lie outside the repository when the data is not shippable, e.g. WMT).

    python3 tools/lexicon/attribute.py --data ../shared/eval/crosslingual/wmt21-zh-en.tsv \
        [--duibi target/release/duibi] [--top 60] [--lang zh|en] [--out /tmp/attr.txt]
"""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tatoeba  # noqa: E402

BAND = 0.05
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LEX = os.path.join(ROOT, "data", "lexicons")

# Load order (later wins), as tools/lexicon/README.md describes.
SOURCES = [
    ("vader", "vader_lexicon.txt"),
    ("en-domain", "en-domain.tsv"),
    ("projected", "zh-cedict-projected.tsv"),
    ("equivalents", "zh-equivalents.tsv"),
    ("zh-core", "zh-core.tsv"),
    ("parallel", "zh-parallel.tsv"),
    ("parallel-fit", "zh-parallel-fit.tsv"),
]


def polarity(s):
    return 1 if s > BAND else (-1 if s < -BAND else 0)


def load_sources():
    """term -> name of the shipped file whose entry is loaded (the last one)."""
    src = {}
    for name, f in SOURCES:
        with open(os.path.join(LEX, f), encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                c = line.rstrip("\n").split("\t")
                if len(c) >= 2:
                    src[c[0].lower()] = name
    with open(os.path.join(LEX, "AFINN-en-165.txt"), encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if c and c[0] and c[0].lower() not in src:
                src[c[0].lower()] = "afinn"
    with open(os.path.join(LEX, "news-senses.tsv"), encoding="utf-8") as fh:
        for line in fh:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 2 and not line.startswith("#") and c[0] == "topic":
                src[c[1].lower()] = "topic"
    return src


def is_han(t):
    return all("\u3400" <= ch <= "\u9fff" for ch in t)


def origin(term, lang, src):
    """The lexicon file or fallback rule a hit comes from."""
    if term in src:
        return src[term]
    if lang == "zh" and is_han(term):
        n = len(term)
        # 4-character tokens may come from either (the compound back-off goes first).
        return "compound-backoff" if n >= 4 else "char-backoff"
    return "en-inflection" if lang == "en" else "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--duibi", default=os.path.join(ROOT, "target", "release", "duibi"))
    ap.add_argument("--top", type=int, default=60)
    ap.add_argument("--lang", choices=["zh", "en"], help="only entries of this language")
    ap.add_argument("--min-pairs", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()
    if a.out and os.path.abspath(a.out).startswith(ROOT + os.sep):
        sys.exit("--out must lie outside the repository")
    zh, en = tatoeba.read_pairs(a.data)
    zd = tatoeba.run([a.duibi, "score"], [z.replace("\t", " ") for z in zh])
    ed = tatoeba.run([a.duibi, "score"], [e.replace("\t", " ") for e in en])
    zs = [d["score"] for d in zd]
    es = [d["score"] for d in ed]
    src = load_sources()
    n = len(zs)
    classes = collections.Counter()
    # entry -> [pairs fired, agree, opposite, one-neutral, pushes, supports]
    ent = collections.defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    rules = collections.defaultdict(lambda: collections.Counter())
    for i in range(n):
        pz, pe = polarity(zs[i]), polarity(es[i])
        cls = "agree" if pz == pe else ("opposite" if pz * pe < 0 else "one-neutral")
        classes[(cls, pz, pe)] += 1
        seen = set()
        for lang, d, mine, other in (("zh", zd[i], pz, pe), ("en", ed[i], pe, pz)):
            fired = set()
            for s in d["sentences"]:
                for t in s["terms"]:
                    key = (lang, t["term"].lower())
                    o = origin(key[1], lang, src)
                    sign = 1 if t["score"] > 0 else (-1 if t["score"] < 0 else 0)
                    push = sign != 0 and sign == mine and mine != other
                    sup = sign != 0 and sign == mine and mine == other
                    e = ent[key + (o,)]
                    if key not in seen:
                        seen.add(key)
                        e[0] += 1
                        e[{"agree": 1, "opposite": 2, "one-neutral": 3}[cls]] += 1
                    e[4] += push
                    e[5] += sup
                    if t["negated"]:
                        fired.add(f"{lang} negation")
                    if t["degree"]:
                        fired.add(f"{lang} degree modifier")
                    if t["contrast_weight"] != 1.0:
                        fired.add(f"{lang} contrast")
                    if o in ("compound-backoff", "char-backoff", "en-inflection", "topic"):
                        fired.add(f"{lang} {o}")
            if lang == "zh" and any(s["terms"] for s in d["sentences"]):
                fired.add("zh scale map (any hit)")
            for r in fired:
                rules[r][cls] += 1
    print(f"pairs {n}")
    for (cls, pz, pe), c in sorted(classes.items(), key=lambda x: -x[1]):
        print(f"  {cls:12} zh {pz:+d} en {pe:+d}  {c:5} {c / n:.1%}")
    print("\nrule                          agree  opposite  one-neutral  disagree-share")
    for r, c in sorted(rules.items()):
        tot = sum(c.values())
        print(f"  {r:28} {c['agree']:6} {c['opposite']:9} {c['one-neutral']:12}  "
              f"{(tot - c['agree']) / max(tot, 1):.2f}")
    rows = [(k, v) for k, v in ent.items() if v[0] >= a.min_pairs and (not a.lang or k[0] == a.lang)]
    rows.sort(key=lambda kv: -(kv[1][4] - kv[1][5]))
    print(f"\nentry (lang term origin)      fired agree opposite one-neutral pushes supports")
    for (lang, term, o), v in rows[: a.top]:
        print(f"  {lang} {term:18} {o:16} {v[0]:5} {v[1]:5} {v[2]:8} {v[3]:11} {v[4]:6} {v[5]:8}")
    out = sys.stdout
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            for (lang, term, o), v in sorted(ent.items(), key=lambda kv: -(kv[1][4] - kv[1][5])):
                f.write("\t".join([lang, term, o] + [str(x) for x in v]) + "\n")
        out.write(f"\nall entries written to {a.out}\n")


if __name__ == "__main__":
    main()
