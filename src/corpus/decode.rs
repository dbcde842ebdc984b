//! Byte decoding: BOMs, UTF-8, and detection of GB18030/GBK, Big5 and other legacy
//! encodings with `chardetng`.

use encoding_rs::{Encoding, BIG5, GB18030, UTF_8};

/// Text decoded from bytes, with what was detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (BOM removed).
    pub text: String,
    /// Encoding name as recorded in the report (`UTF-8`, `UTF-8-BOM`, `UTF-16LE`,
    /// `GB18030`, `Big5`, …).
    pub encoding: String,
    /// Number of malformed sequences replaced with U+FFFD.
    pub replaced: usize,
}

/// Why bytes could not be taken as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// NUL bytes or a high share of control bytes: an image, archive or other binary.
    #[error("binary content (NUL or control bytes), not text")]
    Binary,
}

/// Decodes a file's bytes.
///
/// Order: a BOM decides (UTF-8, UTF-16LE/BE); then valid UTF-8 is UTF-8; then
/// `chardetng` guesses among legacy encodings (GBK is decoded as its superset GB18030).
/// Bytes that are not valid in the chosen encoding become U+FFFD and are counted.
///
/// ```
/// use duibi::corpus::decode::decode;
/// let (gbk, _, _) = encoding_rs::GBK.encode("监管部门要求清退虚拟货币挖矿项目，关停矿场。");
/// let d = decode(&gbk).unwrap();
/// assert_eq!(d.encoding, "GB18030");
/// assert!(d.text.starts_with("监管部门"));
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_general(bytes)
}

/// [`decode`] of bytes the caller gives up: valid UTF-8 without a BOM (most files)
/// becomes the text in place, without a copy. The result equals `decode(&bytes)`.
///
/// ```
/// use duibi::corpus::decode::{decode, decode_owned};
/// let b = "挖矿 hash rate".as_bytes().to_vec();
/// assert_eq!(decode_owned(b.clone()), decode(&b));
/// ```
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if Encoding::for_bom(&bytes).is_some() || looks_binary(&bytes) {
        return decode_general(&bytes);
    }
    if !valid_utf8(&bytes) {
        return decode_general(&bytes);
    }
    // SAFETY: `valid_utf8` has just checked that all of `bytes` is UTF-8.
    let text = unsafe { String::from_utf8_unchecked(bytes) };
    Ok(Decoded {
        text,
        encoding: "UTF-8".into(),
        replaced: 0,
    })
}

/// Whether a file whose first 8 KiB (or all, when shorter) are `head` has no
/// byte-order mark and does not look binary: then, when it is UTF-8,
/// [`decode_owned`] gives its bytes as they are, labelled `UTF-8`.
pub(crate) fn plain_utf8_head(head: &[u8]) -> bool {
    Encoding::for_bom(head).is_none() && !looks_binary(head)
}

/// Bytes [`looks_binary`] reads.
pub(crate) const HEAD_BYTES: usize = 8192;

/// Whether `bytes` are UTF-8 ([`std::str::from_utf8`] is `Ok`), by `simdutf8`: the
/// same answer (pinned by test) at a fraction of the instructions on text that is
/// not ASCII, as Chinese is.
pub(crate) fn valid_utf8(bytes: &[u8]) -> bool {
    simdutf8::basic::from_utf8(bytes).is_ok()
}

/// [`decode`] itself.
fn decode_general(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let name = if enc == UTF_8 {
            "UTF-8-BOM".to_string()
        } else {
            enc.name().to_string()
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let replaced = if had_errors {
            count_replacements(&text)
        } else {
            0
        };
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: name,
            replaced,
        });
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            encoding: "UTF-8".into(),
            replaced: 0,
        });
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == encoding_rs::GBK {
        enc = GB18030;
    }
    // UTF-16 without BOM is not guessed: it looks binary (NUL bytes) and was refused above.
    let (text, _, had_errors) = enc.decode(bytes);
    let mut replaced = if had_errors {
        count_replacements(&text)
    } else {
        0
    };
    let mut name = if enc == GB18030 {
        "GB18030".to_string()
    } else {
        enc.name().to_string()
    };
    // A guess that yields many replacement characters is worse than lossy UTF-8.
    if replaced > 0 && enc != GB18030 && enc != BIG5 {
        let lossy = String::from_utf8_lossy(bytes);
        let r = count_replacements(&lossy);
        if r < replaced {
            replaced = r;
            name = "UTF-8 (lossy)".into();
            return Ok(Decoded {
                text: lossy.into_owned(),
                encoding: name,
                replaced,
            });
        }
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: name,
        replaced,
    })
}

