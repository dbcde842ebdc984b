//! Markdown files: front matter split and YAML, then the body's text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (fields, body, _) = duibi::corpus::format::front_matter(&text);
    assert!(text.ends_with(body));
    if let Some(d) = fields.date.as_deref() {
        let _ = duibi::corpus::date::normalize(d);
    }
    let _ = duibi::corpus::format::markdown_text(body);
});
