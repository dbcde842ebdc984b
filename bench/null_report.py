"""Reading a duibi report for bench/null.py: which claims it makes (significant distinctive
terms, concept rates, concept tones, overall sentiment), whether a planted sentence was found,
and a recount of the token-level G² test of reports up to issue 18 over all terms of a partial
aggregate. The significance rules are described in bench/null.py's module doc."""

from __future__ import annotations

import math

# ---- reading a report --------------------------------------------------------------------


def _below(v, alpha: float) -> bool:
    return isinstance(v, (int, float)) and not math.isnan(v) and v < alpha


def term_significant(row: dict, alpha: float) -> bool:
    if isinstance(row.get("significant"), bool):
        return row["significant"]
    return _below(row["p_adj"], alpha) if "p_adj" in row else True


def rate_significant(row: dict, alpha: float) -> bool:
    for k in ("rate_significant", "significant"):
        if isinstance(row.get(k), bool):
            return row[k]
    return _below(row.get("p_adj"), alpha)


def tone_significant(row: dict, alpha: float) -> bool:
    if isinstance(row.get("sentiment_significant"), bool):
        return row["sentiment_significant"]
    lo, hi = row.get("sentiment_diff_lo"), row.get("sentiment_diff_hi")
    if not (isinstance(lo, (int, float)) and isinstance(hi, (int, float))):
        return False
    if not (lo > 0 or hi < 0):
        return False
    return _below(row["sentiment_p_adj"], alpha) if "sentiment_p_adj" in row else True


def count_claims(report: dict, skip_terms=frozenset(), skip_concepts=frozenset()) -> dict:
    """Significant claims of a report (see the module doc), leaving out planted items."""
    c = report["comparison"]
    opts = c.get("options", {})
    alpha = float(opts.get("alpha", 0.05))
    top = opts.get("top")
    cells: dict[tuple[str, str], int] = {}
    listed: dict[tuple[str, str], int] = {}
    for r in c.get("keyness", []):
        key = (r["lang"], r["favours"])
        listed[key] = listed.get(key, 0) + 1
        if (r["lang"], r["term"]) in skip_terms or not term_significant(r, alpha):
            continue
        cells[key] = cells.get(key, 0) + 1
    by_lang: dict[str, int] = {}
    for (lang, _), n in cells.items():
        by_lang[lang] = by_lang.get(lang, 0) + n
    capped = isinstance(top, int) and any(n >= top for n in listed.values())
    if isinstance(c.get("terms_significant"), dict):
        by_lang = {k: int(v) for k, v in c["terms_significant"].items() if v}
        capped = False
    rates = [r["concept"] for r in c.get("concepts", [])
             if r["concept"] not in skip_concepts and rate_significant(r, alpha)]
    tones = [r["concept"] for r in c.get("concepts", [])
             if r["concept"] not in skip_concepts and tone_significant(r, alpha)]
    sent = [r["measure"] for r in c.get("sentiment", [])
            if isinstance(r.get("diff_lo"), (int, float)) and isinstance(r.get("diff_hi"), (int, float))
            and (r["diff_lo"] > 0 or r["diff_hi"] < 0)]
    terms = sum(by_lang.values())
    return {
        "terms": terms,
        "terms_capped": capped,
        "terms_by_lang": dict(sorted(by_lang.items())),
        "rates": len(rates),
        "tones": len(tones),
        "sentiment": len(sent),
        "sentiment_measures": len(c.get("sentiment", [])),
        "any": terms + len(rates) + len(tones) > 0,
        "unit": c.get("resampling_unit"),
        "examples": {"rates": rates[:5], "tones": tones[:5]},
    }


