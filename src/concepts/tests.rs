//! Tests of glossary loading and concept matching together.

use super::*;
use crate::lang::{self, Script};
use crate::tokenize::Tokenizer;
use files::SHIPPED_TSV;
use matcher::is_han;
use rustc_hash::FxHashSet;
use std::sync::OnceLock;

fn tok() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| Tokenizer::builder().build().unwrap())
}

fn shipped() -> &'static (Glossary, ConceptMatcher) {
    static M: OnceLock<(Glossary, ConceptMatcher)> = OnceLock::new();
    M.get_or_init(|| {
        let g = Glossary::shipped();
        let m = ConceptMatcher::new(&g, tok());
        (g, m)
    })
}

fn ids_with<'m>(m: &'m ConceptMatcher, tok: &Tokenizer, text: &str) -> Vec<&'m str> {
    let (_, buf) = tok.tokenize(text);
    let mut hits = Vec::new();
    m.find(&buf, &mut hits);
    hits.iter().map(|h| m.id(h.concept)).collect()
}

fn ids(text: &str) -> Vec<&'static str> {
    ids_with(&shipped().1, tok(), text)
}

#[test]
fn multi_word_english_forms_match() {
    assert_eq!(
        ids("The hash rate left the mining farm"),
        ["hash_rate", "mining_farm"]
    );
    assert_eq!(
        ids("hash-rate, Hashrate and HASH RATE"),
        ["hash_rate", "hash_rate", "hash_rate"]
    );
    assert_eq!(ids("proof-of-work miners"), ["proof_of_work", "miner"]);
}

#[test]
fn traditional_matches_simplified_forms() {
    assert_eq!(ids("監管"), ids("监管"));
    assert_eq!(ids("礦場"), ["mining_farm"]);
    assert_eq!(ids("監管"), ["regulation"]);
    assert_eq!(
        ids("比特幣礦場遷往德州"),
        ["bitcoin", "mining_farm", "texas"]
    );
}

#[test]
fn leftmost_longest_non_overlapping() {
    let (_, buf) = tok().tokenize("mining farm");
    let mut hits = Vec::new();
    shipped().1.find(&buf, &mut hits);
    let m = &shipped().1;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (m.id(hits[0].concept), hits[0].first, hits[0].last),
        ("mining_farm", 0, 1)
    );
    assert_eq!(ids("mining"), ["mining"]);

    // Overlapping forms: leftmost wins, then longest at that position.
    let mut g = Glossary::new();
    g.add(Concept::new("ab", [""; 0], ["alpha beta"])).unwrap();
    g.add(Concept::new("bcd", [""; 0], ["beta gamma delta"]))
        .unwrap();
    g.add(Concept::new("abc", [""; 0], ["alpha beta gamma"]))
        .unwrap();
    g.add(Concept::new("d", [""; 0], ["delta"])).unwrap();
    let m = ConceptMatcher::new(&g, tok());
    assert_eq!(ids_with(&m, tok(), "alpha beta gamma delta"), ["abc", "d"]);
    assert_eq!(
        ids_with(&m, tok(), "beta gamma delta alpha beta"),
        ["bcd", "ab"]
    );
    // A prefix of a longer form that is not itself a form yields nothing extra.
    assert_eq!(ids_with(&m, tok(), "beta gamma"), Vec::<&str>::new());
}

#[test]
fn no_match_across_stopwords_or_punctuation() {
    assert_eq!(ids("mining and farm"), ["mining"]);
    assert_eq!(ids("mining, farm"), ["mining"]);
    assert_eq!(ids("hash. Rate"), Vec::<&str>::new());
    // Chinese: a form never spans a comma (NFKC turns ， into ,).
    let mut g = Glossary::new();
    g.add(Concept::new("x", ["矿场"], [""; 0])).unwrap();
    let m = ConceptMatcher::new(&g, tok());
    assert_eq!(ids_with(&m, tok(), "矿，场"), Vec::<&str>::new());
}

