//! Builds the Chinese segmenter's index of jieba's shipped dictionary
//! (`data/jieba/dict.txt`) at compile time, with the code the run-time build uses
//! (`src/tokenize/segment_table.rs`, included here), and writes it to
//! `$OUT_DIR/shipped_segmenter.bin` for `src/tokenize/dict.rs` to embed: start-up
//! then copies the table instead of inserting some 350,000 words.
//!
//! A cross-compiled build writes an empty file, and the index is built at run time:
//! the frequencies' logarithms must be the target's own.

#[allow(dead_code)]
#[path = "src/tokenize/segment_table.rs"]
mod segment_table;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/tokenize/segment_table.rs");
    println!("cargo:rerun-if-changed=data/jieba/dict.txt");
    println!("cargo:rerun-if-env-changed=TARGET");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    let bytes = if native {
        let dict = std::fs::read_to_string("data/jieba/dict.txt")
            .expect("data/jieba/dict.txt: jieba's shipped dictionary");
        let entries = segment_table::entries(&dict).map(|(word, freq, _)| (word, freq));
        segment_table::Segmenter::of_entries(segment_table::SHIPPED_PREFIXES, entries)
            .expect("the shipped dictionary fits its segmenter")
            .to_bytes()
    } else {
        Vec::new()
    };
    std::fs::write(out.join("shipped_segmenter.bin"), bytes)
        .expect("write the shipped segmenter to OUT_DIR");
}
