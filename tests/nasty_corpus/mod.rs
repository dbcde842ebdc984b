//! Builds "nasty" corpora at test time: a few good documents plus every kind of bad
//! input duibi has to survive (issue #7). Nothing binary is committed; everything is
//! written into a temporary directory.
//!
//! Layout of the nasty corpus (`root`):
//! - `domestic/…`, `overseas/…`: the good documents (also copied alone to `clean`),
//! - `nasty/…`: every bad case that is a document candidate (its group, if analysed,
//!   is `nasty`, so the good groups' numbers are untouched),
//! - `manifest.csv`: the good rows plus unknown, duplicate and escaping paths,
//! - `stray.txt`: a file with no group.
#![allow(dead_code)] // each test binary uses a part of this module

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What a generated file must become in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Analysed: at least one document whose `path` is the file's.
    Analyzed,
    /// Skipped with a reason containing this text.
    Skipped(&'static str),
    /// Read as metadata (the manifest).
    Metadata,
}

/// A generated corpus and what the report must say about it.
pub struct Nasty {
    /// Keeps the directory alive.
    pub tmp: tempfile::TempDir,
    /// The nasty corpus.
    pub root: PathBuf,
    /// A corpus with only the good documents (and the manifest's good rows).
    pub clean: PathBuf,
    /// Expected outcome per relative path (as the report writes it).
    pub expect: BTreeMap<String, Expect>,
    /// Expected warnings: (path, substring of the message).
    pub warnings: Vec<(String, &'static str)>,
    /// `--max-file-size` to use.
    pub max_file_size: u64,
    /// Notes on sub-cases that could not be set up here (e.g. permissions as root).
    pub notes: Vec<String>,
}

/// Good documents: (relative path, content). Chinese and English, both groups.
pub fn good_documents() -> Vec<(&'static str, String)> {
    vec![
        (
            "domestic/good-zh-1.txt",
            "监管部门要求清退虚拟货币挖矿项目，关停矿场。各地电力部门表示，将严格执行有关要求，\
             防范金融风险，推动绿色低碳发展。业内人士认为，挖矿活动能耗高、风险大。\n"
                .to_string(),
        ),
        (
            "domestic/good-zh-2.md",
            "---\ngroup: domestic\nsource: 晨报评论\ndate: 2021年6月20日\ntitle: 矿场断电\n---\n\
             # 矿场断电\n\n四川雅安等地的矿场陆续断电，**算力**大幅下降。\n\n\
             有关部门表示，清理工作将持续推进。\n"
                .to_string(),
        ),
        (
            "domestic/good-en-1.txt",
            "The crackdown on crypto mining reflects a commitment to financial stability and \
             green development. Regulators said the phase-out would continue.\n"
                .to_string(),
        ),
        (
            "overseas/good-en-1.txt",
            "Miners are packing up their rigs and heading to Texas and Kazakhstan. The hash rate \
             exodus could be bullish for decentralization, analysts said.\r\n"
                .to_string(),
        ),
        (
            "overseas/good-en-2.html",
            "<html><head><title>Exodus</title><script>var x = 1;</script></head><body>\
             <p>The great mining migration is under way.</p><p>Hash rate fell by half \
             as Chinese miners moved overseas.</p></body></html>\n"
                .to_string(),
        ),
        (
            "overseas/good-zh-1.txt",
            "海外媒体认为，比特币矿工迁往北美，算力外流已成定局。監管趨嚴，礦工把礦機運往海外。\n"
                .to_string(),
        ),
    ]
}

const MANIFEST_HEADER: &str = "path,group,source,date\n";
const MANIFEST_GOOD: &str = "domestic/good-zh-1.txt,domestic,Jinghai Daily,2021-06-22\n\
                             overseas/good-en-1.txt,overseas,Harbour Review,21 June 2021\n";

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        fs::create_dir_all(d).unwrap();
    }
    fs::write(&p, bytes).unwrap();
}

