//! duibi's own cut of Simplified text with jieba's dictionary and without its HMM: the
//! tokens of `jieba_rs::Jieba::cut(s, false)` (same words, same byte offsets) at a
//! fraction of the instructions.
//!
//! The dictionary is a double-array trie over dense character codes, built once from
//! the final frequency of every word (the words jieba loaded, in its rules: a later
//! entry of a word replaces its frequency). A block of characters is cut as jieba cuts
//! it: the best route from the last character back, over every dictionary word that
//! starts at a character (a character that starts none is a word alone), with jieba's
//! `f64` operations in its order and its tie rule (the longer word wins) — but with
//! the words found while the route is computed, not stored first as a graph, in
//! buffers reused from call to call, and the tokens handed to a callback.
//!
//! ```
//! let tok = duibi::tokenize::Tokenizer::builder().build().unwrap();
//! let (_, buf) = tok.tokenize("比特币挖矿监管");
//! let terms: Vec<&str> = buf.iter().map(|(_, t)| t).collect();
//! assert_eq!(terms, ["比特币", "挖矿", "监管"]);
//! ```

use rustc_hash::FxHashMap;

/// The `check` of a free cell (no node is its child).
const FREE: u32 = u32::MAX;
static mut CANDS: usize = 0;
static mut KIDCHK: usize = 0;

/// One cell of the double array: a node of the trie when `check` is its parent's cell.
#[derive(Debug, Clone, Copy)]
struct Cell {
    /// The cell of the child for code `c` is `base + c` (wrapping: a base may be
    /// "negative").
    base: u32,
    /// The parent's cell, or [`FREE`].
    check: u32,
    /// `ln(freq)` of the word ending at this node; NaN when no word ends here (a
    /// logarithm of a count is never NaN).
    log_freq: f64,
}

/// The words of a dictionary and their frequencies, cut the way jieba cuts without
/// its HMM.
#[derive(Debug, Clone)]
pub(crate) struct Segmenter {
    /// Code of each character of the Basic Multilingual Plane: 0 for a character that
    /// is in no word.
    bmp: Box<[u32]>,
    /// Codes of the other characters in words.
    astral: FxHashMap<char, u32>,
    cells: Box<[Cell]>,
    /// `ln` of the frequencies' total.
    log_total: f64,
}

/// Buffers reused from cut to cut.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scratch {
    /// Byte offset (within the block) and code of each character of the block.
    chars: Vec<(u32, u32)>,
    /// Per character: log-probability of the best route from it, and the character
    /// after its word.
    route: Vec<(f64, u32)>,
}

/// jieba's character class of a dictionary block (`RE_HAN_DEFAULT`): CJK ideographs,
/// ASCII letters and digits and `+#&._%-`.
#[inline]
fn is_han_default(c: char) -> bool {
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        true
    } else if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        matches!(c,
            '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2A6DF}'
            | '\u{2A700}'..='\u{2B73F}'
            | '\u{2B740}'..='\u{2B81F}'
            | '\u{2B820}'..='\u{2CEAF}'
            | '\u{2CEB0}'..='\u{2EBEF}'
            | '\u{2F800}'..='\u{2FA1F}'
        )
    }
}

/// The character at byte `i` of `s` (a character boundary) and its length.
#[inline(always)]
fn decode(s: &[u8], i: usize) -> (char, usize) {
    let b0 = u32::from(s[i]);
    let (c, n) = match b0 {
        0..=0x7f => (b0, 1),
        0x80..=0xdf => (((b0 & 0x1f) << 6) | (u32::from(s[i + 1]) & 0x3f), 2),
        0xe0..=0xef => (
            ((b0 & 0x0f) << 12) | ((u32::from(s[i + 1]) & 0x3f) << 6) | (u32::from(s[i + 2]) & 0x3f),
            3,
        ),
        _ => (
            ((b0 & 0x07) << 18)
                | ((u32::from(s[i + 1]) & 0x3f) << 12)
                | ((u32::from(s[i + 2]) & 0x3f) << 6)
                | (u32::from(s[i + 3]) & 0x3f),
            4,
        ),
    };
    // (valid UTF-8 decodes to a char)
    (char::from_u32(c).unwrap_or('\u{FFFD}'), n)
}

