//! A township's own old paper-era files: its 民情诉求台账 and its visit diary kept in Excel.

use super::*;

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
