//! Shared by the memory tests (`scan_memory`, `run_memory`) and `jsonl_blocks`: a generated JSON-lines
//! corpus with sources, footers and near-copies, and the peak memory of a run.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Peak resident set size (MB) of `duibi ARGS < stdin` (the binary of `DUIBI_BIN` when
/// set); the run must succeed.
pub fn peak_mb(args: &[&str], stdin: &Path) -> u64 {
    // DUIBI_BIN measures another build (e.g. main's binary) with the same test.
    let bin = std::env::var("DUIBI_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_duibi").into());
    let child = Command::new(bin)
        .args(args)
        .stdin(Stdio::from(std::fs::File::open(stdin).unwrap()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut status = 0i32;
    // SAFETY: plain syscall on our own child's pid with valid out-pointers.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid);
    std::mem::forget(child);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    (ru.ru_maxrss / 1024) as u64
}

/// `n` JSON lines: 6-9 lines of text each from a deterministic generator, a footer
/// per source, and a near-copy every tenth document.
pub fn corpus(path: &Path, n: usize) {
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut next = |m: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % m
    };
    // A vocabulary of 5,000 made-up words, Latin and Han, so documents share words
    // the way real ones do rather than every shingle.
    let words: Vec<String> = (0..5000)
        .map(|i| {
            let n = 2 + next(6);
            (0..n)
                .map(|_| {
                    if i % 3 == 0 {
                        char::from_u32(0x4e00 + next(3000) as u32).unwrap_or('字')
                    } else {
                        (b'a' + next(26) as u8) as char
                    }
                })
                .collect()
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    // The last text of each group: a copy stays in its group.
    let mut last = [String::new(), String::new()];
    for i in 0..n {
        let group = if i % 2 == 0 { "domestic" } else { "overseas" };
        let source = next(50);
        let text = if i % 10 == 9 {
            format!("Reprinted from wire {i}.\\n{}", last[i % 2])
        } else {
            let lines: Vec<String> = (0..6 + next(4))
                .map(|_| {
                    (0..10)
                        .map(|_| words[next(words.len() as u64) as usize].as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            lines.join("\\n")
        };
        last[i % 2] = text.clone();
        writeln!(
            out,
            r#"{{"id": "{group}/{i:07}", "group": "{group}", "source": "s{source}", "date": "2021-0{}-1{}", "text": "{text}\nFollow source {source} for more."}}"#,
            1 + next(9),
            next(10)
        )
        .unwrap();
    }
}