#[test]
fn forms_cut_before_the_dictionary_give_the_same_matcher() {
    // What PipelineBuilder::build does: forms without Chinese runs are cut while
    // jieba's dictionary loads, the others after it. The matcher must not differ
    // from one built with every form cut by the finished tokenizer.
    let mut g = Glossary::shipped();
    g.merge(
        Glossary::from_tsv_str(USER_TSV, "user.tsv").unwrap(),
        MergeMode::Extend,
    );
    g.add(Concept::new(
        "mixed",
        ["gas费", "ＮＦＴ市场", "比特币ETF"],
        ["BTC 矿机", "hash rate", "ハッシュ", "해시"],
    ))
    .unwrap();
    let prepared = Tokenizer::builder()
        .words(g.zh_words().map(str::to_owned).collect::<Vec<_>>())
        .prepare()
        .unwrap();
    let cuts = FormCuts::without_dict(&g, &prepared);
    let forms: Vec<&str> = g.concepts.iter().flat_map(Concept::forms).collect();
    assert_eq!(cuts.0.len(), forms.len());
    for (form, cut) in forms.iter().zip(&cuts.0) {
        let han = form
            .chars()
            .any(|c| lang::script_of(c) == Some(Script::Han));
        assert_eq!(cut.is_none(), han, "{form}: {cut:?}");
    }
    let tok = prepared
        .finish_on(crate::tokenize::BaseDict::load())
        .unwrap();
    for (form, cut) in forms.iter().zip(&cuts.0) {
        if let Some(terms) = cut {
            assert_eq!(terms, &tok.terms_of(form), "{form}");
        }
    }
    let pre = ConceptMatcher::with_cuts(&g, &tok, cuts);
    let all = ConceptMatcher::new(&g, &tok);
    assert_eq!(format!("{pre:?}"), format!("{all:?}"));
}

#[test]
fn chinese_forms_match_whatever_the_cut() {
    // Without the glossary words jieba may cut 虚拟货币 / 算力外流 in pieces; with
    // them it keeps them whole. Both match.
    let plain = tok();
    let g = &shipped().0;
    let with_words = Tokenizer::builder().words(g.zh_words()).build().unwrap();
    let m2 = ConceptMatcher::new(g, &with_words);
    for text in ["打击虚拟货币挖矿", "算力外流加速", "清理整顿比特币矿场"] {
        assert_eq!(
            ids_with(&shipped().1, plain, text),
            ids_with(&m2, &with_words, text),
            "{text}"
        );
    }
    assert_eq!(
        ids("打击虚拟货币挖矿"),
        ["crackdown", "virtual_currency", "mining"]
    );
    assert_eq!(ids("算力外流加速"), ["exodus"]);
    // A match ends at a token boundary: 矿场主 is its own form, of `miner`.
    assert_eq!(ids("矿场主"), ["miner"]);
}

#[test]
fn possessives_and_mixed_script_forms() {
    assert_eq!(
        ids("China's miners and Bitcoin’s price"),
        ["china", "miner", "bitcoin"]
    );
    assert_eq!(ids("以太坊的gas费很高"), ["ethereum", "transaction_fee"]);
}

#[test]
fn zh_words_are_han_only_and_unique() {
    let words: Vec<&str> = shipped().0.zh_words().collect();
    assert!(words.contains(&"矿场"));
    assert!(!words.contains(&"gas费"));
    let set: FxHashSet<&str> = words.iter().copied().collect();
    assert_eq!(set.len(), words.len());
}

const USER_TSV: &str = "# my concepts\n\
    id\tcategory\tlabel_en\tlabel_zh\tforms_zh\tforms_en\n\
    \n\
    greenidge\torganization\tGreenidge\t格林尼治发电\t格林尼治|格林尼治发电\tgreenidge|greenidge generation\n\
    mining\t\t\t\t\tdigging|crypto mining\n\
    heat\tenergy\theat\t\t余热\n";

const USER_TOML: &str = r#"
[[concept]]
id = "greenidge"
category = "organization"
label_en = "Greenidge"
forms_zh = ["格林尼治"]
forms_en = ["greenidge", "greenidge generation"]

[[concept]]
id = "texas"
forms_en = ["lone star state"]
"#;

#[test]
fn user_tsv_loads_and_merges() {
    let user = Glossary::from_tsv_str(USER_TSV, "user.tsv").unwrap();
    assert_eq!(user.len(), 3);
    let heat = user.get("heat").unwrap();
    assert_eq!(heat.forms_en.len(), 0);
    assert_eq!(heat.info().label_zh, "余热");
    assert_eq!(user.get("mining").unwrap().info().category, "other");

    let mut g = Glossary::shipped();
    let n = g.len();
    g.merge(user, MergeMode::Extend);
    assert_eq!(g.len(), n + 2);
    let mining = g.get("mining").unwrap();
    assert_eq!(mining.category, "mining"); // empty user field keeps the old value
    assert!(mining.forms_en.iter().any(|f| f == "digging"));
    assert!(mining.forms_zh.iter().any(|f| f == "挖矿"));
    let m = ConceptMatcher::new(&g, tok());
    assert_eq!(
        ids_with(&m, tok(), "Greenidge Generation digging"),
        ["greenidge", "mining"]
    );
    assert!(m.conflicts().is_empty());
}

