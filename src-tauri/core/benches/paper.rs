//! The paper loop's benchmark (`cargo xtask bench`): a township's returned 走访任务单
//! (one workbook per cadre, up to 40 filled rows each, the layout `plan export --files-per-cadre`
//! writes) imported into the diary in one go, and a 20,000-row 民情诉求台账 of the township's
//! own imported through the roster machinery. Each import runs on a fresh copy of the same
//! database; medians of 3. JSON to MINQING_BENCH_JSON.

#[path = "../tests/common/sheets.rs"]
mod sheets;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

#[path = "common/measure.rs"]
#[allow(dead_code)]
mod measure;
use chrono::NaiveDate;
use measure::*;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::plan::store::{compute_plan, create_cycle, CycleInput};
use minqing_core::report::schedule::{task_key, FILL_IN, KEY_HEADER};
use minqing_core::roster::tasks::{import_task_sheets, TaskImportOptions};
use minqing_core::roster::{self, ImportKind, ImportOptions};
use minqing_core::Store;
use sheets::{n, s, V};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One cadre's returned sheet: the task sheet's header row and, under it, the rows filled in.
fn task_file(path: &Path, rows: &[(i64, i64, i64, NaiveDate)]) {
    let mut header = vec![s("序号"), s("日期"), s("户主")];
    header.extend(FILL_IN.iter().map(|h| s(h)));
    header.push(s(KEY_HEADER));
    let mut table = vec![
        vec![s("龙河镇“三解三促”走访任务单")],
        vec![s("走访干部：某某")],
        header,
    ];
    for (i, &(pv, hh, cadre, date)) in rows.iter().enumerate() {
        let outcome = if i % 9 == 4 {
            "不在家"
        } else {
            "见到户主"
        };
        table.push(vec![
            n((i + 1) as f64),
            s(&date.to_string()),
            s("户主"),
            s(&date.to_string()),
            s(outcome),
            s(if i % 3 == 0 {
                "身体还好，子女在外务工。"
            } else {
                ""
            }),
            s(if i % 11 == 0 {
                "门前道路破损，希望修补。"
            } else {
                ""
            }),
            s(if outcome == "不在家" { "" } else { "满意" }),
            s(&task_key(pv, hh, cadre, date)),
        ]);
    }
    sheets::xlsx(path, &[sheets::sheet("任务单", table)]);
}

/// A requester's name (no digits: a name with digits is a problem the import reports).
fn person(i: usize) -> String {
    let sur: Vec<char> = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".chars().collect();
    let giv: Vec<char> = "国建明华军平红英秀兰海玉文春芳德福永林志".chars().collect();
    format!(
        "{}{}{}",
        sur[i % 20],
        giv[(i / 20) % 20],
        giv[(i / 400) % 20]
    )
}

