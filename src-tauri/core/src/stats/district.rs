//! The figures of the district's reports for a period and a set of villages. Every workbook in
//! [`crate::report::district`] and the 工作台's charts read these functions; nothing else
//! computes a report number.
//!
//! Definitions (printed on the sheets that use them):
//! - 应访户数 (by village): 在册 households of the village; (by cadre): the households the
//!   current plan gives the cadre with a date in the period.
//! - 已访户数: those households with a visit that counts (见到户主 / 见到家人) in the period — by
//!   cadre, a visit the cadre took part in.
//! - 走访户次: every counting visit in the period (a household visited twice counts twice).
//! - 收集诉求 / 办结 / 满意率: the requests received in the period ([`crate::requests::rates`]),
//!   by village of the request, by cadre of the visit that raised it.

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::requests::rates::{rates_in, village_filter, Formula, RateGroup, RateRow};
use crate::requests::{query::colour, Colour, Status};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

use super::KEY_HOUSEHOLDS;

/// What a report covers: the days `[from, to]` and the villages (all when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    #[serde(default)]
    pub villages: Vec<i64>,
}

impl Scope {
    /// Checks the period and that every village exists.
    pub fn check(&self, c: &Connection) -> Result<()> {
        if self.to < self.from {
            return Err(Error::invalid(
                "period",
                format!(
                    "统计时段的结束日期 {} 早于开始日期 {}，请重新选择。",
                    self.to, self.from
                ),
            ));
        }
        for v in &self.villages {
            let n: i64 = c.query_row("SELECT count(*) FROM villages WHERE id = ?1", [v], |r| {
                r.get(0)
            })?;
            if n == 0 {
                return Err(Error::invalid(
                    "villages",
                    format!("没有编号为 {v} 的村（社区），请重新选择村。"),
                ));
            }
        }
        Ok(())
    }

    /// ` AND {col} IN (…)` for the village scope (integer ids: nothing to inject).
    pub(crate) fn on(&self, col: &str) -> String {
        crate::requests::rates::in_ids(col, &self.villages)
    }

    /// The village names of the scope, for the sheets' 统计范围 line ("全镇" when all).
    pub fn village_names(&self, c: &Connection) -> Result<String> {
        if self.villages.is_empty() {
            return Ok("全镇".into());
        }
        let mut names = Vec::new();
        for v in &self.villages {
            names.push(
                c.query_row("SELECT name FROM villages WHERE id = ?1", [v], |r| {
                    r.get::<_, String>(0)
                })?,
            );
        }
        Ok(names.join("、"))
    }
}

