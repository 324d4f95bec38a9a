//! The planner in the database: a quarter for a generated township, moves refused by the
//! rule they break, locks kept through a recomputation, versions compared, the due list
//! closed by the visit diary, cadres' visit days and leave honoured.

use chrono::{Datelike, NaiveDate, Weekday};
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::diary::{record_visit, VisitInput, VisitOutcome};
use minqing_core::plan::adjust::{lock_visits, move_visit};
use minqing_core::plan::store::{
    check_version, compute_plan, create_cycle, get_cycle, list_cycles, CycleInput,
};
use minqing_core::plan::views::{
    board, cadre_day, compare_versions, due_list, household_plan, village_plan, PlannedVisit,
};
use minqing_core::register::cadres::{get_cadre, update_cadre, CadreInput};
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn township(households: u32) -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households,
            ..Default::default()
        },
        d("2026-03-31"),
        |_, _| true,
    )
    .unwrap();
    store
}

fn quarter(store: &Store) -> i64 {
    create_cycle(
        store,
        &CycleInput::new("2026年二季度", d("2026-04-01"), d("2026-06-30")),
    )
    .unwrap()
    .id
}

fn all_visits(store: &Store, cycle: i64) -> Vec<PlannedVisit> {
    let villages: Vec<i64> = store
        .read(|c| {
            Ok(c.prepare("SELECT id FROM villages")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    villages
        .into_iter()
        .flat_map(|v| village_plan(store, cycle, v).unwrap())
        .collect()
}

#[test]
fn a_quarter_for_the_township_covers_every_household_without_breaking_a_rule() {
    let store = township(600);
    let cycle = quarter(&store);
    let summary = compute_plan(&store, cycle, false).unwrap();
    assert!(summary.hard_violations.is_empty());
    let registered: u32 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM households WHERE status = '在册'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(registered > 550);
    assert_eq!(summary.score.households, registered);
    assert_eq!(
        summary.score.covered, registered,
        "shortfalls: {:?}",
        summary.shortfalls
    );
    assert!(summary.assignments >= 600);
    // The stored plan passes the independent checker too.
    let report = check_version(&store, cycle, None).unwrap();
    assert_eq!(report.checked, summary.assignments);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    // Nothing planned on a weekend or on 劳动节 / 端午节.
    let visits = all_visits(&store, cycle);
    assert_eq!(visits.len() as u32, summary.assignments);
    for v in &visits {
        assert!(
            !matches!(v.date.weekday(), Weekday::Sat | Weekday::Sun) || v.date == d("2026-05-09"),
            "{v:?}"
        );
        assert!(
            !(d("2026-05-01")..=d("2026-05-05")).contains(&v.date),
            "{v:?}"
        );
        assert!(
            v.date != d("2026-04-06") && v.date != d("2026-06-19"),
            "{v:?}"
        );
        // Phones are masked wherever a plan shows them.
        assert!(
            v.phone_masked.is_empty() || v.phone_masked.contains('*'),
            "{v:?}"
        );
        assert!(!v.reason.is_empty());
    }
    // The board has a column for every day of the cycle and rows adding up to the plan.
    let b = board(&store, cycle, None).unwrap();
    assert_eq!(b.days.len(), 91);
    assert!(!b.working[b.days.iter().position(|x| *x == d("2026-05-01")).unwrap()]);
    let total: u32 = b.rows.iter().map(|r| r.planned).sum();
    assert_eq!(total, summary.assignments);
    // A cadre-day lists its households; every one of them in the same village when possible.
    let row = &b.rows[0];
    let cell = &row.cells[0];
    let day = b.days[cell.day as usize];
    let list = cadre_day(&store, summary.version_id, row.cadre_id, day).unwrap();
    assert_eq!(list.len() as u32, cell.count);
    assert!(list
        .iter()
        .all(|v| v.cadre_id == row.cadre_id && v.date == day));
    // The cycle lists with its counts.
    let cycles = list_cycles(&store).unwrap();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].planned, summary.assignments as i64);
}

#[test]
fn the_same_township_and_seed_give_the_same_plan() {
    let a = township(300);
    let b = township(300);
    let (ca, cb) = (quarter(&a), quarter(&b));
    compute_plan(&a, ca, false).unwrap();
    compute_plan(&b, cb, false).unwrap();
    let key = |v: &PlannedVisit| (v.household_id, v.cadre_id, v.date);
    let pa: Vec<_> = all_visits(&a, ca).iter().map(key).collect();
    let pb: Vec<_> = all_visits(&b, cb).iter().map(key).collect();
    assert_eq!(pa, pb);
}

#[test]
fn moves_that_break_a_rule_are_refused_naming_it_and_locked_moves_survive_recomputing() {
    let store = township(300);
    let cycle = quarter(&store);
    let first = compute_plan(&store, cycle, false).unwrap();
    let visits = all_visits(&store, cycle);
    let v = visits.iter().find(|v| v.date.month() == 4).unwrap().clone();

    let saturday = d("2026-04-11");
    let err = move_visit(&store, v.id, v.cadre_id, saturday)
        .unwrap_err()
        .to_string();
    assert!(err.contains("节假日不走访"), "{err}");
    let err = move_visit(&store, v.id, v.cadre_id, d("2026-07-01"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("轮次日期"), "{err}");
    // A day already full for this cadre.
    let per_day = get_cycle(&store, cycle).unwrap().input.per_cadre_day;
    let b = board(&store, cycle, None).unwrap();
    let full = b
        .rows
        .iter()
        .find(|r| r.cadre_id == v.cadre_id)
        .unwrap()
        .cells
        .iter()
        .find(|c| c.count >= per_day && b.days[c.day as usize] != v.date)
        .map(|c| b.days[c.day as usize]);
    if let Some(full) = full {
        let err = move_visit(&store, v.id, v.cadre_id, full)
            .unwrap_err()
            .to_string();
        assert!(err.contains("每天走访户数"), "{err}");
    }
    // Another visit to the same household within the minimum gap.
    if let Some(other) = visits
        .iter()
        .find(|o| o.household_id == v.household_id && o.id != v.id)
    {
        let near = other.date + chrono::Duration::days(1);
        let err = move_visit(&store, v.id, v.cadre_id, near)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("不扰民")
                || err.contains("间隔")
                || err.contains("节假日")
                || err.contains("每天"),
            "{err}"
        );
    }
    // A legal move: a working day in April the cadre has room on and the household has not
    // been visited near.
    let target = (1..=30)
        .map(|n| NaiveDate::from_ymd_opt(2026, 4, n).unwrap())
        .filter(|day| *day != v.date)
        .find(|day| move_visit(&store, v.id, v.cadre_id, *day).is_ok())
        .expect("some April day fits");
    lock_visits(&store, &[v.id], true).unwrap();
    // Another cadre asks for leave on a day they have visits planned.
    let other = b
        .rows
        .iter()
        .find(|r| r.cadre_id != v.cadre_id && !r.cells.is_empty())
        .unwrap();
    let leave_day = b.days[other.cells[0].day as usize];
    let on_leave = other.cells[0].count as usize;
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO cadre_leave (cadre_id, date) VALUES (?1, ?2)",
                rusqlite::params![other.cadre_id, leave_day],
            )?;
            Ok(())
        })
        .unwrap();

    let second = compute_plan(&store, cycle, false).unwrap();
    assert_eq!(second.number, first.number + 1);
    assert!(second.hard_violations.is_empty());
    let kept = household_plan(&store, v.household_id).unwrap();
    assert!(
        kept.iter()
            .any(|k| k.date == target && k.cadre_id == v.cadre_id && k.locked),
        "locked visit kept: {kept:?}"
    );
    let diff = compare_versions(&store, cycle, first.version_id, second.version_id).unwrap();
    assert_eq!(
        (diff.from_number, diff.to_number),
        (first.number, second.number)
    );
    // The visits of the day on leave moved, and say so.
    let for_leave: Vec<_> = diff
        .changes
        .iter()
        .filter(|m| {
            m.from_date == Some(leave_day) && m.from_cadre.as_deref() == Some(other.name.as_str())
        })
        .collect();
    assert_eq!(for_leave.len(), on_leave, "{:?}", diff.changes);
    assert!(
        for_leave.iter().all(|m| m.why.contains("请假")),
        "{for_leave:?}"
    );
    // The locked visit did not move.
    assert!(!diff
        .changes
        .iter()
        .any(|m| m.household_id == v.household_id && m.from_date == Some(target)));
    assert!(diff.unchanged > 0);
    assert!(check_version(&store, cycle, None)
        .unwrap()
        .violations
        .is_empty());
}

