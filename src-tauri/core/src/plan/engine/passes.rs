//! The passes after the day-by-day plan: repair what it could not place, improve (balance,
//! pairing, continuity), give paired households their own cadre, and fill missed 重点户 visits.

use super::*;

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
pub(super) fn improve(st: &mut State, out: &mut [Assignment]) {
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
        let due = crate::plan::problem::first_due(p.start, p.end, every, last);
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
pub(super) fn fill_missed_key_visits(st: &mut State, out: &mut Vec<Assignment>) {
    let p = st.p;
    let cap = p.rules.per_cadre_day;
    for h in 0..p.households.len() {
        let hh = &p.households[h];
        let Some(every) = hh.key_every else { continue };
        let n = Duration::days(every as i64);
        let last = hh.history.iter().filter(|d| **d < p.start).max().copied();
        let mut due = crate::plan::problem::first_due(p.start, p.end, every, last);
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
pub(super) fn visit_paired_by_own_cadre(st: &mut State, out: &mut Vec<Assignment>) {
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
pub(super) fn repair(st: &mut State, out: &mut Vec<Assignment>, by_village: &[Vec<usize>]) {
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
