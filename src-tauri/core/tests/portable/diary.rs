//! The visit diary: a visit with the requests raised during it, saved together; double entry
//! refused; the household's timeline.

use chrono::NaiveDate;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::diary::*;
use minqing_core::register::households::{delete_household, list_households, HouseholdQuery};
use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::requests::query::{list_requests, RequestQuery};
use minqing_core::requests::{RequestKind, Satisfaction, Status, Urgency};
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn setup() -> (Store, i64, i64, i64) {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 200,
            ..Default::default()
        },
        d("2026-01-05"),
        |_, _| true,
    )
    .unwrap();
    let h = list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows[0]
        .id;
    let cadre: i64 = store
        .read(|c| Ok(c.query_row("SELECT min(id) FROM cadres", [], |r| r.get(0))?))
        .unwrap();
    let unit = add_unit(&store, &UnitInput::new("区水利局")).unwrap().id;
    (store, h, cadre, unit)
}

fn visit(h: i64, cadre: i64, date: &str) -> VisitInput {
    VisitInput {
        household_id: h,
        visit_date: Some(d(date)),
        cadre_ids: vec![cadre],
        outcome: VisitOutcome::MetHead,
        learned: "家中老人腿脚不便，希望修缮入户道路。".into(),
        evaluation: Some(Satisfaction::Basic),
        requests: vec![],
    }
}

#[test]
fn a_visit_with_two_requests_puts_both_on_the_ledger_with_owner_and_deadline() {
    let (store, h, cadre, unit) = setup();
    let mut input = visit(h, cadre, "2026-03-02");
    input.requests = vec![
        RaisedRequest {
            kind: RequestKind::Help,
            category_id: 1,
            urgency: Urgency::Normal,
            handling: None,
            content: "入户道路破损".into(),
            requester_name: String::new(),
            unit_id: Some(unit),
        },
        RaisedRequest {
            kind: RequestKind::Consult,
            category_id: 9,
            urgency: Urgency::Normal,
            handling: None,
            content: "咨询高龄津贴".into(),
            requester_name: "户主之子".into(),
            unit_id: None,
        },
    ];
    let v = record_visit(&store, &input, d("2026-03-03")).unwrap();
    assert_eq!(v.requests.len(), 2);
    assert_eq!(
        v.requests[0].status,
        Status::Assigned,
        "assigned at once to its unit"
    );
    assert_eq!(v.requests[0].deadline, d("2026-03-05"));
    assert_eq!(v.requests[1].status, Status::Registered);
    let ledger = list_requests(
        &store,
        &RequestQuery {
            household_id: Some(h),
            ..Default::default()
        },
        d("2026-03-03"),
    )
    .unwrap();
    assert_eq!(ledger.total, 2);
    let timeline = household_timeline(&store, h).unwrap();
    assert_eq!(timeline.iter().filter(|i| i.kind == "visit").count(), 1);
    assert_eq!(timeline.iter().filter(|i| i.kind == "request").count(), 2);
    // The household now has history: it can no longer be deleted, only moved out or cancelled.
    assert!(delete_household(&store, h)
        .unwrap_err()
        .to_string()
        .contains("走访记录"));
}

#[test]
fn a_bad_inline_request_saves_neither_the_visit_nor_the_other_requests() {
    let (store, h, cadre, _) = setup();
    let mut input = visit(h, cadre, "2026-03-02");
    let good = RaisedRequest {
        kind: RequestKind::Help,
        category_id: 1,
        urgency: Urgency::Normal,
        handling: None,
        content: "修路".into(),
        requester_name: String::new(),
        unit_id: None,
    };
    input.requests = vec![
        good.clone(),
        RaisedRequest {
            content: "  ".into(),
            ..good
        },
    ];
    let e = record_visit(&store, &input, d("2026-03-03")).unwrap_err();
    assert!(
        e.to_string().contains("第 2 条诉求") && e.to_string().contains("诉求内容"),
        "{e}"
    );
    assert_eq!(
        list_visits(&store, &VisitQuery::default()).unwrap().total,
        0
    );
    assert_eq!(
        list_requests(&store, &RequestQuery::default(), d("2026-03-03"))
            .unwrap()
            .total,
        0
    );
}

#[test]
fn double_entry_of_one_diary_page_is_refused() {
    let (store, h, cadre, _) = setup();
    record_visit(&store, &visit(h, cadre, "2026-03-02"), d("2026-03-03")).unwrap();
    let e = record_visit(&store, &visit(h, cadre, "2026-03-02"), d("2026-03-03")).unwrap_err();
    assert_eq!(e.code(), minqing_core::ErrorCode::Duplicate);
    assert!(e.to_string().contains("不要重复录入"), "{e}");
    record_visit(&store, &visit(h, cadre, "2026-03-09"), d("2026-03-10")).unwrap();
}

#[test]
fn nobody_met_means_no_evaluation_and_future_dates_are_refused() {
    let (store, h, cadre, _) = setup();
    let mut input = visit(h, cadre, "2026-03-02");
    input.outcome = VisitOutcome::NotHome;
    assert_eq!(
        record_visit(&store, &input, d("2026-03-03"))
            .unwrap_err()
            .field(),
        Some("evaluation")
    );
    input.evaluation = None;
    record_visit(&store, &input, d("2026-03-03")).unwrap();
    let e = record_visit(&store, &visit(h, cadre, "2026-03-10"), d("2026-03-03")).unwrap_err();
    assert_eq!(e.field(), Some("visitDate"));
    let e = record_visit(
        &store,
        &VisitInput {
            cadre_ids: vec![],
            ..visit(h, cadre, "2026-03-01")
        },
        d("2026-03-03"),
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("cadreIds"));
}

#[test]
fn lists_filter_by_cadre_outcome_and_period() {
    let (store, h, cadre, _) = setup();
    record_visit(&store, &visit(h, cadre, "2026-03-02"), d("2026-03-20")).unwrap();
    let mut away = visit(h, cadre, "2026-03-09");
    away.outcome = VisitOutcome::NotHome;
    away.evaluation = None;
    record_visit(&store, &away, d("2026-03-20")).unwrap();
    let q = |q: VisitQuery| list_visits(&store, &q).unwrap().total;
    assert_eq!(
        q(VisitQuery {
            cadre_id: Some(cadre),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(VisitQuery {
            outcome: Some(VisitOutcome::NotHome),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(VisitQuery {
            from: Some(d("2026-03-05")),
            to: Some(d("2026-03-31")),
            ..Default::default()
        }),
        1
    );
    let rows = list_visits(&store, &VisitQuery::default()).unwrap().rows;
    assert_eq!(rows[0].visit_date, d("2026-03-09"), "newest first");
    assert_eq!(rows[0].cadre_names.len(), 1);
}
