#!/usr/bin/env python3
"""Writes the training corpus of a profile-guided build (bench/pgo.sh): news and reviews
from ../shared/eval (WMT and Tatoeba parallel sentences, the PKU segmentation test text,
the sentiment sets), none of it from the benchmark corpus the build is measured on.
domestic/ holds Chinese documents, overseas/ English ones, a few of each mixed; each
document is 40 consecutive sentences or reviews. Written under target/, never shipped."""
import csv, os, sys

def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pgo_corpus.py SHARED_EVAL OUT_DIR")
    ev, out = sys.argv[1], sys.argv[2]
    zh, en = [], []
    for name in sorted(os.listdir(os.path.join(ev, "crosslingual"))):
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(ev, "crosslingual", name), encoding="utf-8") as f:
            head = f.readline().rstrip("\n").split("\t")
            iz, ie = head.index("zh"), head.index("en")
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > max(iz, ie):
                    zh.append(cols[iz]); en.append(cols[ie])
    pku = os.path.join(ev, "segmentation", "pku_test.utf8")
    if os.path.exists(pku):
        with open(pku, encoding="utf-8") as f:
            zh.extend(l.strip() for l in f if l.strip())
    for name in ("ChnSentiCorp_htl_all.csv", "waimai_10k.csv"):
        p = os.path.join(ev, "sentiment", "zh", name)
        if os.path.exists(p):
            with open(p, encoding="utf-8", newline="") as f:
                zh.extend(r["review"] for r in csv.DictReader(f) if r.get("review"))
    for name in ("tweets", "movieReviewSnippets", "amazonReviewSnippets"):
        p = os.path.join(ev, "sentiment", "en", name + "_GroundTruth.txt")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                en.extend(l.rstrip("\n").split("\t")[-1] for l in f)
    for group, lines, other in (("domestic", zh, en), ("overseas", en, zh)):
        d = os.path.join(out, group)
        os.makedirs(d, exist_ok=True)
        for k in range(0, len(lines), 40):
            body = lines[k:k + 40]
            if (k // 40) % 10 == 0:  # every tenth document quotes the other language
                body = body + other[k:k + 5]
            with open(os.path.join(d, f"{group[0]}{k // 40:05d}.txt"), "w", encoding="utf-8") as f:
                f.write("\n\n".join(body) + "\n")
    print(f"pgo_corpus: {len(zh)} Chinese and {len(en)} English lines in {out}")

main()
