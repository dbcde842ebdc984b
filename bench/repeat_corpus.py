#!/usr/bin/env python3
"""repeat_corpus.py SRC DST N: DST/{group}/cK-{file} for K in 1..N, hard links to SRC's
files (copies when linking fails, e.g. across file systems)."""
import os, shutil, sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for group in ("domestic", "overseas"):
    os.makedirs(os.path.join(dst, group), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(src, group))):
        f = os.path.join(src, group, name)
        for k in range(1, n + 1):
            d = os.path.join(dst, group, f"c{k}-{name}")
            try:
                os.link(f, d)
            except OSError:
                shutil.copyfile(f, d)
