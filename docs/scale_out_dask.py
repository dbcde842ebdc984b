#!/usr/bin/env python3
"""Scale-out recipe: duibi's map step under Dask distributed, the reduce with `duibi merge`.

    python3 docs/scale_out_dask.py corpora/mining-2021                # corpus directory
    python3 docs/scale_out_dask.py news.jsonl --partitions 16         # JSON lines
    python3 docs/scale_out_dask.py corpora/mining-2021 --scheduler tcp://host:8786

1. The input becomes JSON lines, one document each ({"id", "group", "text", "source",
   "date", "title", "url"}). A .jsonl file is used as it is; a corpus directory is
   converted here (manifest.csv / manifest.jsonl, Markdown front matter, first-level
   subdirectory as group; UTF-8/UTF-16/GB18030/Big5 text, Markdown and HTML reduced to
   text).
2. The lines are shuffled (seeded) and cut at random points into N shard files of
   uneven size: any sharding must give the same report.
3. A Dask cluster (a LocalCluster of 2 single-threaded workers unless --scheduler names
   a running one) reads the shards with dask.bag.read_text, one partition per shard,
   and runs two map steps over them:
   a. the scan: each partition piped through
          duibi scan --stdin-jsonl -o -
      prints the shard's passage keys and near-duplicate sketches as one line of
      JSON; the driver writes all of them to one file, scans.jsonl;
   b. the analysis: each partition piped through
          duibi analyze --stdin-jsonl --partial -o - --scan scans.jsonl
      which sets aside what the merged scan of the whole corpus decides (repeated
      passages, near-duplicates) and prints the shard's partial aggregate.
4. The driver writes the partials to files and runs
       duibi merge part-0000.json … -o merged.json
5. It runs `duibi analyze --stdin-jsonl` once over all lines and compares the two
   reports byte for byte: prints OK, or a diff and exits 1.

Needs dask[distributed] (requirements-ci.txt) and a built duibi (target/release/duibi,
built with cargo when missing; --duibi or $DUIBI to use another binary — on a real
cluster it must exist at that path on every worker).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import html.parser
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Options that change the numbers of the report (given to the map, merge and single run
# alike, so that partial and merge settings agree). Evidence needs the texts again, and
# the reduce step does not have them: it is off throughout.
COMMON_ARGS = ["--evidence", "0"]


# --------------------------------------------------------------------------- input


def decode(raw: bytes) -> str:
    """UTF-8 (± BOM), UTF-16 (BOM), else GB18030 or Big5, whichever reads as text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((enc, raw.decode(enc)))
        except UnicodeDecodeError:
            continue
    if not candidates:
        return raw.decode("utf-8", errors="replace")

    # Simplified text decoded as GB18030 stays inside GB2312; Big5 bytes read as
    # GB18030 land in the GBK extension. Prefer GB18030 only when it looks like GB2312.
    def gb2312_share(s: str) -> float:
        wide = [c for c in s if ord(c) > 0x7F]
        if not wide:
            return 1.0
        ok = 0
        for c in wide:
            try:
                c.encode("gb2312")
                ok += 1
            except UnicodeEncodeError:
                pass
        return ok / len(wide)

    enc, text = candidates[0]
    if enc == "gb18030" and gb2312_share(text) >= 0.95:
        return text
    return dict(candidates).get("big5", text)


class _VisibleText(html.parser.HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "head", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "blockquote", "pre", "header", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(s: str) -> str:
    p = _VisibleText()
    p.feed(s)
    p.close()
    return re.sub(r"\n\s*\n+", "\n\n", "".join(p.parts)).strip()


FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def markdown_text(s: str) -> tuple[str, dict]:
    """Front matter (flat `key: value` lines) and the text of a Markdown document."""
    meta: dict = {}
    m = FRONT.match(s)
    if m:
        for line in m.group(1).splitlines():
            k, sep, v = line.partition(":")
            if sep and k.strip() and not k.startswith((" ", "\t")):
                meta[k.strip().lower()] = v.strip().strip("\"'")
        s = s[m.end():]
    s = re.sub(r"```.*?```", "", s, flags=re.S)            # code blocks
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)              # images
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)          # links keep their text
    s = re.sub(r"<[^>]+>", "", s)                           # inline HTML
    s = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", s, flags=re.M)
    return s.strip(), meta


