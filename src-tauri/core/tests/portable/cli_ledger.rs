//! `minqing visit | request | rates | unit` on a temporary database, with `--today` as the clock.

use crate::common::{json, minqing_on as minqing, stderr};

#[test]
fn a_request_goes_from_registration_to_reopening_with_every_refusal_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, "2026-01-05", &["demo", "--households", "300"])
        .status
        .success());
    assert!(minqing(&db, "2026-01-05", &["unit", "add", "区交通运输局"])
        .status
        .success());

    let o = minqing(
        &db,
        "2026-02-12",
        &[
            "request",
            "add",
            "--household",
            "1",
            "--type",
            "求助",
            "--category",
            "基础设施",
            "--content",
            "道路破损",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["number"], "2026-000001");
    assert_eq!(
        r["deadline"], "2026-02-24",
        "the Spring Festival is not counted"
    );
    assert_eq!(r["status"], "登记");

    let o = minqing(
        &db,
        "2026-02-12",
        &["request", "assign", "2026-000001", "--unit", "不存在的局"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有名为“不存在的局”的责任单位"));
    assert!(minqing(
        &db,
        "2026-02-13",
        &["request", "assign", "2026-000001", "--unit", "区交通运输局"]
    )
    .status
    .success());

    // Overdue on the 25th: red.
    let o = minqing(
        &db,
        "2026-02-25",
        &["request", "list", "--colour", "red", "--json"],
    );
    assert_eq!(json(&o)["total"], 1);
    let o = minqing(
        &db,
        "2026-02-25",
        &[
            "request",
            "extend",
            "2026-000001",
            "--to",
            "2026-03-10",
            "--reason",
            "等材料",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "an extension must be asked before the deadline"
    );
    assert!(stderr(&o).contains("延期必须在时限之前申请"));

    let o = minqing(
        &db,
        "2026-02-25",
        &[
            "request",
            "close",
            "2026-000001",
            "--result",
            "已修复",
            "--reply",
            " ",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("答复群众"), "{}", stderr(&o));
    assert!(minqing(
        &db,
        "2026-02-25",
        &[
            "request",
            "close",
            "2026-000001",
            "--result",
            "已修复",
            "--reply",
            "已电话告知户主"
        ]
    )
    .status
    .success());
    assert!(minqing(
        &db,
        "2026-02-26",
        &[
            "request",
            "review",
            "2026-000001",
            "--satisfaction",
            "不满意"
        ]
    )
    .status
    .success());
    let o = minqing(
        &db,
        "2026-02-26",
        &[
            "request",
            "reopen",
            "2026-000001",
            "--reason",
            "排水仍未解决",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["status"], "办理中");

    let o = minqing(
        &db,
        "2026-02-26",
        &["request", "show", "2026-000001", "--json"],
    );
    let actions: Vec<String> = json(&o)["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, ["登记", "交办", "办结", "回访", "重办"]);
    let o = minqing(&db, "2026-02-26", &["request", "show", "2026-000001"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("办理记录"));
}

#[test]
fn visits_and_rates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(minqing(&db, "2026-01-05", &["demo", "--households", "300"])
        .status
        .success());
    let o = minqing(
        &db,
        "2026-03-03",
        &[
            "visit",
            "add",
            "--household",
            "2",
            "--cadre",
            "1",
            "--date",
            "2026-03-02",
            "--outcome",
            "见到户主",
            "--evaluation",
            "满意",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json(&o)["outcome"], "见到户主");
    let o = minqing(
        &db,
        "2026-03-03",
        &[
            "visit",
            "add",
            "--household",
            "2",
            "--cadre",
            "1",
            "--date",
            "2026-03-02",
            "--outcome",
            "见到户主",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "the same diary page twice");
    let o = minqing(
        &db,
        "2026-03-03",
        &[
            "visit",
            "add",
            "--household",
            "2",
            "--cadre",
            "1",
            "--outcome",
            "串门",
        ],
    );
    assert!(stderr(&o).contains("走访结果“串门”不对"), "{}", stderr(&o));
    let o = minqing(
        &db,
        "2026-03-03",
        &["visit", "list", "--cadre", "1", "--json"],
    );
    assert_eq!(json(&o)["total"], 1);
    let o = minqing(&db, "2026-03-03", &["rates", "--by", "village", "--json"]);
    assert!(o.status.success());
    assert!(json(&o)["formula"]["satisfaction"]
        .as_str()
        .unwrap()
        .contains("0.9"));
    let o = minqing(&db, "2026-03-03", &["rates", "--by", "weather"]);
    assert_eq!(o.status.code(), Some(1));
}
