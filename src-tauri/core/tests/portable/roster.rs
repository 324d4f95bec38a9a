//! Roster import with real files made in the test: a messy village roster (title rows, a
//! merged two-row header, IDs stored as numbers, bad rows), GBK CSV, .xls, .ods, and the bad
//! inputs a coordinator meets. Each asserts what the coordinator would see.

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

/// A 6,000-row roster (three pieces of the streaming reader and more) whose problems and new
/// names lie far apart: the same person at rows 43 and 5,503, another three times, a new
/// village spelt "新河" at first and "新河村" later, a new group, an unknown tag, a bad check
/// digit, an ID stored as a number, blank rows, a size that is not a number and a signature
/// line at the end.
fn long_roster(path: &Path, moved_row: Option<usize>) {
    let person = |i: usize| id(&long_roster_id17(i));
    let mut rows = vec![
        vec![s("龙河镇农户花名册")],
        vec![
            s("序号"),
            s("户主姓名"),
            s("身份证号"),
            s("村"),
            s("组"),
            s("联系电话"),
            s("家庭人口"),
            s("人员类别"),
        ],
    ];
    for i in 0..6000 {
        if i % 1000 == 999 {
            rows.push(vec![]);
            continue;
        }
        let idn = match i {
            5500 => person(40),
            4100 | 4300 => person(4200),
            777 => {
                let p = person(777);
                let last = if p.ends_with('1') { "2" } else { "1" };
                format!("{}{last}", &p[..17])
            }
            _ => person(i),
        };
        let village = match i {
            100 => "新河",
            3000 | 5990 => "新河村",
            _ if i % 2 == 0 => "黄河村",
            _ => "南湖村",
        };
        rows.push(vec![
            n((i + 1) as f64),
            s(["张三", "李四", "王五", "赵六"][i % 4]),
            if i == 1500 {
                n(3.21302197501011e17)
            } else {
                s(&idn)
            },
            s(village),
            s(if i == 2500 {
                "9组"
            } else {
                ["一组", "2组", "第三村民小组"][i % 3]
            }),
            s(&format!("139{:08}", i)),
            if i == 3333 {
                s("不详")
            } else {
                n((1 + i % 5) as f64)
            },
            s(["", "低保户", "独居老人、五保户", ""][i % 4]),
        ]);
    }
    rows.push(vec![s("填表人：王五")]);
    simple_sheet(path, rows, moved_row);
}

