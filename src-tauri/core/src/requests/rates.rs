//! The three rates (北京 接诉即办 practice; there is no national formula, so every place that
//! shows a rate also shows [`Formula`]):
//! - 响应率 = requests first answered within the window (1 working day) ÷ requests received
//! - 解决率 = requests closed as 已解决 ÷ requests closed
//! - 满意率 = (满意 + w × 基本满意) ÷ requests evaluated (w = 0.9)

use super::rules::{read_rate_settings, RateSettings};
use super::{Outcome, Satisfaction, Status};
use crate::calendar::Calendar;
use crate::error::Result;
use crate::Store;
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

crate::text_enum! {
    /// How rates are grouped.
    pub enum RateGroup ("分组方式") {
        Unit = "unit",
        Village = "village",
        Cadre = "cadre",
        Month = "month",
        Category = "category",
    }
}

/// The counts behind the rates of one group, and the rates (None when the divisor is 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RateRow {
    pub key: String,
    pub name: String,
    pub received: i64,
    pub responded: i64,
    pub closed: i64,
    pub solved: i64,
    pub evaluated: i64,
    pub satisfied: i64,
    pub basic: i64,
    pub response_rate: Option<f64>,
    pub solve_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

impl RateRow {
    fn finish(&mut self, s: &RateSettings) {
        let ratio = |a: f64, b: i64| (b > 0).then(|| a / b as f64);
        self.response_rate = ratio(self.responded as f64, self.received);
        self.solve_rate = ratio(self.solved as f64, self.closed);
        self.satisfaction_rate = ratio(
            self.satisfied as f64 + s.basic_weight * self.basic as f64,
            self.evaluated,
        );
    }
    fn add(&mut self, o: &Fact, window_ok: bool) {
        self.received += 1;
        self.responded += window_ok as i64;
        if o.closed {
            self.closed += 1;
            self.solved += (o.outcome == Some(Outcome::Solved)) as i64;
        }
        match o.satisfaction {
            Some(Satisfaction::Satisfied) => {
                self.evaluated += 1;
                self.satisfied += 1
            }
            Some(Satisfaction::Basic) => {
                self.evaluated += 1;
                self.basic += 1
            }
            Some(Satisfaction::Dissatisfied) => self.evaluated += 1,
            None => {}
        }
    }
}

/// The formulas as printed beside every rate.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Formula {
    pub response: String,
    pub solve: String,
    pub satisfaction: String,
}

