//! 交办单 read back by an independent reader (calamine): one sheet per request, the unit, the
//! deadline and a masked phone; an unmasked slip says so; nothing is written when refused.

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::privacy::Masking;
use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::report::slips::write_assign_slips;
use minqing_core::requests::lifecycle::{register, RequestInput};
use minqing_core::requests::{RequestKind, Source, Urgency};
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range
        .get_value((row, col))
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn setup() -> (Store, Vec<i64>, i64) {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 100,
            ..Default::default()
        },
        d("2026-01-05"),
        |_, _| true,
    )
    .unwrap();
    let unit = add_unit(
        &store,
        &UnitInput {
            name: "区水利局".into(),
            contact_person: "周科长".into(),
            contact_phone: "13900001111".into(),
            active: true,
        },
    )
    .unwrap()
    .id;
    let mut ids = Vec::new();
    for (i, phone) in ["13812345678", "13987654321", ""].iter().enumerate() {
        let input = RequestInput {
            source: Source::Call,
            household_id: None,
            requester_name: format!("诉求人{}", ["甲", "乙", "丙"][i]),
            requester_phone: phone.to_string(),
            village_id: Some(1),
            visit_id: None,
            kind: RequestKind::Help,
            category_id: 1,
            urgency: Urgency::Normal,
            handling: None,
            content: format!("第{}件：饮水管道漏水", i + 1),
            received_on: Some(d("2026-03-02")),
            unit_id: (i < 2).then_some(unit),
        };
        ids.push(register(&store, &input, d("2026-03-02")).unwrap().id);
    }
    (store, ids, unit)
}

#[test]
fn a_batch_of_slips_has_a_page_per_request_with_masked_phones() {
    let (store, ids, _) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("交办单.xlsx");
    write_assign_slips(&store, &ids[..2], &path, Masking::Masked, d("2026-03-03")).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["2026-000001", "2026-000002"]);
    let sheet = wb.worksheet_range("2026-000001").unwrap();
    assert!(cell(&sheet, 0, 0).contains("民情诉求交办单"));
    assert_eq!(cell(&sheet, 2, 1), "区水利局");
    assert_eq!(cell(&sheet, 3, 1), "诉求人甲");
    assert_eq!(cell(&sheet, 3, 3), "138****5678");
    assert_eq!(cell(&sheet, 6, 3), "2026-03-05", "求助: 3 working days");
    assert_eq!(cell(&sheet, 7, 1), "第1件：饮水管道漏水");
    let all: String = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        !all.contains("13812345678"),
        "the full phone is not on a masked slip"
    );
    assert!(!all.contains("未脱敏"));
    assert!(!dir.path().join("交办单.xlsx.tmp").exists());
}

#[test]
fn an_unmasked_slip_shows_the_phone_and_says_so() {
    let (store, ids, _) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.xlsx");
    write_assign_slips(&store, &ids[..1], &path, Masking::Unmasked, d("2026-03-03")).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = wb.worksheet_range("2026-000001").unwrap();
    assert_eq!(cell(&sheet, 3, 3), "13812345678");
    let all: String = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(all.contains("未脱敏"));
}

#[test]
fn a_public_slip_masks_the_requester_s_name_as_well() {
    let (store, ids, _) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.xlsx");
    write_assign_slips(&store, &ids[..1], &path, Masking::Public, d("2026-03-03")).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = wb.worksheet_range("2026-000001").unwrap();
    assert_eq!(cell(&sheet, 3, 1), "诉***");
    assert_eq!(cell(&sheet, 3, 3), "138****5678");
    let all: String = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(!all.contains("诉求人甲") && !all.contains("未脱敏"));
}

#[test]
fn an_unassigned_request_has_no_slip_and_nothing_is_written() {
    let (store, ids, _) = setup();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.xlsx");
    let e = write_assign_slips(&store, &ids, &path, Masking::Masked, d("2026-03-03")).unwrap_err();
    assert!(
        e.to_string().contains("2026-000003") && e.to_string().contains("先交办"),
        "{e}"
    );
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file left behind"
    );
}
