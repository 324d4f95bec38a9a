//! The independent checker: verifies a plan against the hard rules straight from the problem,
//! sharing no code with the planner. Used by tests, by `minqing plan check`, and after every
//! computation (a plan with a violation is never stored silently).

use super::problem::{Assignment, Problem};
use chrono::Datelike;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `capacity`, `day`, `month_days`, `gap`, `month`, `village`
    pub rule: &'static str,
    pub message: String,
}

pub fn check(p: &Problem, plan: &[Assignment]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut per_cadre_day: HashMap<(usize, usize), u32> = HashMap::new();
    let mut villages_of_cadre_day: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    let mut visits: HashMap<usize, Vec<chrono::NaiveDate>> = HashMap::new();
    for a in plan {
        let date = p.days[a.day];
        let cadre = &p.cadres[a.cadre];
        let hh = &p.households[a.household];
        if !cadre.allowed[a.day] {
            out.push(Violation {
                rule: "day",
                message: format!(
                    "{} 在 {date} 不能走访（非走访日、请假或节假日）",
                    cadre.name
                ),
            });
        }
        *per_cadre_day.entry((a.cadre, a.day)).or_default() += 1;
        let vs = villages_of_cadre_day.entry((a.cadre, a.day)).or_default();
        if !vs.contains(&hh.village) {
            vs.push(hh.village);
        }
        if !a.fixed && !cadre.villages.contains(&hh.village) {
            out.push(Violation {
                rule: "village",
                message: format!(
                    "{} 被安排到非挂钩村 {}",
                    cadre.name, p.villages[hh.village].name
                ),
            });
        }
        visits.entry(a.household).or_default().push(date);
    }
    // "N days a month": distinct visit days per cadre and month.
    let mut month_days: HashMap<(usize, (i32, u32)), Vec<usize>> = HashMap::new();
    for (c, t) in per_cadre_day.keys() {
        let d = p.days[*t];
        month_days
            .entry((*c, (d.year(), d.month())))
            .or_default()
            .push(*t);
    }
    for ((c, (y, m)), ds) in &month_days {
        if let Some(n) = p.cadres[*c].days_per_month {
            if ds.len() as u32 > n {
                out.push(Violation {
                    rule: "month_days",
                    message: format!(
                        "{} 在 {y}年{m}月安排了 {} 个走访日，超过每月 {n} 天",
                        p.cadres[*c].name,
                        ds.len()
                    ),
                });
            }
        }
    }
    for ((c, t), n) in &per_cadre_day {
        // Visits other cycles planned for the cadre that day count too.
        let n = n + p.cadres[*c].taken_on(*t);
        if n > p.rules.per_cadre_day {
            out.push(Violation {
                rule: "capacity",
                message: format!(
                    "{} 在 {} 安排了 {n} 户（含其他轮次），超过每天 {} 户",
                    p.cadres[*c].name, p.days[*t], p.rules.per_cadre_day
                ),
            });
        }
    }
    for (h, planned) in &visits {
        // Planned and recorded visits together; the same day twice is a gap of 0.
        let mut all: Vec<chrono::NaiveDate> = planned.clone();
        all.extend(p.households[*h].history.iter().copied());
        all.sort();
        for w in all.windows(2) {
            let gap = (w[1] - w[0]).num_days();
            if gap < p.rules.min_gap_days as i64 {
                out.push(Violation {
                    rule: "gap",
                    message: format!(
                        "户 {} 在 {} 和 {} 两次走访只隔 {gap} 天，少于 {} 天",
                        p.households[*h].id, w[0], w[1], p.rules.min_gap_days
                    ),
                });
            }
        }
        let mut months: HashMap<(i32, u32), u32> = HashMap::new();
        for d in &all {
            *months.entry((d.year(), d.month())).or_default() += 1;
        }
        for ((y, m), n) in months {
            if n > p.rules.max_per_month {
                out.push(Violation {
                    rule: "month",
                    message: format!(
                        "户 {} 在 {y}年{m}月走访 {n} 次，超过每月 {} 次",
                        p.households[*h].id, p.rules.max_per_month
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| a.message.cmp(&b.message));
    out
}
