//! Scores a plan on the soft goals and explains what could not be met, with numbers and a
//! concrete fix. Written apart from the engine so the numbers judge it rather than echo it.

use super::problem::{Assignment, Problem, Reason};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub households: u32,
    pub covered: u32,
    /// 重点户 visits due in the cycle, and those made by their due date.
    /// Saved plans (plan_versions.summary) written before the rename say `mustVisitsDue`.
    #[serde(alias = "mustVisitsDue")]
    pub key_visits_due: u32,
    #[serde(alias = "mustVisitsOnTime")]
    pub key_visits_on_time: u32,
    /// Paired households visited, and of those by their own cadre.
    pub paired_visited: u32,
    pub paired_by_own_cadre: u32,
    /// Households whose previous-cycle cadre is still linked, and of those kept with them.
    pub continuity_possible: u32,
    pub continuity_kept: u32,
    pub cadre_days: u32,
    pub single_village_days: u32,
    /// Mean number of 村民小组 per cadre-day.
    pub groups_per_cadre_day: f64,
    pub utilisation_min: f64,
    pub utilisation_max: f64,
    pub utilisation_mean: f64,
    /// Standard deviation of utilisation across cadres (0 = perfectly proportional).
    pub balance_sd: f64,
    /// Coefficient of variation of visits per week (0 = perfectly even over the cycle).
    pub spread_cv: f64,
    /// One number to compare plans (and the CP-SAT model): higher is better.
    pub objective: f64,
}

/// A cadre's planned visits against their room.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CadreLoad {
    pub cadre_id: i64,
    pub name: String,
    pub available_days: u32,
    pub capacity: u32,
    pub planned: u32,
    pub utilisation: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct VillageCoverage {
    pub village_id: i64,
    pub name: String,
    pub households: u32,
    pub covered: u32,
    pub linked_cadres: u32,
    /// Visits needed in the cycle (coverage and every due 必到 visit).
    pub demand: u32,
    /// Room of the linked cadres (a cadre linked to k villages counts 1/k).
    pub capacity: u32,
    /// Visits the plan puts in the village (its households', by any cadre).
    pub planned: u32,
    /// Working days a linked cadre has for this village in the cycle, on average (a cadre
    /// linked to k villages counts 1/k): what one more such cadre would bring.
    pub days_per_cadre: f64,
}

crate::text_enum! {
    /// Why something of the plan could not be met; the order is the order shown.
    pub enum ShortfallCause ("排不上的原因") {
        NoCadre = "没有挂钩干部",
        Capacity = "干部容量不足",
        Days = "走访日不够",
        RecentlyVisited = "刚走访过",
        RuleConflict = "规则冲突",
        KeyVisitLate = "重点户不能按期",
    }
}

impl ShortfallCause {
    /// A 重点户 visit planned late or a rule conflict: the households are still planned.
    pub fn households_planned(self) -> bool {
        matches!(
            self,
            ShortfallCause::KeyVisitLate | ShortfallCause::RuleConflict
        )
    }

    fn order(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).expect("in ALL")
    }

    /// Plan summaries saved before the causes had names used codes; a stored summary is read
    /// through this so its shortfalls still show.
    pub fn upgrade_saved(json: &str) -> String {
        let mut out = json.to_string();
        for (code, cause) in [
            ("no_cadre", ShortfallCause::NoCadre),
            ("capacity", ShortfallCause::Capacity),
            ("days", ShortfallCause::Days),
            ("recently_visited", ShortfallCause::RecentlyVisited),
            ("rule_conflict", ShortfallCause::RuleConflict),
            // Saved before the 重点户 visits were called key visits everywhere.
            ("must_visit_late", ShortfallCause::KeyVisitLate),
        ] {
            out = out.replace(
                &format!("\"cause\":\"{code}\""),
                &format!("\"cause\":\"{}\"", cause.as_str()),
            );
        }
        out
    }
}

