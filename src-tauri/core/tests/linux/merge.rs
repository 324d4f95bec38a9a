//! 区级汇总: three townships' workbooks merged into one district workbook (a line per
//! township, totals, ranking), read back by openpyxl; a number edited after export is caught
//! and named by file and cell; duplicates and another period are left out and listed.

use crate::common;
use crate::common::book::{read_back, sheet};
use crate::common::{json, stderr};
use chrono::NaiveDate;
use minqing_core::demo::{activity::activity, generate, DemoOptions};
use minqing_core::privacy::Masking;
use minqing_core::report::district::{export_report, ReportKind};
use minqing_core::report::merge::{merge, merge_with};
use minqing_core::stats::district::Scope;
use minqing_core::Store;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-20";

fn scope(from: &str, to: &str) -> Scope {
    Scope {
        from: d(from),
        to: d(to),
        villages: vec![],
    }
}

/// A township with three months of visits and requests.
fn township_store(name: &str, seed: u64) -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 500,
            seed,
            township: name.into(),
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    activity(&store, d("2026-09-01"), d(TODAY), 0.9, seed, d(TODAY)).unwrap();
    store
}

/// A township's month exported as the district asks; returns the workbooks by kind.
fn township(name: &str, seed: u64, dir: &Path, s: &Scope) -> Vec<(ReportKind, PathBuf)> {
    let store = township_store(name, seed);
    [
        ReportKind::VisitStats,
        ReportKind::RequestSummary,
        ReportKind::Overdue,
    ]
    .iter()
    .map(|&k| {
        let p = dir.join(format!("{name}_{}.xlsx", k.title()));
        export_report(&store, k, s, Masking::Masked, &p, d(TODAY)).unwrap();
        (k, p)
    })
    .collect()
}

fn meta_total(path: &Path, key: &str) -> f64 {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range("_meta").unwrap();
    r.rows()
        .find(|row| row[0].to_string() == format!("total:{key}"))
        .map(|row| row[1].to_string().parse().unwrap())
        .unwrap()
}

/// Changes one number in a sheet's XML the way Excel saves an edit (the cached values of the
/// other cells stay).
fn edit_cell(path: &Path, sheet_file: &str, cell: &str, value: &str) {
    let bytes = std::fs::read(path).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == sheet_file {
            let xml = String::from_utf8(data).unwrap();
            let at = xml
                .find(&format!("<c r=\"{cell}\""))
                .expect("cell in sheet");
            let v0 = at + xml[at..].find("<v>").unwrap() + 3;
            let v1 = v0 + xml[v0..].find("</v>").unwrap();
            data = format!("{}{value}{}", &xml[..v0], &xml[v1..]).into_bytes();
        }
        out.start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        out.write_all(&data).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn three_townships_merge_into_one_district_workbook_with_totals_and_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let mut files = Vec::new();
    let mut visit_files = Vec::new();
    for (name, seed) in [("龙河镇", 1), ("王官集镇", 2), ("耿车镇", 3)] {
        for (k, p) in township(name, seed, dir.path(), &nov) {
            if k == ReportKind::VisitStats {
                visit_files.push(p.clone());
            }
            files.push(p);
        }
    }
    let target = dir.path().join("宿城区_区级汇总_2026年11月.xlsx");
    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.townships.len(), 3);
    assert_eq!(r.period, "2026年11月");
    assert_eq!(r.path.as_deref(), Some(target.to_str().unwrap()));

    // Read back by openpyxl: a line per township, sums in the 合计 line, ranking 1..3.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readback.py");
    let py = common::python_with_openpyxl();
    let out = std::process::Command::new(py)
        .arg(script)
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheet = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "走访情况统计表")
        .unwrap();
    let cells = &sheet["cells"];
    assert!(cells["A1"]
        .as_str()
        .unwrap()
        .contains("区级汇总，2026年11月"));
    let towns: Vec<&str> = (5..=7)
        .map(|r| cells[format!("B{r}")].as_str().unwrap())
        .collect();
    assert_eq!(towns, ["龙河镇", "王官集镇", "耿车镇"]);
    let should: f64 = visit_files.iter().map(|p| meta_total(p, "should")).sum();
    assert_eq!(cells["A8"], "合计");
    assert_eq!(cells["C8"].as_f64().unwrap(), should);
    assert_eq!(sheet["formulas"]["C8"], "=SUM(C5:C7)");
    let mut places: Vec<i64> = (5..=7)
        .map(|r| cells[format!("N{r}")].as_i64().unwrap())
        .collect();
    places.sort();
    assert_eq!(places[0], 1);
    assert_eq!(sheet["orientation"], "landscape");
    assert_eq!(sheet["printTitleRows"], "$3:$4");
    let names: Vec<&str> = book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["走访情况统计表", "诉求办理情况汇总表", "督办通报", "_meta"]
    );
}

