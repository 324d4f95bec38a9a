//! The shapes every list shares: one page of rows filtered, sorted and paged in SQL, and the
//! id-with-a-name pairs pickers and rows show.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One page of a list that was filtered, sorted and paged in SQL.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Page<T: TS> {
    /// Rows matching the filter, over all pages.
    pub total: i64,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
    pub rows: Vec<T>,
}

/// `(page, page_size)` clamped to sane values: page ≥ 1, 1 ≤ size ≤ 500.
pub fn page_bounds(page: u32, page_size: u32) -> (u32, u32, i64) {
    let page = page.max(1);
    let size = page_size.clamp(1, 500);
    (page, size, (page as i64 - 1) * size as i64)
}

/// An id with the name a user reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}
