//! Property tests on the text path (issue #7): arbitrary bytes and arbitrary Unicode
//! through decoding, extraction, normalization, script runs, segmentation and
//! scoring never panic, and every span stays on char boundaries inside its text.

use duibi::corpus::{decode, format};
use duibi::lang::{self, LangDetector};
use duibi::run::Pipeline;
use duibi::tokenize::Tokenizer;
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builder().build().unwrap())
}

fn tokenizer() -> &'static Tokenizer {
    pipeline().tokenizer()
}

fn detector() -> &'static LangDetector {
    static D: OnceLock<LangDetector> = OnceLock::new();
    D.get_or_init(|| LangDetector::builder().build())
}

/// Characters that stress the text path: CJK (Simplified, Traditional, kana, hangul),
/// Latin with combining marks, emoji with ZWJ and variation selectors, RTL text and
/// bidi controls, control characters, full-width forms, BOM and replacement char.
fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        1 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        4 => prop::char::range('\u{4E00}', '\u{9FFF}'),
        1 => prop::sample::select(vec!['礦', '場', '監', '趨', '嚴', '運', '機', '幣']),
        1 => prop::char::range('\u{3040}', '\u{30FF}'),
        1 => prop::char::range('\u{AC00}', '\u{AC40}'),
        1 => prop::char::range('\u{0300}', '\u{036F}'),
        1 => prop::char::range('\u{0590}', '\u{06FF}'),
        1 => prop::char::range('\u{FF01}', '\u{FF5E}'),
        1 => prop::char::range('\u{1F300}', '\u{1FAFF}'),
        1 => prop::sample::select(vec![
            '\u{200D}', '\u{FE0F}', '\u{202E}', '\u{202C}', '\u{200B}', '\u{FEFF}',
            '\u{FFFD}', '\u{3000}', '\u{0}', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}',
            '\u{2028}', '\u{1F3FD}', 'ß', 'İ', 'ﬁ', '㎡', '①', '\u{10FFFF}',
        ]),
        3 => prop::sample::select(vec![' ', '\n', '\r', '\t', ',', '.', '，', '。', '-', '\'', '#', '*', '[', ']', '(', ')', '<', '>', '&', '/', '`', '"', ':', '{', '}']),
        1 => any::<char>(),
    ]
}

fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..max).prop_map(|v| v.into_iter().collect())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![nasty_string(200), any::<String>()]
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(d) = decode::decode(&bytes) {
            let fffd = d.text.matches('\u{FFFD}').count();
            prop_assert!(d.replaced <= fffd, "replaced {} > U+FFFD count {}", d.replaced, fffd);
            prop_assert!(!d.encoding.is_empty());
        }
    }

    #[test]
    fn decode_keeps_valid_utf8(s in text()) {
        // Valid UTF-8 without NUL and with few control bytes is decoded unchanged.
        let s: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
        let s = s.trim_start_matches('\u{FEFF}');
        let d = decode::decode(s.as_bytes()).unwrap();
        prop_assert_eq!(d.text, s);
        prop_assert_eq!(d.replaced, 0);
    }

    #[test]
    fn decode_utf16_roundtrips(s in nasty_string(100), le in any::<bool>()) {
        let s = s.trim_start_matches('\u{FEFF}');
        let mut b = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in s.encode_utf16() {
            b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let d = decode::decode(&b).unwrap();
        prop_assert_eq!(d.text, s);
    }

    #[test]
    fn markdown_and_front_matter_never_panic(s in text(), fm in nasty_string(60)) {
        let doc = format!("---\n{fm}\n---\n{s}");
        for input in [s.as_str(), doc.as_str()] {
            let (_, body, _) = format::front_matter(input);
            prop_assert!(input.ends_with(body));
            let _ = format::markdown_text(body);
        }
    }

    #[test]
    fn html_never_panics(s in text()) {
        let (t, _) = format::html_text(&s);
        let (t2, _) = format::html_text(&format!("<html><body><p>{s}</p><script>{s}</script></body></html>"));
        let _ = (t, t2);
    }

    #[test]
    fn jsonl_never_panics_and_lines_are_in_range(s in text()) {
        let n = format::lines(&s).count();
        let (recs, warns) = format::parse_jsonl(&s);
        for r in &recs {
            prop_assert!(r.line >= 1 && r.line <= n);
        }
        prop_assert!(recs.len() + warns.len() <= n);
        // Valid records survive among broken lines.
        let line = serde_json::json!({ "text": s, "group": "g" }).to_string();
        let (recs, _) = format::parse_jsonl(&format!("{line}\n{{broken\n{line}\n"));
        prop_assert_eq!(recs.len(), 2);
        prop_assert_eq!(&recs[0].text, &s);
        prop_assert_eq!(recs[1].line, 3);
    }

    #[test]
    fn manifest_parsing_never_panics(s in text()) {
        for name in ["manifest.csv", "manifest.jsonl"] {
            if let Ok((rows, _)) = duibi::corpus::parse_manifest_text(name, &s) {
                for (_, _, norm) in rows {
                    if let Some(p) = norm {
                        prop_assert!(!p.starts_with('/'));
                        prop_assert!(!p.split('/').any(|c| c == ".." || c.is_empty()));
                    }
                }
            }
        }
    }

    #[test]
    fn dates_never_panic(s in text()) {
        if let Some(iso) = duibi::corpus::date::normalize(&s) {
            prop_assert_eq!(iso.len(), 10);
            prop_assert_eq!(duibi::corpus::date::normalize(&iso), Some(iso.clone()));
        }
    }

    #[test]
    fn runs_cover_text_on_char_boundaries(s in text()) {
        let t = lang::normalize(&s);
        let runs = detector().runs(&t);
        let mut pos = 0;
        for r in &runs {
            prop_assert_eq!(r.start, pos, "gap or overlap before {:?}", r);
            prop_assert!(r.end > r.start);
            prop_assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            pos = r.end;
        }
        prop_assert_eq!(pos, t.len());
        let _ = detector().detect(&t);
    }

    #[test]
    fn token_spans_are_ordered_char_boundaries(s in text()) {
        let (t, buf) = tokenizer().tokenize(&s);
        let mut last_end = 0usize;
        for (tok, term) in buf.iter() {
            let (a, b) = (tok.start as usize, tok.end as usize);
            prop_assert!(a < b && b <= t.len(), "span {}..{} in {}", a, b, t.len());
            prop_assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
            prop_assert!(a >= last_end, "tokens out of order or overlapping");
            prop_assert!(!term.is_empty());
            last_end = b;
        }
    }

    #[test]
    fn analyze_text_never_panics(s in text()) {
        let rec = pipeline().analyze_text(&s);
        prop_assert!(rec.content_tokens <= rec.tokens);
        let share: f64 = rec.lang_shares.values().sum();
        prop_assert!(rec.tokens == 0 || (share - 1.0).abs() < 0.01);
    }
}

#[test]
fn long_runs_stay_fast_and_sound() {
    for s in [
        "字".repeat(100_000),
        "a".repeat(300_000),
        "👨‍👩‍👧‍👦".repeat(20_000),
        "e\u{301}".repeat(50_000),
    ] {
        let (t, buf) = tokenizer().tokenize(&s);
        for tok in buf.tokens() {
            assert!(t.is_char_boundary(tok.start as usize) && t.is_char_boundary(tok.end as usize));
        }
    }
}
