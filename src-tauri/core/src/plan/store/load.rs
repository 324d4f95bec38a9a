//! What the engine plans, read from the database: the cycle's households, cadres and days,
//! with the current version's locked, recorded and still-fitting visits.

use super::cycles::{calendar_warnings, current_version, read_input, rule_warnings};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::plan::problem::{spread_days, Cadre, Fixed, Household, Problem, Rules, Village};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// What the engine needs, read from the database, with the ids to map its answer back.
pub(super) struct Loaded {
    pub problem: Problem,
    pub household_ids: Vec<i64>,
    pub cadre_ids: Vec<i64>,
    /// Rows of the current version kept as they are: (household idx, cadre idx, day idx, row id).
    pub keep_rows: Vec<i64>,
    /// The current version's other planned visits (not locked, not done): what a
    /// recomputation that keeps the plan tries to leave where it is.
    pub unlocked: Vec<(i64, Fixed)>,
    pub warnings: Vec<String>,
}

pub(super) fn load_problem(c: &Connection, cycle_id: i64) -> Result<Loaded> {
    load(c, cycle_id, true)
}

/// `keep_current`: the current version's locked visits become fixed (recomputing); without
/// it the problem is the township alone (checking a stored version).
pub(super) fn load(c: &Connection, cycle_id: i64, keep_current: bool) -> Result<Loaded> {
    let input = read_input(c, cycle_id)?;
    let cal = Calendar::load(c)?;
    let mut days = Vec::new();
    let mut d = input.start;
    while d <= input.end {
        if cal.is_working_day(d) {
            days.push(d);
        }
        d += Duration::days(1);
    }
    if days.is_empty() {
        return Err(Error::invalid(
            "end",
            "这个日期范围内没有工作日，无法排班。",
        ));
    }
    let day_index: HashMap<NaiveDate, usize> =
        days.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    // Villages in scope.
    let villages: Vec<(i64, String)> = if input.village_ids.is_empty() {
        c.prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        c.prepare("SELECT v.id, v.name FROM plan_cycle_villages cv JOIN villages v ON v.id = cv.village_id WHERE cv.cycle_id = ?1 ORDER BY v.sort_order, v.id")?
            .query_map([cycle_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let village_index: HashMap<i64, usize> = villages
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();

    // Cadres: active, linked to a village in scope.
    let mut cadres: Vec<Cadre> = Vec::new();
    let mut cadre_ids = Vec::new();
    {
        let mut st = c.prepare("SELECT id, name, visit_weekdays, visit_days_per_month FROM cadres WHERE active = 1 ORDER BY id")?;
        let rows: Vec<(i64, String, String, u32)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut links =
            c.prepare_cached("SELECT village_id FROM cadre_villages WHERE cadre_id = ?1")?;
        let mut leave = c.prepare_cached(
            "SELECT date FROM cadre_leave WHERE cadre_id = ?1 AND date BETWEEN ?2 AND ?3",
        )?;
        for (id, name, weekdays, per_month) in rows {
            let linked: Vec<usize> = links
                .query_map([id], |r| r.get::<_, i64>(0))?
                .filter_map(|v| v.ok().and_then(|v| village_index.get(&v).copied()))
                .collect();
            if linked.is_empty() {
                continue;
            }
            let pattern: Vec<u32> = weekdays
                .split(',')
                .filter_map(|w| w.trim().parse().ok())
                .filter(|w| (1..=7).contains(w))
                .collect();
            let mut allowed: Vec<bool> = if pattern.is_empty() {
                vec![true; days.len()]
            } else {
                days.iter()
                    .map(|d| pattern.contains(&d.weekday().number_from_monday()))
                    .collect()
            };
            let mut available = if pattern.is_empty() {
                spread_days(&days, per_month)
            } else {
                allowed.clone()
            };
            let mut lost = Vec::new();
            for l in leave.query_map(params![id, input.start, input.end], |r| {
                r.get::<_, NaiveDate>(0)
            })? {
                if let Some(&t) = day_index.get(&l?) {
                    if available[t] {
                        lost.push(t);
                    }
                    available[t] = false;
                    allowed[t] = false;
                }
            }
            // "N days a month": a leave day that fell on one of the spread days is replaced by
            // the nearest free day of the same month, so the month keeps its N days.
            if pattern.is_empty() {
                for t in lost {
                    let month = crate::plan::problem::month_key(days[t]);
                    let replacement = (1..days.len())
                        .flat_map(|k| [t.checked_sub(k), Some(t + k)])
                        .flatten()
                        .filter(|&u| u < days.len())
                        .find(|&u| {
                            crate::plan::problem::month_key(days[u]) == month
                                && allowed[u]
                                && !available[u]
                        });
                    if let Some(u) = replacement {
                        available[u] = true;
                    }
                }
            }
            cadre_ids.push(id);
            cadres.push(Cadre {
                id,
                name,
                villages: linked,
                available,
                allowed,
                days_per_month: pattern.is_empty().then_some(per_month),
                taken: Vec::new(),
            });
        }
    }
    let cadre_index: HashMap<i64, usize> = cadre_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();

    // Households in scope: 在册, with their 必到 period, pairing, previous cadre and recent visits.
    let mut households = Vec::new();
    let mut household_ids = Vec::new();
    {
        let mut st = c.prepare(
            "SELECT h.id, h.village_id, h.group_id, g.sort_order,
                    (SELECT min(k.every_days) FROM household_tags ht JOIN tags t ON t.id = ht.tag_id
                       JOIN key_rules k ON k.id = t.key_rule_id WHERE ht.household_id = h.id),
                    (SELECT cadre_id FROM cadre_households ch WHERE ch.household_id = h.id)
             FROM households h JOIN village_groups g ON g.id = h.group_id
             WHERE h.status = '在册'
             ORDER BY h.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<u32>>(4)?,
                r.get::<_, Option<i64>>(5)?,
            ))
        })?;
        for row in rows {
            let (id, village, group, group_order, key_every, paired) = row?;
            let Some(&v) = village_index.get(&village) else {
                continue;
            };
            household_ids.push(id);
            households.push(Household {
                id,
                village: v,
                group,
                group_order,
                key_every,
                paired: paired.and_then(|p| cadre_index.get(&p).copied()),
                previous: None,
                history: Vec::new(),
            });
        }
    }
    let household_index: HashMap<i64, usize> = household_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    // Recorded visits near and inside the cycle (gap, monthly limit, must-visit timing), and the
    // last cadre before the cycle (continuity).
    {
        let from = input.start - Duration::days(62);
        let mut st = c.prepare(
            "SELECT v.household_id, v.visit_date, v.outcome IN ('见到户主', '见到家人'),
                    (SELECT min(cadre_id) FROM visit_cadres vc WHERE vc.visit_id = v.id)
             FROM visits v WHERE v.visit_date BETWEEN ?1 AND ?2 ORDER BY v.visit_date",
        )?;
        let rows = st.query_map(params![from, input.end], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        for row in rows {
            let (hid, date, counted, cadre) = row?;
            if let Some(&h) = household_index.get(&hid) {
                if counted {
                    households[h].history.push(date);
                }
                if date < input.start {
                    households[h].previous = cadre.and_then(|c| cadre_index.get(&c).copied());
                }
            }
        }
    }
    // Other cycles' current plans (not yet done: done ones are recorded visits above): their
    // visits count like recorded ones for the gap and the monthly limit, and fill their
    // cadres' days — two cycles must not together break a rule neither breaks alone.
    {
        let from = input.start - Duration::days(62);
        let to = input.end + Duration::days(62);
        let mut st = c.prepare(
            "SELECT pv.household_id, pv.cadre_id, pv.visit_date FROM plan_visits pv
             WHERE pv.visit_id IS NULL AND pv.visit_date BETWEEN ?2 AND ?3
               AND pv.version_id IN (SELECT max(id) FROM plan_versions
                                      WHERE cycle_id <> ?1 GROUP BY cycle_id)",
        )?;
        let rows = st.query_map(params![cycle_id, from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, NaiveDate>(2)?,
            ))
        })?;
        for row in rows {
            let (hid, cid, date) = row?;
            if let Some(&h) = household_index.get(&hid) {
                households[h].history.push(date);
            }
            if let (Some(&cd), Some(&t)) = (cadre_index.get(&cid), day_index.get(&date)) {
                let taken = &mut cadres[cd].taken;
                if taken.is_empty() {
                    taken.resize(days.len(), 0);
                }
                taken[t] += 1;
            }
        }
    }
    // The current version: locked visits stay where they are; done ones are history already.
    let mut fixed = Vec::new();
    let mut keep_rows = Vec::new();
    let mut unlocked = Vec::new();
    if let Some(v) = current_version(c, cycle_id)?.filter(|_| keep_current) {
        let mut st = c.prepare("SELECT id, household_id, cadre_id, visit_date, locked, visit_id IS NOT NULL FROM plan_visits WHERE version_id = ?1")?;
        let rows = st.query_map([v], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, NaiveDate>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?;
        for row in rows {
            let (row_id, hid, cid, date, locked, done) = row?;
            if done {
                keep_rows.push(row_id);
            } else if let (Some(&h), Some(&cd), Some(&t)) = (
                household_index.get(&hid),
                cadre_index.get(&cid),
                day_index.get(&date),
            ) {
                let f = Fixed {
                    household: h,
                    cadre: cd,
                    day: t,
                };
                if locked {
                    fixed.push(f);
                    keep_rows.push(row_id);
                } else {
                    unlocked.push((row_id, f));
                }
            }
        }
    }
    make_room_for_fixed(&mut cadres, &days, &fixed);
    let rules = Rules {
        min_gap_days: input.min_gap_days,
        max_per_month: input.max_per_month,
        per_cadre_day: input.per_cadre_day,
        prefer_pairing: input.prefer_pairing,
        prefer_continuity: input.prefer_continuity,
        locality: input.locality,
    };
    let mut warnings = calendar_warnings(&cal, input.start, input.end);
    warnings.extend(rule_warnings(c, &input)?);
    Ok(Loaded {
        problem: Problem {
            start: input.start,
            end: input.end,
            days,
            villages: villages
                .into_iter()
                .map(|(id, name)| Village { id, name })
                .collect(),
            households,
            cadres,
            rules,
            fixed,
        },
        household_ids,
        cadre_ids,
        keep_rows,
        unlocked,
        warnings,
    })
}

