//! Arbitrary bytes through decoding, then the text through date parsing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = duibi::corpus::decode::decode(data) {
        assert!(d.replaced <= d.text.matches('\u{FFFD}').count());
        let _ = duibi::corpus::date::normalize(&d.text);
    }
});
