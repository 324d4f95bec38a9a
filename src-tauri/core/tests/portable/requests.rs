//! The request ledger: deadlines in working days, the lifecycle and its refusals, the
//! append-only history, 三色督办 and the three rates.

use chrono::NaiveDate;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::requests::lifecycle::{act, register, Action, RequestInput};
use minqing_core::requests::query::{colour_counts, list_requests, RequestQuery};
use minqing_core::requests::rates::{rates, RateGroup};
use minqing_core::requests::{Colour, Outcome, RequestKind, Satisfaction, Source, Status, Urgency};
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct T {
    store: Store,
    household: i64,
    unit_a: i64,
    unit_b: i64,
}

fn township() -> T {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 300,
            ..Default::default()
        },
        d("2026-01-05"),
        |_, _| true,
    )
    .unwrap();
    let household = store
        .read(|c| Ok(c.query_row("SELECT min(id) FROM households", [], |r| r.get(0))?))
        .unwrap();
    let unit_a = add_unit(&store, &UnitInput::new("区交通运输局"))
        .unwrap()
        .id;
    let unit_b = add_unit(&store, &UnitInput::new("镇农业农村服务中心"))
        .unwrap()
        .id;
    T {
        store,
        household,
        unit_a,
        unit_b,
    }
}

fn input(t: &T, kind: RequestKind, urgency: Urgency, received: &str) -> RequestInput {
    RequestInput {
        source: Source::Visit,
        household_id: Some(t.household),
        requester_name: String::new(),
        requester_phone: String::new(),
        village_id: None,
        visit_id: None,
        kind,
        category_id: 1,
        urgency,
        handling: None,
        content: "村口道路破损，雨天积水，请求修缮。".into(),
        received_on: Some(d(received)),
        unit_id: None,
    }
}

#[test]
fn a_help_request_before_spring_festival_is_due_after_it() {
    let t = township();
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-02-12"),
        d("2026-02-12"),
    )
    .unwrap();
    assert_eq!(r.deadline, d("2026-02-24"));
    assert_eq!(r.number, "2026-000001");
    assert_eq!(r.status, Status::Registered);
    assert_eq!(r.history.len(), 1);
    assert_eq!(r.history[0].action, "登记");
    // The household's head becomes the requester when no other name is given.
    assert!(!r.requester_name.is_empty());
}

#[test]
fn deadlines_by_type_and_urgency_across_the_holiday_tables() {
    let t = township();
    let due = |kind, urgency, received: &str| {
        register(
            &t.store,
            &input(&t, kind, urgency, received),
            d("2026-12-31"),
        )
        .unwrap()
        .deadline
    };
    // 投诉: 13 working days. Received Tuesday 2025-09-30, National Day 10-01…10-08 off,
    // Saturday 10-11 a make-up day.
    assert_eq!(
        due(RequestKind::Complaint, Urgency::Normal, "2025-09-30"),
        d("2025-10-24")
    );
    // 咨询: 3 working days over an ordinary weekend.
    assert_eq!(
        due(RequestKind::Consult, Urgency::Normal, "2026-03-05"),
        d("2026-03-10")
    );
    // 紧急: the same day; received on a holiday, the next working day.
    assert_eq!(
        due(RequestKind::Complaint, Urgency::Urgent, "2026-03-05"),
        d("2026-03-05")
    );
    assert_eq!(
        due(RequestKind::Help, Urgency::Urgent, "2026-02-16"),
        d("2026-02-24")
    );
    assert_eq!(
        due(RequestKind::Help, Urgency::Urgent, "2026-02-14"),
        d("2026-02-14"),
        "调休 Saturday is a working day"
    );
    // Numbers restart each year.
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-04-01"),
        d("2026-12-31"),
    )
    .unwrap();
    assert_eq!(r.number, "2026-000005");
}