#[test]
fn recomputing_to_keep_the_plan_moves_only_the_visits_a_leave_day_displaced() {
    let store = township(300);
    let cycle = quarter(&store);
    let first = compute_plan(&store, cycle, false).unwrap();
    let total = all_visits(&store, cycle).len();
    let b = board(&store, cycle, None).unwrap();
    let other = b.rows.iter().find(|r| !r.cells.is_empty()).unwrap();
    let leave_day = b.days[other.cells[0].day as usize];
    let on_leave = other.cells[0].count as usize;
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO cadre_leave (cadre_id, date) VALUES (?1, ?2)",
                rusqlite::params![other.cadre_id, leave_day],
            )?;
            Ok(())
        })
        .unwrap();

    let kept = compute_plan(&store, cycle, true).unwrap();
    assert!(kept.hard_violations.is_empty());
    let diff = compare_versions(&store, cycle, first.version_id, kept.version_id).unwrap();
    // The leave day's visits moved (or were added elsewhere); nothing else planned moved.
    let moved_away = diff
        .changes
        .iter()
        .filter(|m| m.from_date.is_some())
        .collect::<Vec<_>>();
    assert_eq!(moved_away.len(), on_leave, "{:?}", diff.changes);
    assert!(moved_away
        .iter()
        .all(|m| m.from_date == Some(leave_day)
            && m.from_cadre.as_deref() == Some(other.name.as_str())));
    assert!(diff.unchanged as usize >= total - on_leave);
    assert!(check_version(&store, cycle, None)
        .unwrap()
        .violations
        .is_empty());

    // Planning afresh instead moves many more (the cascade the keeping mode avoids).
    let fresh = compute_plan(&store, cycle, false).unwrap();
    let fresh_diff = compare_versions(&store, cycle, first.version_id, fresh.version_id).unwrap();
    assert!(
        fresh_diff.changes.len() > diff.changes.len(),
        "{} vs {}",
        fresh_diff.changes.len(),
        diff.changes.len()
    );
}

