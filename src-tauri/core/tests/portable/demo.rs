//! The demo township looks like a real one and is the same every time for one seed.

use chrono::NaiveDate;
use minqing_core::demo::{generate, DemoOptions, REGION_CODE};
use minqing_core::register::cadres::{list_cadres, CadreQuery};
use minqing_core::register::villages::list_villages;
use minqing_core::stats::register_stats;
use minqing_core::validate::{check_id_number, check_phone};
use minqing_core::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

fn demo(households: u32, seed: u64) -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households,
            seed,
            ..Default::default()
        },
        today(),
        |_, _| true,
    )
    .unwrap();
    store
}

fn fingerprint(store: &Store) -> Vec<(String, String, String, String)> {
    store
        .read(|c| {
            let mut st = c.prepare(
                "SELECT head_name, id_number, phone, address FROM households ORDER BY id",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap()
}

#[test]
fn the_same_seed_gives_the_same_township_and_another_seed_another() {
    let a = fingerprint(&demo(800, 7));
    let b = fingerprint(&demo(800, 7));
    let c = fingerprint(&demo(800, 8));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn every_id_and_phone_passes_validation_and_carries_the_region_code() {
    let store = demo(3000, 1);
    for (name, id, phone, _) in fingerprint(&store) {
        assert!(id.starts_with(REGION_CODE), "{id}");
        assert_eq!(check_id_number(&id, today()).unwrap(), id, "{name}");
        assert_eq!(check_phone("phone", "联系电话", &phone).unwrap(), phone);
        let n = name.chars().count();
        assert!((2..=3).contains(&n), "{name}");
    }
}

#[test]
fn shape_and_shares_resemble_a_township() {
    let store = demo(6000, 1);
    let s = register_stats(&store).unwrap();
    assert!((10..=20).contains(&s.villages), "{} villages", s.villages);
    for v in list_villages(&store).unwrap() {
        assert!(
            (5..=12).contains(&v.groups.len()),
            "{} has {} groups",
            v.name,
            v.groups.len()
        );
        assert!(v.household_count > 0, "{} is empty", v.name);
    }
    assert_eq!(s.households_all, 6000);
    let share = |tag: &str| {
        let n = s.by_tag.iter().find(|t| t.name == tag).unwrap().households as f64;
        n / s.households as f64
    };
    assert!(
        (0.065..0.095).contains(&share("低保户")),
        "低保 {}",
        share("低保户")
    );
    assert!(
        (0.02..0.04).contains(&share("信访户")),
        "信访 {}",
        share("信访户")
    );
    assert!(s.key_households > 0 && s.paired_households > 0);
    // The most common surnames lead, as in the census.
    let top: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM households WHERE substr(head_name, 1, 1) IN ('王','李','张','刘','陈')", [], |r| r.get(0))?))
        .unwrap();
    let share_top5 = top as f64 / 6000.0;
    assert!(
        (0.25..0.40).contains(&share_top5),
        "top five surnames {share_top5}"
    );
    // Every village has cadres linked to it, from district departments among others.
    assert!(
        s.by_village.iter().all(|v| v.cadres >= 2),
        "{:?}",
        s.by_village
    );
    let cadres = list_cadres(
        &store,
        &CadreQuery {
            page_size: 500,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(cadres
        .rows
        .iter()
        .any(|c| c.unit == "区农业农村局" || c.unit.starts_with('区')));
}

#[test]
fn a_township_with_data_is_not_overwritten() {
    let store = demo(200, 1);
    let e = generate(&store, &DemoOptions::default(), today(), |_, _| true).unwrap_err();
    assert!(e.to_string().contains("空白数据库"), "{e}");
    assert_eq!(register_stats(&store).unwrap().households_all, 200);
}

#[test]
fn cancelling_writes_nothing() {
    let store = Store::open_in_memory().unwrap();
    let e = generate(
        &store,
        &DemoOptions {
            households: 5000,
            ..Default::default()
        },
        today(),
        |done, _| done < 4000,
    )
    .unwrap_err();
    assert!(e.to_string().contains("取消"));
    let s = register_stats(&store).unwrap();
    assert_eq!((s.villages, s.households_all, s.cadres), (0, 0, 0));
}

#[test]
fn the_demo_story_opens_with_figures_not_zeros() {
    use minqing_core::requests::rates::{rates, RateGroup};
    let store = Store::open_in_memory().unwrap();
    // A Thursday in the last quarter, four weeks before its end.
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let story = minqing_core::demo::story(&store, today, |_, _| true).unwrap();
    assert_eq!(story.summary.households, 6000);
    let count = |sql: &str| -> i64 {
        store
            .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
            .unwrap()
    };
    // 90 days of visits, and requests carried through their lifecycle.
    assert_eq!(
        story.activity.visits as i64,
        count("SELECT count(*) FROM visits")
    );
    assert!(story.activity.visits > 3000, "{:?}", story.activity);
    assert_eq!(
        count("SELECT min(visit_date) >= '2026-09-04' AND max(visit_date) <= '2026-12-03' FROM visits"),
        1
    );
    assert!(count("SELECT count(*) FROM requests WHERE status IN ('已办结', '已回访')") > 0);
    assert!(count("SELECT count(*) FROM requests WHERE status IN ('交办', '办理中')") > 0);
    // The current cycle: three months from today, computed, most households covered.
    assert_eq!(story.cycle, "2026年12月起三个月");
    assert_eq!(
        count("SELECT count(*) FROM plan_cycles WHERE start_date = '2026-12-03' AND end_date = '2027-03-02'"),
        1
    );
    let covered = count("SELECT count(DISTINCT household_id) FROM plan_visits");
    let households = count("SELECT count(*) FROM households WHERE status = '在册'");
    assert!(covered * 10 >= households * 8, "{covered} of {households}");
    assert!(story.planned > 0);
    assert_eq!(
        story.planned as i64,
        count("SELECT count(*) FROM plan_visits")
    );
    // What the 工作台 and the rates show.
    let due = minqing_core::plan::views::due_list(&store, today, None, 50).unwrap();
    assert!(
        !due.today.is_empty() || !due.this_week.is_empty(),
        "visits due this week"
    );
    let r = rates(&store, RateGroup::Unit, None, None).unwrap();
    assert!(r.total.received > 0 && r.total.closed > 0);
    assert!(r.total.response_rate.is_some_and(|x| x > 0.0));
}
