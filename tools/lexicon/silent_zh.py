#!/usr/bin/env python3
"""Why a Chinese translation of an English opinion word stays unscored (issue 15, round 15).

For the pairs of a parallel TSV where the Chinese side is neutral and the English side is
not, takes every English term that carries the English sign, looks up the Chinese words
CC-CEDICT translates it with (any gloss of the word holding the English word), and sorts
the term by what the Chinese sentence holds: no such word (free translation), one as a
jieba token of its own, or one inside a longer token. For the tokens of their own it
names the first filter of `build_zh.py`'s projection that rejects the word (or the file
that overrides it) and prints counts per filter and the words.

Writes nothing: the report goes to standard output (WMT data may not be shipped).

    python3 tools/lexicon/silent_zh.py --data ../shared/eval/crosslingual/wmt21-zh-en.tsv \
        [--shared ../shared/lexicons] [--duibi target/release/duibi] [--words 40]
"""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_zh  # noqa: E402
import tatoeba  # noqa: E402
from attribute import load_sources, polarity  # noqa: E402

ROOT = build_zh.ROOT


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, action="append")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "lexicons"))
    ap.add_argument("--duibi", default=os.path.join(ROOT, "target", "release", "duibi"))
    ap.add_argument("--words", type=int, default=40)
    a = ap.parse_args()
    eng = build_zh.load_english(a.shared)
    poly = build_zh.load_word_set(os.path.join(build_zh.HERE, "en_polysemous.txt"))
    stop = build_zh.load_word_set(os.path.join(ROOT, "data", "stopwords", "zh.txt"))
    cedict = build_zh.load_cedict(a.shared)
    rev = collections.defaultdict(set)
    for simp, (glosses, _p) in cedict.items():
        for g in glosses:
            for w in build_zh.clean_gloss(g):
                rev[w].add(simp)
    src = load_sources()
    kinds = collections.Counter()
    reasons = collections.Counter()
    words = collections.defaultdict(collections.Counter)
    for path in a.data:
        zh, en = tatoeba.read_pairs(path)
        zd = tatoeba.run([a.duibi, "score"], [z.replace("\t", " ") for z in zh])
        ed = tatoeba.run([a.duibi, "score"], [e.replace("\t", " ") for e in en])
        zt = tatoeba.tokenize(a.duibi, [z.replace("\t", " ") for z in zh])
        for i in range(len(zh)):
            pz, pe = polarity(zd[i]["score"]), polarity(ed[i]["score"])
            if pz != 0 or pe == 0:
                continue
            toks = [t["term"] for t in zt[i]["tokens"] if t["lang"] == "zh"]
            for s in ed[i]["sentences"]:
                for t in s["terms"]:
                    if (t["score"] > 0) != (pe > 0) or t["score"] == 0:
                        continue
                    cands = rev.get(t["term"].lower(), set()) | rev.get(t["text"].lower(), set())
                    own = [w for w in toks if w in cands]
                    if own:
                        kinds["own token"] += 1
                        w = own[0]
                        r = build_zh.reject_reason(w, cedict, eng, poly, stop)
                        if r == "projected":
                            r = "projected, overridden by " + src.get(w, "?")
                        elif w in src:
                            r += " (scored in " + src[w] + ")"
                        reasons[r] += 1
                        words[r][f"{w}/{t['term']}"] += 1
                    elif any(c in w for w in toks for c in cands if len(c) >= 2):
                        kinds["inside a longer token"] += 1
                    else:
                        kinds["no translation"] += 1
    tot = sum(kinds.values())
    print(f"English terms carrying the English sign in 'Chinese neutral' pairs: {tot}")
    for k, c in kinds.most_common():
        print(f"  {k:24} {c:5} {c / max(tot, 1):.0%}")
    n = kinds["own token"]
    print(f"\nown tokens by the projection filter that rejects them ({n}):")
    for r, c in reasons.most_common():
        top = ", ".join(f"{w}×{k}" if k > 1 else w for w, k in words[r].most_common(a.words))
        print(f"  {r:40} {c:4} {c / max(n, 1):.0%}  {top}")


if __name__ == "__main__":
    main()