#[test]
fn an_edited_number_is_caught_by_file_and_cell_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let a = township("龙河镇", 1, dir.path(), &nov);
    let b = township("耿车镇", 3, dir.path(), &nov);
    let edited = &b[0].1; // 耿车镇's 走访情况统计表
    edit_cell(edited, "xl/worksheets/sheet1.xml", "D5", "999");
    let target = dir.path().join("区.xlsx");
    let files = vec![a[0].1.clone(), edited.clone()];
    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert!(r.path.is_none());
    assert!(!target.exists(), "nothing written");
    let p = r.problems.iter().find(|p| p.blocking).unwrap();
    assert!(p.file.contains("耿车镇"), "{p:?}");
    assert!(p.message.contains("被改动过"), "{p:?}");
    assert_eq!(p.cells.len(), 1, "{:?}", p.cells);
    assert!(
        p.cells[0].starts_with("按村统计!D5：导出时为 ") && p.cells[0].ends_with("现在是 999"),
        "{:?}",
        p.cells
    );

    // The CLI exits 1 and names the file and the cell.
    let db = dir.path().join("unused.db");
    let o = common::minqing(
        &db,
        &[
            "merge",
            files[0].to_str().unwrap(),
            files[1].to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("耿车镇") && err.contains("按村统计!D5"),
        "{err}"
    );
    assert!(!target.exists());

    // An untouched workbook merges; one whose hidden _meta was edited (its 统计时段 "from"
    // made the same as "to") fails the checksum.
    let c = township("王官集镇", 2, dir.path(), &nov);
    let r = merge(&[c[0].1.clone()], &target, d(TODAY)).unwrap();
    assert!(
        r.path.is_some(),
        "an untouched workbook merges: {:?}",
        r.problems
    );
    std::fs::remove_file(&target).unwrap();
    let meta_sheet = "xl/worksheets/sheet3.xml"; // 按村统计, 按干部统计, _meta
    let bytes = std::fs::read(&c[0].1).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name(meta_sheet)
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Rows: key/value, app, report, title, township, district, from (7), to (8).
    let at = xml.find("<c r=\"B8\"").unwrap();
    let v0 = at + xml[at..].find("<v>").unwrap() + 3;
    let to_index = xml[v0..v0 + xml[v0..].find("</v>").unwrap()].to_string();
    edit_cell(&c[0].1, meta_sheet, "B7", &to_index);
    let r = merge(&[c[0].1.clone()], &target, d(TODAY)).unwrap();
    assert!(r.path.is_none());
    assert!(
        r.problems[0].message.contains("校验码不符"),
        "{:?}",
        r.problems
    );
}

#[test]
fn duplicates_and_another_period_are_left_out_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let oct = scope("2026-10-01", "2026-10-31");
    let a = township("龙河镇", 1, dir.path(), &nov);
    let b = township("耿车镇", 3, dir.path(), &nov);
    let sub = dir.path().join("again");
    std::fs::create_dir_all(&sub).unwrap();
    let dup = township("龙河镇", 1, &sub, &nov);
    let old = dir.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    let late = township("王官集镇", 2, &old, &oct);
    let target = dir.path().join("区.xlsx");
    let files = vec![
        a[0].1.clone(),
        b[0].1.clone(),
        dup[0].1.clone(),
        late[0].1.clone(),
    ];
    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert!(r.path.is_some());
    assert_eq!(r.townships, ["龙河镇", "耿车镇"]);
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    assert!(r.problems.iter().all(|p| !p.blocking));
    assert!(r.problems.iter().any(|p| p.message.contains("重复")));
    assert!(r
        .problems
        .iter()
        .any(|p| p.file.contains("王官集镇") && p.message.contains("2026-10-01")));

    // The CLI's JSON says the same and exits 0.
    let db = dir.path().join("unused.db");
    let args: Vec<&str> = ["--json", "merge"]
        .into_iter()
        .chain(files.iter().map(|f| f.to_str().unwrap()))
        .chain(["--out", target.to_str().unwrap()])
        .collect();
    let o = common::minqing(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["problems"].as_array().unwrap().len(), 2);

    // A file that is not a 民情通 report is named and stops the merge.
    let stray = dir.path().join("别的表.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "手工表").unwrap();
    wb.save(&stray).unwrap();
    let r = merge(&[a[0].1.clone(), stray], &target, d(TODAY)).unwrap();
    assert!(r.path.is_none());
    assert!(r.problems[0].message.contains("不是民情通导出的报表"));
}

