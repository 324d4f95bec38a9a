//! Roster import with real files made in the test: a messy village roster (title rows, a
//! merged two-row header, IDs stored as numbers, bad rows), GBK CSV, .xls, .ods, and the bad
//! inputs a coordinator meets. Each asserts what the coordinator would see.
//!
//! `streaming`: a long roster written while it is read; `persons`: a roster of people
//! grouped into households; `ledgers`: a township's old request ledger and diary.

mod ledgers;
mod persons;
mod streaming;

use crate::common::sheets::{self, id, messy_roster, n, s, sheet, V};
use chrono::NaiveDate;
use minqing_core::register::households::{list_households, HouseholdQuery};
use minqing_core::register::villages::{
    add_numbered_groups, add_village, list_villages, VillageInput,
};
use minqing_core::roster::{self, read, ImportKind, ImportMode, ImportOptions, ImportReport};
use minqing_core::{Error, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// A township with 黄河村 (5 groups) and 南湖村 (3 groups).
fn township(store: &Store) {
    let v = add_village(
        store,
        &VillageInput {
            name: "黄河村".into(),
            kind: None,
        },
    )
    .unwrap();
    add_numbered_groups(store, v.id, 5).unwrap();
    let v = add_village(
        store,
        &VillageInput {
            name: "南湖村".into(),
            kind: None,
        },
    )
    .unwrap();
    add_numbered_groups(store, v.id, 3).unwrap();
}

fn book(path: &Path) -> roster::Book {
    read::read_file(path, &mut |_| {}, &AtomicBool::new(false)).unwrap()
}

fn run(store: &Store, path: &Path, f: impl FnOnce(&mut ImportOptions)) -> ImportReport {
    let mut o = ImportOptions::new(ImportKind::Households);
    f(&mut o);
    roster::run_import(
        store,
        &book(path),
        &o,
        today(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

fn import(
    store: &Store,
    b: &roster::Book,
    o: &ImportOptions,
) -> minqing_core::Result<ImportReport> {
    roster::run_import(store, b, o, today(), &mut |_| {}, &AtomicBool::new(false))
}

fn count(store: &Store) -> i64 {
    list_households(store, &HouseholdQuery::default())
        .unwrap()
        .total
}

fn read_err(path: &Path) -> String {
    match read::read_file(path, &mut |_| {}, &AtomicBool::new(false)) {
        Err(e @ Error::Invalid { .. }) => e.to_string(),
        Err(e) => panic!("expected a user message, got {e:?}"),
        Ok(_) => panic!("{} was read", path.display()),
    }
}

struct Dir(tempfile::TempDir);
impl Dir {
    fn new() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }
    fn p(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
}

#[test]
fn a_messy_village_roster_is_found_mapped_and_checked_row_by_row() {
    let d = Dir::new();
    let f = d.p("黄河村花名册.xlsx");
    sheets::xlsx(
        &f,
        &[
            sheet("说明", vec![vec![s("本表由村委会填写，请勿改动表头")]]),
            messy_roster(),
        ],
    );
    let store = Store::open_in_memory().unwrap();
    township(&store);

    let insp = roster::inspect(&store, &book(&f), ImportKind::Households, None, None).unwrap();
    assert_eq!(insp.sheet, "花名册", "{}", insp.sheet_reason);
    assert_eq!(
        (insp.header_row, insp.header_rows),
        (4, 2),
        "{}",
        insp.header_reason
    );
    assert!(
        insp.header_reason.contains("两层表头"),
        "{}",
        insp.header_reason
    );
    assert!(
        insp.header_reason.contains("“户主姓名（必填）”"),
        "{}",
        insp.header_reason
    );
    let col = |letter: &str| insp.columns.iter().find(|c| c.letter == letter).unwrap();
    assert_eq!(col("B").field, Some(roster::Field::HeadName));
    assert_eq!(col("C").field, Some(roster::Field::IdNumber));
    assert_eq!(col("D").field, Some(roster::Field::Village));
    assert_eq!(col("E").field, Some(roster::Field::Group));
    assert_eq!(col("F").field, Some(roster::Field::Phone));
    assert_eq!(col("F").header, "联系方式 / 手机");
    assert_eq!(col("I").field, Some(roster::Field::Tags));
    assert_eq!(col("A").field, None);
    // Samples are masked on screen.
    assert_eq!(col("C").samples[0], "321302********0018");
    assert_eq!(
        col("B").samples,
        vec!["张三", "李四", "王五", "赵六", "钱七"]
    );
    assert!(insp.missing_required.is_empty());
    assert_eq!(insp.data_rows, 8);
    let skipped: Vec<u32> = insp.skipped_lines.iter().map(|l| l.row).collect();
    assert_eq!(
        skipped,
        vec![6, 16],
        "the column-number row and the 填表人 line"
    );

    // All-or-nothing: problems block, nothing is written.
    let r = run(&store, &f, |_| {});
    assert!(r.blocked && !r.written);
    assert_eq!(count(&store), 0);
    let at = |row: u32| {
        r.problems
            .iter()
            .filter(|p| p.row == row)
            .map(|p| format!("{}|{}", p.column, p.message))
            .collect::<Vec<_>>()
    };
    assert!(
        at(7)[0].starts_with("C|") && at(7)[0].contains("第 11 行"),
        "{:?}",
        at(7)
    );
    assert!(at(11)[0].contains("与第 7 行重复"), "{:?}", at(11));
    assert!(
        at(8)[0].contains("存成了数字") && at(8)[0].contains("不要猜测"),
        "{:?}",
        at(8)
    );
    assert!(
        at(9)[0].contains("出生日期") && at(9)[0].contains("不存在"),
        "{:?}",
        at(9)
    );
    assert!(
        at(12)[0].starts_with("F|") && at(12)[0].contains("1360000"),
        "{:?}",
        at(12)
    );
    assert!(at(13)[0].contains("科学计数法"), "{:?}", at(13));
    let p8 = r.problems.iter().find(|p| p.row == 8).unwrap();
    assert_eq!(
        (p8.sheet.as_str(), p8.header.as_str(), p8.value.as_str()),
        ("花名册", "身份证号码", "3.21302E+17")
    );
    assert_eq!(r.problem_rows, 6);
    assert_eq!(
        r.unknown_tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        vec!["种粮大户"]
    );

    // Dry run with skipping: the good rows would go in, nothing is written.
    let r = run(&store, &f, |o| {
        o.skip_bad = true;
        o.dry_run = true;
    });
    assert_eq!((r.imported, r.written), (2, false));
    assert_eq!(count(&store), 0);

    // Skipping the bad rows imports the two good ones, tolerant matching included.
    let r = run(&store, &f, |o| o.skip_bad = true);
    assert!(r.written && !r.blocked);
    assert_eq!((r.imported, r.skipped), (2, 6));
    let rows = list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows;
    let zhao = rows.iter().find(|h| h.head_name == "赵六").unwrap();
    assert_eq!(
        (zhao.village_name.as_str(), zhao.group_name.as_str()),
        ("黄河村", "三组")
    );
    assert_eq!(zhao.phone_masked, "137****1234", "+86 and dashes dropped");
    assert_eq!(zhao.tags, vec!["残疾人家庭"]);
    let wu = rows.iter().find(|h| h.head_name == "吴十").unwrap();
    assert_eq!(
        (wu.village_name.as_str(), wu.group_name.as_str()),
        ("南湖村", "二组")
    );
    let hist = roster::history::list_history(&store, 10).unwrap();
    assert_eq!(
        (hist.len(), hist[0].imported, hist[0].file_name.as_str()),
        (1, 2, "黄河村花名册.xlsx")
    );
}

#[test]
fn a_gbk_csv_with_quoted_newlines_is_imported() {
    let d = Dir::new();
    let f = d.p("南湖村.csv");
    let text = format!(
        "南湖村花名册,,,,\n户主,公民身份号码,所在村,村民小组,家庭住址\n张三,{},南湖村,1,\"南湖村一组\n12号\"\n李四,=\"{}\",南湖村,二组,\"东头,第3户\"\n",
        id("32130219800101001"),
        id("32130219810202002")
    );
    sheets::csv_gbk(&f, &text);
    let b = book(&f);
    assert_eq!(b.encoding, Some("GBK/GB18030"));
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let r = run(&store, &f, |_| {});
    assert_eq!(
        (r.header_row, r.imported, r.problems.len()),
        (2, 2, 0),
        "{:?}",
        r.problems
    );
    let rows = list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows;
    let zhang = rows.iter().find(|h| h.head_name == "张三").unwrap();
    assert_eq!(zhang.address, "南湖村一组\n12号");
    assert_eq!(
        rows.iter().find(|h| h.head_name == "李四").unwrap().address,
        "东头,第3户"
    );
}

#[test]
fn an_xls_with_merged_header_cells_and_an_ods_are_read() {
    let d = Dir::new();
    let mut sp = sheet(
        "Sheet1",
        vec![
            vec![s("南湖村花名册")],
            vec![
                s("户主姓名"),
                s("身份证号"),
                s("村"),
                s("组"),
                s("联系电话"),
                V::E,
            ],
            vec![V::E, V::E, V::E, V::E, s("手机"), s("固定电话")],
            vec![
                s("张三"),
                s(&id("32130219800101001")),
                s("南湖村"),
                s("一组"),
                n(13800001234.0),
                s("0527-88881234"),
            ],
            vec![
                s("李四"),
                s(&id("32130219810202002")),
                s("南湖村"),
                s("二组"),
                V::E,
                V::E,
            ],
        ],
    );
    sp.merges = vec![
        (0, 0, 0, 5),
        (1, 4, 1, 5),
        (1, 0, 2, 0),
        (1, 1, 2, 1),
        (1, 2, 2, 2),
        (1, 3, 2, 3),
    ];
    let xls = d.p("南湖村.xls");
    sheets::xls(&xls, std::slice::from_ref(&sp));
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let insp = roster::inspect(&store, &book(&xls), ImportKind::Households, None, None).unwrap();
    assert_eq!(
        (insp.header_row, insp.header_rows),
        (2, 2),
        "{}",
        insp.header_reason
    );
    assert_eq!(
        insp.columns
            .iter()
            .find(|c| c.letter == "E")
            .unwrap()
            .header,
        "联系电话 / 手机"
    );
    let r = run(&store, &xls, |_| {});
    assert_eq!((r.imported, r.problems.len()), (2, 0), "{:?}", r.problems);

    let ods = d.p("东风村.ods");
    let sp = sheet(
        "花名册",
        vec![
            vec![s("户主姓名"), s("身份证号"), s("村"), s("组")],
            vec![s("王五"), s(&id("32130219900303003")), s("黄河村"), n(4.0)],
        ],
    );
    sheets::ods(&ods, &[sp]);
    assert_eq!(book(&ods).format, roster::Format::Ods);
    let r = run(&store, &ods, |_| {});
    assert_eq!((r.imported, r.problems.len()), (1, 0), "{:?}", r.problems);
}

/// A roster with one good household: 张三 in 黄河村一组.
fn one_household(path: &Path) {
    simple(
        path,
        vec![vec![
            s("张三"),
            s(&id("32130219800101001")),
            s("黄河村"),
            s("一组"),
            V::E,
            V::E,
        ]],
    );
}

fn simple(path: &Path, rows: Vec<Vec<V>>) {
    let mut all = vec![vec![
        s("户主姓名"),
        s("身份证号"),
        s("村"),
        s("组"),
        s("联系电话"),
        s("家庭人口"),
    ]];
    all.extend(rows);
    sheets::xlsx(path, &[sheet("Sheet1", all)]);
}

#[test]
fn upsert_lists_each_change_and_leaves_columns_the_file_lacks_alone() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let a = id("32130219800101001");
    let b = id("32130219810202002");
    let f1 = d.p("一月.xlsx");
    simple(
        &f1,
        vec![
            vec![
                s("张三"),
                s(&a),
                s("黄河村"),
                s("一组"),
                s("13800001234"),
                n(3.0),
            ],
            vec![
                s("李四"),
                s(&b),
                s("黄河村"),
                s("一组"),
                s("13900001234"),
                n(2.0),
            ],
        ],
    );
    assert_eq!(run(&store, &f1, |_| {}).imported, 2);

    // 仅新增: registered people are skipped and listed.
    let r = run(&store, &f1, |_| {});
    assert_eq!((r.imported, r.skipped, r.existing.len()), (0, 2, 2));
    assert_eq!(r.existing[0].key, "321302********0018");

    // 新增并更新 from a file without the phone column.
    let f2 = d.p("二月.xlsx");
    sheets::xlsx(
        &f2,
        &[sheet(
            "Sheet1",
            vec![
                vec![
                    s("户主姓名"),
                    s("身份证号"),
                    s("村"),
                    s("组"),
                    s("家庭人口"),
                ],
                vec![s("张三"), s(&a), s("黄河村"), s("二组"), n(4.0)],
                vec![s("李四"), s(&b), s("黄河村"), s("一组"), n(2.0)],
            ],
        )],
    );
    let r = run(&store, &f2, |o| o.mode = ImportMode::Upsert);
    assert_eq!((r.updated, r.unchanged, r.imported), (1, 1, 0));
    let ch: Vec<String> = r.changes[0]
        .changes
        .iter()
        .map(|c| format!("{}:{}→{}", c.field, c.old, c.new))
        .collect();
    assert_eq!(ch, vec!["村民小组:一组→二组", "家庭人口:3→4"]);
    let rows = list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows;
    let zhang = rows.iter().find(|h| h.head_name == "张三").unwrap();
    assert_eq!(
        (zhang.group_name.as_str(), zhang.phone_masked.as_str()),
        ("二组", "138****1234")
    );
}

#[test]
fn unknown_villages_and_groups_are_created_only_when_confirmed() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let f = d.p("新村.xlsx");
    simple(
        &f,
        vec![
            vec![
                s("张三"),
                s(&id("32130219800101001")),
                s("新河村"),
                s("3组"),
                V::E,
                V::E,
            ],
            vec![
                s("李四"),
                s(&id("32130219810202002")),
                s("新河"),
                s("第三村民小组"),
                V::E,
                V::E,
            ],
            vec![
                s("王五"),
                s(&id("32130219820303003")),
                s("黄河村"),
                s("九组"),
                V::E,
                V::E,
            ],
        ],
    );
    let r = run(&store, &f, |_| {});
    assert!(r.blocked);
    assert_eq!(
        r.new_villages
            .iter()
            .map(|v| (v.name.as_str(), v.rows))
            .collect::<Vec<_>>(),
        vec![("新河村", 2)]
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.row == 4 && p.message.contains("黄河村 九组")),
        "{:?}",
        r.problems
    );
    assert_eq!(
        list_villages(&store).unwrap().len(),
        2,
        "nothing created without confirmation"
    );

    let r = run(&store, &f, |o| o.create_missing = true);
    assert_eq!((r.imported, r.problems.len()), (3, 0), "{:?}", r.problems);
    let vs = list_villages(&store).unwrap();
    let new = vs.iter().find(|v| v.name == "新河村").unwrap();
    assert_eq!(
        new.groups
            .iter()
            .map(|g| (g.name.as_str(), g.household_count))
            .collect::<Vec<_>>(),
        vec![("三组", 2)]
    );
    assert!(vs
        .iter()
        .find(|v| v.name == "黄河村")
        .unwrap()
        .groups
        .iter()
        .any(|g| g.name == "九组"));
}

#[test]
fn a_mapping_is_remembered_for_the_next_file_with_the_same_headers() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let rows = |idv: &str| {
        vec![
            vec![s("甲"), s("乙"), s("丙"), s("丁")],
            vec![s("张三"), s(idv), s("黄河村"), s("一组")],
        ]
    };
    let f = d.p("a.xlsx");
    sheets::xlsx(&f, &[sheet("S", rows(&id("32130219800101001")))]);
    let insp = roster::inspect(&store, &book(&f), ImportKind::Households, None, Some(1)).unwrap();
    assert_eq!(
        insp.missing_required,
        vec!["村（社区）", "村民小组", "户主姓名"],
        "the ID column is recognised by its contents"
    );
    assert_eq!(
        (insp.columns[1].field, insp.columns[1].how.as_str()),
        (Some(roster::Field::IdNumber), "按内容判断")
    );
    let mut o = ImportOptions::new(ImportKind::Households);
    o.header_row = Some(1);
    let err = import(&store, &book(&f), &o).unwrap_err();
    assert!(
        err.to_string()
            .contains("还没有找到必需的列：村（社区）、村民小组、户主姓名"),
        "{err}"
    );
    use roster::detect::ColumnMap;
    use roster::Field::*;
    o.mapping = Some(vec![
        ColumnMap {
            column: 0,
            field: HeadName,
        },
        ColumnMap {
            column: 1,
            field: IdNumber,
        },
        ColumnMap {
            column: 2,
            field: Village,
        },
        ColumnMap {
            column: 3,
            field: Group,
        },
    ]);
    let r = import(&store, &book(&f), &o).unwrap();
    assert_eq!(r.imported, 1);
    let f2 = d.p("b.xlsx");
    sheets::xlsx(&f2, &[sheet("S", rows(&id("32130219810202002")))]);
    let insp = roster::inspect(&store, &book(&f2), ImportKind::Households, None, Some(1)).unwrap();
    assert!(insp.remembered && insp.missing_required.is_empty());
    assert_eq!(insp.columns[0].how, "沿用上次的对应");
}

