//! The comparison's permutation tests (sentiment differences, per language, and the
//! concepts' tone), drawn together before the records that read them: one batch
//! ([`stats::permutation_p_values`]) steps up to four tests' streams at once.

use super::units::seed_for;
use crate::report::CompareOptions;
use crate::stats::{self, PermutationTest};
use std::collections::BTreeMap;

/// One test to draw: its tag (which seeds it) and the units of both sides.
pub(super) struct Input {
    /// The test's tag ([`seed_for`] its seed).
    pub tag: String,
    /// `(sum, weight)` of the units of A.
    pub a: Vec<(f64, f64)>,
    /// Those of B.
    pub b: Vec<(f64, f64)>,
}

/// The p-values of a comparison's permutation tests, by tag.
#[derive(Default)]
pub(super) struct PValues(BTreeMap<String, f64>);

impl PValues {
    /// Draws every test of `inputs` (in two batches on two threads when the pool has
    /// more than one, split by their most draws; the p-values are the same).
    pub fn draw(inputs: Vec<Input>, opts: &CompareOptions) -> Self {
        let batch = |xs: &[&Input]| -> Vec<(String, f64)> {
            let tests: Vec<PermutationTest> = xs
                .iter()
                .map(|x| PermutationTest {
                    a: &x.a,
                    b: &x.b,
                    reps: opts.reps,
                    stop_after: opts.permutation_stop,
                    seed: seed_for(opts.seed, &x.tag),
                })
                .collect();
            let ps = stats::permutation_p_values(&tests);
            xs.iter().map(|x| x.tag.clone()).zip(ps).collect()
        };
        let mut halves: [Vec<&Input>; 2] = [Vec::new(), Vec::new()];
        if rayon::current_num_threads() > 1 {
            // Largest first, each to the lighter half.
            let draws = |x: &Input| x.a.len().min(x.b.len());
            let mut order: Vec<&Input> = inputs.iter().collect();
            order.sort_by_key(|x| std::cmp::Reverse(draws(x)));
            let mut load = [0usize; 2];
            for x in order {
                let h = usize::from(load[1] < load[0]);
                load[h] += draws(x);
                halves[h].push(x);
            }
        } else {
            halves[0] = inputs.iter().collect();
        }
        let [h0, h1] = &halves;
        let (p0, p1) = rayon::join(|| batch(h0), || batch(h1));
        PValues(p0.into_iter().chain(p1).collect())
    }

    /// The p-value of the test tagged `tag`: as drawn, or (a test not drawn before)
    /// drawn now over the units `units` gives.
    pub fn get(
        &self,
        tag: &str,
        units: impl FnOnce() -> (Vec<(f64, f64)>, Vec<(f64, f64)>),
        opts: &CompareOptions,
    ) -> f64 {
        if let Some(&p) = self.0.get(tag) {
            return p;
        }
        let (a, b) = units();
        stats::permutation_p_value_sequential(
            &a,
            &b,
            opts.reps,
            opts.permutation_stop,
            seed_for(opts.seed, tag),
        )
    }
}
