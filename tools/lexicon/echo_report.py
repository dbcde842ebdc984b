#!/usr/bin/env python3
"""Which lexicon entries the other language does not echo, measured on parallel text (issue 15).

Session 18 (round 18). The largest class of opposite-sign WMT21 pairs is "translated but
scored differently": both sides hold the same meaning word for word, but the two lexicons
value the words differently or one side has no entry. This script measures that class
per entry, in both languages, on the shippable Tatoeba pairs (CC BY 2.0 FR).

For every entry t that fires in a pair (shipped binary, `--no-scale-map`), with s = the
sign of its contribution, it sums over the pairs holding t

    own(t)   = s * raw(its side)        other(t) = s * raw(the other side)

(raw = the sentences' valence sums behind their scores) and reports the echo
E(t) = other(t) / own(t), divided by the median echo of the language's entries seen in at
least `--min-pairs` pairs (a sentence and its translation never agree fully, so every entry
is attenuated alike; the median removes that). E near 1: the other language hears what
the entry says; near 0 or below: it hears nothing or the opposite. For each entry it also
names the other side's best-aligned token (Dice over the pairs holding t) and whether that
token is scored, and, for Chinese entries, whether CC-CEDICT backs the valence (one of the
first three glosses holds an English word of the same sign: build_regress.py's check).

`--out FILE` writes a candidate overlay for `duibi eval ... --lexicon FILE`: each entry
seen in >= `--min-pairs` pairs with echo < `--cut`, not listed in news-senses.tsv and (for
Chinese) not backed by CC-CEDICT, gets its valence times its echo (0 below `--zero`).
`--check FILE` (a parallel TSV, e.g. WMT21; read for this report only, never for values)
prints how far the echo measured on Tatoeba predicts the echo on that file.

Findings (session 18; WMT read for this report and for choosing, never for values): no
overlay improved WMT21 under the `duibi eval sentiment` floors, and the echo does not
carry over to news: Pearson r 0.16 between an entry's Tatoeba echo and its WMT21 echo
(205 entries seen in >= 5 pairs of each; 0.49 on the general-domain WMT23, 286 entries),
and the entries Tatoeba sees in >= 10 pairs make 27% of the WMT21 opposite-pair pushes.
So no lexicon file is generated from this script; it is a measurement, and `--out`
belongs outside the repository.

Usage (repository root, after `cargo build --release`):
    python3 tools/lexicon/echo_report.py \
        [--tatoeba ../shared/eval/crosslingual/tatoeba-cmn-en.tsv] [--shared ../shared/lexicons] \
        [--report 60] [--out /tmp/overlay.tsv] \
        [--check ../shared/eval/crosslingual/wmt21-zh-en.tsv --check ../shared/eval/crosslingual/wmt21-en-zh.tsv]
"""
import collections
import math
import os
import statistics
import sys

from build_regress import agrees, cedict_entries, column
from build_zh import load_english
from tatoeba import parser, raw_of, read_pairs, run, tokenize


def hits_of(doc):
    """(raw sum of the sentences with a hit, {term: (valence, sign of its summed contribution)})."""
    raw, score, val = 0.0, collections.defaultdict(float), {}
    for s in doc["sentences"]:
        if not s["terms"]:
            continue
        raw += raw_of(s["score"])
        for t in s["terms"]:
            if t["valence"]:
                score[t["term"]] += t["score"]
                val.setdefault(t["term"], t["valence"])
    return raw, {t: (val[t], 1 if score[t] > 0 else -1) for t in score}


def echoes(zh_docs, en_docs, min_pairs):
    """Per (lang, term): [pairs, own, other, valence] and the median echo per language."""
    acc = {}
    for zd, ed in zip(zh_docs, en_docs):
        rz, hz = hits_of(zd)
        re_, he = hits_of(ed)
        for lang, mine, r_me, r_other in (("zh", hz, rz, re_), ("en", he, re_, rz)):
            for t, (v, s) in mine.items():
                a = acc.setdefault((lang, t), [0, 0.0, 0.0, v])
                a[0] += 1
                a[1] += s * r_me
                a[2] += s * r_other
    echo = {k: a[2] / a[1] for k, a in acc.items() if a[1] > 0}
    med = {}
    for lang in ("zh", "en"):
        seen = [e for k, e in echo.items() if k[0] == lang and acc[k][0] >= min_pairs]
        med[lang] = statistics.median(seen) if seen else 1.0
    return acc, {k: e / med[k[0]] for k, e in echo.items()}, med


def score_pairs(duibi, paths):
    """Both sides of one or more parallel TSVs scored with the shipped lexicons."""
    zh, en = [], []
    for path in paths:
        z, e = read_pairs(path)
        zh += z
        en += e
    cmd = [duibi, "score", "--no-scale-map"]
    return zh, en, run(cmd, zh), run(cmd, en)


def aligned(t, lang, pairs_with, occ, df):
    """The other side's token with the highest Dice coefficient with entry t, and that Dice."""
    other = "en" if lang == "zh" else "zh"
    co = collections.Counter()
    for i in pairs_with:
        co.update(occ[other][i])

    def dice(u):
        return 2 * co[u] / (len(pairs_with) + df[other][u])

    best = max(co, key=lambda u: (dice(u), u), default=None)
    return (best, dice(best)) if best is not None else ("", 0.0)