def read_manifest(root: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if (root / "manifest.csv").exists():
        with open(root / "manifest.csv", newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                out[row["path"]] = {k: v for k, v in row.items() if v and k != "path"}
    if (root / "manifest.jsonl").exists():
        for line in (root / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out[row.pop("path")] = {k: v for k, v in row.items() if v}
    return out


FIELDS = ("group", "source", "date", "title", "url", "lang")


def corpus_to_jsonl(root: Path) -> list[str]:
    """One JSON line per document of a corpus directory, sorted by id."""
    manifest = read_manifest(root)
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel in ("manifest.csv", "manifest.jsonl") or path.name.startswith("."):
            continue
        ext = path.suffix.lower()
        if ext not in (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"):
            continue
        default_group = rel.split("/")[0] if "/" in rel else None
        meta = dict(manifest.get(rel, {}))
        text = decode(path.read_bytes())
        if ext == ".jsonl":
            for i, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                rec.setdefault("id", f"{rel}#L{i}")
                for k in FIELDS:
                    if k in meta:
                        rec.setdefault(k, meta[k])
                if default_group:
                    rec.setdefault("group", default_group)
                lines.append(json.dumps(rec, ensure_ascii=False))
            continue
        if ext in (".md", ".markdown"):
            text, front = markdown_text(text)
            for k, v in front.items():
                meta.setdefault(k, v)
        elif ext in (".html", ".htm"):
            text = html_text(text)
        if default_group:
            meta.setdefault("group", default_group)
        if "group" not in meta or not text.strip():
            print(f"skipped {rel}: no group or no text", file=sys.stderr)
            continue
        rec = {"id": rel, "text": text}
        rec.update({k: meta[k] for k in FIELDS if k in meta})
        lines.append(json.dumps(rec, ensure_ascii=False))
    return lines


# --------------------------------------------------------------------------- duibi


def find_duibi(arg: str | None) -> str:
    exe = arg or os.environ.get("DUIBI")
    if exe:
        return str(Path(exe).resolve()) if os.sep in exe else exe
    exe = ROOT / "target" / "release" / "duibi"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return str(exe)


def pipe_partition(lines, cmd: list[str]):
    """One map step on a Dask worker: one shard of JSON lines piped through `cmd`,
    one line of JSON out."""
    data = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    proc = subprocess.run(cmd, input=data.encode("utf-8"), capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[1:3])} failed ({proc.returncode}):\n"
                           + proc.stderr.decode("utf-8", "replace"))
    out = proc.stdout.decode("utf-8").strip()
    if "\n" in out:
        raise RuntimeError("a map step must print one line of JSON")
    return [out]


def scan_partition(lines, duibi: str):
    """Map step 1: the shard's scan (passage keys, near-duplicate sketches)."""
    return pipe_partition(lines, [duibi, "scan", "--stdin-jsonl", "-o", "-"])


def map_partition(lines, duibi: str, scans: str, extra: list[str]):
    """Map step 2: the shard's partial aggregate, set aside as the merged scan says."""
    return pipe_partition(lines, [duibi, "analyze", "--stdin-jsonl", "--partial", "-o", "-",
                                  "--quiet", "--scan", scans, *extra])


def random_shards(lines: list[str], n: int, seed: int) -> list[list[str]]:
    """Shuffle, then cut at n-1 random points: n non-empty shards of uneven size."""
    rng = random.Random(seed)
    lines = lines[:]
    rng.shuffle(lines)
    n = max(1, min(n, len(lines)))
    cuts = sorted(rng.sample(range(1, len(lines)), n - 1)) if n > 1 else []
    bounds = [0, *cuts, len(lines)]
    return [lines[a:b] for a, b in zip(bounds, bounds[1:])]


def show_diff(a: Path, b: Path) -> None:
    def pretty(p: Path) -> list[str]:
        return json.dumps(json.loads(p.read_text(encoding="utf-8")), indent=1,
                          ensure_ascii=False).splitlines()
    diff = list(difflib.unified_diff(pretty(a), pretty(b), str(a), str(b), lineterm="", n=2))
    print("\n".join(diff[:80]))
    if len(diff) > 80:
        print(f"... {len(diff) - 80} more diff lines")


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", type=Path, help="corpus directory or .jsonl file")
    ap.add_argument("--partitions", type=int, default=4, help="shards (default 4)")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    ap.add_argument("--scheduler", help="address of a running dask scheduler (tcp://host:8786)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the random sharding")
    ap.add_argument("--workdir", type=Path, default=ROOT / "target" / "scale-out")
    ap.add_argument("--duibi", help="duibi binary (default target/release/duibi)")
    ap.epilog = ("Options after -- go to every duibi analyze and merge, e.g. "
                 "-- --bootstrap 500 --compare domestic,overseas")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    args.extra = argv[cut + 1:]

    duibi = find_duibi(args.duibi)
    extra = COMMON_ARGS + args.extra
    work = args.workdir.resolve()
    if work.exists():
        shutil.rmtree(work)
    (work / "shards").mkdir(parents=True)
    (work / "partials").mkdir()

    # 1. JSON lines.
    if args.input.is_dir():
        lines = corpus_to_jsonl(args.input)
    else:
        lines = [l for l in args.input.read_text(encoding="utf-8").splitlines() if l.strip()]
    if not lines:
        print("no documents", file=sys.stderr)
        return 2
    all_jsonl = work / "all.jsonl"
    all_jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # 2. Random shards, one file each (on a cluster: files on shared storage / S3 / HDFS).
    shards = random_shards(lines, args.partitions, args.seed)
    for i, shard in enumerate(shards):
        (work / "shards" / f"shard-{i:04d}.jsonl").write_text(
            "\n".join(shard) + "\n", encoding="utf-8")
    print(f"{len(lines)} documents in {len(shards)} shards of "
          f"{', '.join(str(len(s)) for s in shards)} lines")

    # 3. The map step on Dask: one partition per shard file, read where the task runs.
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        print(f"dask: {len(client.scheduler_info()['workers'])} workers")
        bag = db.read_text(str(work / "shards" / "shard-*.jsonl"), blocksize=None)
        # Pass 1: one scan per shard, all in one file every worker reads (on a cluster:
        # shared storage, like the shards).
        scans = bag.map_partitions(scan_partition, duibi).compute()
        scan_file = work / "scans.jsonl"
        scan_file.write_text("".join(s + "\n" for s in scans), encoding="utf-8")
        # Pass 2: the analysis of every shard with the merged scan.
        partials = bag.map_partitions(map_partition, duibi, str(scan_file), extra).compute()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    t_map = time.perf_counter() - t0
    if len(partials) != len(shards):
        print(f"expected {len(shards)} partials, got {len(partials)}", file=sys.stderr)
        return 1

    # 4. The reduce: duibi merge over the partial files.
    part_files = []
    for i, p in enumerate(partials):
        f = work / "partials" / f"part-{i:04d}.json"
        f.write_text(p + "\n", encoding="utf-8")
        part_files.append(str(f))
    merged = work / "merged.json"
    t0 = time.perf_counter()
    subprocess.run([duibi, "merge", *part_files, "-o", str(merged), "--quiet", *extra],
                   check=True)
    t_merge = time.perf_counter() - t0

    # 5. The single-machine run over all lines at once, and the byte comparison.
    single = work / "single.json"
    with open(all_jsonl, "rb") as f:
        subprocess.run([duibi, "analyze", "--stdin-jsonl", "-o", str(single), "--quiet", *extra],
                       stdin=f, check=True)
    print(f"map (scan + analysis) {t_map:.1f}s (incl. cluster start), merge {t_merge:.2f}s; "
          f"scans {sum(len(s) for s in scans) / 1024:.0f} KiB, "
          f"partials {sum(len(p) for p in partials) / 1024:.0f} KiB, "
          f"report {merged.stat().st_size / 1024:.0f} KiB")
    if merged.read_bytes() == single.read_bytes():
        r = json.loads(merged.read_text(encoding="utf-8"))
        print(f"OK: merged report of {len(shards)} shards == single run "
              f"({r['corpus']['documents']} documents, {merged.stat().st_size} bytes)")
        return 0
    print("DIFFERENT: merged report != single run", file=sys.stderr)
    show_diff(single, merged)
    return 1


if __name__ == "__main__":
    sys.exit(main())
