//! Jumps of [`Rng`]'s stream: the state `d` steps ahead without the `d` steps.
//!
//! xoshiro256's step `T` is linear over GF(2) on its 256 state bits, so with `p` the
//! characteristic polynomial of `T` (degree 256; Cayley–Hamilton gives `p(T) = 0`)
//! and `j(x) = xᵈ mod p(x)`, `Tᵈ = j(T)`: the state `d` steps ahead is the sum (xor)
//! of `Tⁱ(s)` over the bits `i` of `j` (Haramoto et al. 2008, "Efficient jump ahead
//! for F₂-linear random number generators"). `p` is found once from the state's own
//! bit sequence (Berlekamp–Massey).

use super::resample::Rng;
use std::sync::OnceLock;

/// A polynomial over GF(2) of degree below 512, bit `i` of word `i / 64` the
/// coefficient of `xⁱ`.
type Poly = [u64; 8];

/// The characteristic polynomial of xoshiro256's step (degree 256: bit 256 set).
fn charpoly() -> &'static Poly {
    static P: OnceLock<Poly> = OnceLock::new();
    P.get_or_init(|| {
        // Bit 0 of the first state word over 512 steps: a sequence whose shortest
        // linear recurrence is `p`'s (p is irreducible: the stream has period 2²⁵⁶ − 1).
        let mut rng = Rng::new(0x5EED);
        let bits: Vec<u8> = (0..512)
            .map(|_| {
                let b = (rng.s[0] & 1) as u8;
                rng.next_u64();
                b
            })
            .collect();
        let (c, l) = berlekamp_massey(&bits);
        // The recurrence `s[n] = Σ c[i] s[n − i]` has characteristic polynomial
        // `xˡ + c[1] xˡ⁻¹ + … + c[l]`.
        let mut p = [0u64; 8];
        for (i, &ci) in c.iter().enumerate().take(l + 1) {
            if ci != 0 {
                let e = l - i;
                p[e / 64] |= 1 << (e % 64);
            }
        }
        p
    })
}

/// The shortest linear recurrence of `s` over GF(2): its connection polynomial's
/// coefficients (`c[0] = 1`) and its length.
fn berlekamp_massey(s: &[u8]) -> (Vec<u8>, usize) {
    let n = s.len();
    let mut c = vec![0u8; n + 1];
    let mut b = vec![0u8; n + 1];
    c[0] = 1;
    b[0] = 1;
    let (mut l, mut m) = (0usize, 1usize);
    for i in 0..n {
        let mut d = s[i];
        for j in 1..=l {
            d ^= c[j] & s[i - j];
        }
        if d == 0 {
            m += 1;
            continue;
        }
        let before = c.clone();
        for j in 0..=n - m {
            c[j + m] ^= b[j];
        }
        if 2 * l <= i {
            l = i + 1 - l;
            b = before;
            m = 1;
        } else {
            m += 1;
        }
    }
    (c, l)
}

/// `a · b mod p` (`a`, `b` of degree below 256).
fn mul_mod(a: &Poly, b: &Poly, p: &Poly) -> Poly {
    let mut prod = [0u64; 8];
    for i in 0..256 {
        if b[i / 64] >> (i % 64) & 1 != 0 {
            let (w, sh) = (i / 64, i % 64);
            for k in 0..4 {
                prod[k + w] ^= a[k] << sh;
                if sh != 0 {
                    prod[k + w + 1] ^= a[k] >> (64 - sh);
                }
            }
        }
    }
    reduce(prod, p)
}

/// `a mod p` for `a` of degree below 512 and `p` of degree 256.
fn reduce(mut a: Poly, p: &Poly) -> Poly {
    for i in (256..512).rev() {
        if a[i / 64] >> (i % 64) & 1 != 0 {
            let (w, sh) = ((i - 256) / 64, (i - 256) % 64);
            for k in 0..5 {
                if k + w < 8 {
                    a[k + w] ^= p[k] << sh;
                }
                if sh != 0 && k + w + 1 < 8 {
                    a[k + w + 1] ^= p[k] >> (64 - sh);
                }
            }
        }
    }
    a
}

/// A jump of a fixed number of steps: `xᵈ mod p`.
pub(super) struct Jump(Poly);

impl Jump {
    /// The jump of `d` steps.
    pub(super) fn new(d: u64) -> Self {
        let p = charpoly();
        let mut j = [0u64; 8];
        j[0] = 1;
        let mut x = [0u64; 8];
        x[0] = 2;
        for bit in (0..64 - d.leading_zeros()).rev() {
            j = mul_mod(&j, &j, p);
            if d >> bit & 1 != 0 {
                j = mul_mod(&j, &x, p);
            }
        }
        Jump(j)
    }

    /// `rng`'s state after the jump's `d` steps (`rng` itself is not moved).
    pub(super) fn apply(&self, rng: &Rng) -> Rng {
        let mut s = rng.clone();
        let mut acc = [0u64; 4];
        for i in 0..256 {
            if self.0[i / 64] >> (i % 64) & 1 != 0 {
                for (a, w) in acc.iter_mut().zip(s.s) {
                    *a ^= w;
                }
            }
            s.next_u64();
        }
        Rng { s: acc }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_step_has_degree_256() {
        let p = charpoly();
        assert_eq!(p[4], 1, "x^256 and nothing above");
        assert!(p[5..].iter().all(|&w| w == 0));
        assert_eq!(p[0] & 1, 1, "the step is invertible");
    }

    #[test]
    fn a_jump_lands_where_the_steps_do() {
        for (seed, d) in [
            (1u64, 0u64),
            (2, 1),
            (3, 2),
            (4, 255),
            (5, 256),
            (6, 1000),
            (7, 54_321),
        ] {
            let start = Rng::new(seed);
            let mut stepped = start.clone();
            for _ in 0..d {
                stepped.next_u64();
            }
            assert_eq!(Jump::new(d).apply(&start), stepped, "{d} steps");
        }
    }
}
