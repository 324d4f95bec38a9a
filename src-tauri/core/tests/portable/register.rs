//! Register rules as a coordinator meets them in the 户籍台账 and 干部队伍 screens.

use chrono::NaiveDate;
use minqing_core::paging::NamedRef;
use minqing_core::register::cadres::{
    add_cadre, get_cadre, list_cadres, update_cadre, CadreInput, CadreQuery,
};
use minqing_core::register::households::*;
use minqing_core::register::villages::{add_groups, add_village, VillageInput};
use minqing_core::register::{tags, HouseholdStatus};
use minqing_core::validate::id_check_char;
use minqing_core::{ErrorCode, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// A valid ID for a birth date and sequence.
fn id(birth: &str, seq: u32) -> String {
    let first17 = format!("321302{birth}{seq:03}");
    format!("{first17}{}", id_check_char(&first17).unwrap())
}

struct Township {
    store: Store,
    huanghe: NamedRef,
    hh1: NamedRef,
    hh2: NamedRef,
    yunhe: NamedRef,
    yh1: NamedRef,
}

fn township() -> Township {
    let store = Store::open_in_memory().unwrap();
    let huanghe = add_village(
        &store,
        &VillageInput {
            name: "黄河村".into(),
            kind: None,
        },
    )
    .unwrap();
    let yunhe = add_village(
        &store,
        &VillageInput {
            name: "运河村".into(),
            kind: None,
        },
    )
    .unwrap();
    let g = add_groups(&store, huanghe.id, &["一组".into(), "二组".into()]).unwrap();
    let y = add_groups(&store, yunhe.id, &["一组".into()]).unwrap();
    Township {
        store,
        huanghe,
        hh1: g[0].clone(),
        hh2: g[1].clone(),
        yunhe,
        yh1: y[0].clone(),
    }
}

fn tag_id(store: &Store, name: &str) -> i64 {
    tags::list_tags(store)
        .unwrap()
        .into_iter()
        .find(|t| t.name == name)
        .unwrap()
        .id
}

#[test]
fn a_household_is_saved_normalized_and_listed_masked() {
    let t = township();
    let input = HouseholdInput {
        phone: "138 1234 5678".into(),
        size: Some(4),
        tag_ids: vec![tag_id(&t.store, "低保户")],
        ..HouseholdInput::new(
            t.huanghe.id,
            t.hh1.id,
            " 张三 ",
            &id("19650312", 123).to_lowercase(),
        )
    };
    let h = add_household(&t.store, &input, today()).unwrap();
    assert_eq!(h.head_name, "张三");
    assert_eq!(h.phone, "13812345678");
    assert!(h.is_key, "低保户 falls under 困难群众必到");
    assert_eq!(h.tags, ["低保户"]);
    let page = list_households(&t.store, &HouseholdQuery::default()).unwrap();
    assert_eq!(page.total, 1);
    let row = &page.rows[0];
    assert_eq!(row.phone_masked, "138****5678");
    assert!(
        row.id_masked.starts_with("321302") && row.id_masked.contains("********"),
        "{}",
        row.id_masked
    );
    assert_eq!(row.village_name, "黄河村");
}

#[test]
fn a_wrong_check_digit_saves_nothing_and_says_which_field() {
    let t = township();
    let good = id("19650312", 123);
    let bad = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let e = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &bad),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("idNumber"));
    assert!(e.to_string().contains("校验位"));
    assert_eq!(
        list_households(&t.store, &HouseholdQuery::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn the_form_check_reports_every_field_at_once_and_saves_nothing() {
    let t = township();
    let input = HouseholdInput {
        phone: "12345".into(),
        size: Some(0),
        ..HouseholdInput::new(t.huanghe.id, t.yh1.id, "", "123")
    };
    let problems = check_household(&t.store, &input, None, today()).unwrap();
    let fields: Vec<&str> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
    assert_eq!(fields, ["groupId", "headName", "idNumber", "phone", "size"]);
    assert!(problems.iter().all(|p| !p.message.is_empty()));
    let ok = HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("19650312", 5));
    assert!(check_household(&t.store, &ok, None, today())
        .unwrap()
        .is_empty());
    assert_eq!(
        list_households(&t.store, &HouseholdQuery::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn a_duplicate_id_names_the_household_that_has_it() {
    let t = township();
    let n = id("19700101", 11);
    add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh2.id, "李四", &n),
        today(),
    )
    .unwrap();
    let e = add_household(
        &t.store,
        &HouseholdInput::new(t.yunhe.id, t.yh1.id, "王五", &n),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Duplicate);
    let msg = e.to_string();
    assert!(msg.contains("黄河村二组") && msg.contains("李四"), "{msg}");
}

#[test]
fn a_group_from_another_village_is_refused() {
    let t = township();
    let e = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.yh1.id, "张三", &id("19650312", 1)),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("groupId"));
}