#[test]
fn the_merged_ledger_counts_each_townships_requests_and_prints_its_title_whole() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let mut files = Vec::new();
    let mut received = Vec::new();
    for (name, seed) in [("龙河镇", 1), ("耿车镇", 3), ("洋北镇", 5)] {
        let store = township_store(name, seed);
        // The requests received in the period, counted from the raw rows.
        let n: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM requests WHERE received_on BETWEEN '2026-11-01' AND '2026-11-30'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert!(n > 0, "{name} has requests in November");
        received.push(n as f64);
        for kind in [ReportKind::RequestLedger, ReportKind::Overdue] {
            let p = dir.path().join(format!("{name}_{}.xlsx", kind.title()));
            export_report(&store, kind, &nov, Masking::Masked, &p, d(TODAY)).unwrap();
            files.push(p);
        }
    }
    let target = dir.path().join("宿城区_区级汇总.xlsx");
    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let book = read_back(&target);
    let ledger = sheet(&book, "民情诉求台账");
    let cells = &ledger["cells"];
    // One header row (no groups): data from row 4, the 合计 on row 7.
    assert_eq!(cells["C3"], "受理诉求件数");
    for (i, n) in received.iter().enumerate() {
        assert_eq!(
            cells[format!("C{}", 4 + i)].as_f64().unwrap(),
            *n,
            "row {}",
            4 + i
        );
    }
    assert_eq!(cells["A7"], "合计");
    assert_eq!(cells["C7"].as_f64().unwrap(), received.iter().sum::<f64>());
    // Neither sheet has a rate: their notes do not speak of one.
    for name in ["民情诉求台账", "督办通报"] {
        let s = sheet(&book, name);
        let notes: String = s["cells"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|v| v.as_str())
            .filter(|t| t.starts_with("注："))
            .collect();
        assert!(notes.contains("核对校验码"), "{name}: {notes}");
        assert!(
            !notes.contains("满意率") && !notes.contains("比率"),
            "{name}: {notes}"
        );
    }

    // Printed, every sheet's title and 汇总单位 line are whole on page 1.
    let pages = &common::printed_pages(std::slice::from_ref(&target))[0];
    let all: Vec<String> = pages.iter().map(|p| common::squeezed(p)).collect();
    for title in [
        "“三解三促”民情诉求台账（区级汇总，2026年11月）",
        "“三解三促”督办通报（区级汇总，2026年11月）",
    ] {
        assert!(
            all.iter().any(|p| p.contains(title)),
            "{title} not printed whole: {all:?}"
        );
    }
    assert!(
        all.iter()
            .all(|p| !p.contains("汇总单位") || p.contains("汇总日期：2026-11-20")),
        "the 汇总单位 line is cut: {all:?}"
    );
}