/// What could not be met, grouped by cause, each with its numbers and the fix.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Shortfall {
    pub cause: ShortfallCause,
    pub village_id: Option<i64>,
    pub message: String,
    pub fix: String,
    pub household_ids: Vec<i64>,
}

/// Due dates of a 重点户's visits in the cycle and whether each was met on time.
fn key_visit_timeliness(p: &Problem, h: usize, every: u32, planned: &[NaiveDate]) -> (u32, u32) {
    let hh = &p.households[h];
    let n = Duration::days(every as i64);
    let mut visits: Vec<NaiveDate> = planned
        .iter()
        .copied()
        .chain(
            hh.history
                .iter()
                .copied()
                .filter(|d| *d >= p.start && *d <= p.end),
        )
        .collect();
    visits.sort();
    let mut due = super::problem::first_due(
        p.start,
        p.end,
        every,
        hh.history.iter().filter(|d| **d < p.start).max().copied(),
    );
    let (mut need, mut ok) = (0, 0);
    let mut i = 0;
    while due <= p.end {
        need += 1;
        match visits.get(i) {
            // A visit by the due date meets it; the next is due N days after that visit.
            Some(v) if *v <= due => {
                ok += 1;
                due = *v + n;
                i += 1;
            }
            // Missed: the next due point is N days later (a late visit may meet that one).
            _ => due += n,
        }
    }
    (need, ok)
}