#[test]
fn the_diary_closes_due_visits_and_a_household_not_at_home_stays_due() {
    let store = township(300);
    let cycle = quarter(&store);
    compute_plan(&store, cycle, false).unwrap();
    // The first day with visits planned (the days right after recorded visits are too close).
    let b = board(&store, cycle, None).unwrap();
    let first = b
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.day))
        .min()
        .unwrap();
    let today = b.days[first as usize];
    let monday = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let due = due_list(&store, today, None, 500).unwrap();
    assert!(due.today.len() >= 2, "{}", due.today.len());
    assert!(due.overdue.is_empty());
    assert!(!due.this_week.is_empty());
    assert!(due
        .this_week
        .iter()
        .all(|v| v.date > today && v.date <= monday + chrono::Duration::days(6)));

    let met = &due.today[0];
    let away = due
        .today
        .iter()
        .find(|v| v.household_id != met.household_id)
        .unwrap();
    let input = |v: &PlannedVisit, outcome| VisitInput {
        household_id: v.household_id,
        visit_date: Some(today),
        cadre_ids: vec![v.cadre_id],
        outcome,
        learned: "了解家庭近况，无新的诉求。".into(),
        evaluation: None,
        requests: vec![],
    };
    record_visit(&store, &input(met, VisitOutcome::MetHead), today).unwrap();
    record_visit(&store, &input(away, VisitOutcome::NotHome), today).unwrap();

    let after = due_list(&store, today, None, 500).unwrap();
    assert_eq!(after.today.len(), due.today.len() - 1);
    assert!(!after.today.iter().any(|v| v.id == met.id));
    let still = after.today.iter().find(|v| v.id == away.id).unwrap();
    assert_eq!(still.attempts, 1);
    // A week later the unvisited ones are overdue.
    let later = due_list(&store, today + chrono::Duration::days(7), None, 500).unwrap();
    assert!(later.overdue.iter().any(|v| v.id == away.id));
    assert!(!later.overdue.iter().any(|v| v.id == met.id));
    assert!(later.overdue_total >= 1);
    // The completed visit stays in the plan as done through a recomputation.
    compute_plan(&store, cycle, false).unwrap();
    let plan = household_plan(&store, met.household_id).unwrap();
    assert!(plan.iter().any(|v| v.done && v.date == today));
}

