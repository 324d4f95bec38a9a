//! A long roster written while the streaming reader is still reading it: the same result as
//! read whole, and nothing written when cancelled or broken mid-way.

use super::*;

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
