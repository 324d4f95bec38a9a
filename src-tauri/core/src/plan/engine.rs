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

pub fn solve(p: &Problem, seed: u64) -> Solution {
    let n_h = p.households.len();
    let n_days = p.days.len();
    let h_cap = p.rules.per_cadre_day;
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
    // Households of each village in walking order: group order, group, id.
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
    // Remaining cadre-days able to serve each village from day t on (a cadre linked to k
    // villages counts 1/k for each): the pace of coverage.
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
    // Coverage still needed per village.
    let mut uncovered: Vec<usize> = vec![0; p.villages.len()];
    for (i, h) in p.households.iter().enumerate() {
        if !st.covered[i] {
            uncovered[h.village] += 1;
        }
    }

    let mut out: Vec<Assignment> = Vec::new();
    let total_days = n_days.max(1);
    for t in 0..n_days {
        let d = p.days[t];
        st.today.iter_mut().for_each(|x| *x = false);
        // Fixed visits of the day first: they use their cadre-day's room and village.
        for &fi in &fixed_by_day[t] {
            let f = p.fixed[fi];
            // Their date is already in `dates`; record the rest of the state.
            st.dates[f.household].retain(|x| *x != d);
            st.place(&mut out, f.household, f.cadre, t, Reason::Coverage, true);
        }
        let mut order: Vec<usize> = (0..p.cadres.len())
            .filter(|&c| p.cadres[c].available[t] && !p.cadres[c].villages.is_empty())
            .collect();
        order.sort_by_key(|&c| mix(seed ^ ((t as u64) << 32) ^ c as u64));
        let late = t * 4 >= total_days * 3; // last quarter: reserved paired households are released
        for c in order {
            let mut room = h_cap.saturating_sub(*st.load.get(&(c, t)).unwrap_or(&0));
            if room == 0 {
                continue;
            }
            let cadre = &p.cadres[c];
            // The village: fixed by today's fixed visits, else where the need is greatest.
            let v = match st.day_village.get(&(c, t)) {
                Some(v) => *v,
                None => *cadre
                    .villages
                    .iter()
                    .max_by(|&&a, &&b| {
                        let score = |v: usize| {
                            let urgent = by_village[v]
                                .iter()
                                .filter(|&&h| {
                                    st.due[h]
                                        .is_some_and(|due| (due - d).num_days() <= KEY_MARGIN_DAYS)
                                        && !st.today[h]
                                })
                                .count() as f64;
                            urgent * 10.0 + uncovered[v] as f64 / remaining_days[v][t].max(0.5)
                        };
                        score(a)
                            .partial_cmp(&score(b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                            .then(b.cmp(&a))
                    })
                    .expect("cadre has villages"),
            };
            let reserved = |h: usize| {
                p.rules.prefer_pairing && !late && p.households[h].paired.is_some_and(|pc| pc != c)
            };
            let mut anchor: Option<(i64, i64)> = None;

            // 1. 重点户 whose visit is due (soonest first); paired ones wait for their own cadre
            //    unless the due date is here.
            let mut keys: Vec<usize> = by_village[v]
                .iter()
                .copied()
                .filter(|&h| {
                    !st.today[h]
                        && st.due[h].is_some_and(|due| (due - d).num_days() <= KEY_MARGIN_DAYS)
                })
                .filter(|&h| {
                    // Waits only while the paired cadre still has a day on or before the due date.
                    !(reserved(h)
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
                    st.place(&mut out, h, c, t, Reason::KeyVisit, false);
                    if !was {
                        uncovered[v] -= 1;
                    }
                    anchor.get_or_insert((p.households[h].group_order, p.households[h].group));
                    room -= 1;
                }
            }
            if room == 0 {
                continue;
            }
            // 2. Coverage, at the village's pace: own paired households first, then the anchor
            //    group, then the nearest groups.
            let pace = if remaining_days[v][t] > 0.0 {
                (uncovered[v] as f64 / remaining_days[v][t]).ceil() as u32
            } else {
                room
            };
            let mut quota = pace.clamp(1, room);
            let _ = &mut quota;
            let mut cands: Vec<usize> = by_village[v]
                .iter()
                .copied()
                .filter(|&h| !st.covered[h] && !st.today[h] && !reserved(h))
                .collect();
            if cands.is_empty() {
                continue;
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
                        &mut out,
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
                    uncovered[v] -= 1;
                    room -= 1;
                    if !own {
                        quota -= 1;
                    }
                }
            }
        }
    }
    repair(&mut st, &mut out, &by_village);
    improve(&mut st, &mut out);
    visit_paired_by_own_cadre(&mut st, &mut out);
    fill_missed_key_visits(&mut st, &mut out);
    Solution { assignments: out }
}

/// The cadre a household would rather have: its paired cadre, else its previous one.
fn preferred(p: &Problem, h: usize) -> Option<usize> {
    let hh = &p.households[h];
    let linked = |c: usize| p.cadres[c].villages.contains(&hh.village);
    if p.rules.prefer_pairing {
        if let Some(c) = hh.paired.filter(|c| linked(*c)) {
            return Some(c);
        }
    }
    if p.rules.prefer_continuity {
        if let Some(c) = hh.previous.filter(|c| linked(*c)) {
            return Some(c);
        }
    }
    None
}

/// How much a household gains from being visited by cadre `c` (pairing over continuity).
fn affinity(p: &Problem, h: usize, c: usize) -> i32 {
    let hh = &p.households[h];
    let mut a = 0;
    if p.rules.prefer_pairing && hh.paired == Some(c) {
        a += 5;
    }
    if p.rules.prefer_continuity && hh.previous == Some(c) {
        a += 2;
    }
    a
}

/// Local search after the greedy passes: visits go to the households' paired (or previous)
/// cadres where that keeps every hard rule and the cadre-day's village — by taking a free
/// place on the preferred cadre's day in the village, or by trading places with a household
/// that does not mind. Dates of 重点户 only move earlier than their due date, so timeliness
/// never gets worse. Deterministic: visits are tried in plan order.
fn improve(st: &mut State, out: &mut [Assignment]) {
    let p = st.p;
    let cap = p.rules.per_cadre_day;
    let mut slots: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    let mut visits_of: Vec<u32> = vec![0; p.households.len()];
    for (i, a) in out.iter().enumerate() {
        slots.entry((a.cadre, a.day)).or_default().push(i);
        visits_of[a.household] += 1;
    }
    pull_late_key_visits(st, out, &mut slots, &visits_of);
    // A date may change for a household visited once in the cycle; for a 重点户 only to a
    // date on or before its current one.
    let may_move_date = |h: usize, from: usize, to: usize| {
        visits_of[h] == 1 && (p.households[h].key_every.is_none() || to <= from)
    };
    for i in 0..out.len() {
        let a = out[i];
        if a.fixed {
            continue;
        }
        let h = a.household;
        let Some(pc) = preferred(p, h) else { continue };
        if pc == a.cadre {
            continue;
        }
        let v = p.households[h].village;
        let gain_h = affinity(p, h, pc) - affinity(p, h, a.cadre);
        if gain_h <= 0 {
            continue;
        }
        // The preferred cadre's days in this village (or free days), this day first.
        let mut days: Vec<usize> = (0..p.days.len())
            .filter(|&t| {
                p.cadres[pc].available[t]
                    && st.day_village.get(&(pc, t)).is_none_or(|dv| *dv == v)
                    && (t == a.day || may_move_date(h, a.day, t))
            })
            .collect();
        // This day first, then days the cadre is already in the household's 村民小组, nearest.
        let group = p.households[h].group;
        days.sort_by_key(|&t| {
            (
                t != a.day,
                !st.day_groups
                    .get(&(pc, t))
                    .is_some_and(|g| g.contains(&group)),
                (t as i64 - a.day as i64).abs(),
            )
        });
        let old_date = p.days[a.day];
        let mut done = false;
        for t in days {
            let new_date = p.days[t];
            let eligible_h = t == a.day || {
                let pos = st.dates[h]
                    .iter()
                    .position(|d| *d == old_date)
                    .expect("planned date");
                st.dates[h].swap_remove(pos);
                let ok = st.eligible(h, new_date);
                st.dates[h].push(old_date);
                ok
            };
            if !eligible_h {
                continue;
            }
            let load = *st.load.get(&(pc, t)).unwrap_or(&0);
            if load < cap {
                // A free place.
                move_visit(st, out, &mut slots, i, pc, t);
                done = true;
            } else {
                // Trade places with a household on (pc, t) that loses less than h gains and
                // can take h's place (a.cadre, a.day).
                let a_village = st.day_village.get(&(a.cadre, a.day)).copied();
                // Same 村民小组 first: trading within a group keeps both days' walking.
                let mut list: Vec<usize> = slots.get(&(pc, t)).cloned().unwrap_or_default();
                list.sort_by_key(|&j| p.households[out[j].household].group != group);
                let partner = Some(list).and_then(|list| {
                    list.into_iter().find(|&j| {
                        let b = out[j];
                        let h2 = b.household;
                        !b.fixed
                            && h2 != h
                            && p.households[h2].village == v
                            && a_village.is_none_or(|av| av == v)
                            && p.cadres[a.cadre].villages.contains(&v)
                            && affinity(p, h2, a.cadre) - affinity(p, h2, pc) + gain_h > 0
                            && (t == a.day || may_move_date(h2, t, a.day))
                            && (t == a.day || {
                                let pos = st.dates[h2]
                                    .iter()
                                    .position(|d| *d == new_date)
                                    .expect("planned date");
                                st.dates[h2].swap_remove(pos);
                                let ok = st.eligible(h2, old_date);
                                st.dates[h2].push(new_date);
                                ok
                            })
                    })
                });
                if let Some(j) = partner {
                    let (c1, t1) = (a.cadre, a.day);
                    move_visit(st, out, &mut slots, j, c1, t1);
                    move_visit(st, out, &mut slots, i, pc, t);
                    done = true;
                }
            }
            if done {
                break;
            }
        }
    }
}

/// A 重点户 visited once in the cycle but after its due date: its visit moves to a legal place
/// on or before the due date — a free place on a linked cadre's day in the village, or a trade
/// with a household that is not a 重点户 and can take the later date.
fn pull_late_key_visits(
    st: &mut State,
    out: &mut [Assignment],
    slots: &mut HashMap<(usize, usize), Vec<usize>>,
    visits_of: &[u32],
) {
    let p = st.p;
    let cap = p.rules.per_cadre_day;
    for i in 0..out.len() {
        let a = out[i];
        let h = a.household;
        let hh = &p.households[h];
        let Some(every) = hh.key_every else { continue };
        if a.fixed || visits_of[h] != 1 {
            continue;
        }
        let last = hh.history.iter().filter(|d| **d < p.start).max().copied();
        let due = super::problem::first_due(p.start, p.end, every, last);
        if p.days[a.day] <= due {
            continue;
        }
        let v = hh.village;
        let old_date = p.days[a.day];
        let pos = st.dates[h]
            .iter()
            .position(|d| *d == old_date)
            .expect("planned date");
        st.dates[h].swap_remove(pos);
        let mut target: Option<(usize, usize, Option<usize>)> = None;
        // Latest legal day first: keeps the 必到 rhythm close to N days.
        'search: for t in (0..a.day).rev() {
            if p.days[t] > due || !st.eligible(h, p.days[t]) {
                continue;
            }
            // The household's own (paired or previous) cadre first, then the most familiar.
            let mut cadres: Vec<usize> = (0..p.cadres.len())
                .filter(|&c| p.cadres[c].villages.contains(&v) && p.cadres[c].available[t])
                .collect();
            cadres.sort_by_key(|&c| -affinity(p, h, c));
            for c in cadres {
                if st.day_village.get(&(c, t)).is_some_and(|dv| *dv != v) {
                    continue;
                }
                if *st.load.get(&(c, t)).unwrap_or(&0) < cap {
                    target = Some((c, t, None));
                    break 'search;
                }
                // Trade with a household that is not a 重点户, visited once, that may take
                // this visit's later place.
                let partner = slots.get(&(c, t)).and_then(|list| {
                    list.iter().copied().find(|&j| {
                        let b = out[j];
                        let h2 = b.household;
                        !b.fixed
                            && h2 != h
                            && visits_of[h2] == 1
                            && p.households[h2].key_every.is_none()
                            && p.households[h2].village == v
                            && affinity(p, h2, a.cadre) >= affinity(p, h2, c)
                            && p.cadres[a.cadre].villages.contains(&v)
                            && st
                                .day_village
                                .get(&(a.cadre, a.day))
                                .is_none_or(|dv| *dv == v)
                            && {
                                let d2 = p.days[t];
                                let k = st.dates[h2]
                                    .iter()
                                    .position(|d| *d == d2)
                                    .expect("planned date");
                                st.dates[h2].swap_remove(k);
                                let ok = st.eligible(h2, old_date);
                                st.dates[h2].push(d2);
                                ok
                            }
                    })
                });
                if let Some(j) = partner {
                    target = Some((c, t, Some(j)));
                    break 'search;
                }
            }
        }
        st.dates[h].push(old_date);
        match target {
            Some((c, t, None)) => move_visit(st, out, slots, i, c, t),
            Some((c, t, Some(j))) => {
                move_visit(st, out, slots, j, a.cadre, a.day);
                move_visit(st, out, slots, i, c, t);
            }
            None => {}
        }
    }
}

/// 必到 first: a 重点户 whose due date would pass without a visit gets one wherever a linked
/// cadre still has a legal free place on or before that date (the latest such day, to keep the
/// N-day rhythm) — even where the greedy passes left it for coverage. Due dates are walked as
/// the evaluation walks them: a visit by the due date meets it and the next is N days later.
fn fill_missed_key_visits(st: &mut State, out: &mut Vec<Assignment>) {
    let p = st.p;
    let cap = p.rules.per_cadre_day;
    for h in 0..p.households.len() {
        let hh = &p.households[h];
        let Some(every) = hh.key_every else { continue };
        let n = Duration::days(every as i64);
        let last = hh.history.iter().filter(|d| **d < p.start).max().copied();
        let mut due = super::problem::first_due(p.start, p.end, every, last);
        let mut guard = 0;
        while due <= p.end && guard < 400 {
            guard += 1;
            let prev = due - n;
            // The visit that meets this due date, if there is one.
            let met = st.dates[h]
                .iter()
                .copied()
                .filter(|d| *d <= due && *d >= p.start && *d > prev)
                .max();
            if let Some(v) = met {
                due = v + n;
                continue;
            }
            let v = hh.village;
            let mut found = None;
            'days: for t in (0..p.days.len()).rev() {
                let d = p.days[t];
                if d > due || d < p.start || d <= prev {
                    continue;
                }
                if !st.eligible(h, d) {
                    continue;
                }
                let mut cadres: Vec<usize> = (0..p.cadres.len())
                    .filter(|&c| p.cadres[c].villages.contains(&v) && p.cadres[c].available[t])
                    .collect();
                cadres.sort_by_key(|&c| -affinity(p, h, c));
                for c in cadres {
                    if st.day_village.get(&(c, t)).is_some_and(|dv| *dv != v) {
                        continue;
                    }
                    if *st.load.get(&(c, t)).unwrap_or(&0) < cap {
                        found = Some((c, t));
                        break 'days;
                    }
                }
            }
            match found {
                Some((c, t)) => {
                    st.place(out, h, c, t, Reason::KeyVisit, false);
                    due = p.days[t] + n;
                }
                // Nothing legal by the due date: the next due point (a later visit meets it).
                None => due += n,
            }
        }
    }
}

