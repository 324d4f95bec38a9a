//! `minqing export KIND` and `minqing export all` on a demo township with a season of visits
//! and requests: the files, the JSON, and clear refusals that write nothing.

use crate::common;
use crate::common::{json, stderr};
use std::path::Path;
use std::process::Output;

fn minqing(db: &Path, args: &[&str]) -> Output {
    common::minqing_on(db, "2026-11-20", args)
}

fn township(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.db");
    let o = minqing(
        &db,
        &["--json", "demo", "--households", "600", "--activity", "90"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["households"], 600);
    assert!(v["activity"]["visits"].as_u64().unwrap() > 300);
    assert!(v["activity"]["requests"].as_u64().unwrap() > 20);
    db
}

#[test]
fn each_report_is_exported_with_its_json_and_the_month_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let db = township(dir.path());
    for kind in [
        "visit-stats",
        "request-ledger",
        "request-summary",
        "cadre-assessment",
        "overdue",
    ] {
        let out = dir.path().join(format!("{kind}.xlsx"));
        let o = minqing(
            &db,
            &["--json", "export", kind, "--out", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let v = json(&o);
        assert_eq!(v["kind"], kind);
        assert!(out.exists(), "{kind}");
        assert!(v["rows"].as_u64().unwrap() > 0, "{kind}: {v}");
    }
    // The ledger of one village for a chosen period, names masked for the public.
    let out = dir.path().join("one.xlsx");
    let o = minqing(
        &db,
        &[
            "--json",
            "export",
            "request-ledger",
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-20",
            "--villages",
            "黄河村",
            "--public",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let one = json(&o)["rows"].as_u64().unwrap();
    let o = minqing(
        &db,
        &[
            "--json",
            "export",
            "request-ledger",
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-20",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let all = json(&o)["rows"].as_u64().unwrap();
    assert!(one > 0 && one < all, "one village {one} of {all}");
}

#[test]
fn all_reports_of_the_month_go_to_one_folder_under_the_district_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = township(dir.path());
    let folder = dir.path().join("本月");
    let o = minqing(
        &db,
        &["--json", "export", "all", "--out", folder.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    // No plan in this township: the 走访排班表 is left out and says why.
    // The district's seven kinds, the 实事项目台账 and 办实事竞赛情况表 among them.
    assert_eq!(v["done"].as_array().unwrap().len(), 7);
    assert!(v["skipped"][0].as_str().unwrap().contains("走访排班表"));
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.iter().any(|n| n.contains("_办实事竞赛情况表_")));
    assert!(names.iter().any(|n| n.contains("_实事项目台账_")));
    assert!(names
        .iter()
        .all(|n| n.starts_with("宿迁市宿城区龙河镇_三解三促_") && n.ends_with("_2026年11月.xlsx")));
}

#[test]
fn a_wrong_kind_period_or_village_is_refused_in_chinese_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = township(dir.path());
    let out = dir.path().join("x.xlsx");
    let o = minqing(&db, &["export", "visits", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("没有名为“visits”的报表"),
        "{}",
        stderr(&o)
    );
    let o = minqing(
        &db,
        &[
            "export",
            "overdue",
            "--from",
            "2026-12-01",
            "--to",
            "2026-11-01",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("早于开始日期"), "{}", stderr(&o));
    let o = minqing(
        &db,
        &[
            "export",
            "overdue",
            "--villages",
            "不存在村",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("没有名为“不存在村”的村"),
        "{}",
        stderr(&o)
    );
    let o = minqing(&db, &["export", "plan", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("请先在“走访排班”中新建轮次"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

/// Without `--out`, a report goes to 民情通导出 in Documents; on a machine without a Documents
/// folder, beside the `--db` file (its folder's `exports/`), never into the default data folder
/// of a coordinator who is not using it. (Windows always has Documents: `tests/wine.rs`.)
#[cfg(not(windows))]
#[test]
fn without_out_a_report_goes_to_documents_or_beside_the_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = township(dir.path());
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let default_data = home.join(".local/share");
    let export = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_minqing"))
            .args(["--today", "2026-11-20", "--db"])
            .arg(&db)
            .args(args)
            .env_remove("MINQING_DB")
            .env_remove("MINQING_DATA_DIR")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DOCUMENTS_DIR")
            .env("XDG_DATA_HOME", &default_data)
            .env("HOME", &home)
            .output()
            .unwrap()
    };
    let o = export(&["--json", "export", "visit-stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = std::path::PathBuf::from(json(&o)["path"].as_str().unwrap());
    assert_eq!(path.parent(), Some(dir.path().join("exports").as_path()));
    assert!(path.is_file());
    assert!(!default_data.exists(), "nothing in the default data folder");

    std::fs::create_dir(home.join("Documents")).unwrap();
    let o = export(&["--json", "export", "visit-stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = std::path::PathBuf::from(json(&o)["path"].as_str().unwrap());
    assert_eq!(
        path.parent(),
        Some(home.join("Documents/民情通导出").as_path())
    );
    assert!(path.is_file());
}
