//! `minqing import` on real files: the JSON shape the issue names, exit 1 when problems
//! blocked the import, --skip-bad, --dry-run, --create-missing and --problems.

mod common;

use common::sheets::{self, id, s, sheet, V};
use common::{json, minqing, stderr};

#[test]
fn import_households_prints_the_report_and_exits_1_when_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let f = dir.path().join("花名册.xlsx");
    sheets::xlsx(
        &f,
        &[sheet(
            "花名册",
            vec![
                vec![s("新河村农户花名册")],
                vec![s("户主姓名"), s("身份证号"), s("村"), s("组"), s("电话")],
                vec![
                    s("张三"),
                    s(&id("32130219800101001")),
                    s("新河村"),
                    s("一组"),
                    s("13800001234"),
                ],
                vec![
                    s("李四"),
                    s("32130219810202002X"),
                    s("新河村"),
                    s("二组"),
                    V::E,
                ],
            ],
        )],
    );
    let file = f.to_str().unwrap();

    // Unknown village without --create-missing: problems, nothing written, exit 1.
    let o = minqing(&db, &["--json", "import", "households", file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let j = json(&o);
    assert_eq!(j["file"], "花名册.xlsx");
    assert_eq!(j["sheet"], "花名册");
    assert_eq!(j["headerRow"], 2);
    assert_eq!(j["mapping"]["idNumber"], "B");
    assert_eq!(j["rows"], 2);
    assert_eq!(j["imported"], 0);
    let p = &j["problems"][0];
    assert_eq!(
        (p["row"].as_u64(), p["column"].as_str()),
        (Some(3), Some("C"))
    );
    assert!(p["message"].as_str().unwrap().contains("--create-missing"));
    assert!(stderr(&o).contains("没有写入任何数据"));

    // Dry run with the villages confirmed: one good row, one with a bad check digit.
    let o = minqing(
        &db,
        &[
            "--json",
            "import",
            "households",
            file,
            "--create-missing",
            "--dry-run",
            "--skip-bad",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    assert_eq!(
        (j["imported"].as_u64(), j["written"].as_bool()),
        (Some(1), Some(false))
    );
    assert!(
        j["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("校验位"),
        "{}",
        j["problems"][0]
    );

    // The real import with the problem list written out.
    let out = dir.path().join("问题清单.xlsx");
    let o = minqing(
        &db,
        &[
            "import",
            "households",
            file,
            "--create-missing",
            "--skip-bad",
            "--problems",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.exists());
    let stats = json(&minqing(&db, &["--json", "stats"]));
    assert_eq!(stats["households"], 1);
    assert_eq!(stats["villages"], 1);

    // A file that is not a table: exit 1, a Chinese message, nothing else.
    let png = dir.path().join("x.xlsx");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n....").unwrap();
    let o = minqing(&db, &["import", "households", png.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("PNG 图片"), "{}", stderr(&o));
}

#[test]
fn import_cadres_takes_the_sheet_and_header_row_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = minqing(&db, &["village", "add", "黄河村", "--groups", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f = dir.path().join("干部.csv");
    sheets::csv_gbk(
        &f,
        "说明：区派干部\n姓名,单位,职务,电话,挂钩村\n陈一,区民政局,科长,13800001111,黄河\n",
    );
    let o = minqing(
        &db,
        &[
            "--json",
            "import",
            "cadres",
            f.to_str().unwrap(),
            "--header-row",
            "2",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    assert_eq!(
        (j["headerRow"].as_u64(), j["imported"].as_u64()),
        (Some(2), Some(1))
    );
    let o = minqing(
        &db,
        &[
            "import",
            "cadres",
            f.to_str().unwrap(),
            "--sheet",
            "没有这个表",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("没有名为“没有这个表”的工作表"),
        "{}",
        stderr(&o)
    );
}