#[test]
fn cancelling_or_a_failure_mid_way_leaves_nothing_written() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let f = d.p("big.xlsx");
    let rows: Vec<Vec<V>> = (0..3000)
        .map(|i| {
            vec![
                s("张三"),
                s(&id(&format!(
                    "321302198001{:02}{:03}",
                    1 + i / 1000,
                    i % 1000
                ))),
                s("黄河村"),
                s("一组"),
                V::E,
                V::E,
            ]
        })
        .collect();
    simple(&f, rows);
    let cancel = AtomicBool::new(false);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.create_missing = true;
    let mut writing_seen = 0;
    let result = roster::run_import(
        &store,
        &book(&f),
        &o,
        today(),
        &mut |p| {
            if matches!(p.stage, roster::Stage::Write) {
                writing_seen = p.done;
                if p.done >= 2000 {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        },
        &cancel,
    );
    match result {
        Err(Error::Cancelled) => {}
        Err(e) => panic!("{e}"),
        Ok(r) => panic!(
            "not cancelled: {} imported, {} problems",
            r.imported, r.problems_total
        ),
    }
    assert!(
        writing_seen >= 2000,
        "rows were being written when the user cancelled"
    );
    assert_eq!(count(&store), 0);
    assert!(roster::history::list_history(&store, 5).unwrap().is_empty());
}

#[test]
fn bad_files_get_a_clear_message_and_write_nothing() {
    let d = Dir::new();
    let empty = d.p("空.xlsx");
    std::fs::write(&empty, b"").unwrap();
    assert!(read_err(&empty).contains("是空的"));

    let png = d.p("照片.xlsx");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR0000").unwrap();
    assert!(read_err(&png).contains("PNG 图片"));

    let locked = d.p("加密.xlsx");
    sheets::encrypted_xlsx(&locked);
    assert!(read_err(&locked).contains("打开密码"));

    let good = d.p("好.xlsx");
    one_household(&good);
    let bytes = std::fs::read(&good).unwrap();
    let cut = d.p("不完整.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    assert!(read_err(&cut).contains("损坏或不完整"));

    let html = d.p("系统导出.xls");
    std::fs::write(
        &html,
        "<html><body><table><tr><td>户主</td></tr></table></body></html>",
    )
    .unwrap();
    assert!(read_err(&html).contains("网页"));

    let wide = d.p("200列.xlsx");
    sheets::xlsx(
        &wide,
        &[sheet(
            "S",
            vec![(0..200).map(|i| s(&format!("列{i}"))).collect()],
        )],
    );
    let m = read_err(&wide);
    assert!(m.contains("第 200 列") && m.contains("128 列的上限"), "{m}");

    // A million rows: refused from the sheet's dimension before it is loaded.
    let huge = d.p("百万行.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    for r in 0..1_000_000u32 {
        ws.write_number(r, 0, r as f64).unwrap();
    }
    wb.save(&huge).unwrap();
    let m = read_err(&huge);
    assert!(m.contains("300000 行的上限"), "{m}");

    // Windows reports a file open in Excel as a sharing violation.
    let e = std::io::Error::from_raw_os_error(32);
    assert!(read::open_error_message("a.xlsx", &e, true)
        .contains("正被其他程序（如 Excel 或 WPS）打开"));
    let missing = d.p("没有这个文件.xlsx");
    assert!(read_err(&missing).contains("找不到文件"));
}

#[test]
fn formulas_without_values_and_dates_as_serials_are_reported_in_the_file_s_terms() {
    let d = Dir::new();
    let f = d.p("公式.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["户主姓名", "身份证号", "村", "组", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Written by a program that does not calculate: the formula has no cached value.
    ws.set_formula_result_default("");
    ws.write_formula(1, 0, "=CONCATENATE(\"张\",\"三\")")
        .unwrap();
    ws.write_string(1, 1, id("32130219800101001")).unwrap();
    ws.write_string(1, 2, "黄河村").unwrap();
    ws.write_string(1, 3, "一组").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 29).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_string(2, 0, "李四").unwrap();
    ws.write_string(2, 1, id("32130219810202002")).unwrap();
    ws.write_string(2, 2, "黄河村").unwrap();
    ws.write_number(2, 3, 2.0).unwrap();
    ws.write_datetime_with_format(2, 4, &date, &fmt).unwrap();
    wb.save(&f).unwrap();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let r = run(&store, &f, |o| o.skip_bad = true);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!((r.problems[0].row, r.problems[0].column.as_str()), (2, "A"));
    assert!(r.problems[0].message.contains("公式") && r.problems[0].message.contains("选择性粘贴"));
    let h = &list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows[0];
    let full = minqing_core::register::households::get_household(&store, h.id).unwrap();
    assert_eq!(
        (full.group_name.as_str(), full.note.as_str()),
        ("二组", "2026-11-29")
    );
}

#[test]
fn the_problem_list_and_the_template_are_real_workbooks() {
    use calamine::{open_workbook, Reader, Xlsx};
    let d = Dir::new();
    let f = d.p("花名册.xlsx");
    sheets::xlsx(&f, &[messy_roster()]);
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let b = book(&f);
    let r = roster::run_import(
        &store,
        &b,
        &ImportOptions::new(ImportKind::Households),
        today(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let out = d.p("问题清单.xlsx");
    roster::output::write_problem_list(&b, &r, &out).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range("问题清单").unwrap();
    let cell = |r: u32, c: u32| {
        range
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    // Two header rows copied, then one line per problem row with its original values.
    assert_eq!(cell(1, 0), "原行号");
    assert_eq!(cell(1, 2), "户主姓名（必填）");
    assert_eq!(cell(2, 6), "手机");
    let last = 10; // "问题说明" after the 9 source columns and 原行号
    assert_eq!(cell(1, last), "问题说明");
    assert_eq!(cell(3, 0), "7");
    assert_eq!(cell(3, 2), "张三");
    assert_eq!(
        cell(3, 3),
        id("32130219800101001"),
        "the original value, to correct it"
    );
    assert!(
        cell(3, last).contains("C 列（身份证号码）"),
        "{}",
        cell(3, last)
    );
    assert_eq!(range.height(), 3 + r.problem_rows as usize);

    let t = d.p("模板.xlsx");
    roster::output::write_template(&store, ImportKind::Households, &t).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&t).unwrap();
    let range = wb.worksheet_range("花名册").unwrap();
    let heads: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        heads,
        vec![
            "村（社区）（必填）",
            "村民小组（必填）",
            "户主姓名（必填）",
            "公民身份号码（必填）",
            "联系电话",
            "家庭人口",
            "地址/门牌",
            "类别",
            "备注"
        ]
    );
    let lists = wb.worksheet_range("村组").unwrap();
    assert_eq!(lists.get_value((1, 0)).unwrap().to_string(), "黄河村");
    let xml = unzip(&t, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("<dataValidation") && xml.contains("村组!$A$2:$A$3"),
        "village drop-down"
    );
    let styles = unzip(&t, "xl/styles.xml");
    assert!(
        styles.contains("numFmtId=\"49\""),
        "columns formatted as Excel's built-in Text (@)"
    );
    assert!(
        xml.contains("<col ") && xml.contains(" style="),
        "the format is on the columns"
    );
    // The template itself imports cleanly once filled (its headers map to every field).
    let insp = roster::inspect(&store, &book(&t), ImportKind::Households, None, None).unwrap();
    assert!(
        insp.missing_required.is_empty()
            && insp.columns.iter().filter(|c| c.field.is_some()).count() == 9
    );
}

fn unzip(path: &Path, member: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(member).unwrap(), &mut s).unwrap();
    s
}

#[test]
fn cadres_come_in_through_the_same_machinery() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let f = d.p("干部.xlsx");
    sheets::xlsx(
        &f,
        &[sheet(
            "干部名单",
            vec![
                vec![s("区级机关干部挂钩联系表")],
                vec![
                    s("姓名"),
                    s("工作单位"),
                    s("职务"),
                    s("手机号码"),
                    s("挂钩村（社区）"),
                    s("干部类别"),
                ],
                vec![
                    s("陈一"),
                    s("区民政局"),
                    s("科长"),
                    s("13800001111"),
                    s("黄河村、南湖"),
                    s("一般干部"),
                ],
                vec![
                    s("林二"),
                    s("区财政局"),
                    s("副局长"),
                    s("13800002222"),
                    s("黄河村"),
                    s("部门负责人"),
                ],
                vec![
                    s("黄三"),
                    s("区水务局"),
                    s(""),
                    s("138"),
                    s("北山村"),
                    s("处长"),
                ],
            ],
        )],
    );
    let mut o = ImportOptions::new(ImportKind::Cadres);
    o.skip_bad = true;
    let r = import(&store, &book(&f), &o).unwrap();
    assert_eq!(
        (r.imported, r.problem_rows),
        (2, 1),
        "{:?} {:?}",
        r.problems,
        r.mapping
    );
    assert!(r
        .problems
        .iter()
        .any(|p| p.column == "F" && p.message.contains("处长")));
    let list = minqing_core::register::cadres::list_cadres(
        &store,
        &minqing_core::register::cadres::CadreQuery {
            page: 1,
            page_size: 50,
            ..Default::default()
        },
    )
    .unwrap()
    .rows;
    let chen = list.iter().find(|c| c.name == "陈一").unwrap();
    assert_eq!(chen.village_names, vec!["黄河村", "南湖村"]);
}

#[test]
fn a_file_backed_import_leaves_a_backup_and_the_history() {
    let d = Dir::new();
    let db = d.p("minqing.db");
    let store = Store::open(&db).unwrap();
    township(&store);
    let f = d.p("a.xlsx");
    one_household(&f);
    let r = run(&store, &f, |_| {});
    let backup = r.backup.expect("a copy before the import");
    assert!(backup.contains("before-import"), "{backup}");
    assert!(Path::new(&backup).exists());
    assert_eq!(count(&store), 1);
}

/// Writes the rows as an .xlsx; `moved_row` (a row number as Excel shows it) is moved to the
/// end of the sheet's XML, as no spreadsheet program writes but a file may hold.
fn simple_sheet(path: &Path, rows: Vec<Vec<V>>, moved_row: Option<usize>) {
    sheets::xlsx(path, &[sheet("花名册", rows)]);
    let Some(moved) = moved_row else {
        return;
    };
    let xml = unzip(path, "xl/worksheets/sheet1.xml");
    let start = xml.find(&format!("<row r=\"{moved}\"")).unwrap();
    let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
    let row = xml[start..end].to_string();
    let mut changed = format!("{}{}", &xml[..start], &xml[end..]);
    let at = changed.find("</sheetData>").unwrap();
    changed.insert_str(at, &row);
    rezip(path, "xl/worksheets/sheet1.xml", &changed);
}

fn rezip(path: &Path, member: &str, text: &str) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = if name == member {
            text.as_bytes()
        } else {
            &data[..]
        };
        std::io::Write::write_all(&mut out, bytes).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}
