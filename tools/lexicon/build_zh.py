#!/usr/bin/env python3
"""Rebuild duibi's generated Chinese sentiment lexicons (Python 3 standard library only).

Usage (from the repository root):

    python3 tools/lexicon/build_zh.py [SHARED_LEXICON_DIR] [--out data/lexicons]

SHARED_LEXICON_DIR defaults to ../shared/lexicons and must hold:
  vader_lexicon.txt                  VADER (MIT)            English valence, -4..+4
  AFINN-en-165.txt                   AFINN-165 (Apache-2.0) English valence, -5..+5
  AFINN-zh-165.txt                   AFINN-165 zh (Apache-2.0) machine translation, -5..+5
  cedict_1_0_ts_utf-8_mdbg.txt.gz    CC-CEDICT (CC BY-SA 3.0)

Writes (all scores on VADER's -4..+4 scale, one `term<TAB>score` per line, sorted):
  zh-afinn-clean.tsv       cleaned AFINN-zh-165 (Apache-2.0)
  zh-cedict-projected.tsv  English valences projected through CC-CEDICT glosses
                           (derived from CC-CEDICT: CC BY-SA 3.0, kept as a separate file)

Hand-written inputs read from this folder: en_polysemous.txt (English gloss words
that carry sentiment only in some senses; they neither project nor support an entry)
and afinn_zh_drop.txt (AFINN-zh mistranslations found by reading the file).
The hand-written core lexicon (zh-core.tsv) and the modifier list (zh-modifiers.tsv)
are not generated: they live in data/lexicons/ and are edited by hand.

The output is deterministic: same inputs, same bytes.
"""
import gzip
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

NEGATORS_EN = {"not", "no", "never", "nothing", "none", "nobody", "without", "non", "lack", "lacking"}
BOOSTERS_EN = {"very", "extremely", "really", "highly", "greatly", "deeply", "utterly",
               "totally", "completely", "quite", "too", "most", "so", "much", "fairly",
               "slightly", "somewhat", "rather", "thoroughly", "particularly"}
# Gloss senses that are not translations of a meaning.
SKIP_GLOSS = re.compile(
    r"^(CL:|variant of|old variant|see |see also|surname|abbr\.|used in|"
    r"also written|erhua variant|Japanese variant|radical|classifier|particle|"
    r"interjection|onomatopoeia|\(Tw\)|\(old\)|\(archaic\))", re.I)
# Round 15 (issue 15): a word whose senses mostly carry no valence still projects when
# its first sense does and it has at most FIRST_SENSE_MAX senses, at weight FIRST_SENSE
# (0.2 / 0.3 / 0.4 tried on WMT21; see tools/lexicon/README.md).
FIRST_SENSE = 0.2
FIRST_SENSE_MAX = 3
# The hand-written and Tatoeba-derived Chinese files loaded after the projection: their
# words feed the run-time compound back-off (see `backs_off`).
LATER_ZH = ["zh-equivalents.tsv", "zh-core.tsv", "zh-parallel.tsv", "zh-parallel-fit.tsv"]
HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line


def load_word_set(path):
    out = set()
    for line in read_lines(path):
        w = line.split("#", 1)[0].strip()
        if w:
            out.add(w)
    return out


def load_english(shared):
    """English word -> valence on -4..+4 (VADER first, AFINN-en scaled by 0.8 where VADER is silent)."""
    val = {}
    for line in read_lines(os.path.join(shared, "vader_lexicon.txt")):
        parts = line.split("\t")
        if len(parts) >= 2 and re.match(r"^[a-z][a-z'-]*$", parts[0]):
            val[parts[0]] = float(parts[1])
    for line in read_lines(os.path.join(shared, "AFINN-en-165.txt")):
        parts = line.split("\t")
        if len(parts) >= 2 and re.match(r"^[a-z][a-z'-]*$", parts[0]) and parts[0] not in val:
            val[parts[0]] = 0.8 * float(parts[1])
    return val


def load_cedict(shared):
    """simplified word -> (list of gloss strings, has proper-noun reading)."""
    out = {}
    path = os.path.join(shared, "cedict_1_0_ts_utf-8_mdbg.txt.gz")
    line_re = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = line_re.match(line)
            if not m:
                continue
            _trad, simp, pinyin, glosses = m.groups()
            proper = any(s[:1].isupper() for s in pinyin.split())
            ent = out.setdefault(simp, ([], False))
            gl = [g for g in glosses.split("/") if g]
            out[simp] = (ent[0] + gl, ent[1] or proper)
    return out


def clean_gloss(g):
    g = re.sub(r"\([^)]*\)", " ", g)
    g = re.sub(r"\b(lit\.|fig\.|esp\.|sb|sth|one's|oneself)\b", " ", g)
    g = g.lower().replace(",", " ").replace(";", " ").replace("!", " ").replace(".", " ")
    words = g.split()
    while words and words[0] in {"to", "a", "an", "the", "be", "being", "is", "get", "become", "feel", "feeling"}:
        words = words[1:]
    return words