def polarity(score):
    """-1, 0 or 1 with the +-0.05 neutral band of `duibi eval crosslingual`."""
    return 1 if score > 0.05 else -1 if score < -0.05 else 0


def pearson(x, y):
    """Pearson correlation of two equally long lists."""
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    return sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))


def main():
    ap = parser(__doc__)
    ap.add_argument("--min-pairs", type=int, default=10)
    ap.add_argument("--cut", type=float, default=0.4)
    ap.add_argument("--zero", type=float, default=0.25)
    ap.add_argument("--report", type=int, default=60)
    ap.add_argument("--out", help="candidate overlay (term, value, lang) for --lexicon")
    ap.add_argument("--check", action="append",
                    help="a parallel TSV to test the transfer of the echo on (may repeat)")
    a = ap.parse_args()

    zh, en, zh_docs, en_docs = score_pairs(a.duibi, [a.tatoeba])
    acc, echo, med = echoes(zh_docs, en_docs, a.min_pairs)
    occ = {"zh": [], "en": []}
    for lang, lines in (("zh", zh), ("en", en)):
        for r in tokenize(a.duibi, lines):
            occ[lang].append({t["term"] for t in r["tokens"] if t["lang"] == lang and not t["stop"]})
    df = {lang: collections.Counter(w for o in occ[lang] for w in o) for lang in occ}
    fired = collections.defaultdict(list)
    for i, (zd, ed) in enumerate(zip(zh_docs, en_docs)):
        for lang, d in (("zh", zd), ("en", ed)):
            for t in hits_of(d)[1]:
                fired[(lang, t)].append(i)
    scored = {"zh": {k[1] for k in acc if k[0] == "zh"}, "en": {k[1] for k in acc if k[0] == "en"}}
    senses = column(os.path.join(a.lexicons, "news-senses.tsv"), 1)
    cedict, eng = cedict_entries(a.shared), load_english(a.shared)

    rows = sorted((e, k) for k, e in echo.items() if acc[k][0] >= a.min_pairs)
    print(f"pairs {len(zh)}; entries seen in >= {a.min_pairs} pairs: zh"
          f" {sum(1 for _, k in rows if k[0] == 'zh')}, en {sum(1 for _, k in rows if k[0] == 'en')};"
          f" median echo zh {med['zh']:.3f}, en {med['en']:.3f}", file=sys.stderr)
    print("lang\tterm\tvalence\tpairs\techo\taligned\tdice\taligned scored\tCC-CEDICT backs", file=sys.stderr)
    overlay, shown = [], 0
    for e, (lang, t) in rows:
        v = acc[(lang, t)][3]
        tok, dice = aligned(t, lang, fired[(lang, t)], occ, df)
        other = "en" if lang == "zh" else "zh"
        backed = agrees(t, v, cedict, eng) if lang == "zh" else None
        if e < a.cut and t not in senses and not backed:
            new = 0.0 if e < a.zero else round(v * e, 1)
            overlay.append(f"{t}\t{new:g}\t{lang}\n")
        if e < a.cut and shown < a.report:
            shown += 1
            print(f"{lang}\t{t}\t{v:+.2f}\t{acc[(lang, t)][0]}\t{e:+.2f}\t{tok}\t{dice:.2f}"
                  f"\t{tok in scored[other]}\t{'' if backed is None else backed}", file=sys.stderr)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.writelines(overlay)
        print(f"{len(overlay)} candidate corrections -> {a.out}", file=sys.stderr)

    if a.check:
        _, _, czh, cen = score_pairs(a.duibi, a.check)
        cacc, cecho, _ = echoes(czh, cen, a.min_pairs)
        # Pushes: an entry whose contribution has its side's sign in an opposite-sign pair.
        push = collections.Counter()
        for zd, ed in zip(czh, cen):
            pz, pe = polarity(zd["score"]), polarity(ed["score"])
            if pz * pe < 0:
                for lang, d, p in (("zh", zd, pz), ("en", ed, pe)):
                    push.update((lang, t) for t, (_, s) in hits_of(d)[1].items() if s == p)
        total = sum(push.values())
        opposite = sum(1 for z, e in zip(czh, cen) if polarity(z["score"]) * polarity(e["score"]) < 0)
        for n in (5, 10):
            reach = sum(c for k, c in push.items() if k in acc and acc[k][0] >= n)
            print(f"opposite-sign pairs of the check file: {opposite};"
                  f" pushes {total}, by entries seen in >= {n} Tatoeba pairs: {reach}"
                  f" ({100 * reach / max(total, 1):.0f}%)", file=sys.stderr)
        for n in (5, 10):
            ks = [k for k in echo if k in cecho and acc[k][0] >= n and cacc[k][0] >= n]
            if len(ks) < 3:
                continue
            clip = lambda x: max(min(x, 2.0), -1.0)
            r = pearson([clip(echo[k]) for k in ks], [clip(cecho[k]) for k in ks])
            low = [k for k in ks if echo[k] < a.cut]
            both = [k for k in low if cecho[k] < a.cut]
            names = " + ".join(os.path.basename(c) for c in a.check)
            print(f"transfer to {names}: entries seen in >= {n} pairs of both:"
                  f" {len(ks)}; Pearson r of the two echoes (clipped to [-1, 2]) {r:.3f};"
                  f" echo < {a.cut} on Tatoeba: {len(low)}, of which also on the check file:"
                  f" {len(both)}", file=sys.stderr)


if __name__ == "__main__":
    main()