#[test]
fn a_birth_date_after_today_is_refused() {
    let t = township();
    let e = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("20261201", 1)),
        today(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("晚于今天"), "{e}");
    // The same number is fine once that day has come (typing up records with --today).
    let later = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("20261201", 1)),
        later,
    )
    .unwrap();
}

#[test]
fn editing_keeps_the_own_id_and_changes_the_phone() {
    let t = township();
    let h = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("19650312", 5)),
        today(),
    )
    .unwrap();
    let mut input = HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &h.id_number);
    input.phone = "13900001111".into();
    let h2 = update_household(&t.store, h.id, &input, today()).unwrap();
    assert_eq!(h2.phone, "13900001111");
    let found = list_households(
        &t.store,
        &HouseholdQuery {
            search: Some("1111".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(found.total, 1, "the new phone tail finds it");
}

#[test]
fn search_by_initials_pinyin_name_and_tails() {
    let t = township();
    let add = |name: &str, birth: &str, seq: u32, phone: &str| {
        let input = HouseholdInput {
            phone: phone.into(),
            ..HouseholdInput::new(t.huanghe.id, t.hh1.id, name, &id(birth, seq))
        };
        add_household(&t.store, &input, today()).unwrap()
    };
    let zs = add("张三", "19600101", 1, "13800000001");
    add("钱四", "19600101", 3, "");
    add("赵森", "19600101", 7, "");
    add("张小山", "19600101", 5, "");
    let find = |s: &str| -> Vec<String> {
        list_households(
            &t.store,
            &HouseholdQuery {
                search: Some(s.into()),
                sort: HouseholdSort::Name,
                ..Default::default()
            },
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.head_name)
        .collect()
    };
    assert_eq!(find("zs"), ["张三", "赵森"], "initials, sorted by pinyin");
    assert_eq!(find("ZS"), ["张三", "赵森"]);
    assert_eq!(find("zx"), ["张小山"]);
    assert_eq!(find("z"), ["张三", "张小山", "赵森"]);
    assert_eq!(find("qs"), ["钱四"]);
    assert_eq!(find("zhang"), ["张三", "张小山"]);
    assert_eq!(find("小山"), ["张小山"]);
    assert_eq!(find(&zs.id_number[14..]), ["张三"], "last four of the ID");
    assert_eq!(find("0001"), ["张三"], "last four of the phone");
    assert_eq!(find(&zs.id_number), ["张三"]);
    assert!(find("qq").is_empty());
}

#[test]
fn filters_sorting_and_paging() {
    let t = township();
    let dibao = tag_id(&t.store, "低保户");
    let liushou = tag_id(&t.store, "留守儿童");
    for i in 0..30u32 {
        let (v, g) = if i % 3 == 0 {
            (t.yunhe.id, t.yh1.id)
        } else if i % 3 == 1 {
            (t.huanghe.id, t.hh2.id)
        } else {
            (t.huanghe.id, t.hh1.id)
        };
        let input = HouseholdInput {
            size: Some((i % 6 + 1) as i64),
            status: if i == 7 {
                HouseholdStatus::MovedOut
            } else {
                HouseholdStatus::Registered
            },
            tag_ids: match i % 5 {
                0 => vec![dibao],
                1 => vec![liushou],
                _ => vec![],
            },
            ..HouseholdInput::new(
                v,
                g,
                &format!(
                    "王{}",
                    ["一", "二", "三", "四", "五", "六"][(i % 6) as usize]
                ),
                &id("19700101", i * 2 + 1),
            )
        };
        add_household(&t.store, &input, today()).unwrap();
    }
    let q = |q: HouseholdQuery| list_households(&t.store, &q).unwrap();
    assert_eq!(
        q(HouseholdQuery {
            village_id: Some(t.yunhe.id),
            ..Default::default()
        })
        .total,
        10
    );
    assert_eq!(
        q(HouseholdQuery {
            group_id: Some(t.hh2.id),
            ..Default::default()
        })
        .total,
        10
    );
    assert_eq!(
        q(HouseholdQuery {
            tag_id: Some(dibao),
            ..Default::default()
        })
        .total,
        6
    );
    assert_eq!(
        q(HouseholdQuery {
            key_only: true,
            ..Default::default()
        })
        .total,
        6,
        "留守儿童 is not a 必到 tag"
    );
    assert_eq!(
        q(HouseholdQuery {
            status: Some(HouseholdStatus::MovedOut),
            ..Default::default()
        })
        .total,
        1
    );

    // Roster order: villages in their order, groups in theirs.
    let roster = q(HouseholdQuery {
        page_size: 30,
        ..Default::default()
    });
    let groups: Vec<String> = roster
        .rows
        .iter()
        .map(|r| format!("{}{}", r.village_name, r.group_name))
        .collect();
    let first_yunhe = groups.iter().position(|g| g.starts_with("运河")).unwrap();
    assert!(groups[..first_yunhe].iter().all(|g| g.starts_with("黄河")));
    assert!(groups[..10].iter().all(|g| g == "黄河村一组"), "{groups:?}");

    let by_size = q(HouseholdQuery {
        sort: HouseholdSort::Size,
        desc: true,
        page_size: 5,
        ..Default::default()
    });
    assert!(by_size.rows.iter().all(|r| r.size == Some(6)));

    let p1 = q(HouseholdQuery {
        page: 1,
        page_size: 12,
        ..Default::default()
    });
    let p3 = q(HouseholdQuery {
        page: 3,
        page_size: 12,
        ..Default::default()
    });
    assert_eq!((p1.rows.len(), p3.rows.len(), p3.total), (12, 6, 30));
    assert!(p1.rows.iter().all(|a| p3.rows.iter().all(|b| a.id != b.id)));
}

#[test]
fn status_changes_instead_of_deleting() {
    let t = township();
    let h = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("19650312", 5)),
        today(),
    )
    .unwrap();
    assert_eq!(
        set_status(&t.store, &[h.id], HouseholdStatus::Deregistered).unwrap(),
        1
    );
    assert_eq!(
        get_household(&t.store, h.id).unwrap().status,
        HouseholdStatus::Deregistered
    );
    delete_household(&t.store, h.id).unwrap();
    assert_eq!(
        get_household(&t.store, h.id).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn cadres_pair_only_within_their_linked_villages_and_one_cadre_per_household() {
    let t = township();
    let h = add_household(
        &t.store,
        &HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("19650312", 5)),
        today(),
    )
    .unwrap();
    let mut a = CadreInput::new("李干部", "区农业农村局");
    a.household_ids = vec![h.id];
    let e = add_cadre(&t.store, &a).unwrap_err();
    assert_eq!(e.field(), Some("householdIds"));
    assert!(e.to_string().contains("挂钩村"), "{e}");
    a.village_ids = vec![t.huanghe.id];
    let cadre = add_cadre(&t.store, &a).unwrap();
    assert_eq!(cadre.households.len(), 1);
    assert_eq!(
        get_household(&t.store, h.id)
            .unwrap()
            .paired_cadre
            .unwrap()
            .name,
        "李干部"
    );

    let mut b = CadreInput::new("王干部", "区民政局");
    b.village_ids = vec![t.huanghe.id];
    b.household_ids = vec![h.id];
    let e = add_cadre(&t.store, &b).unwrap_err();
    assert!(
        e.to_string().contains("李干部"),
        "the message names the paired cadre: {e}"
    );

    // Saving the same cadre again keeps its own pairing.
    update_cadre(&t.store, cadre.id, &a).unwrap();
    // Moving the household to another village ends a pairing that no longer fits.
    update_household(
        &t.store,
        h.id,
        &HouseholdInput::new(t.yunhe.id, t.yh1.id, "张三", &h.id_number),
        today(),
    )
    .unwrap();
    assert!(get_cadre(&t.store, cadre.id).unwrap().households.is_empty());
}

#[test]
fn cadre_list_filters_by_village_and_search_with_masked_phones() {
    let t = township();
    let mut a = CadreInput::new("李明", "区农业农村局");
    a.village_ids = vec![t.huanghe.id];
    a.phone = "13912345678".into();
    add_cadre(&t.store, &a).unwrap();
    let mut b = CadreInput::new("王强", "区民政局");
    b.village_ids = vec![t.yunhe.id];
    add_cadre(&t.store, &b).unwrap();
    let page = list_cadres(
        &t.store,
        &CadreQuery {
            village_id: Some(t.huanghe.id),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        page.rows
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["李明"]
    );
    assert_eq!(page.rows[0].phone_masked, "139****5678");
    let page = list_cadres(
        &t.store,
        &CadreQuery {
            search: Some("wq".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.rows[0].name, "王强");
    let page = list_cadres(
        &t.store,
        &CadreQuery {
            search: Some("民政".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    let e = add_cadre(
        &t.store,
        &CadreInput {
            visit_days_per_month: 40,
            ..CadreInput::new("赵六", "区教育局")
        },
    )
    .unwrap_err();
    assert_eq!(e.field(), Some("visitDaysPerMonth"));
}

#[test]
fn a_tag_in_use_is_deleted_only_when_confirmed() {
    let t = township();
    let dibao = tag_id(&t.store, "低保户");
    let input = HouseholdInput {
        tag_ids: vec![dibao],
        ..HouseholdInput::new(t.huanghe.id, t.hh1.id, "张三", &id("19650312", 5))
    };
    let h = add_household(&t.store, &input, today()).unwrap();
    let e = tags::delete_tag(&t.store, dibao, false).unwrap_err();
    assert!(e.to_string().contains("有 1 户"), "{e}");
    tags::delete_tag(&t.store, dibao, true).unwrap();
    let h = get_household(&t.store, h.id).unwrap();
    assert!(h.tags.is_empty() && !h.is_key);
}