def gloss_score(words, eng, poly, max_words=2, long_weight=1.0):
    """Valence of one short gloss, or None when it carries none (or is not short); a gloss
    of more than two words (when `max_words` allows it) counts at `long_weight`."""
    if not words or len(words) > max_words:
        return None
    neg = False
    scores = []
    for w in words:
        if w in NEGATORS_EN:
            neg = True
            continue
        if w in BOOSTERS_EN:
            continue
        if w in poly:
            return None
        v = eng.get(w)
        if v is not None:
            scores.append(v)
    if not scores:
        return None
    if any(s > 0 for s in scores) and any(s < 0 for s in scores):
        return None
    s = sum(scores) / len(scores)
    if len(words) > 2:
        s *= long_weight
    return -0.74 * s if neg else s


def project(cedict, eng, poly, stop, poly_sense=False, sense_share=0.5, first_sense=FIRST_SENSE,
            weak=(0.5, 1.0), max_words=2, long_weight=1.0, hand=frozenset(),
            morphemes=frozenset(), backoff_words=frozenset()):
    """Projects English valences through the glosses. `poly_sense`: a polysemous gloss
    word drops only its own sense instead of the whole entry; `sense_share`: the share
    of the senses that must carry sentiment; `first_sense` (a weight, 0 = off): a word
    whose senses fall short of that share still projects, at this weight, when its
    first sense (CC-CEDICT lists the main sense first) carries the valence; `weak`
    (cut, weight): scores with cut <= |score| < 0.5 are kept at that weight;
    `max_words`: the longest gloss (after dropping `to`/`a`/`the`...) that counts."""
    out = {}
    pending = []  # words projected by the first-sense rule
    for simp, (glosses, proper) in cedict.items():
        if proper or not HAN.match(simp) or len(simp) < 2 or len(simp) > 4 or simp in stop:
            continue
        senses = [g for g in glosses if not SKIP_GLOSS.match(g.strip())]
        if not senses or len(senses) > 5:
            continue  # many senses: polysemous
        hits = []
        first = None
        for k, g in enumerate(senses):
            words = clean_gloss(g)
            if any(w in poly for w in words):
                if poly_sense:
                    continue  # this sense is unsafe; the others still count
                hits = None  # a polysemous gloss word anywhere makes the entry unsafe
                break
            s = gloss_score(words, eng, poly, max_words, long_weight)
            if s is not None:
                hits.append(s)
                if k == 0:
                    first = s
        if not hits:
            continue
        if any(h > 0 for h in hits) and any(h < 0 for h in hits):
            continue  # mixed signs
        weight = 1.0
        if len(hits) < sense_share * len(senses):
            if not first_sense or first is None or len(senses) > FIRST_SENSE_MAX or simp in hand:
                continue  # most senses carry no sentiment: the word is not evaluative
            weight = first_sense  # the main sense is evaluative, the others are not
            pending.append(simp)
        score = sum(hits) / len(hits)
        if abs(score) < 0.5:
            if abs(score) < weak[0]:
                continue
            weight *= weak[1]
        out[simp] = round(weight * score, 2)
    if pending:
        # A weak first-sense entry must not take the place of a stronger run-time
        # fallback: words the character or compound back-off scores keep it.
        scored = set(backoff_words) | (set(out) - set(pending))
        for simp in pending:
            if backs_off(simp, morphemes, scored):
                out.pop(simp, None)
    return out


def backs_off(word, morphemes, scored):
    """Whether duibi's run-time back-offs (src/sentiment/morphology.rs) could score `word`
    when no lexicon lists it: it holds a sentiment morpheme (character back-off), or it
    splits into a scored word of at least two characters and the rest (compound and
    three-character back-off). A superset of what they score: it ignores their blockers."""
    if any(c in morphemes for c in word):
        return True
    return len(word) >= 3 and any(
        (len(word[:k]) >= 2 and word[:k] in scored) or (len(word[k:]) >= 2 and word[k:] in scored)
        for k in range(1, len(word)))


def reject_reason(simp, cedict, eng, poly, stop, sense_share=0.5):
    """The first filter of `project` that rejects `simp` ("projected" when none does);
    a report for tools/lexicon/silent_zh.py, kept beside `project` so the two agree.
    It names the filters of the main rule: a word the first-sense rule projects shows
    as "sense coverage below half" (and as scored in the projected file)."""
    if simp not in cedict:
        return "not in CC-CEDICT"
    glosses, proper = cedict[simp]
    if proper:
        return "proper noun / surname"
    if not HAN.match(simp) or len(simp) < 2 or len(simp) > 4:
        return "not 2-4 Han characters"
    if simp in stop:
        return "stopword"
    senses = [g for g in glosses if not SKIP_GLOSS.match(g.strip())]
    if not senses:
        return "no sense"
    if len(senses) > 5:
        return "more than 5 senses"
    hits = []
    for g in senses:
        words = clean_gloss(g)
        if any(w in poly for w in words):
            return "polysemy list"
        s = gloss_score(words, eng, poly)
        if s is not None:
            hits.append(s)
    if not hits:
        if any(eng.get(w) for g in senses for w in clean_gloss(g)):
            return "gloss longer than two words"
        return "no gloss word with a valence"
    if any(h > 0 for h in hits) and any(h < 0 for h in hits):
        return "sign disagreement"
    if len(hits) < sense_share * len(senses):
        return "sense coverage below half"
    if abs(sum(hits) / len(hits)) < 0.5:
        return "|score| < 0.5"
    return "projected"


