//! Reading the ledger: the paged, filtered list (colours computed in SQL for "today"), one
//! request with its timeline, and the colour counts of the 工作台.

use super::{
    Colour, Handling, Outcome, RequestKind, Satisfaction, Source, Status, Urgency, OPEN_SQL,
};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::paging::{page_bounds, Page};
use crate::privacy::mask_phone;
use crate::Store;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: i64,
    /// When it was recorded.
    pub at: String,
    /// The day it happened.
    #[ts(type = "string")]
    pub on_date: NaiveDate,
    pub operator: String,
    pub action: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub note: String,
}

/// One request with everything the detail page shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub id: i64,
    pub number: String,
    pub source: Source,
    pub household_id: Option<i64>,
    pub requester_name: String,
    pub requester_phone: String,
    pub village_id: i64,
    pub village_name: String,
    pub visit_id: Option<i64>,
    pub kind: RequestKind,
    pub category_id: i64,
    pub category: String,
    pub urgency: Urgency,
    pub handling: Option<Handling>,
    pub content: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
    pub status: Status,
    pub colour: Option<Colour>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub handler: String,
    #[ts(type = "string | null")]
    pub first_response_on: Option<NaiveDate>,
    pub extended: bool,
    pub behind: bool,
    pub result: String,
    pub reply: String,
    pub outcome: Option<Outcome>,
    #[ts(type = "string | null")]
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<Satisfaction>,
    #[ts(type = "string | null")]
    pub reviewed_on: Option<NaiveDate>,
    pub reopened: i64,
    /// Working days left until the deadline (negative: overdue by that many).
    pub working_days_left: Option<i64>,
    /// e.g. the deadline falls in a year without a holiday table.
    pub warnings: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

/// A ledger row: the phone masked, the content cut short.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RequestRow {
    pub id: i64,
    pub number: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    pub source: Source,
    pub requester_name: String,
    pub phone_masked: String,
    pub village_name: String,
    pub kind: RequestKind,
    pub category: String,
    pub urgency: Urgency,
    pub content: String,
    pub unit_name: Option<String>,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
    pub status: Status,
    pub colour: Option<Colour>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestQuery {
    #[ts(optional)]
    pub status: Option<Status>,
    /// Only open requests (登记, 交办, 办理中).
    pub open_only: bool,
    #[ts(optional)]
    pub colour: Option<Colour>,
    /// Only overdue (red).
    pub overdue_only: bool,
    #[ts(optional)]
    pub unit_id: Option<i64>,
    #[ts(optional)]
    pub village_id: Option<i64>,
    #[ts(optional)]
    pub household_id: Option<i64>,
    #[ts(optional)]
    pub kind: Option<RequestKind>,
    #[ts(optional)]
    pub category_id: Option<i64>,
    /// Received on or after.
    #[ts(optional, type = "string")]
    pub from: Option<NaiveDate>,
    /// Received on or before.
    #[ts(optional, type = "string")]
    pub to: Option<NaiveDate>,
    /// The number, part of the content or the requester's name.
    #[ts(optional)]
    pub search: Option<String>,
    pub page: u32,
    pub page_size: u32,
}

/// SQL for the colour of `r` given `?today` and `?blue_until` (the next working day).
fn colour_sql() -> String {
    format!(
        "CASE WHEN r.status NOT IN {OPEN_SQL} THEN NULL
              WHEN r.deadline < :today THEN 'red'
              WHEN r.extended = 1 OR r.behind = 1 THEN 'yellow'
              WHEN r.deadline <= :blue_until THEN 'blue'
              ELSE NULL END"
    )
}

fn parse_colour(s: Option<String>) -> Option<Colour> {
    s.as_deref().and_then(Colour::parse)
}