/// Rule 5: "a paired household is visited by its cadre whenever that cadre has room". A paired
/// household that another cadre had to visit (its own had no day in time) gets a visit from
/// its own cadre too, where that cadre has room and every hard rule allows it: a day already
/// in the household's 村民小组 first, then a day in its village, then a free day.
fn visit_paired_by_own_cadre(st: &mut State, out: &mut Vec<Assignment>) {
    let p = st.p;
    if !p.rules.prefer_pairing {
        return;
    }
    let cap = p.rules.per_cadre_day;
    let mut by_own: Vec<bool> = vec![false; p.households.len()];
    for a in out.iter() {
        if p.households[a.household].paired == Some(a.cadre) {
            by_own[a.household] = true;
        }
    }
    for (h, hh) in p.households.iter().enumerate() {
        let Some(pc) = hh.paired else { continue };
        if by_own[h] || !st.covered[h] || !p.cadres[pc].villages.contains(&hh.village) {
            continue;
        }
        let best = (0..p.days.len())
            .filter(|&t| {
                p.cadres[pc].available[t]
                    && *st.load.get(&(pc, t)).unwrap_or(&0) < cap
                    && st
                        .day_village
                        .get(&(pc, t))
                        .is_none_or(|v| *v == hh.village)
                    && st.eligible(h, p.days[t])
            })
            .min_by_key(|&t| {
                let in_group = st
                    .day_groups
                    .get(&(pc, t))
                    .is_some_and(|g| g.contains(&hh.group));
                let in_village = st.day_village.contains_key(&(pc, t));
                (!in_group, !in_village, t)
            });
        if let Some(t) = best {
            st.place(out, h, pc, t, Reason::Paired, false);
            by_own[h] = true;
        }
    }
}