fn ledger_file(path: &Path, rows: usize) {
    let villages = ["黄河村", "南湖村", "东风村", "刘圩社区", "前进村"];
    let units = [
        "区交通运输局",
        "区水利局",
        "区民政局",
        "镇农业服务中心",
        "镇综治中心",
    ];
    let mut table: Vec<Vec<V>> = vec![
        vec![s("龙河镇民情诉求台账")],
        vec![
            s("编号"),
            s("受理日期"),
            s("村（社区）"),
            s("反映人"),
            s("联系电话"),
            s("问题描述"),
            s("责任单位"),
            s("办理状态"),
            s("处理结果"),
            s("答复情况"),
            s("办结时间"),
            s("满意度"),
        ],
    ];
    let start = d("2025-01-02");
    for i in 0..rows {
        let received = start + chrono::Days::new((i % 300) as u64);
        let closed = i % 4 != 0;
        table.push(vec![
            s(&format!("TZ-{i:06}")),
            s(&received.to_string()),
            s(villages[i % villages.len()]),
            s(&person(i)),
            s(&format!("13{}{:08}", 5 + i % 4, i)),
            s(&format!(
                "第{i}件：村组道路破损，雨天出行不便，希望尽快修补。"
            )),
            s(units[i % units.len()]),
            s(if closed { "已办结" } else { "办理中" }),
            s(if closed { "已修补完毕" } else { "" }),
            s(if closed { "已电话告知" } else { "" }),
            s(&if closed {
                (received + chrono::Days::new(9)).to_string()
            } else {
                String::new()
            }),
            s(if closed { "满意" } else { "" }),
        ]);
    }
    sheets::xlsx(path, &[sheets::sheet("台账", table)]);
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.db");
    let today = d("2026-12-01");
    // The demo township with a plan of October and November, as exported at its start: every
    // cadre has 40 planned visits to hand back.
    let (files, rows) = {
        let store = Store::open(&base).unwrap();
        generate(&store, &DemoOptions::default(), d("2026-09-30"), |_, _| {
            true
        })
        .unwrap();
        let cycle = create_cycle(
            &store,
            &CycleInput::new("2026年10—11月", d("2026-10-01"), d("2026-11-30")),
        )
        .unwrap();
        compute_plan(&store, cycle.id, false).unwrap();
        let planned: Vec<(i64, i64, i64, NaiveDate)> = store
            .read(|c| {
                let mut st = c.prepare(
                    "SELECT id, household_id, cadre_id, visit_date FROM plan_visits ORDER BY cadre_id, visit_date, id",
                )?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        let mut by_cadre: std::collections::BTreeMap<i64, Vec<_>> = Default::default();
        for p in planned {
            by_cadre.entry(p.2).or_default().push(p);
        }
        let mut files = Vec::new();
        let mut rows = 0;
        for (cadre, list) in by_cadre.iter().take(60) {
            let list: Vec<_> = list.iter().take(40).copied().collect();
            rows += list.len();
            let f = dir.path().join(format!("干部{cadre}_走访任务单.xlsx"));
            task_file(&f, &list);
            files.push(f);
        }
        (files, rows)
    };
    let fresh = |i: usize| -> Store {
        let p = dir.path().join(format!("run{i}.db"));
        std::fs::copy(&base, &p).unwrap();
        Store::open(&p).unwrap()
    };
    let mut task_times = Vec::new();
    let mut imported = 0;
    for i in 0..3 {
        let store = fresh(i);
        let t = Instant::now();
        let r = import_task_sheets(&store, &files, &TaskImportOptions::default(), today).unwrap();
        task_times.push(t.elapsed().as_secs_f64());
        assert!(
            r.problems.is_empty(),
            "{:?}",
            &r.problems[..r.problems.len().min(3)]
        );
        imported = r.imported;
    }
    let task_seconds = median(task_times);
    eprintln!(
        "任务单：{} 个文件、{rows} 行 → {imported} 条走访记录，{task_seconds:.3} s",
        files.len()
    );

    let ledger = dir.path().join("台账.xlsx");
    let ledger_rows = 20_000;
    ledger_file(&ledger, ledger_rows);
    let mut ledger_times = Vec::new();
    let mut ledger_imported = 0;
    for i in 0..3 {
        let store = fresh(10 + i);
        let mut o = ImportOptions::new(ImportKind::Requests);
        o.create_missing = true;
        let t = Instant::now();
        let r = roster::import_file(
            &store,
            &ledger,
            &o,
            today,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        ledger_times.push(t.elapsed().as_secs_f64());
        assert!(
            r.written && r.problems.is_empty(),
            "{:?}",
            &r.problems[..r.problems.len().min(3)]
        );
        ledger_imported = r.imported;
    }
    let ledger_seconds = median(ledger_times);
    eprintln!("台账：{ledger_rows} 行 → {ledger_imported} 件，{ledger_seconds:.3} s");
    let json = format!(
        "{{\"task_files\": {}, \"task_rows\": {rows}, \"task_imported\": {imported}, \"task_seconds\": {task_seconds:.4}, \"ledger_rows\": {ledger_rows}, \"ledger_imported\": {ledger_imported}, \"ledger_seconds\": {ledger_seconds:.4}, \"peak_mb\": {:.0}}}",
        files.len(),
        peak_rss_mb()
    );
    match std::env::var_os("MINQING_BENCH_JSON") {
        Some(p) => std::fs::write(PathBuf::from(p), json).unwrap(),
        None => println!("{json}"),
    }
}