/// One line of the 走访情况统计表 / 干部走访考核表.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    pub id: i64,
    pub name: String,
    /// The cadre's unit (by cadre only).
    pub unit: String,
    /// 应访户数: a village's registered households; a cadre's households in the period's plan.
    pub should: i64,
    /// False for cadres when no plan covers the period: their 应访户数 is not known ("—"),
    /// not 0.
    pub should_known: bool,
    /// 已访户数: households visited (见到户主 or 见到家人) in the period — for a cadre, from
    /// the diary, planned or not.
    pub visited: i64,
    pub visit_rate: Option<f64>,
    pub key_should: i64,
    pub key_visited: i64,
    pub key_rate: Option<f64>,
    /// Counting visits (户次).
    pub visits: i64,
    /// Days with at least one counting visit (by cadre only).
    pub visit_days: i64,
    pub requests: i64,
    pub closed: i64,
    pub close_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    /// Requests evaluated (the divisor of 满意率).
    pub evaluated: i64,
    /// 1-based place in the 干部走访考核表 (by cadre only).
    pub rank: u32,
    /// 先进典型 marked on the cadre's visits or on requests they raised (by cadre only).
    pub cases: i64,
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl CoverageRow {
    fn finish(&mut self) {
        self.visit_rate = ratio(self.visited, self.should);
        self.key_rate = ratio(self.key_visited, self.key_should);
        self.close_rate = ratio(self.closed, self.requests);
    }
    fn take_requests(&mut self, r: Option<&RateRow>) {
        if let Some(r) = r {
            self.requests = r.received;
            self.closed = r.closed;
            self.evaluated = r.evaluated;
            self.satisfaction_rate = r.satisfaction_rate;
        }
    }
    /// The 合计 line: sums of the counts, rates from the sums (never averaged).
    fn total(rows: &[CoverageRow], satisfaction: Option<f64>, evaluated: i64) -> CoverageRow {
        let mut t = CoverageRow {
            name: "合计".into(),
            should_known: rows.is_empty() || rows.iter().any(|r| r.should_known),
            ..Default::default()
        };
        for r in rows {
            t.should += r.should;
            t.visited += r.visited;
            t.key_should += r.key_should;
            t.key_visited += r.key_visited;
            t.visits += r.visits;
            t.visit_days += r.visit_days;
            t.requests += r.requests;
            t.closed += r.closed;
            t.cases += r.cases;
        }
        t.satisfaction_rate = satisfaction;
        t.evaluated = evaluated;
        t.finish();
        t
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VisitStats {
    pub scope: Scope,
    pub by_village: Vec<CoverageRow>,
    pub village_total: CoverageRow,
    pub by_cadre: Vec<CoverageRow>,
    pub cadre_total: CoverageRow,
    pub formula: Formula,
}

const COUNTS: &str = "vs.outcome IN ('见到户主', '见到家人')";

/// 走访情况统计表: coverage by village and by cadre.
pub fn visit_stats(c: &Connection, scope: &Scope) -> Result<VisitStats> {
    scope.check(c)?;
    let (from, to) = (scope.from, scope.to);
    let mut by_village: Vec<CoverageRow> = c
        .prepare(&format!(
            "SELECT v.id, v.name,
                (SELECT count(*) FROM households h WHERE h.village_id = v.id AND h.status = '在册'),
                (SELECT count(*) FROM households h WHERE h.village_id = v.id AND h.status = '在册'
                    AND h.id IN ({KEY_HOUSEHOLDS})),
                (SELECT count(DISTINCT vs.household_id) FROM visits vs JOIN households h ON h.id = vs.household_id
                  WHERE h.village_id = v.id AND h.status = '在册' AND {COUNTS} AND vs.visit_date BETWEEN ?1 AND ?2),
                (SELECT count(DISTINCT vs.household_id) FROM visits vs JOIN households h ON h.id = vs.household_id
                  WHERE h.village_id = v.id AND h.status = '在册' AND {COUNTS} AND vs.visit_date BETWEEN ?1 AND ?2
                    AND h.id IN ({KEY_HOUSEHOLDS})),
                (SELECT count(*) FROM visits vs JOIN households h ON h.id = vs.household_id
                  WHERE h.village_id = v.id AND {COUNTS} AND vs.visit_date BETWEEN ?1 AND ?2)
             FROM villages v WHERE 1 = 1{} ORDER BY v.sort_order, v.id",
            scope.on("v.id")
        ))?
        .query_map(params![from, to], |r| {
            Ok(CoverageRow {
                id: r.get(0)?,
                name: r.get(1)?,
                should: r.get(2)?,
                should_known: true,
                key_should: r.get(3)?,
                visited: r.get(4)?,
                key_visited: r.get(5)?,
                visits: r.get(6)?,
                ..Default::default()
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let req = rates_in(c, RateGroup::Village, Some(from), Some(to), &scope.villages)?;
    let by_key: HashMap<&str, &RateRow> = req.rows.iter().map(|r| (r.key.as_str(), r)).collect();
    for row in &mut by_village {
        row.take_requests(by_key.get(format!("{:012}", row.id).as_str()).copied());
        row.finish();
    }
    let village_total = CoverageRow::total(
        &by_village,
        req.total.satisfaction_rate,
        req.total.evaluated,
    );
    let (by_cadre, cadre_total) = cadre_rows(c, scope)?;
    Ok(VisitStats {
        scope: scope.clone(),
        by_village,
        village_total,
        by_cadre,
        cadre_total,
        formula: req.formula,
    })
}

/// The plan's households of each cadre in the period: the newest version of every cycle.
const PLANNED: &str = "SELECT pv.cadre_id, pv.household_id FROM plan_visits pv
     JOIN plan_versions ver ON ver.id = pv.version_id
     WHERE ver.id = (SELECT max(id) FROM plan_versions WHERE cycle_id = ver.cycle_id)
       AND pv.visit_date BETWEEN ?1 AND ?2";

fn cadre_rows(c: &Connection, scope: &Scope) -> Result<(Vec<CoverageRow>, CoverageRow)> {
    let (from, to) = (scope.from, scope.to);
    let hv = scope.on("h.village_id");
    // A cadre appears when active, or when the period has plan or visits of theirs.
    let mut rows: Vec<CoverageRow> = c
        .prepare(&format!(
            "WITH planned AS (SELECT DISTINCT p.cadre_id, p.household_id FROM ({PLANNED}) p
                               JOIN households h ON h.id = p.household_id WHERE h.status = '在册'{hv}),
                  done AS (SELECT DISTINCT vc.cadre_id, vs.household_id, vs.visit_date, vs.id AS visit_id
                             FROM visits vs JOIN visit_cadres vc ON vc.visit_id = vs.id
                             JOIN households h ON h.id = vs.household_id
                            WHERE {COUNTS} AND vs.visit_date BETWEEN ?1 AND ?2{hv})
             SELECT cd.id, cd.name, cd.unit,
                (SELECT count(*) FROM planned p WHERE p.cadre_id = cd.id),
                (SELECT count(*) FROM planned p WHERE p.cadre_id = cd.id AND p.household_id IN ({KEY_HOUSEHOLDS})),
                (SELECT count(DISTINCT d.household_id) FROM done d WHERE d.cadre_id = cd.id),
                (SELECT count(DISTINCT d.household_id) FROM done d WHERE d.cadre_id = cd.id
                    AND d.household_id IN ({KEY_HOUSEHOLDS})),
                (SELECT count(*) FROM done d WHERE d.cadre_id = cd.id),
                (SELECT count(DISTINCT d.visit_date) FROM done d WHERE d.cadre_id = cd.id)
             FROM cadres cd
             WHERE cd.active = 1
                OR EXISTS (SELECT 1 FROM planned p WHERE p.cadre_id = cd.id)
                OR EXISTS (SELECT 1 FROM done d WHERE d.cadre_id = cd.id)
             ORDER BY cd.name_pinyin, cd.id"
        ))?
        .query_map(params![from, to], |r| {
            Ok(CoverageRow {
                id: r.get(0)?,
                name: r.get(1)?,
                unit: r.get(2)?,
                should: r.get(3)?,
                key_should: r.get(4)?,
                visited: r.get(5)?,
                key_visited: r.get(6)?,
                visits: r.get(7)?,
                visit_days: r.get(8)?,
                ..Default::default()
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Without a plan for the period a cadre's 应访户数 is not known: "—", never 0.
    let planned: bool = c.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM ({PLANNED}) p JOIN households h ON h.id = p.household_id
              WHERE 1 = 1{hv})"
        ),
        params![from, to],
        |r| r.get(0),
    )?;
    for r in &mut rows {
        r.should_known = planned;
    }
    if !scope.villages.is_empty() {
        // In a village scope, only the cadres who work there.
        let linked: Vec<i64> = c
            .prepare(&format!(
                "SELECT DISTINCT cadre_id FROM cadre_villages WHERE 1 = 1{}",
                scope.on("village_id")
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        rows.retain(|r| r.should > 0 || r.visits > 0 || linked.contains(&r.id));
    }
    let req = rates_in(c, RateGroup::Cadre, Some(from), Some(to), &scope.villages)?;
    let by_key: HashMap<&str, &RateRow> = req.rows.iter().map(|r| (r.key.as_str(), r)).collect();
    let cases = crate::cases::cases_by_cadre(c, from, to, &scope.villages)?;
    for row in &mut rows {
        row.cases = cases.get(&row.id).copied().unwrap_or(0);
        row.take_requests(by_key.get(format!("{:012}", row.id).as_str()).copied());
        row.finish();
    }
    // The 考核 order: 走访率, then 已访户数, then 走访户次, then 办结率; ties share a place.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let key = |r: &CoverageRow| {
        (
            r.visit_rate.unwrap_or(-1.0),
            r.visited,
            r.visits,
            r.close_rate.unwrap_or(-1.0),
        )
    };
    order.sort_by(|&a, &b| {
        key(&rows[b])
            .partial_cmp(&key(&rows[a]))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut place = 0u32;
    let mut last = None;
    for (i, &ix) in order.iter().enumerate() {
        let k = key(&rows[ix]);
        if last != Some(k) {
            place = i as u32 + 1;
            last = Some(k);
        }
        rows[ix].rank = place;
    }
    // The total counts each request once even when two cadres raised it together.
    let evaluated_sum: i64 = rows.iter().map(|r| r.evaluated).sum();
    let mut total = CoverageRow::total(&rows, None, evaluated_sum);
    total.satisfaction_rate = req.total.satisfaction_rate;
    total.evaluated = req.total.evaluated;
    Ok((rows, total))
}

/// The 干部走访考核表: the by-cadre lines in 考核 order.
pub fn cadre_assessment(c: &Connection, scope: &Scope) -> Result<(Vec<CoverageRow>, CoverageRow)> {
    scope.check(c)?;
    let (mut rows, total) = cadre_rows(c, scope)?;
    rows.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.id.cmp(&b.id)));
    Ok((rows, total))
}

/// One line of the 诉求办理情况汇总表: the rates' counts plus the open and late ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct SummaryRow {
    #[serde(flatten)]
    pub rates: RateRow,
    /// Received in the period and still open.
    pub open: i64,
    /// Open and past the deadline on the report day (red).
    pub overdue: i64,
    /// Closed after the deadline.
    pub late_closed: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RequestSummary {
    pub scope: Scope,
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    pub by_category: Vec<SummaryRow>,
    pub by_unit: Vec<SummaryRow>,
    pub total: SummaryRow,
    pub formula: Formula,
}

/// 诉求办理情况汇总表: by category and by unit, with the three rates and the overdue counts
/// on `as_of` (the report day).
pub fn request_summary(c: &Connection, scope: &Scope, as_of: NaiveDate) -> Result<RequestSummary> {
    scope.check(c)?;
    let (from, to) = (Some(scope.from), Some(scope.to));
    let by_category = rates_in(c, RateGroup::Category, from, to, &scope.villages)?;
    let by_unit = rates_in(c, RateGroup::Unit, from, to, &scope.villages)?;
    let late = late_counts(c, scope, as_of)?;
    let attach = |rows: Vec<RateRow>, col: &str| -> Vec<SummaryRow> {
        rows.into_iter()
            .map(|r| {
                let l = late.get(&(col.to_string(), r.key.clone())).copied();
                let (open, overdue, late_closed) = l.unwrap_or((0, 0, 0));
                SummaryRow {
                    rates: r,
                    open,
                    overdue,
                    late_closed,
                }
            })
            .collect()
    };
    let total_late = late
        .get(&("total".to_string(), "total".to_string()))
        .copied()
        .unwrap_or((0, 0, 0));
    Ok(RequestSummary {
        scope: scope.clone(),
        as_of,
        by_category: attach(by_category.rows, "category"),
        by_unit: attach(by_unit.rows, "unit"),
        total: SummaryRow {
            rates: by_unit.total,
            open: total_late.0,
            overdue: total_late.1,
            late_closed: total_late.2,
        },
        formula: by_unit.formula,
    })
}

type Late = HashMap<(String, String), (i64, i64, i64)>;

/// (open, overdue on `as_of`, closed late) per category key, unit key and in total — keyed as
/// [`rates_in`] keys its groups.
fn late_counts(c: &Connection, scope: &Scope, as_of: NaiveDate) -> Result<Late> {
    let mut out: Late = HashMap::new();
    let mut st = c.prepare(&format!(
        "SELECT printf('%06d%06d', rc.sort_order, rc.id), printf('%012d', coalesce(r.unit_id, 0)),
                r.status, r.deadline, r.closed_on
         FROM requests r JOIN request_categories rc ON rc.id = r.category_id
         WHERE r.received_on BETWEEN ?1 AND ?2{}",
        village_filter(&scope.villages)
    ))?;
    let mut rows = st.query(params![scope.from, scope.to])?;
    while let Some(r) = rows.next()? {
        let cat: String = r.get(0)?;
        let unit: String = r.get(1)?;
        let status: Status = r.get(2)?;
        let deadline: NaiveDate = r.get(3)?;
        let closed_on: Option<NaiveDate> = r.get(4)?;
        let open = status.is_open() as i64;
        let overdue = (status.is_open() && deadline < as_of) as i64;
        let late = closed_on.is_some_and(|d| d > deadline) as i64;
        for k in [
            ("category".to_string(), cat),
            ("unit".to_string(), unit),
            ("total".to_string(), "total".to_string()),
        ] {
            let e = out.entry(k).or_default();
            e.0 += open;
            e.1 += overdue;
            e.2 += late;
        }
    }
    Ok(out)
}

/// One request of the 督办通报.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OverdueRow {
    pub number: String,
    pub colour: Colour,
    pub village: String,
    pub requester: String,
    pub category: String,
    pub content: String,
    pub unit: String,
    /// 责任人: the request's own, or else the unit's contact person.
    pub handler: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "string")]
    pub deadline: NaiveDate,
    /// Working days past the deadline (red only).
    pub days_over: i64,
    pub status: Status,
    /// 催办 and 督办 so far.
    pub urged: i64,
}

/// 督办通报: every open request of the villages with a colour on `as_of`, red first, the
/// longest overdue first. The period does not limit it: an old request still open is the
/// point of the 通报.
pub fn overdue_list(c: &Connection, scope: &Scope, as_of: NaiveDate) -> Result<Vec<OverdueRow>> {
    scope.check(c)?;
    let cal = Calendar::load(c)?;
    let mut st = c.prepare(&format!(
        "SELECT r.number, v.name, r.requester_name, rc.name, r.content, coalesce(u.name, ''), coalesce(nullif(r.handler, ''), u.contact_person, ''),
                r.received_on, r.deadline, r.status, r.extended, r.behind,
                (SELECT count(*) FROM request_history hh WHERE hh.request_id = r.id AND hh.action IN ('催办', '督办'))
         FROM requests r JOIN villages v ON v.id = r.village_id
         JOIN request_categories rc ON rc.id = r.category_id
         LEFT JOIN units u ON u.id = r.unit_id
         WHERE r.is_open = 1 AND r.received_on <= ?1{}
         ORDER BY r.deadline, r.number",
        village_filter(&scope.villages)
    ))?;
    let mut rows = st.query(params![as_of])?;
    let mut out = Vec::new();
    // Many requests share a deadline: count its working days once.
    let mut over: HashMap<NaiveDate, i64> = HashMap::new();
    while let Some(r) = rows.next()? {
        let status: Status = r.get(9)?;
        let deadline: NaiveDate = r.get(8)?;
        let Some(col) = colour(&cal, status, deadline, r.get(10)?, r.get(11)?, as_of) else {
            continue;
        };
        let days_over = if col == Colour::Red {
            *over
                .entry(deadline)
                .or_insert_with(|| cal.working_days_between(deadline, as_of).max(1))
        } else {
            0
        };
        out.push(OverdueRow {
            number: r.get(0)?,
            colour: col,
            village: r.get(1)?,
            requester: r.get(2)?,
            category: r.get(3)?,
            content: r.get(4)?,
            unit: r.get(5)?,
            handler: r.get(6)?,
            received_on: r.get(7)?,
            deadline,
            days_over,
            status,
            urged: r.get(12)?,
        });
    }
    let rank = |c: Colour| match c {
        Colour::Red => 0,
        Colour::Yellow => 1,
        Colour::Blue => 2,
    };
    out.sort_by(|a, b| {
        rank(a.colour)
            .cmp(&rank(b.colour))
            .then(b.days_over.cmp(&a.days_over))
            .then(a.deadline.cmp(&b.deadline))
            .then(a.number.cmp(&b.number))
    });
    Ok(out)
}

/// One line of the 民情诉求台账: every field of a request, as stored (the workbook masks).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRow {
    pub number: String,
    pub source: String,
    pub village: String,
    pub requester: String,
    pub phone: String,
    pub kind: String,
    pub category: String,
    pub urgency: String,
    pub handling: String,
    pub content: String,
    pub received_on: String,
    pub deadline: String,
    pub status: String,
    pub unit: String,
    /// 责任人: the request's own, or else the unit's contact person.
    pub handler: String,
    pub first_response_on: String,
    pub result: String,
    pub reply: String,
    pub outcome: String,
    pub closed_on: String,
    pub satisfaction: String,
    pub colour: Option<Colour>,
}

/// Every request received in the period, by day of receipt (then as registered); `each` sees them one by one, so a
/// 100,000-row ledger never sits in memory whole.
pub fn ledger_rows(
    c: &Connection,
    scope: &Scope,
    as_of: NaiveDate,
    each: &mut dyn FnMut(LedgerRow) -> Result<()>,
) -> Result<u64> {
    scope.check(c)?;
    let cal = Calendar::load(c)?;
    let mut st = c.prepare(&format!(
        "SELECT r.number, r.source, v.name, r.requester_name, r.requester_phone, r.kind, rc.name, r.urgency,
                coalesce(r.handling, ''), r.content, r.received_on, r.deadline, r.status, coalesce(u.name, ''),
                coalesce(nullif(r.handler, ''), u.contact_person, ''), coalesce(r.first_response_on, ''), r.result, r.reply, coalesce(r.outcome, ''),
                coalesce(r.closed_on, ''), coalesce(r.satisfaction, ''), r.extended, r.behind
         FROM requests r JOIN villages v ON v.id = r.village_id
         JOIN request_categories rc ON rc.id = r.category_id
         LEFT JOIN units u ON u.id = r.unit_id
         WHERE r.received_on BETWEEN ?1 AND ?2{}
         ORDER BY r.received_on, r.id",
        village_filter(&scope.villages)
    ))?;
    let mut rows = st.query(params![scope.from, scope.to])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let status: Status = r.get(12)?;
        let deadline: NaiveDate = r.get(11)?;
        let col = colour(&cal, status, deadline, r.get(21)?, r.get(22)?, as_of);
        each(LedgerRow {
            number: r.get(0)?,
            source: r.get(1)?,
            village: r.get(2)?,
            requester: r.get(3)?,
            phone: r.get(4)?,
            kind: r.get(5)?,
            category: r.get(6)?,
            urgency: r.get(7)?,
            handling: r.get(8)?,
            content: r.get(9)?,
            received_on: r.get(10)?,
            deadline: deadline.to_string(),
            status: status.as_str().to_string(),
            unit: r.get(13)?,
            handler: r.get(14)?,
            first_response_on: r.get(15)?,
            result: r.get(16)?,
            reply: r.get(17)?,
            outcome: r.get(18)?,
            closed_on: r.get(19)?,
            satisfaction: r.get(20)?,
            colour: col,
        })?;
        n += 1;
    }
    Ok(n)
}

/// Requests of one status (工作台's chart).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: Status,
    pub count: i64,
}

/// What the 工作台's charts show: coverage by village for the scope, requests by status and
/// by colour (now), and the three rates month by month over the scope.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct DashboardCharts {
    pub scope: Scope,
    pub coverage: Vec<CoverageRow>,
    pub coverage_total: CoverageRow,
    pub by_status: Vec<StatusCount>,
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
    pub months: Vec<RateRow>,
}