pub fn score(p: &Problem, plan: &[Assignment]) -> (Score, Vec<CadreLoad>, Vec<VillageCoverage>) {
    let mut s = Score {
        households: p.households.len() as u32,
        ..Default::default()
    };
    let mut by_h: HashMap<usize, Vec<NaiveDate>> = HashMap::new();
    let mut cadre_days: HashMap<(usize, usize), (HashSet<usize>, HashSet<i64>)> = HashMap::new();
    let mut per_cadre = vec![0u32; p.cadres.len()];
    let mut paired_seen: HashSet<usize> = HashSet::new();
    let mut paired_own: HashSet<usize> = HashSet::new();
    let mut cont_kept: HashSet<usize> = HashSet::new();
    for a in plan {
        let hh = &p.households[a.household];
        by_h.entry(a.household).or_default().push(p.days[a.day]);
        let e = cadre_days.entry((a.cadre, a.day)).or_default();
        e.0.insert(hh.village);
        e.1.insert(hh.group);
        per_cadre[a.cadre] += 1;
        if hh.paired.is_some() {
            paired_seen.insert(a.household);
            if hh.paired == Some(a.cadre) {
                paired_own.insert(a.household);
            }
        }
        if hh.previous == Some(a.cadre) {
            cont_kept.insert(a.household);
        }
    }
    s.covered = (0..p.households.len())
        .filter(|h| {
            by_h.contains_key(h)
                || p.households[*h]
                    .history
                    .iter()
                    .any(|d| *d >= p.start && *d <= p.end)
        })
        .count() as u32;
    for (h, hh) in p.households.iter().enumerate() {
        if let Some(n) = hh.key_every {
            let (need, ok) =
                key_visit_timeliness(p, h, n, by_h.get(&h).map(|v| v.as_slice()).unwrap_or(&[]));
            s.key_visits_due += need;
            s.key_visits_on_time += ok;
        }
        if hh
            .previous
            .is_some_and(|c| p.cadres[c].villages.contains(&hh.village))
        {
            s.continuity_possible += 1;
        }
    }
    s.paired_visited = paired_seen.len() as u32;
    s.paired_by_own_cadre = paired_own.len() as u32;
    s.continuity_kept = cont_kept.len() as u32;
    s.cadre_days = cadre_days.len() as u32;
    s.single_village_days = cadre_days.values().filter(|(v, _)| v.len() == 1).count() as u32;
    s.groups_per_cadre_day = if cadre_days.is_empty() {
        0.0
    } else {
        cadre_days
            .values()
            .map(|(_, g)| g.len() as f64)
            .sum::<f64>()
            / cadre_days.len() as f64
    };

    let mut loads = Vec::new();
    for (c, cadre) in p.cadres.iter().enumerate() {
        let days = cadre.available.iter().filter(|a| **a).count() as u32;
        let capacity = days * p.rules.per_cadre_day;
        if capacity == 0 || cadre.villages.is_empty() {
            continue;
        }
        loads.push(CadreLoad {
            cadre_id: cadre.id,
            name: cadre.name.clone(),
            available_days: days,
            capacity,
            planned: per_cadre[c],
            utilisation: per_cadre[c] as f64 / capacity as f64,
        });
    }
    if !loads.is_empty() {
        let u: Vec<f64> = loads.iter().map(|l| l.utilisation).collect();
        s.utilisation_min = u.iter().cloned().fold(f64::INFINITY, f64::min);
        s.utilisation_max = u.iter().cloned().fold(0.0, f64::max);
        s.utilisation_mean = u.iter().sum::<f64>() / u.len() as f64;
        s.balance_sd = (u
            .iter()
            .map(|x| (x - s.utilisation_mean).powi(2))
            .sum::<f64>()
            / u.len() as f64)
            .sqrt();
    }
    // Spread: visits per ISO week.
    let mut weeks: HashMap<(i32, u32), u32> = HashMap::new();
    let mut d = p.start;
    while d <= p.end {
        weeks
            .entry((d.iso_week().year(), d.iso_week().week()))
            .or_default();
        d += Duration::days(1);
    }
    for a in plan {
        let d = p.days[a.day];
        *weeks
            .entry((d.iso_week().year(), d.iso_week().week()))
            .or_default() += 1;
    }
    if !weeks.is_empty() {
        let w: Vec<f64> = weeks.values().map(|x| *x as f64).collect();
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let sd = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        s.spread_cv = if mean > 0.0 { sd / mean } else { 0.0 };
    }
    s.objective = objective(&s);

    // Villages: demand against room.
    let mut villages = Vec::new();
    for (v, village) in p.villages.iter().enumerate() {
        let hs: Vec<usize> = (0..p.households.len())
            .filter(|h| p.households[*h].village == v)
            .collect();
        let covered = hs.iter().filter(|h| by_h.contains_key(h)).count() as u32;
        let mut demand = 0u32;
        for &h in &hs {
            demand += match p.households[h].key_every {
                Some(n) => {
                    let (need, _) = key_visit_timeliness(p, h, n, &[]);
                    need.max(1)
                }
                None => 1,
            };
        }
        let linked: Vec<usize> = (0..p.cadres.len())
            .filter(|c| p.cadres[*c].villages.contains(&v))
            .collect();
        let share_days = |c: usize| {
            p.cadres[c].available.iter().filter(|a| **a).count() as f64
                / p.cadres[c].villages.len() as f64
        };
        let capacity: f64 = linked
            .iter()
            .map(|&c| share_days(c) * p.rules.per_cadre_day as f64)
            .sum();
        let days_per_cadre = if linked.is_empty() {
            0.0
        } else {
            linked.iter().map(|&c| share_days(c)).sum::<f64>() / linked.len() as f64
        };
        let planned = hs
            .iter()
            .map(|h| by_h.get(h).map_or(0, |v| v.len()) as u32)
            .sum();
        villages.push(VillageCoverage {
            village_id: village.id,
            name: village.name.clone(),
            households: hs.len() as u32,
            covered,
            linked_cadres: linked.len() as u32,
            demand,
            capacity: capacity.floor() as u32,
            planned,
            days_per_cadre,
        });
    }
    (s, loads, villages)
}