#[test]
fn the_whole_lifecycle_is_kept_in_the_history() {
    let t = township();
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02"),
        d("2026-03-02"),
    )
    .unwrap();
    let step = |a: Action, on: &str| act(&t.store, r.id, &a, d(on)).unwrap();
    step(
        Action::Assign {
            unit_id: t.unit_a,
            handler: "李科长".into(),
            note: String::new(),
        },
        "2026-03-02",
    );
    step(
        Action::Progress {
            note: "已现场勘查".into(),
        },
        "2026-03-03",
    );
    step(
        Action::Urge {
            note: "请加快".into(),
        },
        "2026-03-04",
    );
    let closed = step(
        Action::Close {
            result: "已铺设 200 米水泥路".into(),
            reply: "已电话告知户主".into(),
            outcome: Outcome::Solved,
        },
        "2026-03-05",
    );
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.first_response_on, Some(d("2026-03-02")));
    let reviewed = step(
        Action::Review {
            satisfaction: Satisfaction::Dissatisfied,
            note: String::new(),
        },
        "2026-03-06",
    );
    assert_eq!(reviewed.status, Status::Reviewed);
    let reopened = step(
        Action::Reopen {
            reason: "排水仍未解决".into(),
        },
        "2026-03-09",
    );
    assert_eq!(reopened.status, Status::InProgress);
    assert_eq!(reopened.reopened, 1);
    assert_eq!(
        reopened.deadline,
        d("2026-03-12"),
        "a new deadline from the day of reopening"
    );
    assert!(reopened.result.is_empty() && reopened.satisfaction.is_none());
    let actions: Vec<&str> = reopened.history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        ["登记", "交办", "办理", "催办", "办结", "回访", "重办"]
    );
    assert!(reopened.history.iter().all(|h| !h.operator.is_empty()));
    assert!(reopened.history[1].note.contains("区交通运输局"));
}

#[test]
fn closing_without_reply_or_result_is_refused_and_says_which() {
    let t = township();
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02"),
        d("2026-03-02"),
    )
    .unwrap();
    act(
        &t.store,
        r.id,
        &Action::Assign {
            unit_id: t.unit_a,
            handler: String::new(),
            note: String::new(),
        },
        d("2026-03-02"),
    )
    .unwrap();
    let close = |result: &str, reply: &str| {
        act(
            &t.store,
            r.id,
            &Action::Close {
                result: result.into(),
                reply: reply.into(),
                outcome: Outcome::Solved,
            },
            d("2026-03-03"),
        )
    };
    let e = close("已修好", " ").unwrap_err();
    assert_eq!(e.field(), Some("reply"));
    assert!(
        e.to_string().contains("答复群众") && !e.to_string().contains("办理结果和"),
        "{e}"
    );
    let e = close("", "").unwrap_err();
    assert!(e.to_string().contains("办理结果和答复群众的内容"), "{e}");
    let e = close("", "已告知").unwrap_err();
    assert_eq!(e.field(), Some("result"));
    let now = minqing_core::requests::query::get_request(&t.store, r.id, d("2026-03-03")).unwrap();
    assert_eq!(now.status, Status::Assigned, "nothing changed");
    assert_eq!(now.history.len(), 2);
}

#[test]
fn the_database_itself_refuses_a_closed_request_without_an_answer_and_any_change_to_history() {
    let t = township();
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02"),
        d("2026-03-02"),
    )
    .unwrap();
    let err = t
        .store
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE requests SET status = '已办结', closed_on = '2026-03-03' WHERE id = ?1",
                [r.id],
            )?)
        })
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
    let err = t
        .store
        .write(|tx| {
            Ok(tx.execute(
                "UPDATE request_history SET note = '改过' WHERE request_id = ?1",
                [r.id],
            )?)
        })
        .unwrap_err();
    assert!(err.to_string().contains("只能追加，不能修改"), "{err}");
    let err = t
        .store
        .write(|tx| Ok(tx.execute("DELETE FROM request_history WHERE request_id = ?1", [r.id])?))
        .unwrap_err();
    assert!(err.to_string().contains("只能追加，不能删除"), "{err}");
}