#[test]
fn cadres_fixed_visit_days_and_leave_are_honoured() {
    let store = township(300);
    let cycle = quarter(&store);
    let cadre_id: i64 = store
        .read(|c| Ok(c.query_row("SELECT min(id) FROM cadres", [], |r| r.get(0))?))
        .unwrap();
    let cadre = get_cadre(&store, cadre_id).unwrap();
    let mut input = CadreInput::new(&cadre.name, &cadre.unit);
    input.title = cadre.title.clone();
    input.level = cadre.level;
    input.visit_days_per_month = cadre.visit_days_per_month;
    input.village_ids = cadre.villages.iter().map(|v| v.id).collect();
    input.household_ids = cadre.households.iter().map(|h| h.id).collect();
    input.visit_weekdays = vec![4, 2, 2];
    input.leave_dates = vec![d("2026-04-14"), d("2026-04-16")];
    let saved = update_cadre(&store, cadre_id, &input).unwrap();
    assert_eq!(saved.visit_weekdays, vec![2, 4]);
    assert_eq!(saved.leave_dates, vec![d("2026-04-14"), d("2026-04-16")]);

    input.visit_weekdays = vec![8];
    let err = update_cadre(&store, cadre_id, &input)
        .unwrap_err()
        .to_string();
    assert!(err.contains("星期"), "{err}");

    compute_plan(&store, cycle, false).unwrap();
    let b = board(&store, cycle, None).unwrap();
    let row = b.rows.iter().find(|r| r.cadre_id == cadre_id).unwrap();
    assert!(row.planned > 0);
    for c in &row.cells {
        let day = b.days[c.day as usize];
        assert!(
            matches!(day.weekday(), Weekday::Tue | Weekday::Thu),
            "{day} is a {:?}",
            day.weekday()
        );
        assert!(day != d("2026-04-14") && day != d("2026-04-16"));
    }
    // Moving one of their visits onto a Monday or a leave day is refused with the rule.
    let v = village_plan(&store, cycle, cadre.villages[0].id)
        .unwrap()
        .into_iter()
        .find(|v| v.cadre_id == cadre_id)
        .unwrap();
    let err = move_visit(&store, v.id, cadre_id, d("2026-04-13"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("干部走访日"), "{err}");
    let err = move_visit(&store, v.id, cadre_id, d("2026-04-16"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("请假不走访"), "{err}");
}

#[test]
fn a_locked_visit_that_no_longer_fits_stops_the_recomputation_and_says_why() {
    let store = township(200);
    let cycle = quarter(&store);
    compute_plan(&store, cycle, false).unwrap();
    let v = all_visits(&store, cycle)[0].clone();
    lock_visits(&store, &[v.id], true).unwrap();
    // The cadre asks for leave on that very day after the lock.
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO cadre_leave (cadre_id, date) VALUES (?1, ?2)",
                rusqlite::params![v.cadre_id, v.date],
            )?;
            Ok(())
        })
        .unwrap();
    let report = check_version(&store, cycle, None).unwrap();
    assert_eq!(report.violations.len(), 1, "{:?}", report.violations);
    assert_eq!(report.violations[0].rule, "day");
    let before = get_cycle(&store, cycle).unwrap().versions.len();
    let err = compute_plan(&store, cycle, false).unwrap_err().to_string();
    assert!(err.contains("解除") && err.contains("锁定"), "{err}");
    assert_eq!(get_cycle(&store, cycle).unwrap().versions.len(), before);
}