def clean_afinn_zh(shared, cedict, eng, poly, stop, drop):
    rows = {}
    for line in read_lines(os.path.join(shared, "AFINN-zh-165.txt")):
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        w = parts[0].strip()
        try:
            s = float(parts[1])
        except ValueError:
            continue
        rows.setdefault(w, []).append(s)
    out = {}
    for w, ss in rows.items():
        if w in drop or w in stop or not HAN.match(w):
            continue
        if any(s > 0 for s in ss) and any(s < 0 for s in ss):
            continue  # duplicate rows disagree
        s = 0.8 * sum(ss) / len(ss)
        if w in cedict:
            # The dictionary must support the sign: some gloss word of the same sign,
            # none of the opposite sign only.
            glosses, _ = cedict[w]
            same = opp = 0
            for g in glosses:
                for gw in clean_gloss(g):
                    v = eng.get(gw)
                    if v is None or gw in poly:
                        continue
                    if (v > 0) == (s > 0):
                        same += 1
                    else:
                        opp += 1
            if same == 0:
                continue
        elif len(w) < 2:
            continue
        out[w] = round(s, 2)
    return out


def write_tsv(path, header, entries):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for w in sorted(entries):
            f.write(f"{w}\t{entries[w]:g}\n")


def main(argv):
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "lexicons"))
    out_dir = os.path.join(ROOT, "data", "lexicons")
    args = list(argv)
    poly_sense, sense_share, first_sense, weak, max_words, long_weight = (
        False, 0.5, FIRST_SENSE, (0.5, 1.0), 2, 1.0)
    while args:
        a = args.pop(0)
        if a == "--out":
            out_dir = args.pop(0)
        elif a == "--poly-sense":
            poly_sense = True
        elif a == "--sense-share":
            sense_share = float(args.pop(0))
        elif a == "--first-sense":
            first_sense = float(args.pop(0))
        elif a == "--weak":
            weak = (float(args.pop(0)), float(args.pop(0)))
        elif a == "--max-words":
            max_words = int(args.pop(0))
        elif a == "--long-weight":
            long_weight = float(args.pop(0))
        else:
            shared = a
    eng = load_english(shared)
    poly = load_word_set(os.path.join(HERE, "en_polysemous.txt"))
    drop = load_word_set(os.path.join(HERE, "afinn_zh_drop.txt"))
    stop = load_word_set(os.path.join(ROOT, "data", "stopwords", "zh.txt"))
    cedict = load_cedict(shared)
    hand = set(line.split("\t", 1)[0]
               for line in read_lines(os.path.join(HERE, "zh_en_equivalents.tsv")))
    morphemes, backoff_words = set(), set()
    for line in read_lines(os.path.join(ROOT, "data", "lexicons", "zh-modifiers.tsv")):
        c = line.split("\t")
        if len(c) >= 2 and c[0] == "morpheme":
            morphemes.add(c[1])
    for f in LATER_ZH:
        for line in read_lines(os.path.join(ROOT, "data", "lexicons", f)):
            c = line.split("\t")
            if len(c) >= 2:
                hand.add(c[0])  # a later file scores it (or removes it with a 0)
                if c[1].strip() not in ("0", "0.0"):
                    backoff_words.add(c[0])
    proj = project(cedict, eng, poly, stop, poly_sense, sense_share, first_sense, weak, max_words,
                   long_weight, frozenset(hand), frozenset(morphemes), frozenset(backoff_words))
    afinn = clean_afinn_zh(shared, cedict, eng, poly, stop, drop)
    os.makedirs(out_dir, exist_ok=True)
    write_tsv(os.path.join(out_dir, "zh-cedict-projected.tsv"), [
        "Chinese valences projected from VADER (MIT) and AFINN-165 (Apache-2.0) through CC-CEDICT glosses.",
        "Derived from CC-CEDICT (MDBG, 2015-07 release): licensed CC BY-SA 3.0",
        "(https://creativecommons.org/licenses/by-sa/3.0/). Generated by tools/lexicon/build_zh.py; do not edit.",
        "Format: term<TAB>score (-4..+4).",
    ], proj)
    write_tsv(os.path.join(out_dir, "zh-afinn-clean.tsv"), [
        "AFINN-165 Chinese (F. A. Nielsen, Apache-2.0, see AFINN-LICENSE-Apache-2.0.txt), cleaned:",
        "duplicates averaged, conflicting duplicates, stopwords and entries CC-CEDICT does not support dropped,",
        "scores scaled by 0.8 to VADER's -4..+4. Generated by tools/lexicon/build_zh.py; do not edit.",
    ], afinn)
    print(f"projected: {len(proj)} entries; afinn-clean: {len(afinn)} entries -> {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
