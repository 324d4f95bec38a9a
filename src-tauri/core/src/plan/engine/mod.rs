//! The planner: a chronological greedy by priority. Day by day, each available cadre-day is
//! given one of the cadre's linked villages (where the need is greatest) and filled with up to
//! H households: 重点户 whose next visit is due, then the cadre's own paired households, then
//! households not yet covered — at the pace that spreads the village's coverage evenly over
//! its remaining cadre-days — keeping to one 村民小组 as long as it has candidates.
//!
//! Hard rules are checked before every placement, so they are never broken: the cadre's day
//! (working day, pattern, leave), H per cadre-day, the minimum gap and the monthly maximum per
//! household (counting recorded visits and fixed ones, before and after). Soft goals steer the
//! choices and are scored afterwards. The seed only orders cadres within a day: the same input
//! and seed give the same plan.

use super::problem::{Assignment, Problem, Reason};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

mod passes;
use passes::{fill_missed_key_visits, improve, repair, visit_paired_by_own_cadre};

/// How many days before a 重点户's due date its visit may be placed.
const KEY_MARGIN_DAYS: i64 = 7;

#[derive(Debug, Clone)]
pub struct Solution {
    pub assignments: Vec<Assignment>,
}

struct State<'a> {
    p: &'a Problem,
    /// Every visit date of each household: history, fixed and planned.
    dates: Vec<Vec<NaiveDate>>,
    covered: Vec<bool>,
    /// Next due date of each 重点户 (None: not a 重点户 or nothing more due in the cycle).
    due: Vec<Option<NaiveDate>>,
    /// (cadre, day) → households planned.
    load: HashMap<(usize, usize), u32>,
    /// (cadre, day) → village of that cadre-day.
    day_village: HashMap<(usize, usize), usize>,
    /// (cadre, day) → 村民小组 visited that day.
    day_groups: HashMap<(usize, usize), Vec<i64>>,
    today: Vec<bool>,
}

impl<'a> State<'a> {
    fn eligible(&self, h: usize, d: NaiveDate) -> bool {
        self.p.rules.household_allows(&self.dates[h], d)
    }

    fn place(
        &mut self,
        out: &mut Vec<Assignment>,
        h: usize,
        c: usize,
        t: usize,
        reason: Reason,
        fixed: bool,
    ) {
        let d = self.p.days[t];
        self.dates[h].push(d);
        self.covered[h] = true;
        if let Some(n) = self.p.households[h].key_every {
            let next = d + Duration::days(n as i64);
            self.due[h] = (next <= self.p.end).then_some(next);
        }
        *self.load.entry((c, t)).or_default() += 1;
        self.day_village
            .entry((c, t))
            .or_insert(self.p.households[h].village);
        self.day_groups
            .entry((c, t))
            .or_default()
            .push(self.p.households[h].group);
        self.today[h] = true;
        out.push(Assignment {
            household: h,
            cadre: c,
            day: t,
            reason,
            fixed,
        });
    }
}

/// SplitMix64, for the within-day cadre order.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Plans the cycle: the state from history and fixed visits, then day by day each available
/// cadre's 重点户 and coverage visits, then the repair and improvement passes.
pub fn solve(p: &Problem, seed: u64) -> Solution {
    let (mut st, fixed_by_day) = start(p);
    let mut pass = Pass {
        by_village: walking_order(p),
        fixed_by_day,
        remaining_days: cadre_days_left(p),
        uncovered: Vec::new(),
    };
    pass.uncovered = uncovered_by_village(&st);
    let mut out: Vec<Assignment> = Vec::new();
    for t in 0..p.days.len() {
        plan_day(&mut st, &mut pass, &mut out, t, seed);
    }
    repair(&mut st, &mut out, &pass.by_village);
    improve(&mut st, &mut out);
    visit_paired_by_own_cadre(&mut st, &mut out);
    fill_missed_key_visits(&mut st, &mut out);
    Solution { assignments: out }
}

/// What the day-by-day pass keeps beside the state: each village's households in walking
/// order, the fixed visits of each day, the cadre-days left to serve each village from each
/// day on, and how many households of each village still need their first visit.
struct Pass {
    by_village: Vec<Vec<usize>>,
    fixed_by_day: Vec<Vec<usize>>,
    remaining_days: Vec<Vec<f64>>,
    uncovered: Vec<usize>,
}

/// One cadre-day being planned: the cadre, the village chosen, the day, and whether the
/// cycle's last quarter has released the households reserved for their paired cadre.
#[derive(Clone, Copy)]
struct Slot {
    c: usize,
    v: usize,
    t: usize,
    late: bool,
}

