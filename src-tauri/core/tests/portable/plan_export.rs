//! 走访排班表 and 走访任务单 read back by an independent reader (calamine): the district's
//! layout, every planned visit once, masked phones unless asked, the hidden metadata sheet,
//! and a clear refusal with nothing written when there is no plan. And the paper loop: a task
//! sheet filled in (by openpyxl, as Excel would; re-saved by LibreOffice) and imported back.

use crate::common;
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
        let fill: Vec<String> = (10..15).map(|c| cell(&ws, 2, c)).collect();
        assert_eq!(
            fill,
            [
                "实际走访日期",
                "走访结果",
                "了解到的情况",
                "群众诉求",
                "群众评价"
            ]
        );
        let mut row = 3;
        while !cell(&ws, row, 1).is_empty() {
            let phone = cell(&ws, row, 7);
            assert!(
                phone.is_empty() || phone.contains("****"),
                "masked: {phone}"
            );
            assert!(
                (10..15).all(|c| cell(&ws, row, c).is_empty()),
                "fill-in columns left empty"
            );
            assert!(cell(&ws, row, 15).starts_with("MQ1|"), "hidden key");
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

// ---- The paper loop: task sheets filled in and imported back -------------------------------

use minqing_core::roster::tasks::{import_task_sheets, TaskImportOptions, TaskImportReport};

/// Fills the first `n` open rows of the first task sheet of `file` the way a cadre does in
/// Excel (openpyxl writes what Excel writes): `values[i]` is [date, outcome, learned, request,
/// evaluation]; a date starting with `=` is written as a real date cell. Prints each filled
/// row's key, and the sheet's protection and validations, as JSON.
fn fill(file: &std::path::Path, values: &[[&str; 5]]) -> serde_json::Value {
    let script = r#"
import sys, json, datetime, openpyxl
path, values = sys.argv[1], json.loads(sys.argv[2])
wb = openpyxl.load_workbook(path)
ws = wb.worksheets[0]
hdr = {c.value: c.column for c in ws[3]}
cols = [hdr[h] for h in ["实际走访日期", "走访结果", "了解到的情况", "群众诉求", "群众评价"]]
key = hdr["任务键（请勿改动）"]
out = {"protected": bool(ws.protection.sheet), "validations": len(ws.data_validations.dataValidation),
       "hidden": ws.column_dimensions[openpyxl.utils.get_column_letter(key)].hidden,
       "locked_key": ws.cell(4, key).protection.locked, "keys": [], "rows": [], "unlocked": []}
row, i = 4, 0
while i < len(values) and ws.cell(row, key).value:
    if ws.cell(row, cols[1]).value:  # recorded before the export
        row += 1
        continue
    for c, v in zip(cols, values[i]):
        if v.startswith("="):
            ws.cell(row, c).value = datetime.datetime.strptime(v[1:], "%Y-%m-%d")
        elif v:
            ws.cell(row, c).value = v
    out["unlocked"].append(all(ws.cell(row, c).protection.locked is False for c in cols))
    out["keys"].append(ws.cell(row, key).value)
    out["rows"].append(row)
    row += 1
    i += 1
wb.save(path)
print(json.dumps(out, ensure_ascii=False))
"#;
    let out = std::process::Command::new(common::python_with_openpyxl())
        .args(["-c", script])
        .arg(file)
        .arg(serde_json::to_string(values).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The planned date of a task-sheet key (`MQ1|pv|household|cadre|date`).
fn key_date(key: &serde_json::Value) -> String {
    key.as_str()
        .unwrap()
        .rsplit('|')
        .next()
        .unwrap()
        .to_string()
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

fn import(
    store: &Store,
    files: &[std::path::PathBuf],
    opts: TaskImportOptions,
) -> TaskImportReport {
    import_task_sheets(store, files, &opts, d("2026-06-30")).unwrap()
}

fn task_sheet_file(store: &Store, cycle: i64, dir: &std::path::Path) -> std::path::PathBuf {
    let target = dir.join("任务单.xlsx");
    write_schedule(
        store,
        cycle,
        &target,
        true,
        Masking::Masked,
        d("2026-03-31"),
    )
    .unwrap();
    target
}

#[test]
#[cfg_attr(
    windows,
    ignore = "fills the sheet with Python's openpyxl, a Linux program"
)]
fn a_filled_task_sheet_comes_back_as_diary_entries_and_a_request_to_classify() {
    let (store, cycle, _) = planned();
    let dir = tempfile::tempdir().unwrap();
    let file = task_sheet_file(&store, cycle, dir.path());
    // Three rows as a cadre fills them: met the head (with a request), not at home, met the
    // family (the date typed as a real Excel date).
    let probe = fill(&file, &[["", "", "", "", ""]; 3]);
    let dates: Vec<String> = probe["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(key_date)
        .collect();
    let file = task_sheet_file(&store, cycle, dir.path());
    let filled = fill(
        &file,
        &[
            [
                &dates[0],
                "见到户主",
                "身体还好，孙子在外打工",
                "村口路灯坏了三盏",
                "满意",
            ],
            [&dates[1], "不在家", "", "", ""],
            [&format!("={}", dates[2]), "见到家人", "", "", "基本满意"],
        ],
    );
    assert_eq!(
        filled["protected"], true,
        "the sheet's structure is protected"
    );
    assert_eq!(filled["hidden"], true, "the key column is hidden");
    assert_eq!(filled["locked_key"], true, "the key cannot be edited");
    assert!(
        filled["unlocked"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u == true),
        "fill-in cells open"
    );
    assert_eq!(
        filled["validations"], 3,
        "drop-downs for 走访结果 and 群众评价, a hint for the date"
    );
    let visits_before = count(&store, "SELECT count(*) FROM visits");

    // A dry run checks and writes nothing.
    let dry = import(
        &store,
        std::slice::from_ref(&file),
        TaskImportOptions {
            dry_run: true,
            skip_bad: false,
        },
    );
    assert_eq!(
        (dry.rows, dry.imported, dry.requests, dry.written),
        (3, 3, 1, false),
        "{:?}",
        dry.problems
    );
    assert_eq!(count(&store, "SELECT count(*) FROM visits"), visits_before);

    let r = import(
        &store,
        std::slice::from_ref(&file),
        TaskImportOptions::default(),
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(
        (r.files, r.rows, r.imported, r.attempts, r.requests),
        (1, 3, 3, 1, 1)
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM visits"),
        visits_before + 3
    );
    let keys: Vec<i64> = filled["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            k.as_str()
                .unwrap()
                .split('|')
                .nth(1)
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    // The two visits that count closed their planned visits; 不在家 left its one due with an attempt.
    let state = |pv: i64| -> (bool, i64) {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT visit_id IS NOT NULL, attempts FROM plan_visits WHERE id = ?1",
                    [pv],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    };
    assert_eq!(state(keys[0]), (true, 0));
    assert_eq!(state(keys[1]), (false, 1));
    assert_eq!(state(keys[2]), (true, 0));
    let (learned, evaluation, date): (String, String, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT v.learned, v.evaluation, v.visit_date FROM plan_visits pv JOIN visits v ON v.id = pv.visit_id WHERE pv.id = ?1",
                [keys[0]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (learned.as_str(), evaluation.as_str(), date),
        ("身体还好，孙子在外打工", "满意", dates[0].clone())
    );
    let date3: String = store
        .read(|c| Ok(c.query_row("SELECT v.visit_date FROM plan_visits pv JOIN visits v ON v.id = pv.visit_id WHERE pv.id = ?1", [keys[2]], |r| r.get(0))?))
        .unwrap();
    assert_eq!(date3, dates[2], "a real Excel date cell");
    // The request: registered from that visit, under 待分类, listed for the coordinator.
    assert_eq!(r.unclassified.len(), 1);
    assert_eq!(r.unclassified[0].content, "村口路灯坏了三盏");
    let (category, source): (String, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT rc.name, rq.source FROM requests rq JOIN request_categories rc ON rc.id = rq.category_id WHERE rq.number = ?1",
                [&r.unclassified[0].number],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(category, "待分类");
    assert_eq!(source, "走访");

    // The same sheet again: every row is a problem, nothing is written twice.
    let again = import(
        &store,
        std::slice::from_ref(&file),
        TaskImportOptions::default(),
    );
    assert!(!again.written);
    assert_eq!(again.problems.len(), 3, "{:?}", again.problems);
    assert!(
        again.problems[0].message.contains("已经录入过"),
        "{:?}",
        again.problems[0]
    );
    assert!(again
        .problems
        .iter()
        .all(|p| p.file == "任务单.xlsx" && p.row >= 4));
    assert_eq!(
        count(&store, "SELECT count(*) FROM visits"),
        visits_before + 3
    );
    // A fresh export marks the recorded rows 已走访 and they are not imported again.
    let fresh = task_sheet_file(&store, cycle, dir.path());
    let none = import(&store, &[fresh], TaskImportOptions::default());
    assert_eq!((none.rows, none.imported, none.problems.len()), (0, 0, 0));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "fills the sheet with Python's openpyxl, a Linux program"
)]
fn bad_rows_are_named_by_file_row_and_column_and_block_the_import_unless_skipped() {
    let (store, cycle, _) = planned();
    let dir = tempfile::tempdir().unwrap();
    let file = task_sheet_file(&store, cycle, dir.path());
    let probe = fill(&file, &[["", "", "", "", ""]; 5]);
    let dates: Vec<String> = probe["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(key_date)
        .collect();
    let file = task_sheet_file(&store, cycle, dir.path());
    let filled = fill(
        &file,
        &[
            [&dates[0], "见到户主", "", "", ""],
            ["2026-07-15", "见到户主", "", "", ""],
            ["2026-03-01", "见到户主", "", "", ""],
            [&dates[3], "聊了一会", "", "", ""],
            ["上周三", "见到户主", "", "", "满意"],
        ],
    );
    let rows: Vec<u32> = filled["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_u64().unwrap() as u32)
        .collect();
    let before = count(&store, "SELECT count(*) FROM visits");
    let r = import(
        &store,
        std::slice::from_ref(&file),
        TaskImportOptions::default(),
    );
    assert!(!r.written);
    assert_eq!(
        count(&store, "SELECT count(*) FROM visits"),
        before,
        "nothing written"
    );
    let seen: Vec<(u32, &str, &str)> = r
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (rows[1], "实际走访日期", "2026-07-15"),
            (rows[2], "实际走访日期", "2026-03-01"),
            (rows[3], "走访结果", "聊了一会"),
            (rows[4], "实际走访日期", "上周三"),
        ]
    );
    assert!(
        r.problems[0].message.contains("晚于今天"),
        "{}",
        r.problems[0].message
    );
    assert!(
        r.problems[1].message.contains("不在本轮次"),
        "{}",
        r.problems[1].message
    );
    assert!(
        r.problems[2].message.contains("见到户主、见到家人"),
        "{}",
        r.problems[2].message
    );
    // The problem list a coordinator sends back.
    let list = dir.path().join("问题清单.xlsx");
    minqing_core::roster::tasks::write_problem_list(&r, &list).unwrap();
    let text = common::xlsx_text(&list);
    assert!(
        text.contains("聊了一会") && text.contains("任务单.xlsx"),
        "{text}"
    );
    // --skip-bad: the good row comes in, the four are listed.
    let r = import(
        &store,
        std::slice::from_ref(&file),
        TaskImportOptions {
            dry_run: false,
            skip_bad: true,
        },
    );
    assert_eq!((r.imported, r.skipped, r.written), (1, 4, true));
    assert_eq!(count(&store, "SELECT count(*) FROM visits"), before + 1);
}

#[test]
#[cfg_attr(
    windows,
    ignore = "fills the sheet with Python's openpyxl and re-saves it with LibreOffice"
)]
fn a_sheet_resaved_by_libreoffice_imports_and_a_recomputed_plan_is_caught() {
    let (store, cycle, _) = planned();
    let dir = tempfile::tempdir().unwrap();
    let file = task_sheet_file(&store, cycle, dir.path());
    let probe = fill(&file, &[["", "", "", "", ""]; 2]);
    let dates: Vec<String> = probe["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(key_date)
        .collect();
    let file = task_sheet_file(&store, cycle, dir.path());
    fill(
        &file,
        &[
            [&dates[0], "见到户主", "好", "", ""],
            [&dates[1], "拒访", "", "", ""],
        ],
    );
    // WPS and LibreOffice users save the file again before sending it.
    let out = dir.path().join("resaved");
    let profile = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&out)
        .arg(&file)
        .output()
        .expect("LibreOffice (soffice)");
    assert!(status.status.success());
    let resaved = out.join("任务单.xlsx");
    let r = import(
        &store,
        std::slice::from_ref(&resaved),
        TaskImportOptions {
            dry_run: true,
            skip_bad: false,
        },
    );
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!((r.rows, r.imported, r.attempts), (2, 2, 1));
    // The plan recomputed after the export: the sheet's planned visits are void, and said so.
    compute_plan(&store, cycle, false).unwrap();
    let r = import(&store, &[resaved], TaskImportOptions::default());
    assert_eq!(r.problems.len(), 2);
    assert!(
        r.problems
            .iter()
            .all(|p| p.message.contains("重新计算排班而作废")),
        "{:?}",
        r.problems
    );
    // A file that is not a task sheet is named, not taken.
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
    let r = import(&store, &[schedule], TaskImportOptions::default());
    assert_eq!(r.problems.len(), 1);
    assert!(r.problems[0].message.contains("不是民情通导出的走访任务单"));
}

#[test]
fn each_cadre_gets_a_task_file_of_their_own() {
    let (store, cycle, visits) = planned();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("任务单");
    let files = minqing_core::report::schedule::write_task_files(
        &store,
        cycle,
        &folder,
        Masking::Masked,
        d("2026-03-31"),
        &[],
    )
    .unwrap();
    let cadres = count(&store, "SELECT count(DISTINCT cadre_id) FROM plan_visits");
    assert_eq!(files.len() as i64, cadres);
    let mut total = 0;
    for f in &files {
        let mut wb: Xlsx<_> = open_workbook(f).unwrap();
        let names = wb.sheet_names();
        assert_eq!(names.len(), 2, "one cadre's sheet and _meta");
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name, format!("{}_走访任务单_2026年二季度.xlsx", names[0]));
        let ws = wb.worksheet_range(&names[0]).unwrap();
        assert!(cell(&ws, 1, 0).contains(&format!(
            "走访干部：{}",
            names[0].trim_end_matches(|c: char| c == ')' || c == '(' || c.is_ascii_digit())
        )));
        let mut row = 3;
        while cell(&ws, row, 15).starts_with("MQ1|") {
            total += 1;
            row += 1;
        }
    }
    assert_eq!(total, visits, "every planned visit in exactly one file");
}