/// Coverage first, then must-visit timeliness, then pairing, continuity, locality, balance and
/// spread — weights chosen so a goal never buys a worse one above it.
pub fn objective(s: &Score) -> f64 {
    let frac = |a: u32, b: u32| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    1000.0 * frac(s.covered, s.households)
        + 300.0 * frac(s.key_visits_on_time, s.key_visits_due)
        + 50.0 * frac(s.paired_by_own_cadre, s.paired_visited)
        + 20.0 * frac(s.continuity_kept, s.continuity_possible)
        + 20.0 * frac(s.single_village_days, s.cadre_days)
        - 10.0 * (s.groups_per_cadre_day - 1.0).max(0.0)
        - 20.0 * s.balance_sd
        - 10.0 * s.spread_cv
}

/// The unmet items grouped by cause, each with its numbers and a concrete fix.
pub fn explain(p: &Problem, plan: &[Assignment], villages: &[VillageCoverage]) -> Vec<Shortfall> {
    let visited: HashSet<usize> = plan.iter().map(|a| a.household).collect();
    let mut out = Vec::new();
    let h_cap = p.rules.per_cadre_day.max(1);
    for (v, vc) in villages.iter().enumerate() {
        let missing: Vec<usize> = (0..p.households.len())
            .filter(|h| {
                p.households[*h].village == v
                    && !visited.contains(h)
                    && !p.households[*h]
                        .history
                        .iter()
                        .any(|d| *d >= p.start && *d <= p.end)
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let ids: Vec<i64> = missing.iter().map(|h| p.households[*h].id).collect();
        let (cause, message, fix) = if vc.linked_cadres == 0 {
            (
                ShortfallCause::NoCadre,
                format!(
                    "{}有 {} 户需要走访，但没有干部挂钩这个村。",
                    vc.name, vc.households
                ),
                "在“干部队伍”中给这个村挂钩干部。".to_string(),
            )
        } else if vc.demand > vc.capacity {
            // Every number is the plan's own: what is needed, what was placed, what is left.
            let left = vc
                .demand
                .saturating_sub(vc.planned)
                .max(missing.len() as u32);
            let days = left.div_ceil(h_cap);
            let per = vc.days_per_cadre.floor().max(1.0) as u32;
            let cadres = days.div_ceil(per);
            (
                ShortfallCause::Capacity,
                format!(
                    "{}本轮需要走访 {} 次（每户至少一次，重点户按期），已安排 {} 次；挂钩的 {} 名干部在这里的走访日都已排满，还有 {} 户排不上。",
                    vc.name,
                    vc.demand,
                    vc.planned,
                    vc.linked_cadres,
                    missing.len()
                ),
                format!(
                    "给挂钩干部增加 {days} 个走访日（每天 {h_cap} 户），或再挂钩 {cadres} 名干部（按每人本轮约 {per} 个走访日计）。"
                ),
            )
        } else if missing.iter().all(|h| !p.households[*h].history.is_empty()) {
            (
                ShortfallCause::RecentlyVisited,
                format!(
                    "{}有 {} 户因“不扰民”间隔或每月次数限制，本轮找不到可以安排的日子。",
                    vc.name,
                    missing.len()
                ),
                format!(
                    "这些户最近刚走访过。可以缩短最小间隔（现为 {} 天），或在下一轮安排。",
                    p.rules.min_gap_days
                ),
            )
        } else {
            (
                ShortfallCause::Days,
                format!(
                    "{}有 {} 户排不上：挂钩干部的走访日都已排满，或集中在他们的其他挂钩村。",
                    vc.name,
                    missing.len()
                ),
                "给这个村的挂钩干部增加走访日，或再挂钩一名只负责这个村的干部。".to_string(),
            )
        };
        out.push(Shortfall {
            cause,
            village_id: Some(vc.village_id),
            message,
            fix,
            household_ids: ids,
        });
    }
    // Rule conflicts: a 必到 frequency shorter than the minimum gap cannot be kept.
    let conflicting: Vec<i64> = p
        .households
        .iter()
        .filter(|h| h.key_every.is_some_and(|n| n < p.rules.min_gap_days))
        .map(|h| h.id)
        .collect();
    if !conflicting.is_empty() {
        let n = p
            .households
            .iter()
            .filter_map(|h| h.key_every)
            .min()
            .unwrap_or(0);
        out.push(Shortfall {
            cause: ShortfallCause::RuleConflict,
            village_id: None,
            message: format!(
                "有 {} 户重点户要求每 {n} 天走访一次，但两次走访至少要间隔 {} 天，无法同时做到。",
                conflicting.len(),
                p.rules.min_gap_days
            ),
            fix: format!(
                "把必到周期改为不少于 {} 天，或把最小间隔缩短到 {n} 天以内。",
                p.rules.min_gap_days
            ),
            household_ids: conflicting,
        });
    }
    // Must-visit lateness, counted per village.
    let mut late: HashMap<usize, Vec<i64>> = HashMap::new();
    let mut by_h: HashMap<usize, Vec<NaiveDate>> = HashMap::new();
    for a in plan {
        by_h.entry(a.household).or_default().push(p.days[a.day]);
    }
    for (h, hh) in p.households.iter().enumerate() {
        if let Some(n) = hh.key_every.filter(|n| *n >= p.rules.min_gap_days) {
            let (need, ok) =
                key_visit_timeliness(p, h, n, by_h.get(&h).map(|v| v.as_slice()).unwrap_or(&[]));
            if ok < need {
                late.entry(hh.village).or_default().push(hh.id);
            }
        }
    }
    for (v, ids) in late {
        let vc = &villages[v];
        out.push(Shortfall {
            cause: ShortfallCause::KeyVisitLate,
            village_id: Some(vc.village_id),
            message: format!(
                "{}有 {} 户重点户的必到走访不能全部按期完成。",
                vc.name,
                ids.len()
            ),
            fix: if vc.demand > vc.capacity {
                "增加该村挂钩干部或走访日，让重点户按期走访。".into()
            } else {
                "重点户走访日期受“不扰民”间隔和干部走访日限制，可调整干部走访日或最小间隔。".into()
            },
            household_ids: ids,
        });
    }
    out.sort_by(|a, b| {
        a.cause
            .order()
            .cmp(&b.cause.order())
            .then(a.message.cmp(&b.message))
    });
    let _ = Reason::Coverage;
    out
}

#[cfg(test)]
mod cause_tests {
    use super::*;

    #[test]
    fn a_summary_saved_with_the_old_codes_still_reads() {
        let saved = r#"[{"cause":"capacity","villageId":3,"message":"m","fix":"f","householdIds":[1]},{"cause":"must_visit_late","villageId":null,"message":"m","fix":"f","householdIds":[]}]"#;
        let read: Vec<Shortfall> =
            serde_json::from_str(&ShortfallCause::upgrade_saved(saved)).unwrap();
        assert_eq!(read[0].cause, ShortfallCause::Capacity);
        assert_eq!(read[1].cause, ShortfallCause::KeyVisitLate);
        assert!(read[1].cause.households_planned() && !read[0].cause.households_planned());
        // Without the upgrade the old codes are not causes.
        assert!(serde_json::from_str::<Vec<Shortfall>>(saved).is_err());
        // Today's summaries pass through unchanged.
        let now = serde_json::to_string(&read).unwrap();
        assert_eq!(ShortfallCause::upgrade_saved(&now), now);
    }

    #[test]
    fn a_plan_saved_before_key_visits_were_so_named_still_shows_its_figures() {
        let mut v = serde_json::to_value(super::Score::default()).unwrap();
        let o = v.as_object_mut().unwrap();
        o.remove("keyVisitsDue");
        o.remove("keyVisitsOnTime");
        o.insert("mustVisitsDue".into(), 41.into());
        o.insert("mustVisitsOnTime".into(), 37.into());
        let read: super::Score = serde_json::from_value(v).unwrap();
        assert_eq!((read.key_visits_due, read.key_visits_on_time), (41, 37));
        let now = serde_json::to_string(&read).unwrap();
        assert!(now.contains("\"keyVisitsDue\":41"), "{now}");
    }
}
