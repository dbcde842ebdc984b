//! Shared by the evaluation tests: where the development data of `../shared/eval` is.

use std::path::PathBuf;

/// `../shared/eval/<name>` beside the repository (or beside the parent folder, as a git
/// worktree one level deeper sees it); `None`, with a line saying the evaluation is
/// skipped, when it is absent, as on a user's clone.
pub fn eval_data(name: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = ["../shared/eval", "../../shared/eval"]
        .iter()
        .map(|base| root.join(base).join(name))
        .find(|p| p.is_dir());
    if found.is_none() {
        eprintln!("skipping: ../shared/eval/{name} not found (development data only)");
    }
    found
}
