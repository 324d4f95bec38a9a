//! A 人口花名册, one row per person: families become households.

use super::*;

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
