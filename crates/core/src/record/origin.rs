//! Where a run was measured, as a record writes and reads it.

use serde::{Deserialize, Serialize};

use crate::experiment::Build;

/// Where a run was measured. Written `{"kind": "page", "build": …}` or
/// `{"kind": "python"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", try_from = "OriginFile")]
pub enum Origin {
    /// In this page, by the given build.
    Page {
        /// The build that ran it.
        build: Build,
    },
    /// By CPython, running the experiment's Python twin.
    Python,
}

/// [`Origin`] as read: a plain struct, so that reading it needs none of the
/// buffering an internally tagged enum costs (some 3 KB of the wasm).
#[derive(Deserialize)]
struct OriginFile {
    kind: OriginKind,
    #[serde(default)]
    build: Option<Build>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OriginKind {
    Page,
    Python,
}

impl TryFrom<OriginFile> for Origin {
    type Error = &'static str;

    fn try_from(file: OriginFile) -> Result<Origin, &'static str> {
        match (file.kind, file.build) {
            (OriginKind::Page, Some(build)) => Ok(Origin::Page { build }),
            (OriginKind::Page, None) => Err("a page run names its build"),
            (OriginKind::Python, _) => Ok(Origin::Python),
        }
    }
}