/// The state before the first day: other cycles' visits in the cadres' loads, each 重点户's
/// first due date, and the fixed visits (locked or done) by day, already counted as covering
/// their household.
fn start(p: &Problem) -> (State<'_>, Vec<Vec<usize>>) {
    let n_h = p.households.len();
    let n_days = p.days.len();
    let mut st = State {
        p,
        dates: p.households.iter().map(|h| h.history.clone()).collect(),
        covered: vec![false; n_h],
        due: vec![None; n_h],
        load: HashMap::new(),
        day_village: HashMap::new(),
        day_groups: HashMap::new(),
        today: vec![false; n_h],
    };
    // Other cycles' visits of a cadre on a day fill part of the day's cap.
    for (c, cadre) in p.cadres.iter().enumerate() {
        for t in 0..n_days {
            let n = cadre.taken_on(t);
            if n > 0 {
                st.load.insert((c, t), n);
            }
        }
    }
    // 重点户 first: due at the start of the cycle unless visited recently.
    for (i, h) in p.households.iter().enumerate() {
        if let Some(n) = h.key_every {
            let last_before = h.history.iter().filter(|d| **d < p.start).max().copied();
            let due = super::problem::first_due(p.start, p.end, n, last_before);
            st.due[i] = (due <= p.end).then_some(due);
        }
    }
    // Fixed visits (locked or done) hold their place; later ones are known before we plan
    // the days before them (gap and monthly rules look both ways).
    // A household with a fixed visit anywhere in the cycle is covered by it.
    let mut fixed_by_day: Vec<Vec<usize>> = vec![Vec::new(); n_days];
    for (i, f) in p.fixed.iter().enumerate() {
        fixed_by_day[f.day].push(i);
        st.dates[f.household].push(p.days[f.day]);
        st.covered[f.household] = true;
    }
    (st, fixed_by_day)
}

/// Households of each village in walking order: group order, group, id.
fn walking_order(p: &Problem) -> Vec<Vec<usize>> {
    let mut by_village: Vec<Vec<usize>> = vec![Vec::new(); p.villages.len()];
    for (i, h) in p.households.iter().enumerate() {
        by_village[h.village].push(i);
    }
    for list in &mut by_village {
        list.sort_by_key(|&i| {
            (
                p.households[i].group_order,
                p.households[i].group,
                p.households[i].id,
            )
        });
    }
    by_village
}

/// Remaining cadre-days able to serve each village from day t on (a cadre linked to k
/// villages counts 1/k for each): the pace of coverage.
fn cadre_days_left(p: &Problem) -> Vec<Vec<f64>> {
    let n_days = p.days.len();
    let mut remaining_days = vec![vec![0f64; n_days + 1]; p.villages.len()];
    for c in &p.cadres {
        if c.villages.is_empty() {
            continue;
        }
        let share = 1.0 / c.villages.len() as f64;
        for &v in &c.villages {
            for t in (0..n_days).rev() {
                remaining_days[v][t] += if c.available[t] { share } else { 0.0 };
            }
        }
    }
    for days in &mut remaining_days {
        for t in (0..n_days).rev() {
            days[t] += days[t + 1];
        }
    }
    remaining_days
}

/// Coverage still needed per village.
fn uncovered_by_village(st: &State<'_>) -> Vec<usize> {
    let p = st.p;
    let mut uncovered: Vec<usize> = vec![0; p.villages.len()];
    for (i, h) in p.households.iter().enumerate() {
        if !st.covered[i] {
            uncovered[h.village] += 1;
        }
    }
    uncovered
}

/// Day `t`: its fixed visits, then each available cadre in a seeded order — the village, the
/// 重点户 due, then coverage at the village's pace.
fn plan_day(st: &mut State<'_>, pass: &mut Pass, out: &mut Vec<Assignment>, t: usize, seed: u64) {
    let p = st.p;
    let n_days = p.days.len();
    let total_days = n_days.max(1);
    let h_cap = p.rules.per_cadre_day;
    let d = p.days[t];
    st.today.iter_mut().for_each(|x| *x = false);
    // Fixed visits of the day first: they use their cadre-day's room and village.
    for &fi in &pass.fixed_by_day[t] {
        let f = p.fixed[fi];
        // Their date is already in `dates`; record the rest of the state.
        st.dates[f.household].retain(|x| *x != d);
        st.place(out, f.household, f.cadre, t, Reason::Coverage, true);
    }
    let mut order: Vec<usize> = (0..p.cadres.len())
        .filter(|&c| p.cadres[c].available[t] && !p.cadres[c].villages.is_empty())
        .collect();
    order.sort_by_key(|&c| mix(seed ^ ((t as u64) << 32) ^ c as u64));
    let late = t * 4 >= total_days * 3; // last quarter: reserved paired households are released
    for c in order {
        let room = h_cap.saturating_sub(*st.load.get(&(c, t)).unwrap_or(&0));
        if room == 0 {
            continue;
        }
        let v = choose_village(st, pass, c, t);
        let slot = Slot { c, v, t, late };
        let (room, anchor) = key_visits(st, pass, out, slot, room);
        if room == 0 {
            continue;
        }
        coverage_visits(st, pass, out, slot, room, anchor);
    }
}

