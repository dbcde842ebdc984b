"""Shared by fit_scale.py, build_parallel.py, build_regress.py and echo_report.py: the
Tatoeba zh-en pairs, the inputs the scripts share, scoring and tokenizing lines with duibi,
and recovering a sentence's raw valence sum from its score."""
import argparse
import json
import math
import os
import subprocess
import tempfile

# The sentiment normalisation constant (score = x / sqrt(x^2 + ALPHA)).
ALPHA = 15.0


def parser(doc):
    """An argument parser (described by the first line of `doc`) with the inputs the
    Tatoeba scripts share: the pairs, the shared lexicon folder, the binary, the lexicons."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--tatoeba", default="../shared/eval/crosslingual/tatoeba-cmn-en.tsv")
    ap.add_argument("--shared", default="../shared/lexicons")
    ap.add_argument("--duibi", default="target/release/duibi")
    ap.add_argument("--lexicons", default="data/lexicons")
    return ap


def read_pairs(path):
    """The (Chinese, English) columns of a Tatoeba TSV with a `zh` and an `en` header."""
    zh, en = [], []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        zi, ei = header.index("zh"), header.index("en")
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) > max(zi, ei):
                zh.append(c[zi])
                en.append(c[ei])
    return zh, en


def raw_of(s):
    """The raw valence sum behind sentence score `s`."""
    s = max(min(s, 0.999999), -0.999999)
    return s * math.sqrt(ALPHA) / math.sqrt(1.0 - s * s)


def run(cmd, lines):
    """The JSON lines `cmd -i FILE` prints for `lines` (one document a line)."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        name = f.name
    try:
        out = subprocess.run(cmd + ["-i", name], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(name)
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def tokenize(duibi, lines):
    """The JSON record `duibi tokenize` prints for each of `lines`, in order."""
    out = subprocess.run([duibi, "tokenize"], input="\n".join(lines) + "\n", check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def doc_raw(d):
    """The raw sum of a scored document's sentences with a lexicon hit."""
    return sum(raw_of(s["score"]) for s in d["sentences"] if s["terms"])
