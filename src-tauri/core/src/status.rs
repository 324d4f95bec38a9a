//! What the desktop app reports about itself at start: where the data is, whether the
//! database opened, whether the first-start question was answered.

use crate::error::{ErrorPayload, Result};
use crate::register::township::{self, Township};
use crate::Store;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    pub db_path: String,
    /// Why the database could not be opened; the UI shows it instead of the app.
    pub error: Option<ErrorPayload>,
    pub schema_version: Option<i64>,
    /// The first start's question (示例乡镇 / 空白) was answered.
    pub setup_done: bool,
    pub township: Option<Township>,
    /// The date the app takes as today (the clock, or `--today`).
    #[ts(type = "string")]
    pub today: chrono::NaiveDate,
    /// Who is working (chosen at start); None until chosen.
    pub operator: Option<String>,
    /// Operators chosen before on this database, most recent first.
    pub known_operators: Vec<String>,
}

/// Progress of long work (demo, import, planning, export), sent to the UI as it goes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

pub fn app_status(
    store: Option<&Store>,
    data_dir: &Path,
    db_path: &Path,
    error: Option<ErrorPayload>,
    today: chrono::NaiveDate,
) -> Result<AppStatus> {
    let (schema_version, setup_done, township, operator, known_operators) = match store {
        Some(s) => (
            Some(s.schema_version()?),
            township::setup_done(s)?,
            Some(township::get_township(s)?),
            s.operator(),
            crate::audit::known_operators(s)?,
        ),
        None => (None, false, None, None, Vec::new()),
    };
    Ok(AppStatus {
        version: crate::VERSION.to_string(),
        data_dir: data_dir.display().to_string(),
        db_path: db_path.display().to_string(),
        error,
        schema_version,
        setup_done,
        township,
        today,
        operator,
        known_operators,
    })
}