/// The village of a cadre-day: fixed by the day's fixed visits, else where the need is
/// greatest (重点户 due soon, then coverage behind its pace).
fn choose_village(st: &State<'_>, pass: &Pass, c: usize, t: usize) -> usize {
    let d = st.p.days[t];
    match st.day_village.get(&(c, t)) {
        Some(v) => *v,
        None => *st.p.cadres[c]
            .villages
            .iter()
            .max_by(|&&a, &&b| {
                let score = |v: usize| {
                    let urgent = pass.by_village[v]
                        .iter()
                        .filter(|&&h| {
                            st.due[h].is_some_and(|due| (due - d).num_days() <= KEY_MARGIN_DAYS)
                                && !st.today[h]
                        })
                        .count() as f64;
                    urgent * 10.0 + pass.uncovered[v] as f64 / pass.remaining_days[v][t].max(0.5)
                };
                score(a)
                    .partial_cmp(&score(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(b.cmp(&a))
            })
            .expect("cadre has villages"),
    }
}

/// Whether household `h` waits for its own paired cadre instead of cadre `c`.
fn reserved(p: &Problem, h: usize, c: usize, late: bool) -> bool {
    p.rules.prefer_pairing && !late && p.households[h].paired.is_some_and(|pc| pc != c)
}

/// 1. 重点户 whose visit is due (soonest first); paired ones wait for their own cadre unless
///    the due date is here. Returns the room left and the group the visits anchor the day to.
fn key_visits(
    st: &mut State<'_>,
    pass: &mut Pass,
    out: &mut Vec<Assignment>,
    slot: Slot,
    mut room: u32,
) -> (u32, Option<(i64, i64)>) {
    let p = st.p;
    let Slot { c, v, t, late } = slot;
    let n_days = p.days.len();
    let d = p.days[t];
    let mut anchor: Option<(i64, i64)> = None;
    let mut keys: Vec<usize> = pass.by_village[v]
        .iter()
        .copied()
        .filter(|&h| {
            !st.today[h] && st.due[h].is_some_and(|due| (due - d).num_days() <= KEY_MARGIN_DAYS)
        })
        .filter(|&h| {
            // Waits only while the paired cadre still has a day on or before the due date.
            !(reserved(p, h, c, late)
                && st.due[h].is_some_and(|due| {
                    let pc = p.households[h].paired.expect("reserved means paired");
                    (t..n_days)
                        .take_while(|&u| p.days[u] <= due)
                        .any(|u| p.cadres[pc].available[u])
                }))
        })
        .collect();
    keys.sort_by_key(|&h| {
        (
            st.due[h],
            p.households[h].paired != Some(c),
            p.households[h].group_order,
            p.households[h].id,
        )
    });
    for h in keys {
        if room == 0 {
            break;
        }
        if st.eligible(h, d) {
            let was = st.covered[h];
            st.place(out, h, c, t, Reason::KeyVisit, false);
            if !was {
                pass.uncovered[v] -= 1;
            }
            anchor.get_or_insert((p.households[h].group_order, p.households[h].group));
            room -= 1;
        }
    }
    (room, anchor)
}

/// 2. Coverage, at the village's pace: own paired households first, then the anchor group,
///    then the nearest groups.
fn coverage_visits(
    st: &mut State<'_>,
    pass: &mut Pass,
    out: &mut Vec<Assignment>,
    slot: Slot,
    mut room: u32,
    anchor: Option<(i64, i64)>,
) {
    let p = st.p;
    let Slot { c, v, t, late } = slot;
    let d = p.days[t];
    let pace = if pass.remaining_days[v][t] > 0.0 {
        (pass.uncovered[v] as f64 / pass.remaining_days[v][t]).ceil() as u32
    } else {
        room
    };
    let mut quota = pace.clamp(1, room);
    let mut cands: Vec<usize> = pass.by_village[v]
        .iter()
        .copied()
        .filter(|&h| !st.covered[h] && !st.today[h] && !reserved(p, h, c, late))
        .collect();
    if cands.is_empty() {
        return;
    }
    let anchor = anchor.unwrap_or_else(|| {
        // The group with the most uncovered households, earliest in order on ties.
        let mut counts: HashMap<(i64, i64), usize> = HashMap::new();
        for &h in &cands {
            *counts
                .entry((p.households[h].group_order, p.households[h].group))
                .or_default() += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k)
            .expect("non-empty")
    });
    cands.sort_by_key(|&h| {
        let hh = &p.households[h];
        (
            hh.paired != Some(c),
            if p.rules.locality {
                (hh.group_order - anchor.0).abs()
            } else {
                0
            },
            hh.group != anchor.1,
            !(p.rules.prefer_continuity && hh.previous == Some(c)),
            hh.group_order,
            hh.id,
        )
    });
    for h in cands {
        // The cadre's own paired households come first and do not count against the pace.
        let own = p.households[h].paired == Some(c);
        if room == 0 || (!own && quota == 0) {
            break;
        }
        if st.eligible(h, d) {
            st.place(
                out,
                h,
                c,
                t,
                if own {
                    Reason::Paired
                } else {
                    Reason::Coverage
                },
                false,
            );
            pass.uncovered[v] -= 1;
            room -= 1;
            if !own {
                quota -= 1;
            }
        }
    }
}