/// The current version's unlocked visits that still fit every hard rule next to the locked
/// and recorded ones — the cadre still links the village and visits that day, the day has
/// room and stays in one village, the household's gap and monthly limit hold. Visits are taken
/// in date order, so a visit that a locked move or a new leave day displaced is the one left
/// out (and planned afresh).
pub(super) fn still_fitting(p: &Problem, unlocked: &[(i64, Fixed)]) -> Vec<usize> {
    let mut dates: Vec<Vec<NaiveDate>> = p.households.iter().map(|h| h.history.clone()).collect();
    let mut load: HashMap<(usize, usize), u32> = HashMap::new();
    for (c, cadre) in p.cadres.iter().enumerate() {
        for t in 0..p.days.len() {
            if cadre.taken_on(t) > 0 {
                load.insert((c, t), cadre.taken_on(t));
            }
        }
    }
    let mut village: HashMap<(usize, usize), usize> = HashMap::new();
    for f in &p.fixed {
        dates[f.household].push(p.days[f.day]);
        *load.entry((f.cadre, f.day)).or_default() += 1;
        village
            .entry((f.cadre, f.day))
            .or_insert(p.households[f.household].village);
    }
    let mut order: Vec<usize> = (0..unlocked.len()).collect();
    order.sort_by_key(|&i| (unlocked[i].1.day, unlocked[i].0));
    let mut out = Vec::new();
    for i in order {
        let f = unlocked[i].1;
        let (c, t, h) = (f.cadre, f.day, f.household);
        let v = p.households[h].village;
        let d = p.days[t];
        let fits = p.cadres[c].available[t]
            && p.cadres[c].villages.contains(&v)
            && *load.get(&(c, t)).unwrap_or(&0) < p.rules.per_cadre_day
            && village.get(&(c, t)).is_none_or(|x| *x == v)
            && p.rules.household_allows(&dates[h], d);
        if fits {
            dates[h].push(d);
            *load.entry((c, t)).or_default() += 1;
            village.entry((c, t)).or_insert(v);
            out.push(i);
        }
    }
    out
}