def g2_recount(partial: dict, report: dict, skip_terms=frozenset()) -> tuple[dict, set]:
    """Significant terms per language under the token-level test of the reports up to issue 18
    (G² of counts per language, Benjamini-Hochberg over the terms with document frequency >=
    min_doc_freq, adjusted p < alpha, Log Ratio != 0), over all terms of a partial aggregate:
    the count the report cannot give when its lists are capped. Returns the counts per language
    (leaving out `skip_terms`) and the set of significant (language, term) more frequent in a.
    Fixed to that test (for the "before" figures); it does not follow later changes of the
    report."""
    opts = report["comparison"].get("options", {})
    alpha, min_df = float(opts.get("alpha", 0.05)), int(opts.get("min_doc_freq", 2))
    ga, gb = partial["groups"]["a"], partial["groups"]["b"]
    out, favour_a = {}, set()
    for lang in sorted(set(ga["terms"]) | set(gb["terms"])):
        na = float(ga["totals"]["tokens"].get(lang, 0))
        nb = float(gb["totals"]["tokens"].get(lang, 0))
        if na == 0 or nb == 0:
            continue
        counts: dict[str, list[int]] = {}
        for i, g in enumerate((ga, gb)):
            for term, count, df in g["terms"].get(lang, []):
                e = counts.setdefault(term, [0, 0, 0])
                e[i] += count
                e[2] += df
        ps, lrs, names = [], [], []
        for term, (a, b, df) in counts.items():
            if df < min_df:
                continue
            ps.append(chi2_sf_1df(g2(a, b, na, nb)))
            lrs.append(log_ratio(a, b, na, nb))
            names.append(term)
        n = 0
        for q, lr, t in zip(bh(ps), lrs, names):
            if q < alpha and lr != 0:
                if lr > 0:
                    favour_a.add((lang, t))
                n += (lang, t) not in skip_terms
        if n:
            out[lang] = n
    return out, favour_a


def g2(a: float, b: float, na: float, nb: float) -> float:
    n, r1 = na + nb, a + b
    if r1 == 0:
        return 0.0

    def xl(o, l):
        return 0.0 if o == 0 else o * l

    lr2 = math.log1p(-r1 / n)
    t = xl(a, math.log(a * n / (na * r1)) if a else 0.0) + xl(b, math.log(b * n / (nb * r1)) if b else 0.0)
    t += xl(na - a, math.log1p(-a / na) - lr2) + xl(nb - b, math.log1p(-b / nb) - lr2)
    return max(0.0, 2 * t)


def chi2_sf_1df(x: float) -> float:
    return 1.0 if x <= 0 else math.erfc(math.sqrt(x / 2))


def log_ratio(a: float, b: float, na: float, nb: float) -> float:
    if a == 0 and b == 0:
        return 0.0
    if a == 0 or b == 0:
        a, b = a + 0.5, b + 0.5
    return math.log2((a / na) / (b / nb))


def bh(ps: list[float]) -> list[float]:
    order = sorted(range(len(ps)), key=lambda i: (ps[i], i))
    out, running, m = [1.0] * len(ps), 1.0, len(ps)
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        running = min(running, ps[i] * m / (rank + 1))
        out[i] = running
    return out


def planted_found(report: dict, terms, concept: str | None) -> dict:
    """Per planted term: True (significant, favours a), False, or None when the term is not
    listed but its language's list for a is full (it may be significant beyond the top rows)."""
    c = report["comparison"]
    opts = c.get("options", {})
    alpha = float(opts.get("alpha", 0.05))
    top = opts.get("top")
    rows = {(r["lang"], r["term"], r["favours"]): r for r in c.get("keyness", [])}
    full = {}
    for r in c.get("keyness", []):
        full[(r["lang"], r["favours"])] = full.get((r["lang"], r["favours"]), 0) + 1
    words = {}
    for lang, t in terms:
        r = rows.get((lang, t, "a"))
        if r is not None:
            words[t] = term_significant(r, alpha)
        elif isinstance(top, int) and full.get((lang, "a"), 0) >= top:
            words[t] = None
        else:
            words[t] = False
    out = {"words": words, "concept": None}
    if concept:
        row = next((r for r in c.get("concepts", []) if r["concept"] == concept), None)
        out["concept"] = bool(
            row is not None and rate_significant(row, alpha)
            and (row.get("per_10k_a") or 0) > (row.get("per_10k_b") or 0)
        )
    return out