fn count_replacements(s: &str) -> usize {
    s.chars().filter(|&c| c == '\u{FFFD}').count()
}

/// True when the first 8 KiB hold a NUL byte or mostly control bytes.
///
/// Every file is asked this (twice in a directory run: by the scan and by the
/// analysis pass), so where the CPU has 256-bit vectors the count runs on them
/// ([`looks_binary_avx2`]: 32 bytes classified by two table lookups, the same count).
fn looks_binary(bytes: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU runs AVX2 (checked just above).
        return unsafe { looks_binary_avx2(bytes) };
    }
    looks_binary_in(bytes)
}

/// Whether byte `b` is counted as a control byte by [`looks_binary`].
const fn counted(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B)
}

/// For each low nibble `n`: bit 0 when byte `0x0n` is counted, bit 1 when `0x1n` is.
const LOW_NIBBLE: [u8; 16] = {
    let mut t = [0u8; 16];
    let mut n = 0;
    while n < 16 {
        t[n] = counted(n as u8) as u8 | (counted(0x10 | n as u8) as u8) << 1;
        n += 1;
    }
    t
};

/// For each high nibble: the bit of [`LOW_NIBBLE`] that speaks for it (none above 1).
const HIGH_NIBBLE: [u8; 16] = [1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// [`looks_binary_in`] on 256-bit vectors: a byte is counted when its entries in
/// [`LOW_NIBBLE`] and [`HIGH_NIBBLE`] share a bit (each looked up for 32 bytes at
/// once), the counts summed in byte lanes (at most 255 vectors between two sums) and
/// NUL bytes found in the same pass; the last bytes short of a vector one by one.
///
/// # Safety
/// The CPU must run AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn looks_binary_avx2(bytes: &[u8]) -> bool {
    use std::arch::x86_64::*;
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    // SAFETY (both loads): each table holds 16 bytes, read unaligned.
    let low = _mm256_broadcastsi128_si256(_mm_loadu_si128(LOW_NIBBLE.as_ptr().cast()));
    let high = _mm256_broadcastsi128_si256(_mm_loadu_si128(HIGH_NIBBLE.as_ptr().cast()));
    let (nibble, one, zero) = (
        _mm256_set1_epi8(0x0F),
        _mm256_set1_epi8(1),
        _mm256_setzero_si256(),
    );
    let mut ctrl = 0usize;
    let mut nul = zero;
    let (vectors, at) = (head.len() / 32, head.as_ptr());
    let mut k = 0;
    while k < vectors {
        // At most 255 vectors between two sums of the byte lanes.
        let stop = vectors.min(k + 255);
        let mut lanes = zero;
        while k < stop {
            // SAFETY: `k < head.len() / 32`, so the 32 bytes at `32 k` are in `head`
            // (read unaligned).
            let v = _mm256_loadu_si256(at.add(32 * k).cast());
            let lo = _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble));
            let hi = _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
            lanes = _mm256_add_epi8(lanes, _mm256_min_epu8(_mm256_and_si256(lo, hi), one));
            nul = _mm256_or_si256(nul, _mm256_cmpeq_epi8(v, zero));
            k += 1;
        }
        ctrl += lane_sum(lanes);
    }
    let rest = &head[32 * vectors..];
    let nul = _mm256_testz_si256(nul, nul) == 0 || rest.contains(&0);
    ctrl += rest.iter().filter(|&&b| counted(b)).count();
    nul || (!head.is_empty() && ctrl * 10 > head.len())
}

