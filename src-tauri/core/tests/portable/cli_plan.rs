//! `minqing plan create | show | check | export | compute` on a temporary database.

use crate::common;
use crate::common::{json, stderr};
use std::path::Path;
use std::process::Output;

fn minqing(db: &Path, args: &[&str]) -> Output {
    common::minqing_on(db, "2026-03-31", args)
}

#[test]
fn a_quarter_is_planned_checked_and_exported_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "800"])
        .status
        .success());

    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "create",
            "--name",
            "2026年二季度",
            "--from",
            "2026-04-01",
            "--to",
            "2026-06-30",
            "--seed",
            "7",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let id = v["planId"].as_i64().unwrap();
    assert_eq!(v["hardViolations"], 0);
    assert!(v["assignments"].as_u64().unwrap() >= 700);
    let coverage = v["coverage"].as_f64().unwrap();
    assert!(coverage > 0.9 && coverage <= 1.0, "{coverage}");
    // Every household not covered is listed with a reason; none when coverage is full.
    let unassigned = v["unassigned"].as_array().unwrap();
    assert_eq!(unassigned.is_empty(), coverage == 1.0);
    for u in unassigned {
        assert!(u["household"].as_i64().is_some());
        assert!(!u["reason"].as_str().unwrap().is_empty());
    }
    for key in ["min", "max", "mean"] {
        let x = v["utilisation"][key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{key} {x}");
    }
    assert!(v["locality"].as_f64().unwrap() > 0.9);
    assert!(v["keyVisitOnTime"].as_f64().unwrap() > 0.5);
    assert!(v["seconds"].as_f64().is_some());

    let o = minqing(&db, &["plan", "show", &id.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("2026年二季度") && text.contains("覆盖率"),
        "{text}"
    );

    let o = minqing(&db, &["--json", "plan", "check", &id.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = json(&o);
    assert_eq!(c["violations"].as_array().unwrap().len(), 0);
    assert_eq!(c["checked"], v["assignments"]);

    let out = dir.path().join("任务单.xlsx");
    let o = minqing(
        &db,
        &[
            "plan",
            "export",
            &id.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--per-cadre",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.exists());
    // One file per cadre, for e-mailing each its own.
    let folder = dir.path().join("各干部任务单");
    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "export",
            &id.to_string(),
            "--files-per-cadre",
            "--out",
            folder.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let files = json(&o)["files"].as_array().unwrap().len();
    assert!(files > 1, "{files}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), files);
    // Handed back unfilled: nothing to import, and said so.
    let o = minqing(&db, &["import", "visits", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        common::stdout(&o).contains("没有找到填写过的行"),
        "{}",
        common::stdout(&o)
    );
    // A file that is not a task sheet: named, exit 1, nothing written.
    let notes = dir.path().join("笔记.csv");
    std::fs::write(&notes, "姓名,电话\n张三,1\n").unwrap();
    let o = minqing(&db, &["import", "visits", notes.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stdout(&o));
    assert!(
        common::stdout(&o).contains("笔记.csv：这不是民情通导出的走访任务单"),
        "{}",
        common::stdout(&o)
    );

    // Recomputing makes version 2; the same seed and data give the same numbers.
    let o = minqing(&db, &["--json", "plan", "compute", &id.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let again = json(&o);
    assert_eq!(again["version"], 2);
    assert_eq!(again["assignments"], v["assignments"]);
    assert_eq!(again["coverage"], v["coverage"]);
    // Keeping the plan when nothing changed: version 3 is the same plan.
    let o = minqing(
        &db,
        &["--json", "plan", "compute", &id.to_string(), "--keep"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let kept = json(&o);
    assert_eq!(kept["version"], 3);
    assert_eq!(kept["assignments"], v["assignments"]);
    assert_eq!(kept["hardViolations"], 0);
}

#[test]
fn a_broken_plan_fails_the_check_with_the_rule_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "200"])
        .status
        .success());
    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "create",
            "--name",
            "四月",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Someone edits the file behind the app's back: a visit moved onto 劳动节.
    // (The audit triggers need the app's SQL functions: another program writing to audited
    // tables must provide them, or its write fails.)
    let conn = rusqlite::Connection::open(&db).unwrap();
    minqing_core::audit::register_functions(&conn, Default::default()).unwrap();
    conn.execute(
        "UPDATE plan_visits SET visit_date = '2026-05-01' WHERE id = (SELECT min(id) FROM plan_visits)",
        [],
    )
    .unwrap();
    drop(conn);
    let o = minqing(&db, &["plan", "check", "1"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("违反硬性规则") && text.contains("2026-05-01"),
        "{text}"
    );
}

#[test]
fn bad_input_is_refused_in_chinese_and_leaves_no_cycle_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "100"])
        .status
        .success());
    // Dates the wrong way round.
    let o = minqing(
        &db,
        &[
            "plan",
            "create",
            "--name",
            "甲",
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("早于开始日期"), "{}", stderr(&o));
    // A rules file with a typo.
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "min_gap_day = 10\n").unwrap();
    let o = minqing(
        &db,
        &[
            "plan",
            "create",
            "--name",
            "乙",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--rules",
            rules.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("规则文件") && stderr(&o).contains("min_gap_days"),
        "{}",
        stderr(&o)
    );
    // A valid rules file is used.
    std::fs::write(
        &rules,
        "min_gap_days = 10\nper_cadre_day = 5 # 每天最多 5 户\n",
    )
    .unwrap();
    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "create",
            "--name",
            "丙",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--rules",
            rules.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = minqing(
        &db,
        &["--json", "plan", "show", &json(&o)["planId"].to_string()],
    );
    let c = json(&o);
    assert_eq!(c["input"]["minGapDays"], 10);
    assert_eq!(c["input"]["perCadreDay"], 5);
    // An unknown village; only the one good cycle exists.
    let o = minqing(
        &db,
        &[
            "plan",
            "create",
            "--name",
            "丁",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--villages",
            "不存在村",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("不存在村"));
    let o = minqing(&db, &["--json", "plan", "list"]);
    assert_eq!(json(&o).as_array().unwrap().len(), 1);
    // A holiday-only range: nothing to plan, and the cycle is not kept.
    let o = minqing(
        &db,
        &[
            "plan",
            "create",
            "--name",
            "戊",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-05",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有工作日"), "{}", stderr(&o));
    let o = minqing(&db, &["--json", "plan", "list"]);
    assert_eq!(json(&o).as_array().unwrap().len(), 1);
}

#[test]
fn a_rules_file_with_a_mistake_is_refused_in_chinese_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "200"])
        .status
        .success());
    let rules = dir.path().join("rules.toml");
    let create = |rules: &Path| {
        minqing(
            &db,
            &[
                "plan",
                "create",
                "--name",
                "二季度",
                "--from",
                "2026-04-01",
                "--to",
                "2026-06-30",
                "--rules",
                rules.to_str().unwrap(),
            ],
        )
    };
    for (text, says) in [
        (
            "min_gap_days = -3\n",
            "min_gap_days（两次走访至少间隔天数）= -3 不合理，应在 1 到 90",
        ),
        (
            "per_cadre_day = \"八\"\n",
            "per_cadre_day（每名干部每天最多走访户数）应当是整数，现在是“八”",
        ),
        (
            "max_per_month = 99999999999\n",
            "max_per_month（每户每月最多走访次数）= 99999999999 不合理",
        ),
        (
            "locality = 1\n",
            "locality（一天一个村）应当是 true 或 false",
        ),
        ("min_gap = 14\n", "不认识的设置“min_gap”"),
        ("min_gap_days 14\n", "第 1 行不是“名称 = 值”的格式"),
    ] {
        std::fs::write(&rules, text).unwrap();
        let o = create(&rules);
        assert_eq!(o.status.code(), Some(1), "{text}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(says), "{text}: {err}");
        assert!(
            !err.contains("expected") && !err.contains("invalid"),
            "English: {err}"
        );
    }
    // A rules file that is not there is the user's to fix: exit 1, not 2.
    let o = create(&dir.path().join("没有这个文件.toml"));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("找不到文件"), "{}", stderr(&o));
    // Nothing was created by any of them.
    let list = minqing(&db, &["--json", "plan", "list"]);
    assert_eq!(json(&list).as_array().map(Vec::len), Some(0));
}

#[test]
fn a_village_named_twice_is_one_village_and_a_refused_cycle_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "200"])
        .status
        .success());
    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "create",
            "--name",
            "黄河村四月",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--villages",
            "黄河村,黄河村",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = minqing(&db, &["--json", "plan", "show", "1"]);
    assert_eq!(
        json(&shown)["villages"].as_array().map(Vec::len),
        Some(1),
        "{}",
        common::stdout(&shown)
    );

    // 2026-10-01 is 国庆: a one-day cycle on it is refused before anything is written.
    let audit_before = common::stdout(&minqing(&db, &["audit", "list", "--limit", "500"]));
    let o = minqing(
        &db,
        &[
            "plan",
            "create",
            "--name",
            "国庆",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-01",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("没有工作日"), "{}", stderr(&o));
    let audit_after = common::stdout(&minqing(&db, &["audit", "list", "--limit", "500"]));
    assert_eq!(
        audit_before, audit_after,
        "the refused cycle left lines in the 操作记录"
    );
}

#[test]
fn a_folder_as_out_is_named_and_a_year_without_its_notice_is_warned_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "200"])
        .status
        .success());
    let o = minqing(
        &db,
        &[
            "--json",
            "plan",
            "create",
            "--name",
            "2027年一季度",
            "--from",
            "2027-01-04",
            "--to",
            "2027-03-31",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings = json(&o)["warnings"].to_string();
    assert!(
        warnings.contains("2027 年的节假日安排") && warnings.contains("调休"),
        "{warnings}"
    );
    let folder = dir.path().join("排班");
    std::fs::create_dir_all(&folder).unwrap();
    let o = minqing(
        &db,
        &["plan", "export", "1", "--out", folder.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("是一个文件夹"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Excel"), "not a lock: {}", stderr(&o));
}