pub fn dashboard(c: &Connection, scope: &Scope, today: NaiveDate) -> Result<DashboardCharts> {
    let vs = visit_stats(c, scope)?;
    let mut by_status = Vec::new();
    for st in Status::ALL {
        let n: i64 = c.query_row(
            &format!(
                "SELECT count(*) FROM requests r WHERE r.status = ?1{}",
                village_filter(&scope.villages)
            ),
            [st.as_str()],
            |r| r.get(0),
        )?;
        by_status.push(StatusCount {
            status: *st,
            count: n,
        });
    }
    let list = overdue_list(c, scope, today)?;
    let count = |col: Colour| list.iter().filter(|r| r.colour == col).count() as i64;
    let months = rates_in(
        c,
        RateGroup::Month,
        Some(scope.from),
        Some(scope.to),
        &scope.villages,
    )?
    .rows;
    Ok(DashboardCharts {
        scope: scope.clone(),
        coverage: vs.by_village,
        coverage_total: vs.village_total,
        by_status,
        red: count(Colour::Red),
        yellow: count(Colour::Yellow),
        blue: count(Colour::Blue),
        months,
    })
}

/// The preview of the 报表导出 screen: the figures the workbooks will carry.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ReportPreview {
    pub visits: VisitStats,
    pub summary: RequestSummary,
    pub assessment: Vec<CoverageRow>,
    pub overdue: Vec<OverdueRow>,
    /// Requests received in the period (lines of the 民情诉求台账).
    pub ledger_rows: i64,
    /// The 办实事竞赛情况表 of the period (its lines are the 实事项目台账's projects by unit).
    pub contest: crate::stats::projects::ProjectContest,
}

pub fn preview(c: &Connection, scope: &Scope, today: NaiveDate) -> Result<ReportPreview> {
    let visits = visit_stats(c, scope)?;
    let summary = request_summary(c, scope, today)?;
    let (assessment, _) = cadre_assessment(c, scope)?;
    let overdue = overdue_list(c, scope, today)?;
    let ledger_rows = c.query_row(
        &format!(
            "SELECT count(*) FROM requests r WHERE r.received_on BETWEEN ?1 AND ?2{}",
            village_filter(&scope.villages)
        ),
        params![scope.from, scope.to],
        |r| r.get(0),
    )?;
    let contest = crate::stats::projects::project_contest(c, scope)?;
    Ok(ReportPreview {
        contest,
        visits,
        summary,
        assessment,
        overdue,
        ledger_rows,
    })
}
