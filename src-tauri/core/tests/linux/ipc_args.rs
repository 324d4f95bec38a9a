//! What the web side sends is validated in the core: hostile arguments for the commands that
//! write (strings with control characters or 10,000 characters, ids that do not exist,
//! negative or huge numbers, dates out of range) come back as a Chinese error or a sound
//! result — never a panic, never a broken database, and never a change recorded without its
//! 操作记录 line.

use crate::common;

use chrono::NaiveDate;
use minqing_core::audit::{self, AuditQuery};
use minqing_core::plan::adjust::{lock_visits, move_visit};
use minqing_core::plan::store::{create_cycle, CycleInput};
use minqing_core::register::cadres::{add_cadre, CadreInput};
use minqing_core::register::households::{
    add_household, delete_household, list_households, set_status, update_household, HouseholdInput,
    HouseholdQuery,
};
use minqing_core::register::HouseholdStatus;
use minqing_core::requests::lifecycle::{act, register, Action, RequestInput};
use minqing_core::requests::{RequestKind, Source, Urgency};
use minqing_core::Store;
use proptest::prelude::*;
use std::sync::OnceLock;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One generated township shared by the cases (each case's writes are few and checked).
fn store() -> &'static Store {
    static S: OnceLock<Store> = OnceLock::new();
    S.get_or_init(|| {
        let s = common::demo_store(120);
        audit::choose_operator(&s, "审查员").unwrap();
        s
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,12}",
        "[\\x00-\\x1f\\u{7f}\\u{202e}\\u{feff}]{1,6}",
        "[0-9Xx ]{0,20}",
        Just("a".repeat(10_000)),
        Just("'); DROP TABLE households; --".to_string()),
        Just("张三".to_string()),
    ]
}

fn id() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(-1i64),
        Just(0i64),
        1i64..200,
        Just(i64::MAX)
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        Just(d("2024-02-29")),
        (2000i32..2100, 1u32..13, 1u32..29)
            .prop_map(|(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd).unwrap()),
    ]
}

fn lines() -> i64 {
    store()
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, .. ProptestConfig::default() })]

    #[test]
    fn hostile_arguments_are_refused_or_handled_never_a_panic(
        name in text(), number in text(), phone in text(), note in text(),
        a in id(), b in id(), c in id(), size in prop::option::of(any::<i64>()),
        day in date(), day2 in date(), page in any::<u32>(), page_size in any::<u32>(),
        days in any::<i64>(),
    ) {
        let s = store();
        let today = d("2026-04-01");
        let before = lines();
        let h = HouseholdInput {
            phone: phone.clone(),
            address: note.clone(),
            size,
            tag_ids: vec![a, b],
            note: note.clone(),
            ..HouseholdInput::new(a, b, &name, &number)
        };
        let added = add_household(s, &h, today);
        let updated = update_household(s, c, &h, today);
        let _ = set_status(s, &[a, b, c], HouseholdStatus::MovedOut);
        let _ = delete_household(s, c);
        let mut cadre = CadreInput::new(&name, &note);
        cadre.phone = phone.clone();
        cadre.visit_days_per_month = days;
        cadre.village_ids = vec![a, c];
        cadre.household_ids = vec![b];
        cadre.leave_dates = vec![day, day2];
        let _ = add_cadre(s, &cadre);
        let _ = register(s, &RequestInput {
            source: Source::Call,
            household_id: Some(a),
            requester_name: name.clone(),
            requester_phone: phone.clone(),
            village_id: Some(b),
            visit_id: Some(c),
            kind: RequestKind::Help,
            category_id: c,
            urgency: Urgency::Normal,
            handling: None,
            content: note.clone(),
            received_on: Some(day),
            unit_id: Some(a),
        }, today);
        let _ = act(s, a, &Action::Assign { unit_id: b, handler: name.clone(), note: note.clone() }, day);
        let _ = act(s, b, &Action::Extend { to: day2, reason: note.clone() }, day);
        let mut cycle = CycleInput::new(&name, day, day2);
        cycle.village_ids = vec![a, b];
        let _ = create_cycle(s, &cycle);
        let _ = move_visit(s, a, b, day);
        let _ = lock_visits(s, &[a, b, c], true);
        let listed = list_households(s, &HouseholdQuery {
            search: Some(name.clone()),
            village_id: Some(a),
            page,
            page_size,
            ..Default::default()
        });
        prop_assert!(listed.is_ok(), "a list never fails on its filter: {:?}", listed.err());
        let trail = audit::list(s, &AuditQuery {
            search: Some(note.clone()),
            operator: Some(name.clone()),
            from: Some(number.clone()),
            page,
            page_size,
            ..Default::default()
        });
        if let Err(e) = &trail {
            prop_assert_eq!(e.field(), Some("from"));
        }
        // Every refusal is a user error with a Chinese message; a household that was saved
        // left its 操作记录 line.
        for e in [added.as_ref().err(), updated.as_ref().err()].into_iter().flatten() {
            prop_assert!(e.is_user_error(), "{e:?}");
            prop_assert!(e.to_string().chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{e}");
        }
        if added.is_ok() || updated.is_ok() {
            prop_assert!(lines() > before);
        }
    }
}

#[test]
fn the_database_is_sound_after_the_hostile_cases() {
    // Runs after (or beside) the property on the same township: integrity and foreign keys.
    let report = store().check().unwrap();
    assert!(report.ok, "{report:?}");
}
