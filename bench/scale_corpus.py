#!/usr/bin/env python3
"""Synthetic bilingual corpus for bench/scale.sh.

Reads the sentences of the benchmark corpus (Chinese and English text files under
domestic/ and overseas/) and writes N short documents as JSON lines: each document is
2-6 sentences drawn with a fixed seed, mostly in one language with an occasional sentence
of the other, assigned to a group by the group of its first sentence, with one of 200
sources per group and a date in 2021. Same arguments -> same bytes.

    scale_corpus.py CORPUS N OUT.jsonl [--seed 7] [--dir OUTDIR --per-file 10000]

With --dir the same records are also written as a directory corpus: OUTDIR/<group>/part-K.jsonl
with --per-file records each (duibi reads .jsonl files in a corpus directory record by record).
"""
import argparse
import json
import os
import random
import re

SPLIT = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+")


def sentences(corpus):
    out = {"domestic": {"zh": [], "en": []}, "overseas": {"zh": [], "en": []}}
    for group in ("domestic", "overseas"):
        folder = os.path.join(corpus, group)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for s in SPLIT.split(text):
                s = " ".join(s.split())
                if len(s) < 8 or len(s) > 400:
                    continue
                han = sum(1 for c in s if "\u4e00" <= c <= "\u9fff")
                out[group]["zh" if han * 3 > len(s) else "en"].append(s)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir")
    ap.add_argument("--per-file", type=int, default=10000)
    a = ap.parse_args()
    pool = sentences(a.corpus)
    rng = random.Random(a.seed)
    files = {}
    counts = {"domestic": 0, "overseas": 0}

    def dir_sink(group):
        k = counts[group] // a.per_file
        key = (group, k)
        if key not in files:
            for (g, old), f in list(files.items()):
                if g == group:
                    f.close()
                    del files[(g, old)]
            os.makedirs(os.path.join(a.dir, group), exist_ok=True)
            files[key] = open(os.path.join(a.dir, group, f"part-{k:04d}.jsonl"), "w", encoding="utf-8")
        counts[group] += 1
        return files[key]

    with open(a.out, "w", encoding="utf-8") as out:
        for i in range(a.n):
            group = "domestic" if rng.random() < 0.5 else "overseas"
            lang = "zh" if rng.random() < (0.7 if group == "domestic" else 0.3) else "en"
            other = "en" if lang == "zh" else "zh"
            parts = []
            for _ in range(rng.randint(2, 6)):
                side = other if rng.random() < 0.1 else lang
                choices = pool[group][side] or pool[group][lang]
                parts.append(rng.choice(choices))
            sep = "" if lang == "zh" else " "
            rec = {
                "id": f"{group}/s{i:07d}",
                "group": group,
                "source": f"{group}-src{rng.randrange(200):03d}",
                "date": f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "text": sep.join(parts),
            }
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            out.write(line)
            if a.dir:
                dir_sink(group).write(line)
    for f in files.values():
        f.close()


if __name__ == "__main__":
    main()
