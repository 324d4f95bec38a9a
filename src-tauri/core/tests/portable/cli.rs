//! The `minqing` binary on temporary databases: exit codes, JSON, Chinese errors on stderr.

use crate::common;
use crate::common::{json, minqing, stderr, stdout};
use std::process::Command;

#[test]
fn demo_then_stats_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = minqing(
        &db,
        &[
            "demo",
            "--households",
            "1500",
            "--seed",
            "3",
            "--township",
            "运河镇",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["households"], 1500);
    let o = minqing(&db, &["stats", "--json"]);
    assert!(o.status.success());
    let s = json(&o);
    assert_eq!(s["householdsAll"], 1500);
    let by_village_total: i64 = s["byVillage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["households"].as_i64().unwrap())
        .sum();
    assert_eq!(by_village_total, s["households"].as_i64().unwrap());
    let o = minqing(&db, &["stats"]);
    assert!(stdout(&o).contains("在册") && stdout(&o).contains("低保户"));
    let o = minqing(&db, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("数据库完好"));
    // A second demo into the same file is a user error, and changes nothing.
    let o = minqing(&db, &["demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("空白数据库"), "{}", stderr(&o));
    assert_eq!(
        json(&minqing(&db, &["stats", "--json"]))["householdsAll"],
        1500
    );
}

#[test]
fn household_add_refuses_a_wrong_check_digit_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["village", "add", "黄河村", "--groups", "3"])
        .status
        .success());
    let o = minqing(
        &db,
        &[
            "household",
            "add",
            "--village",
            "黄河村",
            "--group",
            "二组",
            "--name",
            "张三",
            "--id",
            "110105194912310021",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("校验位"), "{}", stderr(&o));
    let o = minqing(&db, &["household", "list", "--json"]);
    assert_eq!(json(&o)["total"], 0);

    let o = minqing(
        &db,
        &[
            "household",
            "add",
            "--village",
            "黄河村",
            "--group",
            "二组",
            "--name",
            "张三",
            "--id",
            "11010519491231002x",
            "--phone",
            "138-1234-5678",
            "--tags",
            "低保户,留守老人",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let h = json(&o);
    assert_eq!(h["idNumber"], "11010519491231002X");
    assert_eq!(h["isKey"], true);
    let o = minqing(&db, &["household", "list", "--search", "zs", "--json"]);
    let page = json(&o);
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["phoneMasked"], "138****5678");
    assert!(
        !stdout(&o).contains("13812345678"),
        "lists never show a full phone"
    );
    let o = minqing(&db, &["household", "list", "--search", "002X"]);
    assert!(
        stdout(&o).contains("张三") && stdout(&o).contains("110105********002X"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unknown_names_and_bad_arguments_are_user_errors_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = minqing(
        &db,
        &[
            "household",
            "add",
            "--village",
            "无此村",
            "--group",
            "一组",
            "--name",
            "张三",
            "--id",
            "11010519491231002X",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("没有名为“无此村”的村"),
        "{}",
        stderr(&o)
    );
    let o = minqing(&db, &["household", "list", "--frobnicate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("不认识的参数“--frobnicate”") && stderr(&o).contains("--help"),
        "{}",
        stderr(&o)
    );
    assert!(
        !stderr(&o).contains("error:"),
        "clap's English: {}",
        stderr(&o)
    );
    let o = minqing(&db, &["merge", "a.xlsx"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("缺少必需的参数") && stderr(&o).contains("--out"),
        "{}",
        stderr(&o)
    );
    let help = minqing(&db, &["export", "--help"]);
    assert!(help.status.success());
    let text = common::stdout(&help);
    assert!(text.contains("用法：") && text.contains("选项"), "{text}");
    assert!(
        !text.contains("Usage") && !text.contains("Print help"),
        "{text}"
    );
    let o = minqing(&db, &["--today", "明天", "stats"]);
    assert_eq!(o.status.code(), Some(1));
    let o = minqing(
        &db,
        &[
            "cadre",
            "add",
            "--name",
            "李四",
            "--unit",
            "区民政局",
            "--level",
            "处长",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("干部层级"));
}

#[test]
fn json_errors_carry_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = minqing(&db, &["household", "show", "42", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["error"]["code"], "NOT_FOUND");
}

#[test]
fn today_decides_what_counts_as_a_future_birth_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["village", "add", "黄河村", "--groups", "1"])
        .status
        .success());
    // Born 2026-12-01 (check digit computed for these 17 digits).
    let first17 = "32130220261201001";
    let id = format!(
        "{first17}{}",
        minqing_core::validate::id_check_char(first17).unwrap()
    );
    let args = |today: &'static str| -> Vec<String> {
        [
            "--today",
            today,
            "household",
            "add",
            "--village",
            "黄河村",
            "--group",
            "一组",
            "--name",
            "小明",
            "--id",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([id.clone()])
        .collect()
    };
    let run = |a: Vec<String>| minqing(&db, &a.iter().map(String::as_str).collect::<Vec<_>>());
    let o = run(args("2026-11-29"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("晚于今天"));
    assert!(run(args("2026年12月2日")).status.success());
}

#[test]
fn damaged_and_newer_files_exit_1_and_stay_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.db");
    std::fs::write(
        &bad,
        b"this is not a database, it is a letter to the editor ........",
    )
    .unwrap();
    let before = std::fs::read(&bad).unwrap();
    let o = minqing(&bad, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("已损坏"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&bad).unwrap(), before);

    let newer = dir.path().join("newer.db");
    assert!(minqing(&newer, &["stats"]).status.success());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let o = minqing(&newer, &["stats"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("更新版本"), "{}", stderr(&o));
}

#[test]
fn several_processes_create_one_database_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_minqing"))
                .arg("--db")
                .arg(&db)
                .args(["stats", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(minqing(&db, &["check"]).status.success());
}

#[test]
fn minqing_db_env_chooses_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let o = Command::new(env!("CARGO_BIN_EXE_minqing"))
        .args(["village", "add", "环境村"])
        .env("MINQING_DB", &db)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(db.exists());
}

/// Long work into a log (stderr not a terminal): a line per tenth of the work, no carriage
/// returns, ending at 100%, rather than a rewritten line repeated a hundred times.
#[test]
fn progress_into_a_log_is_a_line_per_tenth() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = minqing(&db, &["demo", "--households", "20000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\r'), "{err:?}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("正在生成示例数据"))
        .collect();
    assert!((5..=11).contains(&lines.len()), "{err}");
    assert_eq!(
        lines.last(),
        Some(&"正在生成示例数据：20000/20000（100%）"),
        "{err}"
    );

    // With --json nothing but the JSON: no progress at all.
    let db2 = dir.path().join("t2.db");
    let o = minqing(&db2, &["--json", "demo", "--households", "20000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("正在"), "{}", stderr(&o));
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, &["demo", "--households", "3000"])
        .status
        .success());
    // `minqing household list … | head -1`: the pipe closes after the first line.
    for args in [
        vec!["household", "list", "--page-size", "2000"],
        vec!["--json", "household", "list", "--page-size", "2000"],
        vec!["stats"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_minqing"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert!(
            out.status.code() == Some(0),
            "{args:?}: exit {:?} {err}",
            out.status.code()
        );
    }
}