/// A locked visit moved by hand onto a day outside an "N days a month" cadre's spread days:
/// that day becomes a planning day and another day of the same month without locked visits
/// (the nearest) stops being one, so the month keeps N visit days.
fn make_room_for_fixed(cadres: &mut [Cadre], days: &[NaiveDate], fixed: &[Fixed]) {
    use crate::plan::problem::month_key;
    for f in fixed {
        let c = &mut cadres[f.cadre];
        if c.available[f.day] || !c.allowed[f.day] {
            continue;
        }
        c.available[f.day] = true;
        let Some(n) = c.days_per_month else { continue };
        let month = month_key(days[f.day]);
        let in_month: Vec<usize> = (0..days.len())
            .filter(|t| month_key(days[*t]) == month && c.available[*t])
            .collect();
        if in_month.len() as u32 <= n {
            continue;
        }
        let locked_here = |t: usize| fixed.iter().any(|x| x.cadre == f.cadre && x.day == t);
        if let Some(drop) = in_month
            .iter()
            .copied()
            .filter(|t| !locked_here(*t))
            .min_by_key(|t| (*t as i64 - f.day as i64).abs())
        {
            c.available[drop] = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_visit_on_an_unplanned_day_takes_the_place_of_the_nearest_free_day() {
        let start = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let days: Vec<NaiveDate> = (0..30).map(|i| start + Duration::days(i)).collect();
        let available = spread_days(&days, 4);
        let off = (0..30).find(|t| !available[*t]).unwrap();
        let locked_elsewhere = (0..30).rev().find(|t| available[*t]).unwrap();
        let mut cadres = vec![Cadre {
            id: 1,
            name: "甲".into(),
            villages: vec![0],
            available,
            allowed: vec![true; 30],
            days_per_month: Some(4),
            taken: Vec::new(),
        }];
        let fixed = vec![
            Fixed {
                household: 0,
                cadre: 0,
                day: off,
            },
            Fixed {
                household: 1,
                cadre: 0,
                day: locked_elsewhere,
            },
        ];
        make_room_for_fixed(&mut cadres, &days, &fixed);
        let c = &cadres[0];
        assert!(c.available[off]);
        assert!(
            c.available[locked_elsewhere],
            "a day with a locked visit stays"
        );
        assert_eq!(c.available.iter().filter(|a| **a).count(), 4);
    }
}