#[test]
fn user_toml_loads_and_replaces() {
    let user = Glossary::from_toml_str(USER_TOML, "user.toml").unwrap();
    assert_eq!(user.len(), 2);
    assert_eq!(user.get("greenidge").unwrap().info().label_zh, "格林尼治");
    let mut g = Glossary::shipped();
    let texas = g.index_of("texas").unwrap();
    g.merge(user, MergeMode::Replace);
    assert_eq!(g.index_of("texas"), Some(texas));
    let m = ConceptMatcher::new(&g, tok());
    assert_eq!(ids_with(&m, tok(), "Texas, the Lone Star State"), ["texas"]);
    assert_eq!(m.label_en(texas), "texas");
}

#[test]
fn merged_forms_move_to_the_user_concept() {
    let user = Glossary::from_tsv_str(
        "energy_hog\tframing\tenergy hog\t\t耗电\tenergy hog\n",
        "u.tsv",
    )
    .unwrap();
    let mut g = Glossary::shipped();
    g.merge(user, MergeMode::Extend);
    assert!(!g
        .get("energy_consumption")
        .unwrap()
        .forms_zh
        .iter()
        .any(|f| f == "耗电"));
    let m = ConceptMatcher::new(&g, tok());
    assert_eq!(ids_with(&m, tok(), "耗电"), ["energy_hog"]);
}