/// The colour of one request for `today`, by the same rule as the SQL.
pub fn colour(
    cal: &Calendar,
    status: Status,
    deadline: NaiveDate,
    extended: bool,
    behind: bool,
    today: NaiveDate,
) -> Option<Colour> {
    if !status.is_open() {
        None
    } else if deadline < today {
        Some(Colour::Red)
    } else if extended || behind {
        Some(Colour::Yellow)
    } else if deadline <= cal.add_working_days(today, 1) {
        Some(Colour::Blue)
    } else {
        None
    }
}

pub fn list_requests(
    store: &Store,
    q: &RequestQuery,
    today: NaiveDate,
) -> Result<Page<RequestRow>> {
    store.read(|c| {
        let cal = Calendar::load(c)?;
        query_requests(c, &cal, q, today)
    })
}

pub(crate) fn query_requests(
    c: &Connection,
    cal: &Calendar,
    q: &RequestQuery,
    today: NaiveDate,
) -> Result<Page<RequestRow>> {
    let (page, size, offset) = page_bounds(q.page, q.page_size);
    let blue_until = cal.add_working_days(today, 1);
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<(String, Value)> = vec![
        (":today".into(), today.to_string().into()),
        (":blue_until".into(), blue_until.to_string().into()),
    ];
    let mut arg = |wh: &mut Vec<String>, clause: &str, name: &str, v: Value| {
        wh.push(clause.replace('?', name));
        args.push((name.to_string(), v));
    };
    if let Some(s) = q.status {
        arg(
            &mut wh,
            "r.status = ?",
            ":status",
            s.as_str().to_string().into(),
        );
    }
    if q.open_only {
        wh.push("r.is_open = 1".into());
    }
    // `{overdue}` becomes a sargable condition in the count and `+r.deadline < :today` in the
    // page: there the newest open requests are walked in index order and the first 50 overdue
    // ones taken, instead of sorting every overdue request by date.
    if q.overdue_only {
        wh.push("r.is_open = 1 AND {overdue}".into());
    }
    // The colours as deadline ranges among the open requests, so the indexes serve them; the
    // same rule as `colour_sql` and `colour`.
    match q.colour {
        Some(Colour::Red) => wh.push("r.is_open = 1 AND {overdue}".into()),
        Some(Colour::Yellow) => {
            wh.push("r.is_open = 1 AND r.deadline >= :today AND (r.extended = 1 OR r.behind = 1)".into())
        }
        Some(Colour::Blue) => wh.push(
            "r.is_open = 1 AND r.deadline >= :today AND r.deadline <= :blue_until AND r.extended = 0 AND r.behind = 0"
                .into(),
        ),
        None => {}
    }
    if let Some(u) = q.unit_id {
        arg(&mut wh, "r.unit_id = ?", ":unit", u.into());
    }
    if let Some(v) = q.village_id {
        arg(&mut wh, "r.village_id = ?", ":village", v.into());
    }
    if let Some(h) = q.household_id {
        arg(&mut wh, "r.household_id = ?", ":household", h.into());
    }
    if let Some(k) = q.kind {
        arg(
            &mut wh,
            "r.kind = ?",
            ":kind",
            k.as_str().to_string().into(),
        );
    }
    if let Some(cat) = q.category_id {
        arg(&mut wh, "r.category_id = ?", ":category", cat.into());
    }
    if let Some(f) = q.from {
        arg(&mut wh, "r.received_on >= ?", ":from", f.to_string().into());
    }
    if let Some(t) = q.to {
        arg(&mut wh, "r.received_on <= ?", ":to", t.to_string().into());
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // A number (2026-000123, or just 123) is looked up by index; other text is searched
        // in the content and the requester's name.
        let digits = s.chars().all(|c| c.is_ascii_digit());
        let full_number = s.len() == 11
            && s.as_bytes()[4] == b'-'
            && s.chars()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if full_number {
            arg(&mut wh, "r.number = ?", ":number", s.to_string().into());
        } else if digits && s.len() <= 6 {
            arg(
                &mut wh,
                "r.seq = ?",
                ":seq",
                s.parse::<i64>().unwrap_or(0).into(),
            );
        } else {
            arg(&mut wh, "(instr(r.content, ?) > 0 OR instr(r.requester_name, :search) > 0 OR instr(r.number, :search) > 0)", ":search", s.to_string().into());
        }
    }
    let wh = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    let named = |extra: &[(String, Value)]| -> Vec<(String, Value)> {
        args.iter().cloned().chain(extra.iter().cloned()).collect()
    };
    let count_sql = format!(
        "SELECT count(*) FROM requests r {}",
        wh.replace("{overdue}", "r.deadline < :today")
    );
    let wh = wh.replace("{overdue}", "+r.deadline < :today");
    let total: i64 = {
        let mut stmt = c.prepare_cached(&count_sql)?;
        let params = used(&stmt_params(&count_sql), &named(&[]));
        stmt.query_row(params_as_refs(&params).as_slice(), |r| r.get(0))?
    };
    let sql = format!(
        "SELECT r.id, r.number, r.received_on, r.source, r.requester_name, r.requester_phone, v.name, r.kind,
                cat.name, r.urgency, substr(r.content, 1, 80), u.name, r.deadline, r.status, {colour}
         FROM requests r
         JOIN villages v ON v.id = r.village_id
         JOIN request_categories cat ON cat.id = r.category_id
         LEFT JOIN units u ON u.id = r.unit_id
         {wh}
         ORDER BY r.received_on DESC, r.id DESC
         LIMIT :limit OFFSET :offset",
        colour = colour_sql()
    );
    let all = named(&[
        (":limit".into(), (size as i64).into()),
        (":offset".into(), offset.into()),
    ]);
    let params = used(&stmt_params(&sql), &all);
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_as_refs(&params).as_slice(), |r| {
            Ok(RequestRow {
                id: r.get(0)?,
                number: r.get(1)?,
                received_on: r.get(2)?,
                source: r.get(3)?,
                requester_name: r.get(4)?,
                phone_masked: mask_phone(&r.get::<_, String>(5)?),
                village_name: r.get(6)?,
                kind: r.get(7)?,
                category: r.get(8)?,
                urgency: r.get(9)?,
                content: r.get(10)?,
                unit_name: r.get(11)?,
                deadline: r.get(12)?,
                status: r.get(13)?,
                colour: parse_colour(r.get(14)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page {
        total,
        page,
        page_size: size,
        rows,
    })
}

/// The named parameters a statement mentions.
fn stmt_params(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b':' && i + 1 < b.len() && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_') {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let name = &sql[start..i];
            if !out.iter().any(|n| n == name) {
                out.push(name.to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Only the bound values a statement uses (SQLite refuses unknown names).
fn used(names: &[String], all: &[(String, Value)]) -> Vec<(String, Value)> {
    all.iter()
        .filter(|(n, _)| names.contains(n))
        .cloned()
        .collect()
}

fn params_as_refs(p: &[(String, Value)]) -> Vec<(&str, &dyn rusqlite::ToSql)> {
    p.iter()
        .map(|(n, v)| (n.as_str(), v as &dyn rusqlite::ToSql))
        .collect()
}

pub fn get_request(store: &Store, id: i64, today: NaiveDate) -> Result<Request> {
    store.read(|c| read_request(c, id, today))
}

/// Finds a request by its number (2026-000123), as the CLI and the search box take it.
pub fn find_by_number(store: &Store, number: &str) -> Result<i64> {
    store.read(|c| {
        c.query_row(
            "SELECT id FROM requests WHERE number = ?1",
            [number.trim()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| {
            Error::NotFound(format!(
                "没有编号为“{}”的诉求。编号形如 2026-000123。",
                number.trim()
            ))
        })
    })
}

pub(crate) fn read_request(c: &Connection, id: i64, today: NaiveDate) -> Result<Request> {
    let cal = Calendar::load(c)?;
    let mut req = c
        .query_row(
            "SELECT r.id, r.number, r.source, r.household_id, r.requester_name, r.requester_phone, r.village_id, v.name,
                    r.visit_id, r.kind, r.category_id, cat.name, r.urgency, r.handling, r.content, r.received_on, r.deadline,
                    r.status, r.unit_id, u.name, r.handler, r.first_response_on, r.extended, r.behind, r.result, r.reply,
                    r.outcome, r.closed_on, r.satisfaction, r.reviewed_on, r.reopened
             FROM requests r
             JOIN villages v ON v.id = r.village_id
             JOIN request_categories cat ON cat.id = r.category_id
             LEFT JOIN units u ON u.id = r.unit_id
             WHERE r.id = ?1",
            [id],
            |r| {
                Ok(Request {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    source: r.get(2)?,
                    household_id: r.get(3)?,
                    requester_name: r.get(4)?,
                    requester_phone: r.get(5)?,
                    village_id: r.get(6)?,
                    village_name: r.get(7)?,
                    visit_id: r.get(8)?,
                    kind: r.get(9)?,
                    category_id: r.get(10)?,
                    category: r.get(11)?,
                    urgency: r.get(12)?,
                    handling: r.get(13)?,
                    content: r.get(14)?,
                    received_on: r.get(15)?,
                    deadline: r.get(16)?,
                    status: r.get(17)?,
                    unit_id: r.get(18)?,
                    unit_name: r.get(19)?,
                    handler: r.get(20)?,
                    first_response_on: r.get(21)?,
                    extended: r.get(22)?,
                    behind: r.get(23)?,
                    result: r.get(24)?,
                    reply: r.get(25)?,
                    outcome: r.get(26)?,
                    closed_on: r.get(27)?,
                    satisfaction: r.get(28)?,
                    reviewed_on: r.get(29)?,
                    reopened: r.get(30)?,
                    colour: None,
                    working_days_left: None,
                    warnings: Vec::new(),
                    history: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("找不到编号为 {id} 的诉求，可能已被删除。请刷新后重试。")))?;
    req.colour = colour(
        &cal,
        req.status,
        req.deadline,
        req.extended,
        req.behind,
        today,
    );
    if req.status.is_open() {
        req.working_days_left = Some(if req.deadline >= today {
            cal.working_days_between(today, req.deadline)
        } else {
            -cal.working_days_between(req.deadline, today)
        });
    }
    req.warnings.extend(cal.warning_for(req.deadline));
    let mut stmt = c.prepare_cached(
        "SELECT id, at, on_date, operator, action, from_status, to_status, note FROM request_history
         WHERE request_id = ?1 ORDER BY id",
    )?;
    req.history = stmt
        .query_map([id], |r| {
            Ok(HistoryEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                on_date: r.get(2)?,
                operator: r.get(3)?,
                action: r.get(4)?,
                from_status: r.get(5)?,
                to_status: r.get(6)?,
                note: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(req)
}

/// Open requests by colour, for the 工作台.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ColourCounts {
    pub open: i64,
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
}

pub fn colour_counts(store: &Store, today: NaiveDate) -> Result<ColourCounts> {
    store.read(|c| {
        let cal = Calendar::load(c)?;
        let blue_until = cal.add_working_days(today, 1);
        let sql = format!(
            "SELECT count(*), sum(colour = 'red'), sum(colour = 'yellow'), sum(colour = 'blue')
             FROM (SELECT {} AS colour FROM requests r WHERE r.status IN {OPEN_SQL})",
            colour_sql()
        );
        let mut stmt = c.prepare_cached(&sql)?;
        Ok(stmt.query_row(
            &[
                (":today", &today.to_string() as &dyn rusqlite::ToSql),
                (":blue_until", &blue_until.to_string()),
            ][..],
            |r| {
                Ok(ColourCounts {
                    open: r.get(0)?,
                    red: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    yellow: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    blue: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                })
            },
        )?)
    })
}
