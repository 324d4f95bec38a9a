//! 走访排班表 and 走访任务单 read back by an independent reader (calamine): the district's
//! layout, every planned visit once, masked phones unless asked, the hidden metadata sheet,
//! and a clear refusal with nothing written when there is no plan.

mod common;
use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::plan::store::{compute_plan, create_cycle, CycleInput};
use minqing_core::privacy::Masking;
use minqing_core::report::schedule::{schedule_file_name, write_schedule};
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn planned() -> (Store, i64, u32) {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 300,
            ..Default::default()
        },
        d("2026-03-31"),
        |_, _| true,
    )
    .unwrap();
    let cycle = create_cycle(
        &store,
        &CycleInput::new("2026年二季度", d("2026-04-01"), d("2026-06-30")),
    )
    .unwrap()
    .id;
    let n = compute_plan(&store, cycle, false).unwrap().assignments;
    (store, cycle, n)
}

#[test]
fn the_schedule_has_one_line_per_cadre_day_and_a_total_of_every_visit() {
    let (store, cycle, visits) = planned();
    let dir = tempfile::tempdir().unwrap();
    let name = schedule_file_name(&store, cycle, false).unwrap();
    assert!(
        name.contains("走访排班表") && name.contains("2026年二季度"),
        "{name}"
    );
    let path = write_schedule(
        &store,
        cycle,
        &dir.path().join(&name),
        false,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["走访排班表".to_string(), "_meta".to_string()]
    );
    let ws = wb.worksheet_range("走访排班表").unwrap();
    assert!(cell(&ws, 0, 0).contains("走访排班表"));
    assert!(
        cell(&ws, 1, 0).contains("填报单位：")
            && cell(&ws, 1, 0).contains("2026-04-01 至 2026-06-30")
    );
    assert_eq!(cell(&ws, 2, 0), "序号");
    assert_eq!(cell(&ws, 2, 9), "走访对象（户主）");
    // Data rows until 合计; the per-day counts add up to the plan.
    let mut row = 3;
    let mut sum = 0.0;
    let mut last_date = String::new();
    while cell(&ws, row, 0) != "合计" {
        let date = cell(&ws, row, 1);
        assert!(
            date >= last_date,
            "sorted by date: {date} after {last_date}"
        );
        last_date = date;
        let n: f64 = cell(&ws, row, 7).parse().unwrap();
        assert!((1.0..=8.0).contains(&n), "at most 8 a day: {n}");
        // The names listed are as many as the count.
        assert_eq!(cell(&ws, row, 9).split('、').count() as f64, n);
        sum += n;
        row += 1;
    }
    assert_eq!(sum as u32, visits);
    // The total is a formula whose cached value matches (what a printout without recalculation shows).
    assert_eq!(cell(&ws, row, 7), visits.to_string());
    let formulas = wb.worksheet_formula("走访排班表").unwrap();
    assert_eq!(
        formulas.get_value((row, 7)).unwrap(),
        &format!("SUM(H4:H{row})")
    );
    assert!(cell(&ws, row + 2, 0).starts_with("填报人："));
    // The hidden sheet says what this is.
    let meta = wb.worksheet_range("_meta").unwrap();
    let pairs: Vec<(String, String)> = (0..meta.height() as u32)
        .map(|r| (cell(&meta, r, 0), cell(&meta, r, 1)))
        .collect();
    assert!(pairs.contains(&("report".into(), "走访排班表".into())));
    assert!(pairs.contains(&("visits".into(), visits.to_string())));
    assert!(pairs.contains(&("masked".into(), "yes".into())));
}

