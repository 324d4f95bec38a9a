//! The settings requests follow: 办结时限 by type (working days) and the rates' weights and
//! window. Stored in `app_settings` as JSON; defaults from docs/DOMAIN.md.

use super::{RequestKind, Urgency};
use crate::calendar::Calendar;
use crate::db::settings::{read_json, write_json};
use crate::error::{Error, Result};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 办结时限 in working days after the day of receipt, by type. 紧急 overrides: the same day,
/// or the next working day when received on a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DeadlineRules {
    pub consult: u32,
    pub help: u32,
    pub complaint: u32,
    pub report: u32,
    pub suggestion: u32,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules {
            consult: 3,
            help: 3,
            complaint: 13,
            report: 13,
            suggestion: 13,
        }
    }
}

impl DeadlineRules {
    pub fn days(&self, kind: RequestKind) -> u32 {
        match kind {
            RequestKind::Consult => self.consult,
            RequestKind::Help => self.help,
            RequestKind::Complaint => self.complaint,
            RequestKind::Report => self.report,
            RequestKind::Suggestion => self.suggestion,
        }
    }

    /// The deadline of a request received on `received`: the end of the Nth working day after
    /// it (that day itself not counted); 紧急 the same day or the next working day.
    pub fn deadline(
        &self,
        cal: &Calendar,
        kind: RequestKind,
        urgency: Urgency,
        received: NaiveDate,
    ) -> NaiveDate {
        match urgency {
            Urgency::Urgent => cal.same_or_next_working_day(received),
            _ => cal.add_working_days(received, self.days(kind)),
        }
    }
}

/// How the three rates are computed (no national formula: the report prints this one).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RateSettings {
    /// 基本满意 counts this much of 满意 in 满意率 (default 0.9).
    pub basic_weight: f64,
    /// 响应率: first response within this many working days of receipt (default 1).
    pub response_window_days: u32,
}

impl Default for RateSettings {
    fn default() -> Self {
        RateSettings {
            basic_weight: 0.9,
            response_window_days: 1,
        }
    }
}

pub(crate) fn read_deadline_rules(c: &Connection) -> Result<DeadlineRules> {
    read_json(c, "deadline_rules")
}

pub(crate) fn read_rate_settings(c: &Connection) -> Result<RateSettings> {
    read_json(c, "rate_settings")
}

pub fn deadline_rules(store: &Store) -> Result<DeadlineRules> {
    store.read(read_deadline_rules)
}

pub fn save_deadline_rules(store: &Store, rules: &DeadlineRules) -> Result<()> {
    for (field, label, v) in [
        ("consult", "咨询", rules.consult),
        ("help", "求助", rules.help),
        ("complaint", "投诉", rules.complaint),
        ("report", "举报", rules.report),
        ("suggestion", "建议", rules.suggestion),
    ] {
        if !(1..=60).contains(&v) {
            return Err(Error::invalid(
                field,
                format!("{label}类诉求的办结时限“{v}”个工作日不合理，应在 1 到 60 之间。"),
            ));
        }
    }
    store.write(|tx| write_json(tx, "deadline_rules", rules))
}

pub fn rate_settings(store: &Store) -> Result<RateSettings> {
    store.read(read_rate_settings)
}

pub fn save_rate_settings(store: &Store, s: &RateSettings) -> Result<()> {
    if !(0.0..=1.0).contains(&s.basic_weight) || s.basic_weight.is_nan() {
        return Err(Error::invalid(
            "basicWeight",
            format!(
                "“基本满意”的权重 {} 不合理，应在 0 到 1 之间（默认 0.9）。",
                s.basic_weight
            ),
        ));
    }
    if !(1..=10).contains(&s.response_window_days) {
        return Err(Error::invalid(
            "responseWindowDays",
            format!(
                "响应时限 {} 个工作日不合理，应在 1 到 10 之间（默认 1）。",
                s.response_window_days
            ),
        ));
    }
    store.write(|tx| write_json(tx, "rate_settings", s))
}

/// The operator named in history rows: the one chosen at start (`Store::set_operator`), else
/// the township's contact person, or 联络员.
pub(crate) fn operator(c: &Connection) -> Result<String> {
    let chosen: Option<String> = c.query_row("SELECT mq_operator()", [], |r| r.get(0))?;
    if let Some(n) = chosen {
        return Ok(n);
    }
    let name: Option<String> = c
        .query_row(
            "SELECT value FROM app_settings WHERE key = 'operator'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
        return Ok(n);
    }
    let contact: String = c.query_row(
        "SELECT contact_person FROM township WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(if contact.trim().is_empty() {
        "联络员".into()
    } else {
        contact
    })
}
