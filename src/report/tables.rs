//! The per-document tables written as side files (`--tables DIR`): which tables there
//! are and the record the report keeps of each file written.
//!
//! ```
//! use duibi::report::{Table, TableFile, TableFormat, Tables};
//!
//! let t = Tables {
//!     dir: "out/tables".into(),
//!     files: vec![TableFile {
//!         table: Table::Documents,
//!         path: Table::Documents.file_name(TableFormat::Jsonl).into(),
//!         format: TableFormat::Jsonl,
//!         rows: 3,
//!     }],
//! };
//! let v = serde_json::to_value(&t)?;
//! assert_eq!(v["files"][0]["table"], "documents");
//! assert_eq!(v["files"][0]["path"], "documents.jsonl");
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// A per-document table of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// The `documents` records.
    Documents,
    /// The `doc_concepts` records.
    DocConcepts,
}

impl Table {
    /// Every per-document table, in the order they are written.
    pub const ALL: [Table; 2] = [Table::Documents, Table::DocConcepts];

    /// The report field the table replaces (`documents`, `doc_concepts`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::DocConcepts => "doc_concepts",
        }
    }

    /// The file name of the table in a tables directory.
    pub fn file_name(self, format: TableFormat) -> String {
        format!("{}.{}", self.name(), format.extension())
    }
}

/// The format of a table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    /// JSON lines: one flat JSON object per record and line
    /// (`pandas.read_json(path, lines=True)`).
    Jsonl,
    /// Parquet (`pandas.read_parquet(path)`): nested objects become dotted columns
    /// (`lang_shares.zh`), arrays JSON text.
    Parquet,
}

impl TableFormat {
    /// The file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Jsonl => "jsonl",
            TableFormat::Parquet => "parquet",
        }
    }
}

impl std::str::FromStr for TableFormat {
    type Err = String;

    /// `jsonl` or `parquet`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "jsonl" => Ok(TableFormat::Jsonl),
            "parquet" => Ok(TableFormat::Parquet),
            _ => Err(format!("unknown table format {s:?} (jsonl or parquet)")),
        }
    }
}

/// One table file written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TableFile {
    /// Which table.
    pub table: Table,
    /// The file, relative to [`Tables::dir`].
    pub path: String,
    /// Its format.
    pub format: TableFormat,
    /// Number of records (lines) in it.
    pub rows: u64,
}

/// The per-document tables written beside the report (since 2.1.0): with them, the
/// report's `documents` and `doc_concepts` arrays are empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tables {
    /// The directory of the files, as given to the writer.
    pub dir: String,
    /// The files written, one per table.
    pub files: Vec<TableFile>,
}
