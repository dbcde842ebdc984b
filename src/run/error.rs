//! Errors of a pipeline run, one variant per failure a caller tells apart.
//!
//! Messages name the input (a path, a partial's position, a group) but never a
//! command-line flag: a front end adds its own wording, and picks its exit status with
//! [`PipelineError::kind`].

use crate::aggregate::partial::PartialError;
use crate::concepts::GlossaryError;
use crate::corpus::CorpusError;
use crate::sentiment::SentimentError;
use crate::tokenize::TokenizeError;

/// Whose fault a [`PipelineError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input or the settings are unusable (a missing group, unreadable input,
    /// partials that cannot be merged): the caller can fix them.
    Input,
    /// The run itself failed (worker threads, temporary files).
    Run,
}

/// Errors of a pipeline run.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The corpus is unusable.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// A resource (dictionary, lexicon) could not be loaded.
    #[error(transparent)]
    Tokenize(#[from] TokenizeError),
    /// A sentiment lexicon could not be loaded.
    #[error(transparent)]
    Sentiment(#[from] SentimentError),
    /// A concept glossary could not be loaded.
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    /// A line of a JSON Lines input could not be read.
    #[error("{name}: line {line}")]
    Read {
        /// Name of the input (`-` for standard input).
        name: String,
        /// Line number (from 1).
        line: usize,
        /// The read error.
        #[source]
        source: std::io::Error,
    },
    /// A partial aggregate cannot be merged.
    #[error("partial {index}: {problem}")]
    Partial {
        /// Position of the partial among those merged (from 1).
        index: usize,
        /// What is wrong with it.
        problem: PartialError,
    },
    /// Two documents have the same id.
    #[error("document id {id:?} occurs twice (shards overlap, or JSON lines lack unique ids)")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A group named for the comparison is not in the corpus.
    #[error("no group named {group:?} in the corpus (groups: {})", groups.join(", "))]
    UnknownGroup {
        /// The group asked for.
        group: String,
        /// The groups of the corpus, sorted.
        groups: Vec<String>,
    },
    /// No document could be analysed.
    #[error("{path}: no readable documents ({skipped} file(s) skipped)")]
    NoDocuments {
        /// Corpus root.
        path: String,
        /// Files skipped.
        skipped: usize,
    },
    /// The thread pool could not be built.
    #[error("cannot start {0} worker threads")]
    Threads(usize),
    /// The temporary file holding the document records could not be written or read.
    #[error("temporary file of document records: {0}")]
    TempFile(std::io::Error),
    /// The input stream could not be spooled to a temporary file (to read it twice).
    #[error("temporary copy of the input: {0}")]
    Spool(std::io::Error),
}

impl PipelineError {
    /// Whether the input and settings or the run itself failed.
    ///
    /// ```
    /// use duibi::run::{ErrorKind, PipelineError};
    /// assert_eq!(PipelineError::Threads(2).kind(), ErrorKind::Run);
    /// let e = PipelineError::DuplicateId { id: "a".into() };
    /// assert_eq!(e.kind(), ErrorKind::Input);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            PipelineError::Threads(_) | PipelineError::TempFile(_) | PipelineError::Spool(_) => {
                ErrorKind::Run
            }
            _ => ErrorKind::Input,
        }
    }
}