#[test]
fn task_sheets_list_each_cadres_households_with_masked_phones_and_a_notes_column() {
    let (store, cycle, visits) = planned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("任务单.xlsx");
    write_schedule(
        &store,
        cycle,
        &target,
        true,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap();
    let mut wb: Xlsx<_> = open_workbook(&target).unwrap();
    let cadres_with_visits: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(DISTINCT cadre_id) FROM plan_visits",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len() as i64, cadres_with_visits + 1);
    let mut total = 0;
    let mut reasons = std::collections::HashSet::new();
    for name in names.iter().filter(|n| *n != "_meta") {
        let ws = wb.worksheet_range(name).unwrap();
        assert!(cell(&ws, 0, 0).contains("走访任务单"));
        assert!(cell(&ws, 1, 0).contains(&format!(
            "走访干部：{}",
            name.trim_end_matches(|c: char| c == ')' || c == '(' || c.is_ascii_digit())
        )));
        assert_eq!(cell(&ws, 2, 10), "走访情况记录（手填）");
        let mut row = 3;
        while !cell(&ws, row, 1).is_empty() {
            let phone = cell(&ws, row, 7);
            assert!(
                phone.is_empty() || phone.contains("****"),
                "masked: {phone}"
            );
            assert!(cell(&ws, row, 10).is_empty(), "notes column left empty");
            reasons.insert(cell(&ws, row, 9));
            total += 1;
            row += 1;
        }
        assert!(row > 3, "{name} has visits");
    }
    assert_eq!(total, visits);
    assert!(
        reasons.iter().any(|r| r.starts_with("重点户必到")),
        "{reasons:?}"
    );
    assert!(reasons.contains("全覆盖走访"), "{reasons:?}");
}

#[test]
fn an_unmasked_task_sheet_shows_full_phones_and_says_so() {
    let (store, cycle, _) = planned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("任务单.xlsx");
    write_schedule(
        &store,
        cycle,
        &target,
        true,
        Masking::Unmasked,
        d("2026-03-31"),
    )
    .unwrap();
    let mut wb: Xlsx<_> = open_workbook(&target).unwrap();
    let first = wb.sheet_names()[0].clone();
    let ws = wb.worksheet_range(&first).unwrap();
    let mut row = 3;
    let mut full = 0;
    while !cell(&ws, row, 1).is_empty() {
        if cell(&ws, row, 7)
            .chars()
            .filter(|c| c.is_ascii_digit())
            .count()
            >= 11
        {
            full += 1;
        }
        row += 1;
    }
    assert!(full > 0);
    let warning = (row..row + 4).map(|r| cell(&ws, r, 0)).collect::<String>();
    assert!(warning.contains("未脱敏"), "{warning}");
}

#[test]
fn a_cycle_without_a_plan_is_refused_and_nothing_is_written() {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 50,
            ..Default::default()
        },
        d("2026-03-31"),
        |_, _| true,
    )
    .unwrap();
    let cycle = create_cycle(
        &store,
        &CycleInput::new("五月", d("2026-05-01"), d("2026-05-31")),
    )
    .unwrap()
    .id;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("排班表.xlsx");
    let err = write_schedule(
        &store,
        cycle,
        &target,
        false,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("请先计算"), "{err}");
    assert!(!target.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_public_version_masks_the_households_names_on_both_printouts() {
    let (store, cycle, _) = planned();
    let heads: std::collections::HashSet<String> = store
        .read(|c| {
            let mut st = c.prepare("SELECT head_name FROM households")?;
            let v = st
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    // Cadres are officials and keep their names; a household's name inside one is no leak.
    let cadres: Vec<String> = store
        .read(|c| {
            let mut st = c.prepare("SELECT name || unit FROM cadres")?;
            let v = st
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    let heads: Vec<String> = heads
        .into_iter()
        .filter(|h| !cadres.iter().any(|c| c.contains(h.as_str())))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for per_cadre in [false, true] {
        let target = dir.path().join(format!("公开版{per_cadre}.xlsx"));
        write_schedule(
            &store,
            cycle,
            &target,
            per_cadre,
            Masking::Public,
            d("2026-03-31"),
        )
        .unwrap();
        let text = {
            let mut wb: Xlsx<_> = open_workbook(&target).unwrap();
            let mut all = String::new();
            for name in wb.sheet_names() {
                if name == "_meta" {
                    continue;
                }
                for row in wb.worksheet_range(&name).unwrap().rows() {
                    for c in row {
                        all.push_str(&c.to_string());
                        all.push('\n');
                    }
                }
            }
            all
        };
        let leaked: Vec<&String> = heads
            .iter()
            .filter(|h| h.chars().count() >= 2 && text.contains(h.as_str()))
            .collect();
        assert!(
            leaked.is_empty(),
            "per_cadre={per_cadre}: full names printed: {leaked:?}"
        );
        assert!(text.contains("*"), "masked names");
    }
}

#[test]
#[cfg_attr(
    windows,
    ignore = "reads the workbook back with Python's openpyxl, a Linux program"
)]
fn the_schedule_names_its_cycle_and_task_sheets_name_the_cadre_on_every_page() {
    let (store, cycle, _) = planned();
    let dir = tempfile::tempdir().unwrap();
    let schedule = dir.path().join("排班表.xlsx");
    write_schedule(
        &store,
        cycle,
        &schedule,
        false,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap();
    let tasks = dir.path().join("任务单.xlsx");
    write_schedule(
        &store,
        cycle,
        &tasks,
        true,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap();
    let book = |p: &std::path::Path| -> serde_json::Value {
        let out = std::process::Command::new(common::python_with_openpyxl())
            .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readback.py"))
            .arg(p)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let s = &book(&schedule)["sheets"][0];
    assert!(s["cells"]["A1"]
        .as_str()
        .unwrap()
        .ends_with("走访排班表（2026年二季度）"));
    let total = s["cells"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.as_str() == Some("合计"))
        .map(|(k, _)| k.clone())
        .unwrap();
    assert_eq!(s["fonts"][&total][2], true, "合计 is bold");
    let t = &book(&tasks)["sheets"][0];
    assert_eq!(
        t["printTitleRows"], "$2:$3",
        "the 走访干部 line repeats with the header"
    );
    assert!(t["cells"]["A2"].as_str().unwrap().starts_with("走访干部："));
}

#[test]
fn a_cycle_in_a_year_without_its_holiday_notice_says_so_on_both_printouts() {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 200,
            ..Default::default()
        },
        d("2026-12-01"),
        |_, _| true,
    )
    .unwrap();
    let cycle = create_cycle(
        &store,
        &CycleInput::new("2027年一季度", d("2027-01-01"), d("2027-03-31")),
    )
    .unwrap()
    .id;
    let summary = compute_plan(&store, cycle, false).unwrap();
    assert!(summary
        .warnings
        .iter()
        .any(|w| w.contains("2027") && w.contains("调休")));
    // No visit on the statutory days of 2027 (元旦, 春节 除夕–初三).
    let on_holidays: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM plan_visits WHERE visit_date IN ('2027-01-01', '2027-02-05', '2027-02-08')",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(on_holidays, 0);
    let dir = tempfile::tempdir().unwrap();
    for per_cadre in [false, true] {
        let target = dir.path().join(format!("{per_cadre}.xlsx"));
        write_schedule(
            &store,
            cycle,
            &target,
            per_cadre,
            Masking::Masked,
            d("2026-12-01"),
        )
        .unwrap();
        let mut wb: Xlsx<_> = open_workbook(&target).unwrap();
        let first = wb.sheet_names()[0].clone();
        let ws = wb.worksheet_range(&first).unwrap();
        let said = ws.rows().flatten().any(|c| {
            c.to_string().contains("2027 年的节假日安排") && c.to_string().contains("调休")
        });
        assert!(
            said,
            "per_cadre={per_cadre}: no calendar warning on the printout"
        );
    }
}