#[test]
fn a_cadre_with_n_days_a_month_cannot_be_given_an_extra_day_by_a_move() {
    let store = township(300);
    let cycle = quarter(&store);
    compute_plan(&store, cycle, false).unwrap();
    let b = board(&store, cycle, None).unwrap();
    // A cadre without a weekday pattern whose April is full (as many days as their N).
    let (row, n) = b
        .rows
        .iter()
        .find_map(|r| {
            let cadre = get_cadre(&store, r.cadre_id).unwrap();
            let april = r
                .cells
                .iter()
                .filter(|c| b.days[c.day as usize].month() == 4)
                .count() as i64;
            (cadre.visit_weekdays.is_empty() && april == cadre.visit_days_per_month && april > 1)
                .then_some((r, april))
        })
        .expect("a cadre with a full April");
    let cell = row
        .cells
        .iter()
        .find(|c| b.days[c.day as usize].month() == 4 && c.count > 1)
        .unwrap();
    let day = b.days[cell.day as usize];
    let v = cadre_day(&store, b.version_id.unwrap(), row.cadre_id, day).unwrap()[0].clone();
    let planned_days: Vec<NaiveDate> = row.cells.iter().map(|c| b.days[c.day as usize]).collect();
    let new_day = (1..=30)
        .map(|d| NaiveDate::from_ymd_opt(2026, 4, d).unwrap())
        .find(|d| {
            !planned_days.contains(d) && b.working[b.days.iter().position(|x| x == d).unwrap()]
        })
        .unwrap();
    let err = move_visit(&store, v.id, row.cadre_id, new_day)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("每月走访天数") && err.contains(&format!("每月走访 {n} 天")),
        "{err}"
    );
}