/// The sum of the 32 byte lanes of `v`.
///
/// # Safety
/// The CPU must run AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn lane_sum(v: std::arch::x86_64::__m256i) -> usize {
    use std::arch::x86_64::*;
    let s = _mm256_sad_epu8(v, _mm256_setzero_si256());
    let q = _mm_add_epi64(_mm256_castsi256_si128(s), _mm256_extracti128_si256::<1>(s));
    (_mm_cvtsi128_si64(q) as u64 + _mm_extract_epi64::<1>(q) as u64) as usize
}

/// [`looks_binary`] without vector code (where the CPU has no AVX2).
fn looks_binary_in(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    // Counted without branches, a block of at most 255 bytes at a time in a byte
    // counter, so the count runs on vector registers; whether there is a NUL is
    // found in the same pass.
    let (ctrl, nul) = head
        .chunks(255)
        .map(|block| {
            block.iter().fold((0u8, 0u8), |(n, z), &b| {
                let c = (b < 0x20)
                    & (b != b'\n')
                    & (b != b'\r')
                    & (b != b'\t')
                    & (b != 0x0C)
                    & (b != 0x1B);
                (n + u8::from(c), z | u8::from(b == 0))
            })
        })
        .fold((0usize, 0u8), |(n, z), (c, y)| (n + usize::from(c), z | y));
    nul != 0 || (!head.is_empty() && ctrl * 10 > head.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_decoding_equals_decoding_a_copy() {
        let (gbk, _, _) = encoding_rs::GBK.encode("监管部门要求清退虚拟货币挖矿项目，关停矿场。");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("挖矿".as_bytes());
        let mut invalid = "hash rate ".as_bytes().to_vec();
        invalid.extend_from_slice(&[0xFF, 0xC3, b'x']);
        let inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            "plain text\n".into(),
            "比特币 mining".into(),
            gbk.into_owned(),
            bom,
            vec![0xFF, 0xFE, b'a', 0],
            invalid,
            vec![0u8, 1, 2, 3],
            vec![1u8; 50],
        ];
        for b in inputs {
            assert_eq!(decode_owned(b.clone()), decode(&b), "{b:?}");
        }
    }

    /// `valid_utf8` against `std::str::from_utf8` on every sequence of one and two
    /// bytes and every lead byte with two continuation candidates, each alone and
    /// placed at every offset of a 64-byte ASCII or Chinese block (the vector
    /// validator works on blocks; a bad byte at a block's end or across two must
    /// still be found).
    #[test]
    fn fast_validation_equals_std() {
        let same = |b: &[u8]| {
            assert_eq!(valid_utf8(b), std::str::from_utf8(b).is_ok(), "{b:x?}");
        };
        let mut seqs: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            seqs.push(vec![a]);
            for b in 0..=255u8 {
                seqs.push(vec![a, b]);
            }
        }
        let conts = [0x00u8, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF];
        for a in 0xC0..=0xFFu8 {
            for &b in &conts {
                for &c in &conts {
                    seqs.push(vec![a, b, c]);
                    for &d in &conts {
                        seqs.push(vec![a, b, c, d]);
                    }
                }
            }
        }
        let ascii = "a".repeat(66);
        let han = "比特币矿场关停".repeat(4);
        for s in &seqs {
            same(s);
        }
        for s in seqs.iter().step_by(7) {
            for at in [0usize, 1, 15, 16, 31, 32, 61, 62, 63, 64] {
                for pad in [ascii.as_str(), han.as_str()] {
                    // A prefix of `at` bytes or fewer, cut at a character boundary.
                    let cut = (0..=at).rev().find(|&i| pad.is_char_boundary(i));
                    let mut t = pad.as_bytes()[..cut.unwrap_or(0)].to_vec();
                    let before = t.len();
                    t.extend_from_slice(s);
                    t.extend_from_slice(pad.as_bytes());
                    same(&t);
                    t.truncate(before + s.len());
                    same(&t);
                }
            }
        }
    }

    #[test]
    fn binary_guess_counts_control_bytes_exactly() {
        let general = |bytes: &[u8]| {
            let head = &bytes[..bytes.len().min(HEAD_BYTES)];
            let ctrl = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
                .count();
            head.contains(&0) || (!head.is_empty() && ctrl * 10 > head.len())
        };
        // Around the 10% line, with every control byte and long enough for several
        // counting blocks, below and above the 8 KiB head.
        for len in [0usize, 1, 9, 10, 11, 254, 255, 256, 1000, 8191, 8192, 9000] {
            for per in [3usize, 9, 10, 11, 40] {
                for ctrl in 0u8..0x20 {
                    let b: Vec<u8> = (0..len)
                        .map(|i| {
                            if i % per == 0 {
                                ctrl
                            } else {
                                b'a' + (i % 26) as u8
                            }
                        })
                        .collect();
                    assert_eq!(looks_binary(&b), general(&b), "{len} {per} {ctrl}");
                    assert_eq!(looks_binary_in(&b), general(&b), "{len} {per} {ctrl}");
                }
            }
        }
    }

    /// The vector count against the plain one on every byte value (those above 0x7F
    /// too, whose table lookups must find nothing) at every lane, at lengths around
    /// a vector and the head, and a count that fills one lane in every vector of the
    /// head (256 in a byte lane, past what it holds without the sums between).
    #[test]
    fn binary_guess_on_every_byte_and_lane() {
        let general = |bytes: &[u8]| {
            let head = &bytes[..bytes.len().min(HEAD_BYTES)];
            let ctrl = head.iter().filter(|&&b| counted(b)).count();
            head.contains(&0) || (!head.is_empty() && ctrl * 10 > head.len())
        };
        assert_eq!(
            (0..=255u8).filter(|&b| counted(b)).count(),
            32 - 5,
            "every byte below 0x20 but the five allowed"
        );
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in (0..70).chain([255, 256, 1000, 8160, 8191, 8192, 8193, 9000]) {
            for per in [2u64, 8, 10, 11, 30, 1000] {
                // Letters, any byte but NUL once in `per`, NUL once in a few runs.
                let nul = next() % 4 == 0;
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        let r = next();
                        if r % per == 0 {
                            (r >> 8) as u8 | u8::from(!nul)
                        } else {
                            b'a' + (r >> 8) as u8 % 26
                        }
                    })
                    .collect();
                assert_eq!(looks_binary(&b), general(&b), "{len} {per} {b:?}");
            }
        }
        for byte in 0..=255u8 {
            for at in 0..32 {
                let mut b = [b'a'; 64];
                b[at] = byte;
                b[at + 32] = byte;
                assert_eq!(looks_binary(&b[..at + 33]), general(&b[..at + 33]));
                assert_eq!(looks_binary(&b[..10]), general(&b[..10]));
            }
        }
        // One counted byte at the start of every vector of the head (256) and 564
        // elsewhere: 820 in 8192 bytes is above a tenth, 819 is not.
        for (extra, binary) in [(564, true), (563, false)] {
            let mut b = vec![b'a'; HEAD_BYTES + 100];
            for v in 0..HEAD_BYTES / 32 {
                b[v * 32] = 0x01;
            }
            for i in 0..extra {
                b[i / 31 * 32 + 1 + i % 31] = 0x1F;
            }
            assert_eq!(looks_binary(&b), binary, "{extra}");
        }
    }

    #[test]
    fn boms_and_utf16() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("挖矿".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("挖矿", "UTF-8-BOM")
        );
        let mut u16 = vec![0xFF, 0xFE];
        for unit in "hash rate 算力".encode_utf16() {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&u16).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding.as_str()),
            ("hash rate 算力", "UTF-16LE")
        );
    }

    #[test]
    fn lone_surrogate_in_utf16_is_replaced() {
        let mut u16 = vec![0xFF, 0xFE];
        for unit in [0x0061u16, 0xD800, 0x0062] {
            u16.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&u16).unwrap();
        assert_eq!(d.text, "a\u{FFFD}b");
        assert_eq!(d.replaced, 1);
    }

    #[test]
    fn big5_detected() {
        let text = "比特幣礦場遷往海外，監管機構表示歡迎。台灣的投資人對此議題十分關注，認為算力外移已成定局。";
        let (b, _, bad) = BIG5.encode(text);
        assert!(!bad);
        let d = decode(&b).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, text);
    }

    #[test]
    fn binary_refused() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn invalid_utf8_does_not_fail() {
        let d = decode(b"plain text with a bad byte \xff here and more ascii").unwrap();
        assert!(d.text.contains("plain text"));
    }
}
