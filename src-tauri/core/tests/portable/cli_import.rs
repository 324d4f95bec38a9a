//! `minqing import` on real files: the JSON shape the issue names, exit 1 when problems
//! blocked the import, --skip-bad, --dry-run, --create-missing and --problems.

use crate::common;

use crate::common::sheets::{self, id, s, sheet, V};
use crate::common::{json, minqing, stderr};

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

#[test]
fn village_spellings_make_one_village_named_without_its_committee_and_skipped_rows_create_nothing()
{
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let file = dir.path().join("花名册.csv");
    let id = |s: &str| common::sheets::id(s);
    common::sheets::csv_gbk(
        &file,
        &format!(
            "户主姓名,身份证号,村,组\n张一,{},黄河,1组\n张二,{},黄河村,一组\n张三,{},黄河村委会,第一村民小组\n李四,12345,孤庄村,一组\n",
            id("32130219650312101"),
            id("32130219650312102"),
            id("32130219650312103"),
        ),
    );
    let o = common::minqing(
        &db,
        &[
            "--json",
            "import",
            "households",
            file.to_str().unwrap(),
            "--create-missing",
            "--skip-bad",
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let r = json(&o);
    assert_eq!(r["imported"], 3, "{r}");
    assert_eq!(r["skipped"], 1, "{r}");
    let villages = common::stdout(&common::minqing(&db, &["village", "list"]));
    assert!(villages.contains("黄河村"), "{villages}");
    assert!(
        !villages.contains("村委会"),
        "the committee is not the village: {villages}"
    );
    assert!(
        !villages.contains("孤庄村"),
        "a village only a skipped row named: {villages}"
    );
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM villages", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    // The same rule when a household is added by hand: 1组 is 一组, 黄河 is 黄河村.
    let o = common::minqing(
        &db,
        &[
            "household",
            "add",
            "--village",
            "黄河",
            "--group",
            "1组",
            "--name",
            "王五",
            "--id",
            &id("32130219650312104"),
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
}

/// A 人口花名册 without a village column: `--village` names the village of every row, and the
/// text report says what became of the people.
#[test]
fn a_per_person_roster_takes_the_village_given_and_says_how_it_counted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let f = dir.path().join("人口.xlsx");
    let person = |name: &str, rel: &str, id17: &str| vec![s(name), s(rel), s(&id(id17)), s("一组")];
    sheets::xlsx(
        &f,
        &[sheet(
            "人口",
            vec![
                vec![s("姓名"), s("与户主关系"), s("公民身份号码"), s("村民小组")],
                person("张大山", "户主", "32130219600101001"),
                person("李秀英", "配偶", "32130219620101002"),
                person("张小宝", "孙子", "32130220210101003"),
                person("王长河", "户主", "32130219550101004"),
            ],
        )],
    );
    let file = f.to_str().unwrap();
    // Nothing names the village: refused, pointing at --village.
    let o = minqing(&db, &["import", "households", file, "--create-missing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--village"), "{}", stderr(&o));

    let o = minqing(
        &db,
        &[
            "import",
            "households",
            file,
            "--create-missing",
            "--village",
            "黄河村委会",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = common::stdout(&o);
    assert!(
        out.contains("所有行都算作黄河村（按 --village 指定）"),
        "{out}"
    );
    assert!(
        out.contains("4 人，按行的顺序（户主行开始一户）分成 2 户"),
        "{out}"
    );
    assert!(out.contains("2 名家庭成员计入家庭人口"), "{out}");
    let o = minqing(&db, &["--json", "household", "list"]);
    let j = json(&o);
    let rows = j["rows"].as_array().unwrap();
    let got: Vec<(String, i64, String)> = rows
        .iter()
        .map(|h| {
            (
                h["headName"].as_str().unwrap().to_string(),
                h["size"].as_i64().unwrap(),
                h["villageName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("王长河".to_string(), 1, "黄河村".to_string()),
            ("张大山".to_string(), 3, "黄河村".to_string()),
        ]
    );
}

#[test]
fn import_requests_brings_a_ledger_in_and_exits_1_while_units_are_unconfirmed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let f = dir.path().join("民情诉求台账2025.xlsx");
    sheets::xlsx(&f, &[sheets::request_ledger()]);
    let file = f.to_str().unwrap();
    // The villages first (the ledger's 南湖村委会 is 南湖村).
    for v in ["黄河村", "南湖村"] {
        let o = minqing(&db, &["village", "add", v, "--groups", "3"]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = minqing(&db, &["import", "requests", file]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("文件中的新责任单位：区交通运输局（2 行）、镇社会事业局（1 行）"),
        "{out}"
    );
    assert!(stderr(&o).contains("没有写入任何数据"), "{}", stderr(&o));

    let o = minqing(
        &db,
        &[
            "--json",
            "import",
            "requests",
            file,
            "--create-missing",
            "--incomplete-as-open",
            "--skip-bad",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["kind"], "requests");
    assert_eq!(r["imported"], 4);
    assert_eq!(r["keptNumbers"], 2);
    assert_eq!(r["problems"][0]["row"], 9, "{}", r["problems"]);
    let o = minqing(&db, &["--json", "request", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list = json(&o);
    assert_eq!(list["total"], 4, "{list}");
}

#[test]
fn import_diary_names_the_cadre_it_does_not_know_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = minqing(&db, &["demo", "--households", "200"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f = dir.path().join("走访记录.xlsx");
    sheets::xlsx(
        &f,
        &[sheet(
            "走访记录",
            vec![
                vec![s("走访日期"), s("走访干部"), s("户主"), s("走访结果")],
                vec![s("2025-03-08"), s("不存在的干部"), s("某某"), s("见到户主")],
            ],
        )],
    );
    let o = minqing(&db, &["import", "diary", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("干部“不存在的干部”不在干部队伍中"), "{out}");
    assert!(out.contains("户籍名册中没有户主“某某”"), "{out}");
    assert!(stderr(&o).contains("没有写入任何数据"), "{}", stderr(&o));
}