#[test]
fn refused_steps_say_why() {
    let t = township();
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02"),
        d("2026-03-02"),
    )
    .unwrap();
    let try_ = |a: Action, on: &str| act(&t.store, r.id, &a, d(on)).unwrap_err().to_string();
    assert!(try_(Action::Progress { note: "x".into() }, "2026-03-02").contains("请先交办"));
    assert!(try_(
        Action::Review {
            satisfaction: Satisfaction::Satisfied,
            note: String::new()
        },
        "2026-03-02"
    )
    .contains("还没有办结"));
    act(
        &t.store,
        r.id,
        &Action::Assign {
            unit_id: t.unit_a,
            handler: String::new(),
            note: String::new(),
        },
        d("2026-03-02"),
    )
    .unwrap();
    assert!(try_(
        Action::Assign {
            unit_id: t.unit_b,
            handler: String::new(),
            note: String::new()
        },
        "2026-03-02"
    )
    .contains("改派"));
    assert!(try_(
        Action::Reassign {
            unit_id: t.unit_b,
            handler: String::new(),
            reason: " ".into()
        },
        "2026-03-02"
    )
    .contains("改派理由"));
    assert!(try_(
        Action::Return {
            reason: String::new()
        },
        "2026-03-02"
    )
    .contains("退回理由"));
    // Extension: only before the deadline (2026-03-05), only to a later day.
    assert!(try_(
        Action::Extend {
            to: d("2026-03-04"),
            reason: "x".into()
        },
        "2026-03-03"
    )
    .contains("应晚于原时限"));
    assert!(try_(
        Action::Extend {
            to: d("2026-03-20"),
            reason: "x".into()
        },
        "2026-03-06"
    )
    .contains("延期必须在时限之前申请"));
    assert!(try_(Action::Reopen { reason: "x".into() }, "2026-03-03").contains("不满意"));
    let moved = act(
        &t.store,
        r.id,
        &Action::Reassign {
            unit_id: t.unit_b,
            handler: String::new(),
            reason: "属镇级事权".into(),
        },
        d("2026-03-03"),
    )
    .unwrap();
    assert_eq!(moved.unit_id, Some(t.unit_b));
    let back = act(
        &t.store,
        r.id,
        &Action::Return {
            reason: "非本单位职责".into(),
        },
        d("2026-03-03"),
    )
    .unwrap();
    assert_eq!((back.status, back.unit_id), (Status::Registered, None));
}

#[test]
fn three_colours_follow_the_deadline_the_extension_and_the_mark() {
    let t = township();
    // 求助 received Monday 2026-03-02 → due Thursday 03-05.
    let r = register(
        &t.store,
        &input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02"),
        d("2026-03-02"),
    )
    .unwrap();
    let colour_on = |day: &str| {
        minqing_core::requests::query::get_request(&t.store, r.id, d(day))
            .unwrap()
            .colour
    };
    assert_eq!(colour_on("2026-03-02"), None);
    assert_eq!(
        colour_on("2026-03-04"),
        Some(Colour::Blue),
        "one working day away"
    );
    assert_eq!(colour_on("2026-03-05"), Some(Colour::Blue), "due today");
    assert_eq!(colour_on("2026-03-06"), Some(Colour::Red), "overdue");
    act(
        &t.store,
        r.id,
        &Action::Extend {
            to: d("2026-03-20"),
            reason: "需协调资金".into(),
        },
        d("2026-03-04"),
    )
    .unwrap();
    assert_eq!(
        colour_on("2026-03-06"),
        Some(Colour::Yellow),
        "extension granted"
    );
    assert_eq!(
        colour_on("2026-03-23"),
        Some(Colour::Red),
        "overdue again after the new deadline"
    );
    let counts = colour_counts(&t.store, d("2026-03-23")).unwrap();
    assert_eq!(
        (counts.open, counts.red, counts.yellow, counts.blue),
        (1, 1, 0, 0)
    );
    let page = list_requests(
        &t.store,
        &RequestQuery {
            overdue_only: true,
            ..Default::default()
        },
        d("2026-03-23"),
    )
    .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].colour, Some(Colour::Red));
    let page = list_requests(
        &t.store,
        &RequestQuery {
            colour: Some(Colour::Yellow),
            ..Default::default()
        },
        d("2026-03-06"),
    )
    .unwrap();
    assert_eq!(page.total, 1);
    let page = list_requests(
        &t.store,
        &RequestQuery {
            colour: Some(Colour::Blue),
            ..Default::default()
        },
        d("2026-03-06"),
    )
    .unwrap();
    assert_eq!(page.total, 0);
}