impl Formula {
    pub fn new(s: &RateSettings) -> Formula {
        Formula {
            response: format!(
                "响应率 = 受理后 {} 个工作日内首次响应（交办、办理或办结）的诉求数 ÷ 受理诉求数",
                s.response_window_days
            ),
            solve: "解决率 = 办结结果为“已解决”的诉求数 ÷ 已办结诉求数".into(),
            satisfaction: format!(
                "满意率 =（满意数 + {} × 基本满意数）÷ 已回访评价的诉求数",
                s.basic_weight
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RatesReport {
    pub group: RateGroup,
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    pub rows: Vec<RateRow>,
    pub total: RateRow,
    pub formula: Formula,
}

struct Fact {
    received_on: NaiveDate,
    first_response_on: Option<NaiveDate>,
    closed: bool,
    outcome: Option<Outcome>,
    satisfaction: Option<Satisfaction>,
}

/// Rates of the requests received in `[from, to]`, grouped. A request raised during a visit
/// counts for each cadre of that visit; one not yet assigned counts under “未交办”.
pub fn rates(
    store: &Store,
    group: RateGroup,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<RatesReport> {
    store.read(|c| rates_in(c, group, from, to, &[]))
}

/// [`rates`] on a connection, limited to the requests of `villages` (all when empty) — what
/// the district's workbooks and the 工作台 read through [`crate::stats`].
pub fn rates_in(
    c: &rusqlite::Connection,
    group: RateGroup,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    villages: &[i64],
) -> Result<RatesReport> {
    {
        let cal = Calendar::load(c)?;
        let settings = read_rate_settings(c)?;
        let (key_sql, join) = match group {
            RateGroup::Unit => ("coalesce(r.unit_id, 0), coalesce(u.name, '未交办')", "LEFT JOIN units u ON u.id = r.unit_id"),
            RateGroup::Village => ("r.village_id, v.name", "JOIN villages v ON v.id = r.village_id"),
            RateGroup::Cadre => (
                "coalesce(vc.cadre_id, 0), coalesce(cd.name, '非走访收集')",
                "LEFT JOIN visit_cadres vc ON vc.visit_id = r.visit_id LEFT JOIN cadres cd ON cd.id = vc.cadre_id",
            ),
            RateGroup::Month => ("substr(r.received_on, 1, 7), substr(r.received_on, 1, 4) || '年' || substr(r.received_on, 6, 2) || '月'", ""),
            RateGroup::Category => (
                "printf('%06d%06d', rc.sort_order, rc.id), rc.name",
                "JOIN request_categories rc ON rc.id = r.category_id",
            ),
        };
        let scope = village_filter(villages);
        let sql = format!(
            "SELECT {key_sql}, r.received_on, r.first_response_on, r.status, r.outcome, r.satisfaction
             FROM requests r {join}
             WHERE (?1 IS NULL OR r.received_on >= ?1) AND (?2 IS NULL OR r.received_on <= ?2){scope}"
        );
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![from, to])?;
        let mut groups: BTreeMap<String, RateRow> = BTreeMap::new();
        let mut total = RateRow {
            key: "total".into(),
            name: "合计".into(),
            ..Default::default()
        };
        let mut window = Window {
            cal: &cal,
            days: settings.response_window_days,
            ends: HashMap::new(),
        };
        while let Some(r) = rows.next()? {
            let key: rusqlite::types::Value = r.get(0)?;
            let key = match key {
                rusqlite::types::Value::Integer(i) => format!("{i:012}"),
                rusqlite::types::Value::Text(t) => t,
                _ => String::new(),
            };
            let name: String = r.get(1)?;
            let status: Status = r.get(4)?;
            let fact = Fact {
                received_on: r.get(2)?,
                first_response_on: r.get(3)?,
                closed: !status.is_open(),
                outcome: r.get(5)?,
                satisfaction: r.get(6)?,
            };
            let ok = window.answered(&fact);
            groups
                .entry(key.clone())
                .or_insert_with(|| RateRow {
                    key,
                    name,
                    ..Default::default()
                })
                .add(&fact, ok);
            if group != RateGroup::Cadre {
                total.add(&fact, ok);
            }
        }
        drop(rows);
        // By cadre a request counts once per cadre of its visit; the total counts it once.
        if group == RateGroup::Cadre {
            add_total(c, &mut window, &mut total, from, to, &scope)?;
        }
        let mut rows: Vec<RateRow> = groups.into_values().collect();
        for r in &mut rows {
            r.finish(&settings);
        }
        total.finish(&settings);
        Ok(RatesReport {
            group,
            from,
            to,
            rows,
            total,
            formula: Formula::new(&settings),
        })
    }
}

/// ` AND r.village_id IN (…)` for a village scope.
pub(crate) fn village_filter(villages: &[i64]) -> String {
    in_ids("r.village_id", villages)
}

/// ` AND {col} IN (…)`, or nothing when `ids` is empty (integer ids: nothing to inject).
pub(crate) fn in_ids(col: &str, ids: &[i64]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        let ids: Vec<String> = ids.iter().map(|v| v.to_string()).collect();
        format!(" AND {col} IN ({})", ids.join(","))
    }
}

/// The response window's last day for each day of receipt (working days, counted once a day).
struct Window<'a> {
    cal: &'a Calendar,
    days: u32,
    ends: HashMap<NaiveDate, NaiveDate>,
}

impl Window<'_> {
    /// Whether the request was answered within its window.
    fn answered(&mut self, fact: &Fact) -> bool {
        let (cal, days) = (self.cal, self.days);
        let end = *self
            .ends
            .entry(fact.received_on)
            .or_insert_with(|| cal.add_working_days(fact.received_on, days));
        fact.first_response_on.is_some_and(|d| d <= end)
    }
}

fn add_total(
    c: &rusqlite::Connection,
    window: &mut Window,
    total: &mut RateRow,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    scope: &str,
) -> Result<()> {
    {
        let mut tstmt = c.prepare_cached(&format!(
            "SELECT r.received_on, r.first_response_on, r.status, r.outcome, r.satisfaction FROM requests r
             WHERE (?1 IS NULL OR r.received_on >= ?1) AND (?2 IS NULL OR r.received_on <= ?2){scope}"
        ))?;
        let mut trows = tstmt.query(params![from, to])?;
        while let Some(r) = trows.next()? {
            let status: Status = r.get(2)?;
            let fact = Fact {
                received_on: r.get(0)?,
                first_response_on: r.get(1)?,
                closed: !status.is_open(),
                outcome: r.get(3)?,
                satisfaction: r.get(4)?,
            };
            let ok = window.answered(&fact);
            total.add(&fact, ok);
        }
    }
    Ok(())
}
