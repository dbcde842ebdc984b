//! Reading back the numbers a report could not compute.
//!
//! A statistic that cannot be computed (an interval with fewer than two units, a mean
//! over no sentences) is NaN, which JSON writes as `null` (the schema admits `null` for
//! every number). Every `f64` field of the record types reads `null` back as NaN
//! through [`f64_or_nan`], so a report duibi wrote always loads again, whatever it
//! could not compute.

use serde::{Deserialize, Deserializer};

/// A number, or NaN where the report holds `null`.
pub(crate) fn f64_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct R {
        #[serde(deserialize_with = "super::f64_or_nan")]
        x: f64,
    }

    #[test]
    fn null_reads_as_nan_and_numbers_as_themselves() {
        let r: R = serde_json::from_str(r#"{"x": null}"#).unwrap();
        assert!(r.x.is_nan());
        let r: R = serde_json::from_str(r#"{"x": -0.25}"#).unwrap();
        assert_eq!(r.x, -0.25);
        assert!(serde_json::from_str::<R>(r#"{"x": "a"}"#).is_err());
    }
}