/// Moves assignment `i` to (cadre `c`, day `t`), keeping the state's indexes true. The caller
/// has checked the rules.
fn move_visit(
    st: &mut State,
    out: &mut [Assignment],
    slots: &mut HashMap<(usize, usize), Vec<usize>>,
    i: usize,
    c: usize,
    t: usize,
) {
    let p = st.p;
    let a = out[i];
    let h = a.household;
    if let Some(list) = slots.get_mut(&(a.cadre, a.day)) {
        list.retain(|&x| x != i);
    }
    let old = (a.cadre, a.day);
    let group = p.households[h].group;
    if let Some(n) = st.load.get_mut(&old) {
        *n -= 1;
        if *n == 0 {
            st.load.remove(&old);
            st.day_village.remove(&old);
        }
    }
    if let Some(gs) = st.day_groups.get_mut(&old) {
        if let Some(pos) = gs.iter().position(|g| *g == group) {
            gs.swap_remove(pos);
        }
    }
    st.day_groups.entry((c, t)).or_default().push(group);
    if a.day != t {
        let pos = st.dates[h]
            .iter()
            .position(|d| *d == p.days[a.day])
            .expect("planned date");
        st.dates[h][pos] = p.days[t];
    }
    *st.load.entry((c, t)).or_default() += 1;
    st.day_village
        .entry((c, t))
        .or_insert(p.households[h].village);
    slots.entry((c, t)).or_default().push(i);
    out[i].cadre = c;
    out[i].day = t;
    if out[i].reason != Reason::KeyVisit {
        out[i].reason = if p.households[h].paired == Some(c) {
            Reason::Paired
        } else {
            Reason::Coverage
        };
    }
}

