//! JSON Lines documents: every record keeps a line number inside the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let n = duibi::corpus::format::lines(&text).count();
    let (recs, warns) = duibi::corpus::format::parse_jsonl(&text);
    assert!(recs.len() + warns.len() <= n);
    for r in &recs {
        assert!(r.line >= 1 && r.line <= n);
    }
});