/// The first 17 digits of household `i`'s ID number in [`long_roster`].
fn long_roster_id17(i: usize) -> String {
    format!("3213021975{:02}{:02}{:03}", 1 + i % 12, 1 + i % 28, i / 28)
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

/// What a coordinator can see after an import: every household with its place and tags, the
/// villages, groups and tags.
fn dump(store: &Store) -> Vec<String> {
    store
        .read(|c| {
            let mut out = Vec::new();
            for sql in [
                "SELECT v.name || '/' || v.kind || '/' || g.name || '/' || h.head_name || '/' || h.id_number || '/' || h.phone || '/' || ifnull(h.size, '') || '/' || h.status || '/' ||
                        ifnull((SELECT group_concat(t.name, '、') FROM (SELECT t.name FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.household_id = h.id ORDER BY t.name) t), '')
                 FROM households h JOIN villages v ON v.id = h.village_id JOIN village_groups g ON g.id = h.group_id ORDER BY h.id_number",
                "SELECT v.name || '/' || v.kind || ':' || ifnull((SELECT group_concat(name, ',') FROM (SELECT name FROM village_groups WHERE village_id = v.id ORDER BY name)), '') FROM villages v ORDER BY v.name",
                "SELECT name FROM tags ORDER BY name",
            ] {
                let mut st = c.prepare(sql)?;
                let rows = st.query_map([], |r| r.get::<_, String>(0))?;
                for r in rows {
                    out.push(r?);
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// Imports `path` into two fresh townships, read whole (`run_import`) and written while read
/// (`import_file`), and asserts the reports and the registers are the same.
fn both_ways(
    d: &Dir,
    path: &Path,
    tag: &str,
    setup: &dyn Fn(&Store),
    o: &ImportOptions,
) -> (ImportReport, Store) {
    let whole = Store::open(&d.p(&format!("{tag}-whole.db"))).unwrap();
    setup(&whole);
    let a = import(&whole, &book(path), o).unwrap();
    let streamed = Store::open(&d.p(&format!("{tag}-streamed.db"))).unwrap();
    setup(&streamed);
    let b = roster::import_file(
        &streamed,
        path,
        o,
        today(),
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let json = |r: &ImportReport| {
        let mut v = serde_json::to_value(r).unwrap();
        v["backup"] = serde_json::Value::Null;
        v
    };
    assert_eq!(json(&a), json(&b), "{tag}: the reports differ");
    assert_eq!(dump(&whole), dump(&streamed), "{tag}: the registers differ");
    (b, streamed)
}

#[test]
fn a_long_roster_written_while_read_comes_out_as_if_read_whole() {
    let d = Dir::new();
    let f = d.p("龙河镇花名册.xlsx");
    long_roster(&f, None);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.skip_bad = true;
    o.create_missing = true;
    let (r, store) = both_ways(&d, &f, "create", &township, &o);
    // Row 3 is the first household (title, header); household i is at row i + 3.
    let rows_of = |r: &ImportReport, msg: &str| -> Vec<u32> {
        let mut v: Vec<u32> = r
            .problems
            .iter()
            .filter(|p| p.message.contains(msg))
            .map(|p| p.row)
            .collect();
        v.dedup();
        v
    };
    assert_eq!(rows_of(&r, "出现了不止一次"), vec![43, 4103]);
    assert_eq!(rows_of(&r, "重复"), vec![4203, 4303, 5503]);
    assert_eq!(r.rows, 6000 - 6, "blank rows are not households");
    assert_eq!(r.skipped_lines.len(), 1, "{:?}", r.skipped_lines);
    assert_eq!(r.skipped_lines[0].row, 6000 + 3);
    assert_eq!(r.imported + r.skipped, r.rows);
    assert!(r
        .problems
        .iter()
        .any(|p| p.row == 780 && p.message.contains("校验")));
    assert!(r
        .problems
        .iter()
        .any(|p| p.row == 1503 && p.message.contains("15 位")));
    assert!(r
        .problems
        .iter()
        .any(|p| p.row == 3336 && p.message.contains("不详")));
    let reg = dump(&store);
    assert!(
        reg.iter().any(|l| l.starts_with("新河村/")),
        "{:?}",
        &reg[reg.len() - 8..]
    );
    assert!(!reg.iter().any(|l| l.starts_with("新河/")));
    assert!(reg
        .iter()
        .any(|l| l.starts_with("黄河村/") && l.contains("九组")));
    assert!(reg.iter().any(|l| l == "五保户"));
    assert_eq!(
        r.new_villages
            .iter()
            .map(|v| (v.name.as_str(), v.rows))
            .collect::<Vec<_>>(),
        vec![("新河村", 3)]
    );
    let ids = long_roster_id17;
    assert!(
        !reg.iter()
            .any(|l| l.contains(&ids(40)) || l.contains(&ids(4200))),
        "neither row of a duplicated ID is written"
    );

    // Not confirmed: the new village, group and tag are problems or left off.
    let mut o = ImportOptions::new(ImportKind::Households);
    o.skip_bad = true;
    let (r, _) = both_ways(&d, &f, "confirm", &township, &o);
    assert!(r
        .problems
        .iter()
        .any(|p| p.row == 103 && p.message.contains("村“新河村”不在村组设置中")));
    assert_eq!(r.unknown_tags[0].name, "五保户");

    // 有问题就全部不导入, and the dry run: nothing written either way, problems the same.
    let (r, store) = both_ways(
        &d,
        &f,
        "blocked",
        &township,
        &ImportOptions::new(ImportKind::Households),
    );
    assert!(r.blocked && !r.written);
    assert_eq!(count(&store), 0);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.dry_run = true;
    o.skip_bad = true;
    o.create_missing = true;
    let (r, store) = both_ways(&d, &f, "dry", &township, &o);
    assert!(!r.written && r.imported > 5900);
    assert_eq!(count(&store), 0);

    // 新增并更新 over a register holding some of the same people, one of them duplicated in
    // the file: the registered rows are updated at the end, the duplicated one not at all.
    let registered = |store: &Store| {
        township(store);
        let first = d.p("registered.xlsx");
        let rows = [0usize, 2, 40, 2002, 5800]
            .iter()
            .map(|&i| {
                vec![
                    s("旧名"),
                    s(&id(&ids(i))),
                    s("黄河村"),
                    s("一组"),
                    s("13600000000"),
                    V::E,
                ]
            })
            .collect();
        simple(&first, rows);
        let r = run(store, &first, |_| {});
        assert_eq!(r.imported, 5);
    };
    let mut o = ImportOptions::new(ImportKind::Households);
    o.mode = ImportMode::Upsert;
    o.skip_bad = true;
    o.create_missing = true;
    let (r, _) = both_ways(&d, &f, "upsert", &registered, &o);
    assert_eq!(r.updated, 4);
    assert_eq!(
        r.changes.iter().map(|c| c.row).collect::<Vec<_>>(),
        vec![3, 5, 2005, 5803]
    );
}

#[test]
fn a_roster_with_a_row_out_of_order_is_read_whole_instead() {
    let d = Dir::new();
    let f = d.p("乱序.xlsx");
    long_roster(&f, Some(4003));
    let mut o = ImportOptions::new(ImportKind::Households);
    o.skip_bad = true;
    o.create_missing = true;
    let (r, store) = both_ways(&d, &f, "unordered", &township, &o);
    assert!(r.written && r.imported > 5900);
    assert!(dump(&store)
        .iter()
        .any(|l| l.contains(&format!("/139{:08}/", 4000))));
}

#[test]
fn cancelling_an_import_written_while_read_leaves_nothing() {
    let d = Dir::new();
    let f = d.p("龙河镇花名册.xlsx");
    long_roster(&f, None);
    let store = Store::open(&d.p("m.db")).unwrap();
    township(&store);
    let cancel = AtomicBool::new(false);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.skip_bad = true;
    o.create_missing = true;
    let mut seen = 0;
    let r = roster::import_file(
        &store,
        &f,
        &o,
        today(),
        &mut |p| {
            seen = p.done;
            if p.done >= 3000 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
    assert!(
        seen >= 3000,
        "rows were being written when the user cancelled"
    );
    assert_eq!(count(&store), 0);
    assert!(dump(&store).iter().all(|l| !l.starts_with("新河")));
    assert!(roster::history::list_history(&store, 5).unwrap().is_empty());
}

#[test]
fn a_roster_broken_in_the_middle_writes_nothing() {
    let d = Dir::new();
    let f = d.p("坏了.xlsx");
    long_roster(&f, None);
    // Damage the compressed sheet two thirds of the way in, as a broken download does.
    let (start, len) = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&f).unwrap()).unwrap();
        let e = z.by_name("xl/worksheets/sheet1.xml").unwrap();
        (
            e.data_start().unwrap() as usize,
            e.compressed_size() as usize,
        )
    };
    let mut bytes = std::fs::read(&f).unwrap();
    for b in &mut bytes[start + len * 2 / 3..start + len * 2 / 3 + 64] {
        *b ^= 0x55;
    }
    std::fs::write(&f, bytes).unwrap();
    let store = Store::open(&d.p("m.db")).unwrap();
    township(&store);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.skip_bad = true;
    o.create_missing = true;
    let r = roster::import_file(
        &store,
        &f,
        &o,
        today(),
        &mut |_| {},
        &AtomicBool::new(false),
    );
    match r {
        Err(e @ Error::Invalid { .. }) => assert!(e.to_string().contains("已损坏"), "{e}"),
        other => panic!("expected the damaged-file message, got {other:?}"),
    }
    assert_eq!(count(&store), 0);
    assert!(dump(&store).iter().all(|l| !l.starts_with("新河")));
}

/// A 人口花名册 as the 户籍 system prints it: a title naming the village (no village column), a
/// row per person sharing a 户号. 30 families of 99 people (sizes 3 and 4); in family 1 the
/// 户主's row has no phone but the 配偶's has one, and its 孙子 is disabled (人员类别 残疾人);
/// then a family whose 户主 row is missing (户号 900) and one with two 户主 rows (户号 901).
fn person_roster(path: &Path) -> Vec<String> {
    let mut rows = vec![
        vec![s("黄河村人口信息花名册（2026年11月）")],
        vec![
            s("序号"),
            s("户号"),
            s("姓名"),
            s("性别"),
            s("与户主关系"),
            s("公民身份号码"),
            s("村民小组"),
            s("联系电话"),
            s("人员类别"),
        ],
    ];
    let mut heads = Vec::new();
    let mut seq = 0;
    let mut person = |no: String,
                      name: String,
                      relation: &str,
                      born: &str,
                      group: &str,
                      phone: &str,
                      kind: &str,
                      rows: &mut Vec<Vec<V>>| {
        seq += 1;
        rows.push(vec![
            n(seq as f64),
            s(&no),
            s(&name),
            s("男"),
            s(relation),
            s(&id(&format!("321302{born}{:03}", seq % 1000))),
            s(group),
            s(phone),
            s(kind),
        ]);
    };
    let mut people = 0;
    for f in 0..30 {
        let size = if f < 9 { 4 } else { 3 };
        let no = format!("3213020{:05}", 100 + f);
        let group = ["一组", "二组", "3组"][f % 3];
        let head = format!(
            "{}建国",
            "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏"
                .chars()
                .nth(f)
                .unwrap()
        );
        heads.push(head.clone());
        let phone = if f == 1 { "" } else { "13800001234" };
        person(
            no.clone(),
            head,
            "户主",
            "19600101",
            group,
            phone,
            "",
            &mut rows,
        );
        person(
            no.clone(),
            format!("配偶{f:02}"),
            "配偶",
            "19620101",
            group,
            if f == 1 { "13912345678" } else { "" },
            "",
            &mut rows,
        );
        person(
            no.clone(),
            format!("孙子{f:02}"),
            "孙子",
            "20210101",
            group,
            "",
            if f == 1 { "残疾人" } else { "" },
            &mut rows,
        );
        if size == 4 {
            person(
                no,
                format!("长女{f:02}"),
                "长女",
                "19880101",
                group,
                "",
                "",
                &mut rows,
            );
        }
        people += size;
    }
    assert_eq!(people, 99);
    // No 户主 row: two members only.
    person(
        "900".into(),
        "无主长子".into(),
        "长子",
        "19850101",
        "一组",
        "",
        "",
        &mut rows,
    );
    person(
        "900".into(),
        "无主长女".into(),
        "长女",
        "19870101",
        "一组",
        "",
        "",
        &mut rows,
    );
    // Two 户主 rows in one family.
    person(
        "901".into(),
        "双主甲".into(),
        "户主",
        "19500101",
        "二组",
        "",
        "",
        &mut rows,
    );
    person(
        "901".into(),
        "双主乙".into(),
        "户主",
        "19510101",
        "二组",
        "",
        "",
        &mut rows,
    );
    sheets::xlsx(path, &[sheet("人口", rows)]);
    heads
}

#[test]
fn a_per_person_roster_imports_one_household_per_family() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let f = d.p("人口花名册.xlsx");
    let heads = person_roster(&f);

    let insp = roster::inspect(&store, &book(&f), ImportKind::Households, None, None).unwrap();
    assert!(insp.per_person);
    let v = insp.village_for_all.as_ref().expect("village proposed");
    assert_eq!((v.name.as_str(), v.from.as_str()), ("黄河村", "标题"));

    // Checked first: 30 households, the members counted, the bad families named.
    let r = run(&store, &f, |o| o.dry_run = true);
    let p = r.per_person.as_ref().expect("recognised as per-person");
    assert_eq!(
        (p.people, p.families, p.members, p.head_by_order),
        (103, 30, 69, false)
    );
    assert_eq!(r.rows, 103);
    assert_eq!(r.imported, 30, "{:?}", r.problems);
    let rows_of = |needle: &str| -> Vec<u32> {
        r.problems
            .iter()
            .filter(|p| p.message.contains(needle))
            .map(|p| p.row)
            .collect()
    };
    // Row numbers as Excel shows them: the title, the header, then 99 people.
    assert_eq!(rows_of("没有户主行"), vec![102, 103]);
    assert!(r.problems[0].message.contains("户号 900"));
    assert_eq!(rows_of("有 2 行户主"), vec![104, 105]);
    assert!(r.blocked, "problem rows stop the import unless skipped");
    assert_eq!(count(&store), 0);

    let r = run(&store, &f, |o| o.skip_bad = true);
    assert!(r.written);
    assert_eq!((r.imported, r.problem_rows), (30, 4));
    let list = list_households(
        &store,
        &HouseholdQuery {
            page_size: 100,
            ..Default::default()
        },
    )
    .unwrap()
    .rows;
    let mut names: Vec<String> = list.iter().map(|h| h.head_name.clone()).collect();
    names.sort();
    let mut heads = heads;
    heads.sort();
    assert_eq!(names, heads, "only the 户主 rows are households");
    assert!(list.iter().all(|h| h.village_name == "黄河村"));
    let size = |name: &str| list.iter().find(|h| h.head_name == name).unwrap().size;
    assert_eq!(size("赵建国"), Some(4));
    assert_eq!(size("魏建国"), Some(3));
    let one = list.iter().find(|h| h.head_name == "钱建国").unwrap();
    assert_eq!(
        one.tags,
        vec!["残疾人家庭"],
        "a disabled member makes it a 残疾人家庭"
    );
    assert_eq!(
        one.phone_masked, "139****5678",
        "the member's phone stands in"
    );
    assert_eq!(
        list.iter()
            .find(|h| h.head_name == "孙建国")
            .unwrap()
            .group_name,
        "三组"
    );
}

#[test]
fn families_follow_the_row_order_or_the_first_row_of_a_shared_number() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    // A 网格 print without 户号: a 户主 row starts a family; a member above any 户主 is named.
    let f = d.p("南湖村网格人口.csv");
    sheets::csv_gbk(
        &f,
        &format!(
            "姓名,关系,身份证号,组,类别\n\
             孤儿甲,之子,{},一组,\n\
             钱一,户主,{},一组,\n\
             钱妻,妻,{},一组,低保\n\
             孙二,本人,{},二组,\n\
             孙女,孙女,{},二组,残疾人\n\
             孙子,孙子,{},二组,\n",
            id("32130220100101001"),
            id("32130219700101002"),
            id("32130219720101003"),
            id("32130219650101004"),
            id("32130220150101005"),
            id("32130220170101006"),
        ),
    );
    let r = run(&store, &f, |o| o.skip_bad = true);
    let p = r.per_person.clone().unwrap();
    assert_eq!((p.people, p.families, p.members), (6, 2, 3));
    assert!(p.grouped_by.contains("顺序"));
    let v = r.village_for_all.clone().unwrap();
    assert_eq!((v.name.as_str(), v.from.as_str()), ("南湖村", "文件名"));
    assert_eq!(r.problems.len(), 1);
    assert_eq!(r.problems[0].row, 2);
    assert!(r.problems[0].message.contains("上面没有户主行"));
    let list = list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows;
    let got: Vec<(String, Option<i64>, Vec<String>)> = {
        let mut g: Vec<_> = list
            .iter()
            .map(|h| (h.head_name.clone(), h.size, h.tags.clone()))
            .collect();
        g.sort();
        g
    };
    assert_eq!(
        got,
        vec![
            ("孙二".into(), Some(3), vec!["残疾人家庭".to_string()]),
            ("钱一".into(), Some(2), vec!["低保户".to_string()]),
        ]
    );

    // 户号 shared, no 与户主关系: the first row of each number is the 户主, and the report says so.
    let f = d.p("户籍.xlsx");
    simple_sheet(
        &f,
        vec![
            vec![s("户号"), s("姓名"), s("身份证号"), s("村"), s("组")],
            vec![
                n(320113000123.0),
                s("周一"),
                s(&id("32130219700101011")),
                s("黄河村"),
                s("一组"),
            ],
            vec![
                n(320113000123.0),
                s("周妻"),
                s(&id("32130219710101012")),
                s("黄河村"),
                s("一组"),
            ],
            vec![
                n(320113000124.0),
                s("吴一"),
                s(&id("32130219700101013")),
                s("黄河村"),
                s("一组"),
            ],
        ],
        None,
    );
    let r = run(&store, &f, |_| {});
    let p = r.per_person.clone().unwrap();
    assert!(p.head_by_order);
    assert_eq!(
        (p.families, p.members, r.imported),
        (2, 1, 2),
        "{:?}",
        r.problems
    );
    assert!(r.village_for_all.is_none());

    // A 户号 column every row has its own number in is an ordinary household roster.
    let f = d.p("户籍2.xlsx");
    simple_sheet(
        &f,
        vec![
            vec![s("户号"), s("姓名"), s("身份证号"), s("村"), s("组")],
            vec![
                s("A1"),
                s("郑一"),
                s(&id("32130219700101021")),
                s("黄河村"),
                s("一组"),
            ],
            vec![
                s("A2"),
                s("郑二"),
                s(&id("32130219700101022")),
                s("黄河村"),
                s("一组"),
            ],
        ],
        None,
    );
    let r = run(&store, &f, |_| {});
    assert!(r.per_person.is_none());
    assert_eq!(r.imported, 2);
}

#[test]
fn a_file_without_a_village_column_takes_the_village_chosen_or_named() {
    let d = Dir::new();
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let rows = vec![
        vec![s("户主姓名"), s("身份证号"), s("组")],
        vec![s("冯一"), s(&id("32130219700101031")), s("二组")],
    ];
    // Nothing names a village: refused, saying how to name one.
    let f = d.p("花名册.xlsx");
    simple_sheet(&f, rows.clone(), None);
    let e = import(
        &store,
        &book(&f),
        &ImportOptions::new(ImportKind::Households),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--village"), "{e}");
    // The user's choice holds for every row.
    let r = run(&store, &f, |o| o.village = Some("南湖村委会".into()));
    assert_eq!(r.imported, 1, "{:?}", r.problems);
    assert_eq!(r.village_for_all.unwrap().name, "南湖村");
    let h = &list_households(&store, &HouseholdQuery::default())
        .unwrap()
        .rows[0];
    assert_eq!(
        (h.village_name.as_str(), h.group_name.as_str()),
        ("南湖村", "二组")
    );
    // A file that has a village column cannot be told another village.
    one_household(&d.p("有村.xlsx"));
    let e = import(&store, &book(&d.p("有村.xlsx")), &{
        let mut o = ImportOptions::new(ImportKind::Households);
        o.village = Some("南湖村".into());
        o
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("已经有“村（社区）”这一列"), "{e}");
}

#[test]
fn a_township_s_own_request_ledger_comes_in_with_its_dates_statuses_and_numbers() {
    use minqing_core::requests::rates::{rates, RateGroup};
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("龙河镇民情诉求台账2025.xlsx");
    sheets::xlsx(&path, &[sheets::request_ledger()]);
    let requests = |store: &Store| -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM requests", [], |r| r.get(0))?))
            .unwrap()
    };

    // Checked as it is: the header under the title found, each column recognised; the units
    // the register lacks, the closed row without its answer and the unreadable date named.
    let r = run(&store, &path, |o| {
        o.kind = ImportKind::Requests;
        o.dry_run = true;
    });
    assert_eq!((r.header_row, r.header_rows), (3, 2), "{r:?}");
    for (f, c) in [
        ("requestNo", "B"),
        ("receivedOn", "C"),
        ("village", "D"),
        ("requester", "E"),
        ("phone", "F"),
        ("content", "G"),
        ("category", "H"),
        ("unit", "I"),
        ("status", "J"),
        ("result", "K"),
        ("reply", "L"),
        ("closedOn", "M"),
        ("satisfaction", "N"),
    ] {
        assert_eq!(
            r.mapping.get(f).map(String::as_str),
            Some(c),
            "{f}: {:?}",
            r.mapping
        );
    }
    let units: Vec<(String, u32)> = r
        .new_units
        .iter()
        .map(|n| (n.name.clone(), n.rows))
        .collect();
    assert_eq!(
        units,
        vec![("区交通运输局".into(), 2), ("镇社会事业局".into(), 1)]
    );
    let at = |row: u32| -> Vec<String> {
        r.problems
            .iter()
            .filter(|p| p.row == row)
            .map(|p| p.message.clone())
            .collect()
    };
    assert!(
        at(8)
            .iter()
            .any(|m| m.contains("没有办理结果、答复群众、办结日期")),
        "{:?}",
        at(8)
    );
    assert!(
        at(9).iter().any(|m| m.contains("受理日期“上个月”看不懂")),
        "{:?}",
        at(9)
    );
    assert!(
        at(5)
            .iter()
            .any(|m| m.contains("责任单位“区交通运输局”不在单位名单中")),
        "{:?}",
        at(5)
    );
    assert!(at(7).is_empty(), "a plain registered row: {:?}", at(7));
    assert_eq!(requests(&store), 0, "a dry run writes nothing");

    // Without confirmation nothing is written either.
    let r = run(&store, &path, |o| o.kind = ImportKind::Requests);
    assert!(r.blocked && !r.written);
    assert_eq!(requests(&store), 0);

    // Confirmed: units created, the incomplete closed row as 办理中, the bad date skipped.
    let r = run(&store, &path, |o| {
        o.kind = ImportKind::Requests;
        o.create_missing = true;
        o.incomplete_as_open = true;
        o.skip_bad = true;
    });
    assert!(r.written, "{:?}", r.problems);
    assert_eq!((r.imported, r.skipped, r.kept_numbers), (4, 1, 2));
    assert_eq!(requests(&store), 4);
    type Req = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
    );
    let row = |requester: &str| -> Req {
        store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT r.number, r.received_on, r.status, v.name, coalesce(u.name, ''), r.closed_on,
                            coalesce(r.satisfaction, ''), rc.name, r.requester_phone
                     FROM requests r JOIN villages v ON v.id = r.village_id
                     LEFT JOIN units u ON u.id = r.unit_id JOIN request_categories rc ON rc.id = r.category_id
                     WHERE r.requester_name = ?1",
                    [requester],
                    |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?, x.get(5)?, x.get(6)?, x.get(7)?, x.get(8)?)),
                )?)
            })
            .unwrap()
    };
    assert_eq!(
        row("张大山"),
        (
            "2025-000012".into(),
            "2025-03-08".into(),
            "已办结".into(),
            "黄河村".into(),
            "区交通运输局".into(),
            Some("2025-03-22".into()),
            "满意".into(),
            "基础设施".into(),
            "13812345678".into()
        )
    );
    let li = row("李小梅");
    assert_eq!(
        (
            li.0.as_str(),
            li.1.as_str(),
            li.2.as_str(),
            li.3.as_str(),
            li.4.as_str()
        ),
        (
            "HL-2025-7",
            "2025-04-02",
            "办理中",
            "南湖村",
            "镇社会事业局"
        ),
        "a serial date, the committee's village"
    );
    let wang = row("王五");
    assert_eq!(
        (wang.0.as_str(), wang.2.as_str(), wang.7.as_str()),
        ("2025-000014", "登记", "待分类"),
        "the next number of its year after the kept 2025-000012 and HL-2025-7"
    );
    assert_eq!(
        row("赵六").2,
        "办理中",
        "closed without its answer, taken as 办理中 as chosen"
    );
    // Each request's history starts with one 导入 line naming the file.
    let history: Vec<(String, String)> = store
        .read(|c| {
            let mut st = c.prepare(
                "SELECT h.action, h.note FROM request_history h JOIN requests r ON r.id = h.request_id
                 WHERE r.number = '2025-000012' ORDER BY h.id",
            )?;
            let rows = st.query_map([], |x| Ok((x.get(0)?, x.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].0, "导入");
    assert!(
        history[0].1.contains("龙河镇民情诉求台账2025.xlsx") && history[0].1.contains("第 5 行"),
        "{}",
        history[0].1
    );
    // The rates count them like any other request.
    let rr = rates(
        &store,
        RateGroup::Unit,
        Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
        Some(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
    )
    .unwrap();
    assert_eq!(rr.total.received, 4);
    assert_eq!(rr.total.closed, 1);

    // The same ledger again: every request is already there, none is registered twice.
    let again = run(&store, &path, |o| {
        o.kind = ImportKind::Requests;
        o.incomplete_as_open = true;
        o.skip_bad = true;
    });
    assert_eq!(again.imported, 0);
    assert_eq!(
        again
            .problems
            .iter()
            .filter(|p| p.message.contains("已经在台账上了"))
            .count(),
        4
    );
    assert_eq!(requests(&store), 4);
    // A ledger whose number another request holds keeps its row under a fresh number.
    let other = dir.path().join("另一本台账.xlsx");
    sheets::xlsx(
        &other,
        &[sheet(
            "台账",
            vec![
                vec![
                    s("编号"),
                    s("受理日期"),
                    s("村"),
                    s("诉求人"),
                    s("诉求内容"),
                ],
                vec![
                    s("2025-000012"),
                    s("2025-07-01"),
                    s("黄河村"),
                    s("吴十"),
                    s("自来水水压不足。"),
                ],
            ],
        )],
    );
    let r = run(&store, &other, |o| o.kind = ImportKind::Requests);
    assert!(r.written, "{:?}", r.problems);
    assert_eq!((r.imported, r.kept_numbers), (1, 0));
    assert_eq!(row("吴十").0, "2025-000016", "after 12 (kept), 13, 14, 15");
}

#[test]
fn a_gbk_csv_ledger_without_a_village_column_takes_the_village_from_its_name() {
    let store = Store::open_in_memory().unwrap();
    township(&store);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("南湖村诉求台账.csv");
    sheets::csv_gbk(
        &path,
        "受理时间,来电人,反映问题,状态\r\n2025/3/8,孙八,路灯不亮,已受理\r\n2025-03-09 14:20,周九,咨询低保,登记\r\n",
    );
    let r = run(&store, &path, |o| o.kind = ImportKind::Requests);
    assert!(r.written, "{:?}", r.problems);
    assert_eq!(r.imported, 2);
    assert_eq!(
        r.village_for_all.as_ref().map(|v| v.name.as_str()),
        Some("南湖村")
    );
    let received: Vec<String> = store
        .read(|c| {
            let mut st = c.prepare("SELECT received_on FROM requests ORDER BY received_on")?;
            let rows = st.query_map([], |x| x.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(received, ["2025-03-08", "2025-03-09"]);
}

#[test]
fn a_diary_kept_in_excel_comes_in_through_the_diary_s_own_rules() {
    use minqing_core::demo::{generate, DemoOptions};
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 300,
            ..Default::default()
        },
        today(),
        |_, _| true,
    )
    .unwrap();
    // Two heads whose names are unique, one whose name is shared, two cadres.
    let q = |sql: &str| -> Vec<(String, String, String)> {
        store
            .read(|c| {
                let mut st = c.prepare(sql)?;
                let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap()
    };
    let unique = q("SELECT h.head_name, v.name, substr(h.id_number, -4) FROM households h JOIN villages v ON v.id = h.village_id
                    WHERE h.head_name IN (SELECT head_name FROM households GROUP BY head_name HAVING count(*) = 1)
                    ORDER BY h.id LIMIT 2");
    let cadres = q("SELECT name, unit, '' FROM cadres WHERE name IN (SELECT name FROM cadres GROUP BY name HAVING count(*) = 1) ORDER BY id LIMIT 2");
    let (a, b) = (&unique[0], &unique[1]);
    let (c1, c2) = (&cadres[0].0, &cadres[1].0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2025年走访记录.xlsx");
    sheets::xlsx(
        &path,
        &[sheet(
            "民情日记",
            vec![
                vec![s("龙河镇“三解三促”走访记录")],
                vec![
                    s("走访日期"),
                    s("走访人"),
                    s("村"),
                    s("户主姓名"),
                    s("身份证后四位"),
                    s("走访情况"),
                    s("民情记录"),
                    s("群众评价"),
                    s("群众诉求"),
                ],
                vec![
                    s("2025-03-08"),
                    s(c1),
                    s(&a.1),
                    s(&a.0),
                    s(""),
                    s("见面"),
                    s("身体还好"),
                    s("满意"),
                    s("村口路灯坏了"),
                ],
                vec![
                    n(45749.0),
                    s(&format!("{c1}、{c2}")),
                    s(""),
                    s(&b.0),
                    s(&b.2),
                    s("不在家"),
                    s(""),
                    s(""),
                    s(""),
                ],
                vec![
                    s("2025-03-09"),
                    s("无此人"),
                    s(""),
                    s(&a.0),
                    s(""),
                    s(""),
                    s(""),
                    s(""),
                    s(""),
                ],
                vec![
                    s("2025-03-09"),
                    s(c1),
                    s(""),
                    s("查无此户"),
                    s(""),
                    s(""),
                    s(""),
                    s(""),
                    s(""),
                ],
                vec![
                    s("2025-03-08"),
                    s(c1),
                    s(""),
                    s(&a.0),
                    s(""),
                    s(""),
                    s("又录了一遍"),
                    s(""),
                    s(""),
                ],
                vec![
                    s("2025-03-10"),
                    s(c2),
                    s(""),
                    s(&b.0),
                    s(""),
                    s("不在家"),
                    s(""),
                    s("满意"),
                    s(""),
                ],
            ],
        )],
    );
    let visits = || -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))?))
            .unwrap()
    };
    let before = visits();
    let r = run(&store, &path, |o| o.kind = ImportKind::Diary);
    assert!(r.blocked && !r.written);
    assert_eq!(visits(), before, "nothing written while rows have problems");
    let rows: Vec<u32> = r.problems.iter().map(|p| p.row).collect();
    assert_eq!(rows, [5, 6, 7, 8], "{:?}", r.problems);
    assert!(r.problems[0].message.contains("干部“无此人”不在干部队伍中"));
    assert!(r.problems[1]
        .message
        .contains("户籍名册中没有户主“查无此户”"));
    assert!(
        r.problems[2].message.contains("不要重复录入"),
        "{}",
        r.problems[2].message
    );
    assert!(
        r.problems[3]
            .message
            .contains("没有见到人，不能记录群众评价"),
        "{}",
        r.problems[3].message
    );
    assert_eq!(r.problems[3].header, "群众评价");

    let r = run(&store, &path, |o| {
        o.kind = ImportKind::Diary;
        o.skip_bad = true;
    });
    assert!(r.written);
    assert_eq!((r.imported, r.skipped), (2, 4));
    assert_eq!(visits(), before + 2);
    let (outcome, learned, evaluation, requests): (String, String, Option<String>, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT v.outcome, v.learned, v.evaluation, (SELECT count(*) FROM requests r JOIN request_categories rc ON rc.id = r.category_id
                        WHERE r.visit_id = v.id AND rc.name = '待分类')
                 FROM visits v JOIN households h ON h.id = v.household_id WHERE h.head_name = ?1 AND v.visit_date = '2025-03-08'",
                [&a.0],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (
            outcome.as_str(),
            learned.as_str(),
            evaluation.as_deref(),
            requests
        ),
        ("见到户主", "身体还好", Some("满意"), 1)
    );
    let (outcome, cadres): (String, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT v.outcome, (SELECT count(*) FROM visit_cadres vc WHERE vc.visit_id = v.id)
                 FROM visits v JOIN households h ON h.id = v.household_id WHERE h.head_name = ?1 AND v.visit_date = '2025-04-02'",
                [&b.0],
                |x| Ok((x.get(0)?, x.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(
        (outcome.as_str(), cadres),
        ("不在家", 2),
        "a serial date, two cadres, found by name and ID tail"
    );
}