fn utf16(bom_le: bool, units: &[u16]) -> Vec<u8> {
    let mut b = if bom_le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in units {
        b.extend_from_slice(&if bom_le {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    b
}

impl Nasty {
    /// Builds the corpus with `tiny` tiny files.
    pub fn build(tiny: usize) -> Nasty {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("corpus");
        let clean = tmp.path().join("clean");
        let max_file_size: u64 = 4 << 20;
        let mut n = Nasty {
            root: root.clone(),
            clean: clean.clone(),
            tmp,
            expect: BTreeMap::new(),
            warnings: Vec::new(),
            max_file_size,
            notes: Vec::new(),
        };
        for (rel, text) in good_documents() {
            write(&root, rel, &text);
            write(&clean, rel, &text);
            n.expect.insert(rel.into(), Expect::Analyzed);
        }
        write(
            &clean,
            "manifest.csv",
            format!("{MANIFEST_HEADER}{MANIFEST_GOOD}"),
        );
        write(
            &root,
            "manifest.csv",
            format!(
                "{MANIFEST_HEADER}{MANIFEST_GOOD}\
                 nasty/not-there.txt,nasty,Ghost,\n\
                 domestic/good-zh-1.txt,overseas,Duplicate Daily,\n\
                 ../../etc/passwd,domestic,,\n\
                 /etc/passwd,domestic,,\n\
                 nasty/image.png,nasty,,\n"
            ),
        );
        n.expect.insert("manifest.csv".into(), Expect::Metadata);
        for (line, what) in [
            (4, "is not a document file"),
            (5, "duplicate path"),
            (6, "escapes the corpus root"),
            (7, "escapes the corpus root"),
            (8, "is not a document file"),
        ] {
            n.warn_line("manifest.csv", line, what);
        }

        n.add_files();
        n.add_links();
        n.add_special();
        n.add_tiny(tiny);
        n
    }

    fn warn_line(&mut self, path: &str, line: usize, what: &'static str) {
        // Leak: a few short strings per test run, to keep `warnings` simple.
        let prefix: &'static str = Box::leak(format!("line {line}: ").into_boxed_str());
        self.warnings.push((path.into(), prefix));
        self.warnings.push((path.into(), what));
    }

    fn file(&mut self, rel: &str, bytes: impl AsRef<[u8]>, e: Expect) {
        write(&self.root, rel, bytes);
        self.expect.insert(rel.into(), e);
    }

    fn add_files(&mut self) {
        use Expect::*;
        let bin = "binary content";
        // Binary content with a .txt extension.
        self.file(
            "nasty/png.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0",
            Skipped(bin),
        );
        let mut nul = b"looks like text at first".to_vec();
        nul.extend_from_slice(&[0; 64]);
        nul.extend_from_slice(b"then zeros");
        self.file("nasty/nul.txt", nul, Skipped(bin));
        self.file(
            "nasty/zip.txt",
            b"PK\x03\x04\x14\0\0\0\x08\0\0\0!\0mimetypeapplication/zip",
            Skipped(bin),
        );
        // Empty and whitespace-only.
        let empty = "empty or whitespace-only";
        self.file("nasty/empty.txt", b"", Skipped(empty));
        self.file(
            "nasty/blank.txt",
            " \t\r\n\n\u{3000}\u{a0}  \n",
            Skipped(empty),
        );
        self.file(
            "nasty/front-matter-only.md",
            "---\ngroup: nasty\n---\n",
            Skipped(empty),
        );
        self.file("nasty/empty.jsonl", "\n\n", Skipped("empty file"));
        self.file(
            "nasty/all-bad.jsonl",
            "{not json\n[1,2]\n",
            Skipped("no usable JSON Lines records"),
        );
        // Encodings.
        self.file(
            "nasty/invalid-utf8.txt",
            b"plain text with a bad byte \xff\xfe here, and \xc3\x28 more text about miners\n",
            Analyzed,
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("监管部门要求清退虚拟货币挖矿项目，关停矿场。");
        self.file("nasty/gbk.txt", gbk, Analyzed);
        self.file(
            "nasty/mixed-endings.txt",
            "line one about mining\r\nline two 矿场\rline three hash rate\nline four\r\n",
            Analyzed,
        );
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice("带BOM的文本 with a byte order mark\n".as_bytes());
        self.file("nasty/bom-utf8.txt", bom8, Analyzed);
        let units: Vec<u16> = "UTF-16 文本 with BOM\n".encode_utf16().collect();
        self.file("nasty/bom-utf16le.txt", utf16(true, &units), Analyzed);
        self.file("nasty/bom-utf16be.txt", utf16(false, &units), Analyzed);
        let mut lone: Vec<u16> = "lone surrogate ".encode_utf16().collect();
        lone.push(0xD800);
        lone.extend("孤立代理 here".encode_utf16());
        self.file(
            "nasty/utf16-lone-surrogate.txt",
            utf16(true, &lone),
            Analyzed,
        );
        // Size.
        let big = "x".repeat(self.max_file_size as usize + 1);
        self.file("nasty/too-big.txt", big, Skipped("file too large"));
        let mut line = String::with_capacity(1 << 20);
        while line.len() < 1 << 20 {
            line.push_str("abcdefghijklmnopqrstuvwxyz0123456789");
        }
        self.file("nasty/long-line.txt", &line, Analyzed);
        let han = "字".repeat((1 << 20) / 3);
        self.file("nasty/han-run.txt", &han, Analyzed);
        // Text oddities.
        self.file(
            "nasty/emoji.txt",
            "Miners 👨‍👩‍👧‍👦 moved 🏳️‍🌈 rigs 🇨🇳➡️🇺🇸 and 👍🏽 矿工😀搬家\n",
            Analyzed,
        );
        self.file(
            "nasty/combining.txt",
            "Cafe\u{301} re\u{301}sume\u{301} n\u{303}o Z\u{351}\u{36b}\u{343}a\u{32a}\u{353}lgo \
             矿\u{301}场\n",
            Analyzed,
        );
        self.file(
            "nasty/rtl.txt",
            "التعدين bitcoin \u{202e}reversed\u{202c} כרייה של ביטקוין 挖矿\n",
            Analyzed,
        );
        self.file(
            "nasty/control.txt",
            "bell\x07 escape\x1b[31m red\x1b[0m form\x0cfeed vertical\x0btab del\x7f text 矿场\n",
            Analyzed,
        );
        self.file(
            "nasty/mixed-scripts.txt",
            "简体中文的矿场。繁體中文的礦場。日本語のマイニング事業は撤退した。한국어 채굴.\n",
            Analyzed,
        );
        // Deep nesting.
        let mut deep = String::from("nasty/deep");
        for i in 1..=50 {
            deep.push_str(&format!("/l{i}"));
        }
        deep.push_str("/deep.txt");
        self.file(&deep, "fifty levels down 五十层\n", Analyzed);
        // Metadata problems.
        self.file(
            "nasty/records.jsonl",
            "{\"text\":\"矿场关停\",\"source\":\"A\"}\n\
             {not json at all\n\
             [1,2,3]\r\n\
             {\"title\":\"no text here\"}\r\
             {\"text\":\"miners move\",\"date\":\"sometime soon\"}\n\
             \n\
             {\"text\":\"last one\",\"date\":\"2021-06-21\"}",
            Analyzed,
        );
        self.warn_line("nasty/records.jsonl", 2, "malformed JSON");
        self.warn_line("nasty/records.jsonl", 3, "not a JSON object");
        self.warn_line("nasty/records.jsonl", 4, "no \"text\" field");
        self.warn_line("nasty/records.jsonl", 5, "unparsable date");
        self.file(
            "nasty/bad-front-matter.md",
            "---\nsource: Kept Source\ntitle: [unclosed\n---\nBody text survives the bad YAML.\n",
            Analyzed,
        );
        self.warnings
            .push(("nasty/bad-front-matter.md".into(), "malformed YAML at line"));
        self.file(
            "nasty/unclosed-front-matter.md",
            "---\nsource: X\nno closing fence, so this is all text\n",
            Analyzed,
        );
        self.warnings.push((
            "nasty/unclosed-front-matter.md".into(),
            "without a closing '---'",
        ));
        self.file(
            "nasty/bad-date.md",
            "---\ndate: last Tuesday\n---\nA dated text.\n",
            Analyzed,
        );
        self.warnings.push((
            "nasty/bad-date.md".into(),
            "unparsable date \"last Tuesday\"",
        ));
        let mut html = String::from("<html><body>");
        html.push_str(&"<div>".repeat(2000));
        html.push_str("deep html <script>alert(1)</script> text");
        html.push_str("</body></html>");
        self.file("nasty/deep.html", html, Analyzed);
        // Unsupported and group-less files.
        self.file(
            "nasty/image.png",
            b"\x89PNG\r\n\x1a\n",
            Skipped("unsupported file type (.png)"),
        );
        self.file(
            "nasty/noext",
            "text",
            Skipped("unsupported file type (no extension)"),
        );
        self.file(
            "nasty/manifest.csv",
            "path,group\n",
            Skipped("unsupported file type (.csv)"),
        );
        self.file("stray.txt", "no group for me", Skipped("no group"));
        // A name that is not UTF-8.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt");
            let p = self.root.join("nasty").join(name);
            fs::write(&p, "a file whose name is not UTF-8").unwrap();
            self.expect
                .insert("nasty/bad-\\xFF\\xFE-name.txt".into(), Expect::Analyzed);
        }
    }

    fn add_links(&mut self) {
        use std::os::unix::fs::symlink;
        let nasty = self.root.join("nasty");
        symlink("does-not-exist.txt", nasty.join("broken-link.txt")).unwrap();
        self.expect.insert(
            "nasty/broken-link.txt".into(),
            Expect::Skipped("broken symbolic link"),
        );
        symlink("loop-b.txt", nasty.join("loop-a.txt")).unwrap();
        symlink("loop-a.txt", nasty.join("loop-b.txt")).unwrap();
        for l in ["nasty/loop-a.txt", "nasty/loop-b.txt"] {
            self.expect
                .insert(l.into(), Expect::Skipped("symbolic link loop"));
        }
        let outside = self.tmp.path().join("outside.txt");
        fs::write(&outside, "secret text outside the corpus").unwrap();
        symlink(&outside, nasty.join("outside.txt")).unwrap();
        self.expect.insert(
            "nasty/outside.txt".into(),
            Expect::Skipped("outside the corpus root"),
        );
        let outside_dir = self.tmp.path().join("outside-dir");
        fs::create_dir_all(&outside_dir).unwrap();
        fs::write(outside_dir.join("x.txt"), "secret text outside the corpus").unwrap();
        symlink(&outside_dir, nasty.join("outside-dir")).unwrap();
        self.expect.insert(
            "nasty/outside-dir".into(),
            Expect::Skipped("outside the corpus root"),
        );
        symlink("../domestic/good-zh-1.txt", nasty.join("inside-link.txt")).unwrap();
        self.expect.insert(
            "nasty/inside-link.txt".into(),
            Expect::Skipped("symbolic link (use --follow-links"),
        );
        symlink("..", nasty.join("parent-loop")).unwrap();
        self.expect.insert(
            "nasty/parent-loop".into(),
            Expect::Skipped("symbolic link (use --follow-links"),
        );
    }

    fn add_special(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        // FIFO: opening it would block forever.
        let fifo = self.root.join("nasty/fifo.txt");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ok {
            self.expect.insert(
                "nasty/fifo.txt".into(),
                Expect::Skipped("not a regular file"),
            );
        } else {
            self.notes
                .push("mkfifo unavailable: FIFO case not exercised".into());
        }
        // Unreadable file. As root, permission bits are not enforced: then it is analysed.
        let p = self.root.join("nasty/unreadable.txt");
        fs::write(&p, "you should not be able to read this").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&p).is_ok() {
            self.notes.push(
                "running as root (permission bits not enforced): the unreadable-file case is \
                 expected to be analysed, not skipped"
                    .into(),
            );
            self.expect
                .insert("nasty/unreadable.txt".into(), Expect::Analyzed);
        } else {
            self.expect.insert(
                "nasty/unreadable.txt".into(),
                Expect::Skipped("permission denied"),
            );
        }
    }

    fn add_tiny(&mut self, count: usize) {
        let dir = self.root.join("nasty/many");
        fs::create_dir_all(&dir).unwrap();
        for i in 0..count {
            let rel = format!("nasty/many/{:03}/t{i:06}.txt", i / 1000);
            let text = if i % 2 == 0 {
                format!("tiny {i}")
            } else {
                format!("小文件{i}")
            };
            write(&self.root, &rel, text);
            self.expect.insert(rel, Expect::Analyzed);
        }
    }

    /// Number of non-directory entries written under `root`.
    pub fn files_made(&self) -> usize {
        self.expect.len()
    }
}
