//! Property: for any history of requests, the three rates the app shows equal the rates
//! recomputed here, independently, from the raw rows and docs/DOMAIN.md's formulas.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use minqing_core::calendar::Calendar;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::requests::lifecycle::{act, register, Action, RequestInput};
use minqing_core::requests::rates::{rates, RateGroup};
use minqing_core::requests::{Outcome, RequestKind, Satisfaction, Source, Urgency};
use minqing_core::Store;
use proptest::prelude::*;
use std::sync::OnceLock;

/// What happens to one generated request: days after receipt of each step (None: not done).
#[derive(Debug, Clone)]
struct Story {
    received_day: u32,
    unit: usize,
    assign_after: Option<u32>,
    close_after: Option<u32>,
    outcome: u8,
    review: Option<u8>,
}

fn story() -> impl Strategy<Value = Story> {
    (
        0u32..40,
        0usize..3,
        proptest::option::of(0u32..6),
        proptest::option::of(0u32..20),
        0u8..3,
        proptest::option::of(0u8..3),
    )
        .prop_map(
            |(received_day, unit, assign_after, close_after, outcome, review)| Story {
                received_day,
                unit,
                assign_after,
                close_after,
                outcome,
                review,
            },
        )
}

fn base() -> &'static Vec<u8> {
    // One demo database, copied for each case: generating it per case would be slow.
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("base.db");
        {
            let s = Store::open(&p).unwrap();
            generate(
                &s,
                &DemoOptions {
                    households: 100,
                    ..Default::default()
                },
                d("2026-01-05"),
                |_, _| true,
            )
            .unwrap();
            for name in ["区交通运输局", "区水利局", "镇农业服务中心"] {
                add_unit(&s, &UnitInput::new(name)).unwrap();
            }
        }
        std::fs::read(&p).unwrap()
    })
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The end of the response window, counted by hand: one working day after receipt.
fn window_end(received: NaiveDate, cal: &Calendar) -> NaiveDate {
    let mut day = received;
    loop {
        day += Duration::days(1);
        let weekday_off = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let working = cal
            .day_name(day)
            .map(|_| cal.is_working_day(day))
            .unwrap_or(!weekday_off);
        if working {
            return day;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn displayed_rates_equal_rates_recomputed_from_raw_rows(stories in proptest::collection::vec(story(), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        std::fs::write(&path, base()).unwrap();
        let store = Store::open(&path).unwrap();
        let start = d("2026-03-02");
        let households: Vec<i64> = store.read(|c| {
            let mut st = c.prepare("SELECT id FROM households LIMIT 20")?;
            let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(v)
        }).unwrap();
        let units: Vec<i64> = store.read(|c| {
            let mut st = c.prepare("SELECT id FROM units ORDER BY id")?;
            let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(v)
        }).unwrap();
        for (i, s) in stories.iter().enumerate() {
            let received = start + Duration::days(s.received_day as i64);
            let input = RequestInput {
                source: Source::WalkIn, household_id: Some(households[i % households.len()]), requester_name: String::new(),
                requester_phone: String::new(), village_id: None, visit_id: None, kind: RequestKind::Consult, category_id: 1,
                urgency: Urgency::Normal, handling: None, content: "测试诉求".into(), received_on: Some(received), unit_id: None,
            };
            let r = register(&store, &input, d("2026-12-31")).unwrap();
            if let Some(a) = s.assign_after {
                act(&store, r.id, &Action::Assign { unit_id: units[s.unit], handler: String::new(), note: String::new() }, received + Duration::days(a as i64)).unwrap();
            }
            if let Some(c) = s.close_after {
                let on = received + Duration::days((c + s.assign_after.unwrap_or(0)) as i64);
                let outcome = [Outcome::Solved, Outcome::Partly, Outcome::Unsolved][s.outcome as usize];
                act(&store, r.id, &Action::Close { result: "办理结果".into(), reply: "已答复".into(), outcome }, on).unwrap();
                if let Some(v) = s.review {
                    let sat = [Satisfaction::Satisfied, Satisfaction::Basic, Satisfaction::Dissatisfied][v as usize];
                    act(&store, r.id, &Action::Review { satisfaction: sat, note: String::new() }, on + Duration::days(1)).unwrap();
                }
            }
        }

        // Recompute from the raw rows.
        let cal = minqing_core::calendar::load(&store).unwrap();
        type Raw = (NaiveDate, Option<NaiveDate>, String, Option<String>, Option<String>, Option<i64>);
        let raw: Vec<Raw> = store.read(|c| {
            let mut st = c.prepare("SELECT received_on, first_response_on, status, outcome, satisfaction, unit_id FROM requests")?;
            let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?.collect::<rusqlite::Result<Vec<Raw>>>()?;
            Ok(v)
        }).unwrap();
        let expect = |rows: &[&Raw]| {
            let received = rows.len() as f64;
            let responded = rows.iter().filter(|r| r.1.is_some_and(|f| f <= window_end(r.0, &cal))).count() as f64;
            let closed = rows.iter().filter(|r| r.2 == "已办结" || r.2 == "已回访").count() as f64;
            let solved = rows.iter().filter(|r| (r.2 == "已办结" || r.2 == "已回访") && r.3.as_deref() == Some("已解决")).count() as f64;
            let sat = rows.iter().filter(|r| r.4.as_deref() == Some("满意")).count() as f64;
            let basic = rows.iter().filter(|r| r.4.as_deref() == Some("基本满意")).count() as f64;
            let evaluated = rows.iter().filter(|r| r.4.is_some()).count() as f64;
            let div = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
            (div(responded, received), div(solved, closed), div(sat + 0.9 * basic, evaluated))
        };
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-12,
            (None, None) => true,
            _ => false,
        };
        let report = rates(&store, RateGroup::Unit, None, None).unwrap();
        let all: Vec<&Raw> = raw.iter().collect();
        let (r, s, m) = expect(&all);
        prop_assert!(close(report.total.response_rate, r), "response {:?} vs {:?}", report.total.response_rate, r);
        prop_assert!(close(report.total.solve_rate, s), "solve {:?} vs {:?}", report.total.solve_rate, s);
        prop_assert!(close(report.total.satisfaction_rate, m), "satisfaction {:?} vs {:?}", report.total.satisfaction_rate, m);
        prop_assert_eq!(report.total.received as usize, raw.len());
        for row in &report.rows {
            let unit: Option<i64> = row.key.parse::<i64>().ok().filter(|k| *k != 0);
            let mine: Vec<&Raw> = raw.iter().filter(|x| x.5 == unit).collect();
            let (r, s, m) = expect(&mine);
            prop_assert!(close(row.response_rate, r) && close(row.solve_rate, s) && close(row.satisfaction_rate, m), "unit {}", row.name);
        }
    }
}
