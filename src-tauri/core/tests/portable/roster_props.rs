//! No input makes the roster reader panic: random bytes as a file (text, zip-like, OLE-like),
//! random grids through header detection, mapping and the whole import, random strings through
//! every normalizer. Failures are minimised by proptest and kept in the regressions file.

use minqing_core::roster::{
    self, read, values, Book, Cell, Format, ImportKind, ImportOptions, Sheet,
};
use minqing_core::Store;
use proptest::prelude::*;
use std::sync::atomic::AtomicBool;

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        3 => Just(Cell::Empty),
        4 => prop::sample::select(vec![
            "户主姓名", "身份证号", "村", "组", "联系方式", "手机", "座机", "家庭人口", "类别", "序号",
            "黄河村", "三组", "第3组", "张三", "3.20113E+17", "321302198001010018", "填表人：", "低保户、五保",
            "", " ", "（必填）", "村（社区）", "=\"0123\"", "１３８０００１２３４", "+86 138-0000-1234",
            // A 民情诉求台账's and a 走访记录's words.
            "受理日期", "反映人", "诉求内容", "责任单位", "办理状态", "已办结", "办理中", "处理结果", "答复情况",
            "办结时间", "满意度", "编号", "2025-000012", "2025-03-08", "2025年3月8日", "上个月",
            "走访日期", "走访干部", "户主", "身份证后四位", "走访结果", "不在家", "见面", "群众诉求",
        ]).prop_map(|s| Cell::Text(s.to_string())),
        2 => "\\PC{0,12}".prop_map(Cell::Text),
        2 => any::<f64>().prop_map(Cell::Number),
        1 => (0.0f64..3_000_000.0).prop_map(Cell::Date),
        1 => Just(Cell::Formula("A1+1".into())),
        1 => Just(Cell::Error("#N/A".into())),
    ]
}

fn grid() -> impl Strategy<Value = Vec<Vec<Cell>>> {
    prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..14)
}

fn merges() -> impl Strategy<Value = Vec<(u32, u32, u32, u32)>> {
    prop::collection::vec(
        (0u32..14, 0u32..9, 0u32..3, 0u32..3).prop_map(|(r, c, h, w)| (r, c, r + h, c + w)),
        0..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_reader(mut bytes in prop::collection::vec(any::<u8>(), 0..2000), kind in 0u8..4) {
        match kind {
            1 => { let mut b = b"PK\x03\x04".to_vec(); b.extend(&bytes); bytes = b; }
            2 => { let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]; b.extend(&bytes); bytes = b; }
            3 => { bytes.retain(|b| *b != 0); }
            _ => {}
        }
        let _ = read::read_bytes("x.xlsx", bytes, &mut |_| {}, &AtomicBool::new(false));
    }

    #[test]
    fn random_tables_never_panic_detection_or_the_import(rows in grid(), m in merges(), kind in 0u8..4, upsert in prop::bool::ANY, open in prop::bool::ANY) {
        let book = Book {
            file_name: "t.xlsx".into(),
            format: Format::Xlsx,
            encoding: None,
            delimiter: None,
            sheets: vec![Sheet::new("S".into(), rows, m)],
        };
        let store = Store::open_in_memory().unwrap();
        let kind = [ImportKind::Households, ImportKind::Cadres, ImportKind::Requests, ImportKind::Diary][kind as usize];
        let _ = roster::inspect(&store, &book, kind, None, None);
        let mut o = ImportOptions::new(kind);
        o.skip_bad = true;
        o.create_missing = true;
        if upsert { o.mode = roster::ImportMode::Upsert; }
        o.incomplete_as_open = open;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        if let Ok(r) = roster::run_import(&store, &book, &o, today, &mut |_| {}, &AtomicBool::new(false)) {
            // What the report says was written is what the register holds.
            let n = minqing_core::stats::register_stats(&store).unwrap();
            if kind == ImportKind::Households {
                prop_assert_eq!(n.households as u32, r.imported);
            }
            if kind == ImportKind::Requests {
                let held: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM requests", [], |x| x.get(0))?)).unwrap();
                prop_assert_eq!(held as u32, if r.written { r.imported } else { 0 });
                prop_assert!(store.check().unwrap().ok);
            }
        }
    }

    #[test]
    fn task_sheet_dates_and_keys_take_any_string(t in "\\PC{0,24}") {
        let near = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let _ = minqing_core::roster::tasks::parse_visit_date(&Cell::Text(t.clone()), near);
        let _ = minqing_core::roster::tasks::parse_visit_date(&Cell::Text(t), chrono::NaiveDate::MIN);
    }

    #[test]
    fn normalizers_take_any_string(s in "\\PC{0,24}") {
        let _ = values::group_number(&s);
        let _ = values::parse_size(&s);
        let _ = values::normalize_phone(&s);
        let _ = values::split_list(&s);
        let _ = values::village_core(&s);
        let _ = values::chinese_number(&s);
        let _ = roster::fields::normalize_header(&s);
        let _ = roster::fields::best_field(ImportKind::Households, &s);
        let _ = roster::text::guess_delimiter(&s);
        let _ = read::read_bytes("a.csv", s.clone().into_bytes(), &mut |_| {}, &AtomicBool::new(false));
    }

    #[test]
    fn group_numbers_read_back_from_their_names(n in 1u32..100) {
        let name = minqing_core::register::villages::group_name(n);
        prop_assert_eq!(values::group_number(&name), Some(n));
        prop_assert_eq!(values::group_number(&format!("第{n}组")), Some(n));
    }
}