/// Dictionary entries in load order, for [`Segmenter::new`]: the words and
/// frequencies jieba was given, with the rule that a later entry of a word replaces
/// the frequency of the earlier one.
#[derive(Debug, Default)]
pub(crate) struct Entries<'a> {
    /// The shipped dictionary's entries (sorted by word, as shipped: then no sort is
    /// needed).
    pub(crate) base: Vec<(&'a str, usize)>,
    /// Entries loaded after it, in order.
    pub(crate) extra: Vec<(String, usize)>,
}

impl Entries<'_> {
    /// The entries of a dictionary text in jieba's `load_dict` reading: `word [freq
    /// [tag]]` per line, split at Unicode whitespace, a missing frequency 0 (the text
    /// was loaded by jieba first, so every frequency parses).
    pub(crate) fn push_dict_text(&mut self, text: &str) {
        for line in text.split('\n') {
            let mut parts = line.split_whitespace();
            if let Some(word) = parts.next() {
                let freq = parts.next().map_or(0, |f| f.parse().unwrap_or(0));
                self.extra.push((word.to_owned(), freq));
            }
        }
    }

    /// Every word once with its last frequency, sorted by word.
    fn resolve(&self) -> Vec<(&str, usize)> {
        let mut base: Vec<(&str, usize)> = self.base.clone();
        if !base.windows(2).all(|w| w[0].0 < w[1].0) {
            dedupe_last(&mut base);
        }
        let mut extra: Vec<(&str, usize)> =
            self.extra.iter().map(|(w, f)| (w.as_str(), *f)).collect();
        dedupe_last(&mut extra);
        // Merge, the later list winning a tie.
        let mut out = Vec::with_capacity(base.len() + extra.len());
        let (mut i, mut j) = (0, 0);
        while i < base.len() && j < extra.len() {
            match base[i].0.cmp(extra[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(base[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(extra[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push(extra[j]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&base[i..]);
        out.extend_from_slice(&extra[j..]);
        out.retain(|(w, _)| !w.is_empty());
        out
    }
}

/// Sorts `v` by word, keeping of each word its last entry.
fn dedupe_last(v: &mut Vec<(&str, usize)>) {
    // A stable sort keeps equal words in load order; the last of each run stays.
    v.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Vec<(&str, usize)> = Vec::with_capacity(v.len());
    for &e in v.iter() {
        match out.last_mut() {
            Some(last) if last.0 == e.0 => *last = e,
            _ => out.push(e),
        }
    }
    *v = out;
}

/// Free cells of a growing double array; those still worth trying as the first child
/// of a node in a doubly linked list in index order.
struct FreeList {
    used: Vec<bool>,
    /// Whether the cell is in the list.
    linked: Vec<bool>,
    /// Times the cell was tried for a node's first child in vain.
    fails: Vec<u8>,
    next: Vec<u32>,
    prev: Vec<u32>,
}

/// The end of the free list.
const NIL: u32 = u32::MAX;

/// Vain tries after which a free cell leaves the list: it is in a crowded stretch, and
/// trying it for every node made building quadratic. It can still take a child that is
/// not a node's first.
const MAX_FAILS: u8 = 8;

impl FreeList {
    /// Cells `0..n`, all free but cell 0 (the root, and the list's head).
    fn new(n: usize) -> Self {
        let mut f = FreeList {
            used: vec![true],
            linked: vec![true],
            fails: vec![0],
            next: vec![NIL],
            prev: vec![NIL],
        };
        f.grow(n);
        f
    }

    fn len(&self) -> usize {
        self.used.len()
    }

    /// The first cell of the list.
    fn head(&self) -> u32 {
        self.next[0]
    }

    /// Makes the array at least `n` cells long.
    fn grow(&mut self, n: usize) {
        let old = self.used.len();
        if n <= old {
            return;
        }
        let n = n.max(old * 2);
        // The list's last cell.
        let tail = (0..old).rev().find(|&i| self.linked[i]).unwrap_or(0);
        self.used.resize(n, false);
        self.linked.resize(n, true);
        self.fails.resize(n, 0);
        self.next[tail] = old as u32;
        self.next.extend((old as u32 + 1..n as u32).chain([NIL]));
        self.prev.push(tail as u32);
        self.prev.extend(old as u32..n as u32 - 1);
    }

    /// The first cell of the list at or after `p` (past the array's end when none).
    fn linked_from(&self, p: u32) -> u32 {
        let p = (p as usize).max(1);
        match self.linked.get(p..).and_then(|l| l.iter().position(|&x| x)) {
            Some(k) => (p + k) as u32,
            None => self.len().max(p) as u32,
        }
    }

    /// Takes cell `i` out of the list.
    fn unlink(&mut self, i: usize) {
        if !self.linked[i] {
            return;
        }
        self.linked[i] = false;
        let (p, n) = (self.prev[i], self.next[i]);
        self.next[p as usize] = n;
        if n != NIL {
            self.prev[n as usize] = p;
        }
    }

    /// Uses cell `i`.
    fn take(&mut self, i: usize) {
        debug_assert!(!self.used[i]);
        self.used[i] = true;
        self.unlink(i);
    }

    /// Cell `i` (in the list) was tried in vain; returns the next cell of the list.
    fn fail(&mut self, i: usize) -> u32 {
        let next = self.next[i];
        self.fails[i] += 1;
        if self.fails[i] >= MAX_FAILS {
            self.unlink(i);
        }
        next
    }
}

impl Segmenter {
    /// The segmenter of `entries` (see [`Entries`]).
    pub(crate) fn new(entries: &Entries<'_>) -> Self {
        let words = entries.resolve();
        let total: usize = words.iter().map(|&(_, f)| f).sum();
        // Dense codes, the commonest characters of the words first (the nodes' children
        // then sit close together); the words as code strings.
        let mut bmp = vec![0u32; 0x1_0000].into_boxed_slice();
        let mut astral: FxHashMap<char, u32> = FxHashMap::default();
        let mut bmp_counts = vec![0usize; 0x1_0000];
        let mut counts: FxHashMap<char, usize> = FxHashMap::default();
        for (w, _) in &words {
            for c in w.chars() {
                match bmp_counts.get_mut(c as usize) {
                    Some(n) => *n += 1,
                    None => *counts.entry(c).or_insert(0) += 1,
                }
            }
        }
        let mut alphabet: Vec<(char, usize)> = counts.into_iter().collect();
        alphabet.extend(
            (0..0x1_0000u32)
                .filter_map(|c| Some((char::from_u32(c)?, bmp_counts[c as usize])))
                .filter(|&(_, n)| n > 0),
        );
        alphabet.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (k, &(c, _)) in alphabet.iter().enumerate() {
            let code = k as u32 + 1;
            match bmp.get_mut(c as usize) {
                Some(slot) => *slot = code,
                None => {
                    astral.insert(c, code);
                }
            }
        }
        let alphabet = alphabet.len() as u32;
        let code_of = |c: char| match bmp.get(c as usize) {
            Some(&k) => k,
            None => astral.get(&c).copied().unwrap_or(0),
        };
        let mut codes: Vec<u32> = Vec::with_capacity(words.len() * 3);
        let mut starts: Vec<u32> = Vec::with_capacity(words.len() + 1);
        for (w, _) in &words {
            starts.push(codes.len() as u32);
            codes.extend(w.chars().map(code_of));
        }
        starts.push(codes.len() as u32);
        let word = |i: usize| &codes[starts[i] as usize..starts[i + 1] as usize];

        let empty = Cell {
            base: 0,
            check: FREE,
            log_freq: f64::NAN,
        };
        let mut cells = vec![empty; codes.len() + alphabet as usize + 2];
        let mut free = FreeList::new(cells.len());
        // (cell, first word, past the last word, depth) of each node to place.
        // A level of the trie at a time: (cell, first word, past the last word) of its
        // nodes; each node's children (code, first word, past the last word) gathered,
        // then the nodes placed most children first (first fit decreasing: the large
        // sets go while the array is still sparse, the small ones fill the gaps).
        let mut level: Vec<(u32, usize, usize)> = vec![(0, 0, words.len())];
        let mut kids: Vec<(u32, usize, usize)> = Vec::new();
        let mut nodes: Vec<(u32, usize, usize)> = Vec::new();
        let mut next: Vec<(u32, usize, usize)> = Vec::new();
        let mut depth = 0;
        // Per number of children (bucketed by powers of two) where the last such node's
        // least child went.
        let mut from = [0u32; 33];
        while !level.is_empty() {
            kids.clear();
            nodes.clear();
            for &(node, mut lo, hi) in &level {
                if lo < hi && word(lo).len() == depth {
                    cells[node as usize].log_freq = (words[lo].1 as f64).ln();
                    lo += 1;
                }
                let k0 = kids.len();
                let mut i = lo;
                while i < hi {
                    let c = word(i)[depth];
                    let mut j = i + 1;
                    while j < hi && word(j)[depth] == c {
                        j += 1;
                    }
                    kids.push((c, i, j));
                    i = j;
                }
                if kids.len() > k0 {
                    // Least code first: the low codes are the common characters, whose
                    // cells are the most contended, so a place that fails fails soon.
                    kids[k0..].sort_unstable_by_key(|&(c, _, _)| c);
                    nodes.push((node, k0, kids.len()));
                }
            }
            nodes.sort_by_key(|&(_, a, b)| std::cmp::Reverse(b - a));
            next.clear();
            for &(node, k0, k1) in &nodes {
                let kids = &kids[k0..k1];
                let first = kids[0].0;
                let base = if node == 0 {
                    0u32
                } else {
                    // The first free cell where the least code's child fits with all
                    // the others (every child's cell is then at or past it), from where
                    // the last node with about as many children went: the cells before
                    // it were too crowded for that one, and have only filled since.
                    let bucket = (usize::BITS - (kids.len() - 1).leading_zeros()) as usize;
                    let mut p = if bucket == 0 {
                        free.head()
                    } else {
                        free.linked_from(from[bucket])
                    };
                    let p = loop {
                        if p == NIL {
                            p = free.len() as u32;
                        }
                        let b = p.wrapping_sub(first);
                        unsafe { CANDS += 1; }
                        let fits = kids.iter().all(|&(c, _, _)| {
                            unsafe { KIDCHK += 1; }
                            let t = b.wrapping_add(c) as usize;
                            t > 0 && (t >= free.len() || !free.used[t])
                        });
                        if fits {
                            break p;
                        }
                        p = if (p as usize) < free.len() {
                            free.fail(p as usize)
                        } else {
                            p + 1
                        };
                    };
                    from[bucket] = p;
                    p.wrapping_sub(first)
                };
                cells[node as usize].base = base;
                for &(c, i, j) in kids {
                    let t = base.wrapping_add(c) as usize;
                    if t >= free.len() {
                        free.grow(t + 1);
                    }
                    if t >= cells.len() {
                        cells.resize(free.len(), empty);
                    }
                    free.take(t);
                    cells[t].check = node;
                    next.push((t as u32, i, j));
                }
            }
            std::mem::swap(&mut level, &mut next);
            depth += 1;
        }
        unsafe { eprintln!("cands {CANDS} kidchk {KIDCHK} cells {} alphabet {alphabet} words {}", cells.len(), words.len()); }
        let last = (0..cells.len()).rev().find(|&i| cells[i].check != FREE);
        cells.truncate(last.map_or(1, |l| l + 1));
        cells[0].check = FREE - 1;
        eprintln!("final cells {}", cells.len());
        Segmenter {
            bmp,
            astral,
            cells: cells.into_boxed_slice(),
            log_total: (total as f64).ln(),
        }
    }

    /// The code of `c`, 0 when no word has it.
    #[inline(always)]
    fn code(&self, c: char) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&k) => k,
            None => self.astral.get(&c).copied().unwrap_or(0),
        }
    }

    /// Cuts `s` as `jieba_rs::Jieba::cut(s, false)` does, calling `emit` with the byte
    /// range of each token in order.
    pub(crate) fn cut(&self, s: &str, scratch: &mut Scratch, mut emit: impl FnMut(usize, usize)) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let (c, len) = decode(b, i);
            if is_han_default(c) {
                let start = i;
                scratch.chars.clear();
                scratch.chars.push((0, self.code(c)));
                i += len;
                while i < b.len() {
                    let (c, len) = decode(b, i);
                    if !is_han_default(c) {
                        break;
                    }
                    scratch.chars.push(((i - start) as u32, self.code(c)));
                    i += len;
                }
                self.cut_block(&b[start..i], start, scratch, &mut emit);
            } else if c == '\r' && b.get(i + 1) == Some(&b'\n') {
                emit(i, i + 2);
                i += 2;
            } else {
                emit(i, i + len);
                i += len;
            }
        }
    }

    /// Cuts the dictionary block `block` (at byte `at`), whose characters are in
    /// `scratch.chars`.
    fn cut_block(
        &self,
        block: &[u8],
        at: usize,
        scratch: &mut Scratch,
        emit: &mut impl FnMut(usize, usize),
    ) {
        let Scratch { chars, route } = scratch;
        let n = chars.len();
        let cells = &*self.cells;
        let log_total = self.log_total;
        route.clear();
        route.resize(n + 1, (0.0, n as u32));
        // jieba's `calc`: from the end back; of the words starting at a character the
        // most probable, the longest on a tie (the words come shortest first, so a
        // later one wins a tie).
        for idx in (0..n).rev() {
            let mut best: Option<(f64, u32)> = None;
            let mut node = 0usize;
            let mut k = idx;
            loop {
                let t = cells[node].base.wrapping_add(chars[k].1) as usize;
                let Some(cell) = cells.get(t).filter(|c| c.check == node as u32) else {
                    break;
                };
                node = t;
                k += 1;
                if !cell.log_freq.is_nan() {
                    let prob = cell.log_freq - log_total + route[k].0;
                    // (`>=` is jieba's `>`, or `==` with a longer word)
                    match best {
                        Some((p, _)) if !(prob >= p) => {}
                        _ => best = Some((prob, k as u32)),
                    }
                }
                if k == n {
                    break;
                }
            }
            route[idx] = best.unwrap_or(((0.0 - log_total) + route[idx + 1].0, idx as u32 + 1));
        }
        // jieba's `cut_route` without the HMM: a run of single ASCII letters or digits
        // is one token.
        let byte = |x: usize| at + chars.get(x).map_or(block.len(), |&(o, _)| o as usize);
        let mut x = 0;
        let mut left: Option<usize> = None;
        while x < n {
            let y = route[x].1 as usize;
            if y - x == 1 && block[chars[x].0 as usize].is_ascii_alphanumeric() {
                left.get_or_insert(x);
            } else {
                if let Some(l) = left.take() {
                    emit(byte(l), byte(x));
                }
                emit(byte(x), byte(y));
            }
            x = y;
        }
        if let Some(l) = left {
            emit(byte(l), byte(n));
        }
    }
}