#[test]
fn a_workbook_of_some_villages_is_left_out_unless_asked_and_then_marked() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let whole = township("耿车镇", 3, dir.path(), &nov);
    let store = township_store("龙河镇", 1);
    let huanghe: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT id FROM villages WHERE name = '黄河村'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let some = Scope {
        villages: vec![huanghe],
        ..nov.clone()
    };
    let part = dir.path().join("龙河镇_黄河村_走访情况统计表.xlsx");
    export_report(
        &store,
        ReportKind::VisitStats,
        &some,
        Masking::Masked,
        &part,
        d(TODAY),
    )
    .unwrap();
    let files = vec![whole[0].1.clone(), part.clone()];
    let target = dir.path().join("区.xlsx");

    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert_eq!(
        r.townships,
        ["耿车镇"],
        "the partial workbook is not merged"
    );
    let p = r
        .problems
        .iter()
        .find(|p| p.file.contains("黄河村"))
        .unwrap();
    assert!(!p.blocking);
    assert!(
        p.message.contains("黄河村") && p.message.contains("不是全镇"),
        "{p:?}"
    );

    // Asked for explicitly (CLI --partial), it is merged and marked on the sheet.
    std::fs::remove_file(&target).ok();
    let r = merge_with(&files, &target, d(TODAY), true).unwrap();
    assert_eq!(r.townships.len(), 2, "{:?}", r.problems);
    let book = read_back(&target);
    let s = sheet(&book, "走访情况统计表");
    let names: Vec<&str> = (5..=6)
        .map(|r| s["cells"][format!("B{r}")].as_str().unwrap())
        .collect();
    assert!(names.contains(&"龙河镇（仅黄河村）"), "{names:?}");
    let db = dir.path().join("unused.db");
    let o = common::minqing(
        &db,
        &[
            "--json",
            "merge",
            files[0].to_str().unwrap(),
            files[1].to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["townships"].as_array().unwrap().len(), 1);
}

#[test]
fn other_workbooks_of_the_folder_are_named_and_the_rest_merges() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let a = township("龙河镇", 1, dir.path(), &nov);
    let b = township("耿车镇", 3, dir.path(), &nov);
    // 走访排班表, written by `export all` into the same folder.
    let db = dir.path().join("town.db");
    let o = common::minqing_on(&db, TODAY, &["demo", "--households", "300"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = common::minqing_on(
        &db,
        TODAY,
        &[
            "plan",
            "create",
            "--name",
            "十一月",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let schedule = dir.path().join("龙河镇_走访排班表.xlsx");
    let o = common::minqing_on(
        &db,
        TODAY,
        &["plan", "export", "1", "--out", schedule.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A 区级汇总 passed back in by mistake.
    let earlier = dir.path().join("上月区级汇总.xlsx");
    merge(&[a[0].1.clone(), b[0].1.clone()], &earlier, d(TODAY)).unwrap();

    let target = dir.path().join("区.xlsx");
    let files = vec![a[0].1.clone(), schedule, earlier, b[0].1.clone()];
    let r = merge(&files, &target, d(TODAY)).unwrap();
    assert!(r.path.is_some(), "{:?}", r.problems);
    assert_eq!(r.townships, ["龙河镇", "耿车镇"]);
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    assert!(r.problems.iter().all(|p| !p.blocking));
    let said: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        said.iter()
            .any(|m| m.contains("这是走访排班表，不参加汇总")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|m| m.contains("这是一份区级汇总表")),
        "{said:?}"
    );
    assert!(said.iter().all(|m| !m.contains("改动")), "{said:?}");
}

#[test]
fn a_workbook_resaved_without_its_computed_values_is_said_so_not_called_edited() {
    let dir = tempfile::tempdir().unwrap();
    let nov = scope("2026-11-01", "2026-11-30");
    let a = township("龙河镇", 1, dir.path(), &nov);
    let b = township("耿车镇", 3, dir.path(), &nov);
    // openpyxl keeps formulas but drops the results Excel calculated.
    let resaved = b[0].1.clone();
    let py = common::python_with_openpyxl();
    let o = std::process::Command::new(py)
        .args([
            "-c",
            "import sys, openpyxl; wb = openpyxl.load_workbook(sys.argv[1]); wb.save(sys.argv[1])",
        ])
        .arg(&resaved)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let target = dir.path().join("区.xlsx");
    let r = merge(&[a[0].1.clone(), resaved], &target, d(TODAY)).unwrap();
    let p = r
        .problems
        .iter()
        .find(|p| p.file.contains("耿车镇"))
        .unwrap();
    assert!(!p.blocking, "{p:?}");
    assert!(
        p.message.contains("计算结果丢失") && p.message.contains("Excel 或 WPS"),
        "{p:?}"
    );
    assert!(!p.message.contains("改动过"), "{p:?}");
    assert!(p.cells.is_empty());
    assert_eq!(r.townships, ["龙河镇"]);

    // A real edit beside the lost values is still an edit.
    edit_cell(&a[0].1, "xl/worksheets/sheet1.xml", "D5", "999");
    let r = merge(&[a[0].1.clone()], &target, d(TODAY)).unwrap();
    assert!(r.problems[0].blocking && r.problems[0].message.contains("被改动过"));
}
