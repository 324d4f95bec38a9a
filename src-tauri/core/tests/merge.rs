//! 区级汇总: three townships' workbooks merged into one district workbook (a line per
//! township, totals, ranking), read back by openpyxl; a number edited after export is caught
//! and named by file and cell; duplicates and another period are left out and listed.

mod common;
use chrono::NaiveDate;
use common::{json, stderr};
use minqing_core::demo::{activity::activity, generate, DemoOptions};
use minqing_core::report::district::{export_report, Masking, ReportKind};
use minqing_core::report::merge::merge;
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

/// A township's month exported as the district asks; returns the workbooks by kind.
fn township(name: &str, seed: u64, dir: &Path, s: &Scope) -> Vec<(ReportKind, PathBuf)> {
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
