#!/usr/bin/env python3
"""A/A and planted-difference checks of `duibi analyze --compare` (issue 18, item 3).

A/A: one group of a corpus is split into two random halves of documents ("a" and "b"), two
samples of the same writing with no true difference, and `duibi analyze --stdin-jsonl
--compare a,b` is run on them. Every claim the report makes is then false: the tool counts
significant distinctive terms, concept rates that differ significantly and concept tones whose
difference is called clear, per split, and summarizes them.

Planted (--planted): the same split, plus a known sentence of three ordinary words appended to
a share (default 1/3) of half a's documents; the tool reports per seed whether each word was
found distinctive for half a and, in the "concept" variant (one word is a form of a shipped
concept), whether that concept's rate was found higher in half a.

--tiny generates a small deterministic synthetic corpus (two groups, English and Chinese, with
Zipf-like word frequencies, per-source topics and tone, per-document bursts) so that CI can run
a fast version.

--recount also runs `duibi analyze --partial` on each split and recounts, over all terms, the
token-level test of the reports up to issue 18 (G², Benjamini-Hochberg, adjusted p < alpha):
the number the capped keyness lists cannot give, and whether planted words pass that test.
It is fixed to that old test (for "before" figures); everything else follows the report.

What counts as significant is read from the report, not recomputed:
  * distinctive terms: the rows of comparison.keyness; a row's boolean `significant` when the
    report has one, else `p_adj` < comparison.options.alpha (a missing p_adj counts as listed =
    significant). If comparison has `terms_significant` (language -> count of all significant
    terms), that count is used; otherwise the listed rows are counted, and a language and
    direction whose list is full (comparison.options.top rows) is marked as capped (the count
    is then a lower bound: the report keeps only the top rows).
  * concept rates: a row's boolean `rate_significant` or `significant`, else `p_adj` < alpha.
  * concept tones: a row's boolean `sentiment_significant`, else the interval
    [sentiment_diff_lo, sentiment_diff_hi] excludes 0 and, when the row has `sentiment_p_adj`,
    that is below alpha.
  * overall sentiment (reported, not part of "any claim"): comparison.sentiment rows whose
    [diff_lo, diff_hi] excludes 0.

Files: bench/null.py (this: options, splits, runs, summary), bench/null_corpus.py (corpus
directories and the --tiny corpus), bench/null_report.py (what a report claims). Standard
library only. Exit status: 0 done, 1 --check targets missed, 2 error (binary missing,
a run failed, bad input). Output is deterministic for given options (any --jobs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from null_corpus import Failure, load_corpus, main_language, tiny_corpus, write_corpus  # noqa: E402
from null_report import count_claims, g2_recount, planted_found  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROG = "null.py"

# Planted sentences per main language: (plain, concept variant). The words are ordinary but
# rare in the benchmark corpus and never together; the concept variant's last word is a form
# of the shipped concept `bank` (data/concepts/default.tsv).
PLANTS = {
    "en": ("Harbor lantern orchard.", "Harbor lantern bank."),
    "zh": ("港湾邮票茶壶。", "港湾邮票银行。"),
}

# Targets of issue 18 (used by --check).
TARGET_TERMS = 1.0
TARGET_RATES = 0.5
TARGET_TONES = 0.5
TARGET_ANY_SHARE = 0.2
TARGET_PLANTED_SHARE = 0.9


# ---- duibi -----------------------------------------------------------------------------


def find_duibi(arg: str | None) -> Path:
    cand = Path(arg) if arg else Path(os.environ.get("DUIBI", ROOT / "target" / "release" / "duibi"))
    if not (cand.is_file() and os.access(cand, os.X_OK)):
        raise Failure(
            f"duibi binary not found or not executable: {cand} "
            "(build it with `cargo build --release` or pass --duibi PATH)"
        )
    return cand


def tokenize_terms(duibi: Path, sentence: str) -> list[tuple[str, str]]:
    """(language, term) of the non-stopword tokens of `sentence`, as duibi sees them."""
    try:
        out = subprocess.run(
            [str(duibi), "tokenize", sentence], capture_output=True, check=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise Failure(f"`duibi tokenize` failed: {getattr(e, 'stderr', '') or e}") from e
    toks = json.loads(out.splitlines()[0])["tokens"]
    return [(t["lang"], t["term"]) for t in toks if not t.get("stop")]


def concept_of(terms: list[tuple[str, str]], glossary: Path) -> str | None:
    """The id of the glossary concept one of `terms` is a one-word form of, if any."""
    if not glossary.is_file():
        return None
    wanted = {t for _, t in terms}
    for line in glossary.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("id\t"):
            continue
        cols = line.split("\t")
        if len(cols) < 6:
            continue
        forms = set(cols[4].split("|")) | {f.lower() for f in cols[5].split("|")}
        if wanted & forms:
            return cols[0]
    return None


def run_duibi(duibi: Path, docs_a, docs_b, args, seed: int, partial: bool = False) -> dict:
    lines = []
    for name, docs in (("a", docs_a), ("b", docs_b)):
        for d in docs:
            rec = {"id": d["id"], "group": name, "text": d["text"]}
            if "source" in d:
                rec["source"] = d["source"]
            lines.append(json.dumps(rec, ensure_ascii=False))
    cmd = [str(duibi), "analyze", "--stdin-jsonl", "--compare", "a,b", "--quiet", "-o", "-"]
    cmd += ["--seed", str(seed), "--evidence", "0"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.bootstrap:
        cmd += ["--bootstrap", str(args.bootstrap)]
    cmd += args.duibi_arg
    if partial:
        cmd.append("--partial")
    try:
        p = subprocess.run(cmd, input=("\n".join(lines) + "\n").encode(), capture_output=True)
    except OSError as e:
        raise Failure(f"cannot run {duibi}: {e}") from e
    if p.returncode != 0:
        tail = "\n".join(p.stderr.decode(errors="replace").splitlines()[-10:])
        raise Failure(f"duibi analyze failed (exit {p.returncode}): {' '.join(cmd)}\n{tail}")
    try:
        report = json.loads(p.stdout)
    except ValueError as e:
        raise Failure(f"duibi analyze wrote no JSON report: {e}") from e
    if not partial and not isinstance(report.get("comparison"), dict):
        raise Failure("the report has no comparison of groups a and b")
    return report


# ---- runs --------------------------------------------------------------------------------


def split(docs: list[dict], group: str, seed: int):
    rng = random.Random(f"duibi-null:{group}:{seed}")
    idx = list(range(len(docs)))
    rng.shuffle(idx)
    h = len(idx) // 2
    return [docs[i] for i in sorted(idx[:h])], [docs[i] for i in sorted(idx[h:])], rng


def plant(docs_a: list[dict], sentence: str, share: float, rng: random.Random):
    n = round(len(docs_a) * share)
    chosen = set(rng.sample(range(len(docs_a)), n))
    # Appended to the document's last paragraph, not as a line of its own: the same line
    # in a third of a group's documents is boilerplate by duibi's rule (README "Repeated
    # text and reprints") and would be set aside before counting, as a footer is.
    out = [dict(d, text=d["text"].rstrip() + " " + sentence + "\n") if i in chosen else d
           for i, d in enumerate(docs_a)]
    return out, n


def make_jobs(groups, args, duibi):
    jobs = []
    for group in args.groups:
        docs = groups[group]
        if len(docs) < 4:
            raise Failure(f"group {group} has {len(docs)} documents; at least 4 are needed")
        variants = [None]
        if args.planted:
            lang = main_language(docs)
            plain, with_concept = PLANTS[lang]
            variants = []
            for v in args.variants:
                sentence = {"plain": args.plant_sentence or plain,
                            "concept": args.plant_concept_sentence or with_concept}[v]
                terms = tokenize_terms(duibi, sentence)
                if len(terms) < 1:
                    raise Failure(f"planted sentence {sentence!r} has no content words")
                concept = concept_of(terms, args.glossary) if v == "concept" else None
                if v == "concept" and concept is None:
                    raise Failure(f"planted sentence {sentence!r} names no concept of {args.glossary}")
                variants.append({"variant": v, "sentence": sentence, "terms": terms, "concept": concept})
        for i in range(args.splits):
            seed = args.seed + i
            for v in variants:
                jobs.append((group, seed, v))
    return jobs


def do_job(job, groups, args, duibi) -> dict:
    group, seed, v = job
    a, b, rng = split(groups[group], group, seed)
    row = {"group": group, "seed": seed, "docs_a": len(a), "docs_b": len(b)}
    skip_t, skip_c = frozenset(), frozenset()
    if v is not None:
        a, n = plant(a, v["sentence"], args.share, rng)
        row.update(variant=v["variant"], sentence=v["sentence"], planted_docs=n,
                   planted_concept=v["concept"])
        skip_t = frozenset(v["terms"])
        skip_c = frozenset([v["concept"]]) if v["concept"] else frozenset()
    report = run_duibi(duibi, a, b, args, seed)
    row.update(count_claims(report, skip_t, skip_c))
    if args.recount:
        partial = run_duibi(duibi, a, b, args, seed, partial=True)
        by_lang, favour_a = g2_recount(partial, report, skip_t)
        row["g2_recount"] = sum(by_lang.values())
        row["g2_recount_by_lang"] = by_lang
        if v is not None:
            row["found_g2_recount"] = {t: (lang, t) in favour_a for lang, t in v["terms"]}
    if v is not None:
        row["found"] = planted_found(report, v["terms"], v["concept"])
    return row


def mark(x) -> str:
    return "?" if x is None else ("yes" if x else "no")


def summarize(rows: list[dict], planted: bool) -> dict:
    def fam(rs):
        n = len(rs)
        return {
            "splits": n,
            "mean_terms": sum(r["terms"] for r in rs) / n,
            "terms_capped_splits": sum(r["terms_capped"] for r in rs),
            "min_terms": min(r["terms"] for r in rs),
            "max_terms": max(r["terms"] for r in rs),
            "mean_rates": sum(r["rates"] for r in rs) / n,
            "mean_tones": sum(r["tones"] for r in rs) / n,
            "share_terms": sum(r["terms"] > 0 for r in rs) / n,
            "share_rates": sum(r["rates"] > 0 for r in rs) / n,
            "share_tones": sum(r["tones"] > 0 for r in rs) / n,
            "share_any": sum(r["any"] for r in rs) / n,
            "sentiment_excluding_0": sum(r["sentiment"] for r in rs),
            "sentiment_tests": sum(r["sentiment_measures"] for r in rs),
            **({"mean_g2_recount": sum(r["g2_recount"] for r in rs) / n,
                "min_g2_recount": min(r["g2_recount"] for r in rs),
                "max_g2_recount": max(r["g2_recount"] for r in rs)} if "g2_recount" in rs[0] else {}),
        }

    keys = sorted({(r["group"], r.get("variant")) for r in rows})
    out = {"all": fam(rows), "by": []}
    for g, v in keys:
        rs = [r for r in rows if r["group"] == g and r.get("variant") == v]
        s = {"group": g, **({"variant": v} if v else {}), **fam(rs)}
        if planted:
            s["all_words_found"] = sum(all(x is True for x in r["found"]["words"].values()) for r in rs)
            s["words_unknown"] = sum(any(x is None for x in r["found"]["words"].values()) for r in rs)
            if "found_g2_recount" in rs[0]:
                s["g2_recount_words_found"] = sum(all(r["found_g2_recount"].values()) for r in rs)
            if rs[0]["found"]["concept"] is not None:
                s["concept_found"] = sum(bool(r["found"]["concept"]) for r in rs)
        out["by"].append(s)
    return out


def print_text(rows, summary, planted, args) -> None:
    head = f"{'group':<10} {'seed':>5} {'a/b docs':>10} "
    if planted:
        head += f"{'variant':<8} {'planted':>7} {'words found (a)':<34} {'concept':<8} "
    head += f"{'terms':>6} {'by language':<28} {'rates':>5} {'tones':>5} {'sent':>4} unit"
    if args.recount:
        head += "  G² recount (all terms)"
    print(head)
    for r in rows:
        line = f"{r['group']:<10} {r['seed']:>5} {str(r['docs_a']) + '/' + str(r['docs_b']):>10} "
        if planted:
            words = " ".join(f"{t}:{mark(x)}" for t, x in r["found"]["words"].items())
            concept = mark(r["found"]["concept"]) if r["planted_concept"] else "-"
            line += f"{r['variant']:<8} {r['planted_docs']:>7} {words:<34} {concept:<8} "
        terms = f"{'>=' if r['terms_capped'] else ''}{r['terms']}"
        langs = " ".join(f"{k}:{v}" for k, v in r["terms_by_lang"].items())
        line += f"{terms:>6} {langs:<28} {r['rates']:>5} {r['tones']:>5} {r['sentiment']:>4} "
        line += str(r["unit"])
        if "g2_recount" in r:
            by = " ".join(f"{k}:{v}" for k, v in r["g2_recount_by_lang"].items())
            line += f"  {r['g2_recount']} ({by})"
            if "found_g2_recount" in r:
                line += " planted " + " ".join(
                    f"{t}:{mark(x)}" for t, x in r["found_g2_recount"].items())
        print(line)
    print()
    label = "other claims" if planted else "claims"
    print(f"summary ({label}; mean per split, share of splits with at least one):")
    for s in summary["by"] + [dict(summary["all"], group="all")]:
        name = s["group"] + (f"/{s['variant']}" if s.get("variant") else "")
        n_cap = s["terms_capped_splits"]
        capped = f" (capped in {n_cap}: lower bound)" if n_cap else ""
        print(f"  {name:<18} splits {s['splits']:>3}  terms {s['mean_terms']:.1f} "
              f"[{s['min_terms']}-{s['max_terms']}]{capped}  rates {s['mean_rates']:.2f}  "
              f"tones {s['mean_tones']:.2f}  any claim {s['share_any']:.0%} "
              f"(terms {s['share_terms']:.0%}, rates {s['share_rates']:.0%}, "
              f"tones {s['share_tones']:.0%})  overall sentiment excluding 0: "
              f"{s['sentiment_excluding_0']}/{s['sentiment_tests']}")
        if "mean_g2_recount" in s:
            print(f"  {'':<18} G² recount over all terms: {s['mean_g2_recount']:.1f} "
                  f"[{s['min_g2_recount']}-{s['max_g2_recount']}]")
        if planted and s["group"] != "all":
            n = s["splits"]
            extra = f"  concept found {s['concept_found']}/{n}" if "concept_found" in s else ""
            unk = f" (unknown in {s['words_unknown']}: list full)" if s["words_unknown"] else ""
            print(f"  {'':<18} planted: all words found {s['all_words_found']}/{n}{unk}{extra}")
            if "g2_recount_words_found" in s:
                print(f"  {'':<18} planted, G² recount over all terms: all words found "
                      f"{s['g2_recount_words_found']}/{n}")


def check(summary, planted: bool) -> list[str]:
    missed = []
    for s in summary["by"]:
        name = s["group"] + (f"/{s['variant']}" if s.get("variant") else "")
        if planted:
            n = s["splits"]
            if s["all_words_found"] < TARGET_PLANTED_SHARE * n:
                missed.append(f"{name}: planted words found in {s['all_words_found']}/{n} seeds")
            if "concept_found" in s and s["concept_found"] < TARGET_PLANTED_SHARE * n:
                missed.append(f"{name}: planted concept found in {s['concept_found']}/{n} seeds")
            continue
        for key, lim in (("mean_terms", TARGET_TERMS), ("mean_rates", TARGET_RATES),
                         ("mean_tones", TARGET_TONES), ("share_any", TARGET_ANY_SHARE)):
            if s[key] > lim:
                missed.append(f"{name}: {key} {s[key]:.2f} > {lim}")
    return missed


def parse_args(argv):
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", type=Path, help="corpus directory with one subdirectory per group "
                     "(and optionally SOURCES.json: file -> source)")
    src.add_argument("--tiny", action="store_true", help="use the generated small synthetic corpus")
    p.add_argument("--write-tiny", type=Path, metavar="DIR",
                   help="with --tiny: also write the generated corpus to DIR")
    p.add_argument("--no-sources", action="store_true",
                   help="ignore SOURCES.json (documents become the resampling unit)")
    p.add_argument("--group", action="append", default=[],
                   help="group to split (repeatable; default: every group)")
    p.add_argument("--splits", type=int, default=10, help="random-half splits per group (10)")
    p.add_argument("--seed", type=int, default=1, help="seed of the first split (1); split i uses seed+i")
    p.add_argument("--duibi", help="duibi binary (default: $DUIBI or target/release/duibi)")
    p.add_argument("--threads", type=int, default=1, help="threads per duibi run (1; 0: duibi's default)")
    p.add_argument("--jobs", type=int, default=1, help="duibi runs at a time (1)")
    p.add_argument("--bootstrap", type=int, help="bootstrap and permutation replicates (duibi's default)")
    p.add_argument("--duibi-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for `duibi analyze` (repeatable, e.g. --duibi-arg=--min-doc-freq=3)")
    p.add_argument("--planted", action="store_true",
                   help="append a known sentence to a share of half a's documents and report whether it is found")
    p.add_argument("--share", type=float, default=1 / 3, help="share of half a's documents planted (1/3)")
    p.add_argument("--variants", default="plain,concept",
                   help="planted variants: plain (three ordinary words), concept (one is a concept form)")
    p.add_argument("--plant-sentence", help="the plain variant's sentence (default by main language)")
    p.add_argument("--plant-concept-sentence", help="the concept variant's sentence")
    p.add_argument("--glossary", type=Path, default=ROOT / "data" / "concepts" / "default.tsv",
                   help="glossary that names the planted concept (data/concepts/default.tsv)")
    p.add_argument("--recount", action="store_true",
                   help="also count the significant terms of the token-level G² test of reports up to "
                   "issue 18 over all terms (from a --partial run), not only the listed top rows")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when the issue-18 targets are missed (A/A: mean terms <= 1, rates and "
                   "tones <= 0.5, any claim in <= 20%% of splits; planted: found in >= 90%% of seeds)")
    args = p.parse_args(argv)
    if args.splits < 1 or args.jobs < 1 or args.threads < 0:
        p.error("--splits and --jobs must be at least 1, --threads at least 0")
    if not 0 < args.share <= 1:
        p.error("--share must be in (0, 1]")
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if not args.variants or any(v not in ("plain", "concept") for v in args.variants):
        p.error("--variants takes plain, concept or plain,concept")
    if args.write_tiny and not args.tiny:
        p.error("--write-tiny needs --tiny")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        duibi = find_duibi(args.duibi)
        if args.tiny:
            groups = tiny_corpus()
            if args.write_tiny:
                write_corpus(groups, args.write_tiny)
        else:
            groups = load_corpus(args.corpus, not args.no_sources)
        unknown = [g for g in args.group if g not in groups]
        if unknown:
            raise Failure(f"no group {', '.join(unknown)} (groups: {', '.join(groups)})")
        args.groups = args.group or list(groups)
        jobs = make_jobs(groups, args, duibi)
        with ThreadPoolExecutor(max_workers=args.jobs) as ex:
            rows = list(ex.map(lambda j: do_job(j, groups, args, duibi), jobs))
    except Failure as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2
    summary = summarize(rows, args.planted)
    missed = check(summary, args.planted) if args.check else []
    if args.json:
        json.dump({"mode": "planted" if args.planted else "aa", "tiny": args.tiny,
                   "corpus": None if args.tiny else str(args.corpus), "splits": rows,
                   "summary": summary, "check_missed": missed if args.check else None},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_text(rows, summary, args.planted, args)
    if missed:
        print(f"{PROG}: targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
