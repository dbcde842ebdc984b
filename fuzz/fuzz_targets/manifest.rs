//! Manifests (CSV and JSON Lines): no panic, and no accepted path escapes the root.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for name in ["manifest.csv", "manifest.jsonl"] {
        if let Ok((rows, _)) = duibi::corpus::parse_manifest_text(name, &text) {
            for (_, _, norm) in rows {
                if let Some(p) = norm {
                    assert!(!p.starts_with('/'));
                    assert!(!p.split('/').any(|c| c == ".." || c == "." || c.is_empty()));
                }
            }
        }
    }
});
