//! HTML pages: visible text and title.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = duibi::corpus::format::html_text(&text);
});