/// Second pass: a household the day-by-day pass left uncovered goes to any cadre-day of a
/// linked cadre that still has room and where the rules allow it — first a day already in its
/// village (its own 村民小组 first), then a cadre's empty day. Coverage then fails only where
/// the room or the rules genuinely run out.
fn repair(st: &mut State, out: &mut Vec<Assignment>, by_village: &[Vec<usize>]) {
    let p = st.p;
    let cap = p.rules.per_cadre_day;
    for (v, households) in by_village.iter().enumerate().take(p.villages.len()) {
        let linked: Vec<usize> = (0..p.cadres.len())
            .filter(|&c| p.cadres[c].villages.contains(&v))
            .collect();
        for &h in households {
            if st.covered[h] {
                continue;
            }
            let group = p.households[h].group;
            let mut best: Option<(u8, usize, usize)> = None;
            for &c in &linked {
                for t in 0..p.days.len() {
                    if !p.cadres[c].available[t] || *st.load.get(&(c, t)).unwrap_or(&0) >= cap {
                        continue;
                    }
                    let rank = match st.day_village.get(&(c, t)) {
                        Some(&dv) if dv != v => continue,
                        Some(_) => {
                            let same_group = st
                                .day_groups
                                .get(&(c, t))
                                .is_some_and(|g| g.contains(&group));
                            if same_group {
                                0
                            } else {
                                1
                            }
                        }
                        None => 2,
                    };
                    if best.is_some_and(|b| b.0 <= rank) {
                        continue;
                    }
                    if st.eligible(h, p.days[t]) {
                        best = Some((rank, c, t));
                        if rank == 0 {
                            break;
                        }
                    }
                }
                if best.is_some_and(|b| b.0 == 0) {
                    break;
                }
            }
            if let Some((_, c, t)) = best {
                let reason = if p.households[h].paired == Some(c) {
                    Reason::Paired
                } else {
                    Reason::Coverage
                };
                st.place(out, h, c, t, reason, false);
            }
        }
    }
}
