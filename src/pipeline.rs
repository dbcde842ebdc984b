//! Old path of [`crate::run`] (and of the per-document types of [`crate::analysis`]),
//! kept for one release.

#[doc(inline)]
pub use crate::analysis::{DocAnalysis, Scratch};
#[doc(inline)]
pub use crate::run::{LazyReport, Pipeline, PipelineBuilder, PipelineError};