#[test]
fn files_load_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("g.tsv");
    let toml = dir.path().join("g.toml");
    std::fs::write(&tsv, USER_TSV).unwrap();
    std::fs::write(&toml, USER_TOML).unwrap();
    assert_eq!(Glossary::from_path(&tsv).unwrap().len(), 3);
    assert_eq!(Glossary::from_path(&toml).unwrap().len(), 2);
    let e = Glossary::from_path(dir.path().join("missing.tsv"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.tsv"), "{e}");
}

fn err(r: Result<Glossary, GlossaryError>) -> String {
    let e = r.unwrap_err().to_string();
    assert!(!e.contains('\n'), "multi-line error: {e}");
    e
}

#[test]
fn malformed_input_reports_line_numbers() {
    let e = err(Glossary::from_tsv_str(
        "id\tcategory\tlabel_en\tlabel_zh\tforms_zh\tforms_en\na\tb\tc\n",
        "u.tsv",
    ));
    assert!(e.starts_with("u.tsv:2: expected 6"), "{e}");
    let e = err(Glossary::from_tsv_str("# c\na b c d e f\n", "u.tsv"));
    assert!(e.starts_with("u.tsv:2:") && e.contains("tabs"), "{e}");
    let e = err(Glossary::from_tsv_str(
        "a\tx\t\t\t矿场\t\n\nb\tx\t\t\t礦場\t\n",
        "u.tsv",
    ));
    assert!(
        e.starts_with("u.tsv:3:") && e.contains("already belongs to \"a\" (line 1)"),
        "{e}"
    );
    let e = err(Glossary::from_tsv_str(
        "a\tx\t\t\t矿场\t\na\tx\t\t\t挖矿\t\n",
        "u.tsv",
    ));
    assert!(e.starts_with("u.tsv:2: duplicate concept id"), "{e}");
    let e = err(Glossary::from_tsv_str("a\tx\t\t\t\t\n", "u.tsv"));
    assert!(e.starts_with("u.tsv:1:") && e.contains("no forms"), "{e}");
    let e = err(Glossary::from_tsv_str("a b\tx\t\t\t矿\t\n", "u.tsv"));
    assert!(e.starts_with("u.tsv:1:") && e.contains("id"), "{e}");
    let e = err(Glossary::from_tsv_str("a\tx\t\t\t矿|--\t\n", "u.tsv"));
    assert!(e.starts_with("u.tsv:1:") && e.contains("no letter"), "{e}");

    let e = err(Glossary::from_toml_str("[[concept]]\nid = \"a\"\nforms_en = [\"x\"]\n\n[[concept]]\nid = \"b\"\nfroms_en = [\"y\"]\n", "u.toml"));
    assert!(e.starts_with("u.toml:7:") && e.contains("froms_en"), "{e}");
    let e = err(Glossary::from_toml_str(
        "[[concept]]\nid = \"a\"\n\n[[concept]]\nid = \"a\"\nforms_en = [\"y\"]\n",
        "u.toml",
    ));
    assert!(e.starts_with("u.toml:2:") && e.contains("no forms"), "{e}");
    let e = err(Glossary::from_toml_str(
        "[[concept]]\nid = \"a\nforms_en = 1\n",
        "u.toml",
    ));
    assert!(e.starts_with("u.toml:2:"), "{e}");
}

/// Invariants of the shipped data file.
#[test]
fn shipped_glossary_invariants() {
    let (g, m) = shipped();
    assert_eq!(
        g.len(),
        Glossary::from_tsv_str(SHIPPED_TSV, "default.tsv")
            .unwrap()
            .len()
    );
    assert!(g.len() >= 150, "only {} concepts", g.len());
    const CATEGORIES: [&str; 11] = [
        "crypto",
        "tech",
        "mining",
        "energy",
        "environment",
        "finance",
        "economy",
        "policy",
        "framing",
        "place",
        "organization",
    ];
    let mut ids = FxHashSet::default();
    for c in g.concepts() {
        assert!(ids.insert(c.id.as_str()), "duplicate id {}", c.id);
        assert!(
            c.id.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
            "id {} is not snake_case",
            c.id
        );
        assert!(
            CATEGORIES.contains(&c.category.as_str()) || c.category == "person",
            "{}: category {}",
            c.id,
            c.category
        );
        assert!(
            !c.label_en.is_empty() && !c.label_zh.is_empty(),
            "{}: labels",
            c.id
        );
        assert!(
            !c.forms_zh.is_empty() && !c.forms_en.is_empty(),
            "{}: needs zh and en forms",
            c.id
        );
        for f in &c.forms_zh {
            assert!(
                f.chars().any(|ch| is_han(Some(ch))),
                "{}: zh form {f} has no Han",
                c.id
            );
        }
        for f in &c.forms_en {
            assert!(f.is_ascii(), "{}: en form {f} is not ASCII", c.id);
        }
    }
    // No form belongs to two concepts, even after tokenization, with or without the
    // glossary words in jieba's dictionary.
    assert!(m.conflicts().is_empty(), "{:?}", m.conflicts());
    let with_words = Tokenizer::builder().words(g.zh_words()).build().unwrap();
    let m2 = ConceptMatcher::new(g, &with_words);
    assert!(m2.conflicts().is_empty(), "{:?}", m2.conflicts());
    // Every form, and the Traditional spelling of every Chinese form, is found as one
    // whole hit of its own concept; no form is made of stopwords only.
    let mut hits = Vec::new();
    let mut trad_misses = Vec::new();
    for (i, c) in g.concepts().iter().enumerate() {
        let trad: Vec<String> = c
            .forms_zh
            .iter()
            .map(hanconv::s2t)
            .filter(|t| !c.forms_zh.contains(t))
            .collect();
        for (f, is_trad) in c
            .forms()
            .map(|f| (f, false))
            .chain(trad.iter().map(|f| (f.as_str(), true)))
        {
            for (t, mm) in [(tok(), m), (&with_words, &m2)] {
                let (_, buf) = t.tokenize(f);
                assert!(
                    buf.tokens().iter().any(|t| !t.stop),
                    "{}: form {f:?} is all stopwords",
                    c.id
                );
                hits.clear();
                mm.find(&buf, &mut hits);
                let want = ConceptHit {
                    concept: i as u32,
                    first: 0,
                    last: buf.len() as u32 - 1,
                };
                let mut round_trip = f.to_owned();
                lang::to_simplified_in_place(&mut round_trip);
                if is_trad && hits != [want] && !c.forms_zh.contains(&round_trip) {
                    // Not the matcher's fault: the T→S table does not map back.
                    trad_misses.push(f.to_owned());
                } else {
                    assert_eq!(hits, [want], "{}: form {f:?}", c.id);
                }
            }
        }
    }
    // OpenCC's Traditional spelling sometimes uses a variant character that the
    // T→S table of `lang` leaves alone (峯 for 峰, rare in real text); only those may
    // miss, and only a few of them.
    trad_misses.sort();
    trad_misses.dedup();
    assert!(
        trad_misses.len() <= 6,
        "Traditional forms missed: {trad_misses:?}"
    );
}