#[test]
fn rates_follow_the_printed_formulas() {
    let t = township();
    let reg = |on: &str| {
        register(
            &t.store,
            &input(&t, RequestKind::Consult, Urgency::Normal, on),
            d("2026-12-31"),
        )
        .unwrap()
        .id
    };
    let assign = |id: i64, on: &str| {
        act(
            &t.store,
            id,
            &Action::Assign {
                unit_id: t.unit_a,
                handler: String::new(),
                note: String::new(),
            },
            d(on),
        )
        .unwrap()
    };
    let close = |id: i64, o: Outcome, on: &str| {
        act(
            &t.store,
            id,
            &Action::Close {
                result: "办了".into(),
                reply: "已答复".into(),
                outcome: o,
            },
            d(on),
        )
        .unwrap()
    };
    let review = |id: i64, s: Satisfaction, on: &str| {
        act(
            &t.store,
            id,
            &Action::Review {
                satisfaction: s,
                note: String::new(),
            },
            d(on),
        )
        .unwrap()
    };
    // Four requests received Friday 2026-03-06; the response window ends Monday 03-09.
    let a = reg("2026-03-06");
    let b = reg("2026-03-06");
    let c = reg("2026-03-06");
    let _d = reg("2026-03-06");
    assign(a, "2026-03-09"); // in time
    assign(b, "2026-03-10"); // late
    close(c, Outcome::Solved, "2026-03-06"); // answered on the spot
    close(a, Outcome::Solved, "2026-03-10");
    close(b, Outcome::Partly, "2026-03-11");
    review(a, Satisfaction::Satisfied, "2026-03-12");
    review(b, Satisfaction::Basic, "2026-03-12");
    review(c, Satisfaction::Dissatisfied, "2026-03-12");
    let report = rates(
        &t.store,
        RateGroup::Unit,
        Some(d("2026-03-01")),
        Some(d("2026-03-31")),
    )
    .unwrap();
    let tot = &report.total;
    assert_eq!(
        (
            tot.received,
            tot.responded,
            tot.closed,
            tot.solved,
            tot.evaluated
        ),
        (4, 2, 3, 2, 3)
    );
    assert_eq!(tot.response_rate, Some(0.5));
    assert!((tot.solve_rate.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert!((tot.satisfaction_rate.unwrap() - 1.9 / 3.0).abs() < 1e-9);
    assert!(report.formula.satisfaction.contains("0.9"));
    // By unit: c and d were never assigned.
    let names: Vec<&str> = report.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["未交办", "区交通运输局"]);
    assert_eq!(report.rows[1].received, 2);
}

#[test]
fn a_request_can_be_assigned_as_it_is_registered() {
    let t = township();
    let mut i = input(&t, RequestKind::Help, Urgency::Normal, "2026-03-02");
    i.unit_id = Some(t.unit_b);
    let r = register(&t.store, &i, d("2026-03-02")).unwrap();
    assert_eq!((r.status, r.unit_id), (Status::Assigned, Some(t.unit_b)));
    assert_eq!(r.first_response_on, Some(d("2026-03-02")));
    assert_eq!(r.history.len(), 2);
}