/// Every current planned visit of every cycle, straight from the table: (household, cadre,
/// date) — what a checker that shares no code with the planner looks at.
fn every_planned_visit(store: &Store) -> Vec<(i64, i64, NaiveDate)> {
    store
        .read(|c| {
            Ok(c.prepare(
                "SELECT household_id, cadre_id, visit_date FROM plan_visits
                 WHERE version_id IN (SELECT max(id) FROM plan_versions GROUP BY cycle_id)",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

/// The hard rules over all cycles together, by plain loops: gap ≥ 14 days, ≤ 2 a month per
/// household, ≤ 8 a day per cadre.
fn cross_cycle_violations(visits: &[(i64, i64, NaiveDate)]) -> Vec<String> {
    use std::collections::HashMap;
    let mut out = Vec::new();
    let mut by_household: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let mut by_cadre_day: HashMap<(i64, NaiveDate), u32> = HashMap::new();
    for (h, c, date) in visits {
        by_household.entry(*h).or_default().push(*date);
        *by_cadre_day.entry((*c, *date)).or_default() += 1;
    }
    for (h, mut dates) in by_household {
        dates.sort();
        for w in dates.windows(2) {
            if (w[1] - w[0]).num_days() < 14 {
                out.push(format!("household {h}: {} and {}", w[0], w[1]));
            }
        }
        let mut months: HashMap<(i32, u32), u32> = HashMap::new();
        for d in &dates {
            *months.entry((d.year(), d.month())).or_default() += 1;
        }
        for (m, n) in months {
            if n > 2 {
                out.push(format!("household {h}: {n} visits in {m:?}"));
            }
        }
    }
    for ((c, date), n) in by_cadre_day {
        if n > 8 {
            out.push(format!("cadre {c}: {n} households on {date}"));
        }
    }
    out
}

#[test]
fn cycles_are_planned_and_checked_against_each_other() {
    let store = township(1500);
    // Two adjacent months planned ahead: the second knows the first's visits.
    let nov = create_cycle(
        &store,
        &CycleInput::new("十一月", d("2026-11-01"), d("2026-11-30")),
    )
    .unwrap()
    .id;
    compute_plan(&store, nov, false).unwrap();
    let dec = create_cycle(
        &store,
        &CycleInput::new("十二月", d("2026-12-01"), d("2026-12-31")),
    )
    .unwrap()
    .id;
    compute_plan(&store, dec, false).unwrap();
    let v = cross_cycle_violations(&every_planned_visit(&store));
    assert!(
        v.is_empty(),
        "{} across 11-30/12-01: {:?}",
        v.len(),
        &v[..v.len().min(5)]
    );
    // Recomputing the first now knows the second as well, and both still check.
    compute_plan(&store, nov, false).unwrap();
    assert!(cross_cycle_violations(&every_planned_visit(&store)).is_empty());
    for cycle in [nov, dec] {
        assert!(check_version(&store, cycle, None)
            .unwrap()
            .violations
            .is_empty());
    }

    // A second cycle for the same villages at the same time is refused, naming the first.
    let e = create_cycle(
        &store,
        &CycleInput::new("重叠", d("2026-11-15"), d("2026-12-15")),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("与轮次“十一月”") && e.contains("重叠"), "{e}");
}

#[test]
fn a_cadre_linked_to_two_villages_in_two_cycles_keeps_the_daily_cap_over_both() {
    let store = township(2500);
    // A cadre linked to at least two villages, and two of those villages.
    let (cadre, a, b): (i64, i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT x.cadre_id, min(x.village_id), max(x.village_id) FROM cadre_villages x
                 GROUP BY x.cadre_id HAVING count(*) >= 2 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    for (name, v) in [("甲村四季度", a), ("乙村四季度", b)] {
        let mut input = CycleInput::new(name, d("2026-10-01"), d("2026-12-31"));
        input.village_ids = vec![v];
        let id = create_cycle(&store, &input).unwrap().id;
        compute_plan(&store, id, false).unwrap();
    }
    let visits = every_planned_visit(&store);
    assert!(visits.iter().any(|(_, c, _)| *c == cadre));
    let v = cross_cycle_violations(&visits);
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn leave_on_a_planned_day_of_an_n_days_a_month_cadre_is_made_up_in_the_same_month() {
    // Many households for the cadres: every cadre works all of its N days a month.
    let store = township(3000);
    let cycle = create_cycle(
        &store,
        &CycleInput::new("十一月", d("2026-11-02"), d("2026-11-30")),
    )
    .unwrap()
    .id;
    compute_plan(&store, cycle, false).unwrap();
    let days_of = |store: &Store, cadre: i64| -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = every_planned_visit(store)
            .into_iter()
            .filter(|(_, c, _)| *c == cadre)
            .map(|(_, _, d)| d)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    // A cadre with "N days a month" (no weekday pattern) and all N days used.
    let (cadre, n): (i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT id, visit_days_per_month FROM cadres WHERE visit_weekdays = '' AND active = 1 ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let before = days_of(&store, cadre);
    assert_eq!(before.len() as i64, n, "{before:?}");
    // Leave on the first of those days.
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO cadre_leave (cadre_id, date) VALUES (?1, ?2)",
                rusqlite::params![cadre, before[0]],
            )?;
            Ok(())
        })
        .unwrap();
    compute_plan(&store, cycle, false).unwrap();
    let after = days_of(&store, cadre);
    assert!(!after.contains(&before[0]), "no visit on the leave day");
    assert_eq!(
        after.len() as i64,
        n,
        "the month keeps its {n} days: {after:?}"
    );
}

#[test]
fn a_minimum_gap_as_long_as_a_key_visit_period_is_warned() {
    let store = township(300);
    let mut input = CycleInput::new("间隔太长", d("2026-11-02"), d("2026-12-31"));
    input.min_gap_days = 30;
    let id = create_cycle(&store, &input).unwrap().id;
    let warnings = get_cycle(&store, id).unwrap().warnings.join(" ");
    assert!(
        warnings.contains("至少间隔 30 天") && warnings.contains("几乎不可能按期走访"),
        "{warnings}"
    );
    let summary = compute_plan(&store, id, false).unwrap();
    assert!(summary
        .warnings
        .iter()
        .any(|w| w.contains("至少间隔 30 天")));
    // The default rules say nothing of the kind.
    let ok = create_cycle(
        &store,
        &CycleInput::new("默认", d("2027-01-04"), d("2027-01-29")),
    )
    .unwrap();
    assert!(
        ok.warnings.iter().all(|w| !w.contains("至少间隔")),
        "{:?}",
        ok.warnings
    );
}
