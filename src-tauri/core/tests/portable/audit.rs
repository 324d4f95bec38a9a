//! 操作记录: every change to households, cadres, requests and plans is recorded under the
//! operator chosen at start, field by field, old → new; a change that fails leaves no line;
//! the trail cannot be edited; lists and exports mask IDs and phones.

use crate::common;

use chrono::{Datelike, NaiveDate};
use minqing_core::audit::{
    self, choose_operator, known_operators, list, AuditEntity, AuditQuery, AuditRow,
};
use minqing_core::plan::adjust::{lock_visits, move_visit};
use minqing_core::plan::store::{compute_plan, create_cycle, CycleInput};
use minqing_core::plan::views::village_plan;
use minqing_core::privacy::Masking;
use minqing_core::register::cadres::{get_cadre, update_cadre, CadreInput};
use minqing_core::register::households::{
    add_household, delete_household, get_household, update_household, HouseholdInput,
};
use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::requests::lifecycle::{act, register, Action, RequestInput};
use minqing_core::requests::{RequestKind, Source, Urgency};
use minqing_core::validate::id_check_char;
use minqing_core::Store;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn id(birth: &str, seq: u32) -> String {
    let first17 = format!("321302{birth}{seq:03}");
    format!("{first17}{}", id_check_char(&first17).unwrap())
}

fn township() -> Store {
    common::demo_store(300)
}

fn all(store: &Store, q: AuditQuery) -> Vec<AuditRow> {
    list(
        store,
        &AuditQuery {
            page_size: 500,
            ..q
        },
    )
    .unwrap()
    .rows
}

fn of(store: &Store, entity: AuditEntity, entity_id: i64) -> Vec<AuditRow> {
    let mut rows = all(
        store,
        AuditQuery {
            entity: Some(entity),
            entity_id: Some(entity_id),
            ..Default::default()
        },
    );
    rows.reverse(); // oldest first
    rows
}

/// The single number a query returns.
fn one(store: &Store, sql: &str) -> i64 {
    store
        .read(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

/// Each line's (action, field), oldest first.
fn actions_and_fields(rows: &[AuditRow]) -> Vec<(&str, &str)> {
    rows.iter()
        .map(|r| (r.action.as_str(), r.field.as_str()))
        .collect()
}

fn count(store: &Store) -> i64 {
    one(store, "SELECT count(*) FROM audit_log")
}

fn input_of(store: &Store, id: i64) -> HouseholdInput {
    let h = get_household(store, id).unwrap();
    HouseholdInput {
        phone: h.phone.clone(),
        address: h.address.clone(),
        size: h.size,
        status: h.status,
        tag_ids: h.tag_ids.clone(),
        note: h.note.clone(),
        ..HouseholdInput::new(h.village_id, h.group_id, &h.head_name, &h.id_number)
    }
}

#[test]
fn generated_data_leaves_one_summary_line_not_one_per_household() {
    let store = township();
    let rows = all(&store, AuditQuery::default());
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "生成示例数据");
    assert!(rows[0].new_value.as_deref().unwrap().contains("300 户"));
}

#[test]
fn a_household_edit_is_recorded_field_by_field_under_the_chosen_operator_and_masked() {
    let store = township();
    choose_operator(&store, "  王小明 ").unwrap();
    choose_operator(&store, "李四").unwrap();
    choose_operator(&store, "王小明").unwrap();
    assert_eq!(known_operators(&store).unwrap(), ["王小明", "李四"]);
    assert!(choose_operator(&store, "  ").is_err());

    let hid: i64 = one(&store, "SELECT min(id) FROM households");
    let before = get_household(&store, hid).unwrap();
    let tag: i64 = store
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM tags WHERE name = '低保户'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    let mut input = input_of(&store, hid);
    input.phone = "13912345678".into();
    input.address = "幸福路 8 号".into();
    input.tag_ids = vec![tag];
    update_household(&store, hid, &input, d("2026-04-01")).unwrap();

    let rows = of(&store, AuditEntity::Household, hid);
    let fields: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
    let mut expected = vec!["联系电话", "地址"];
    if before.tags != ["低保户"] {
        expected.push("类别标签");
    }
    assert_eq!(fields, expected, "{rows:?}");
    assert!(rows
        .iter()
        .all(|r| r.operator == "王小明" && r.action == "修改"));
    assert!(rows[0].label.starts_with(&before.head_name));
    // The phone is masked in the list; the old one too.
    assert_eq!(rows[0].new_value.as_deref(), Some("139****5678"));
    if !before.phone.is_empty() {
        assert_ne!(rows[0].old_value.as_deref(), Some(before.phone.as_str()));
        assert!(rows[0].old_value.as_deref().unwrap().contains("****"));
    }
    assert_eq!(rows[1].old_value.as_deref(), Some(before.address.as_str()));
    assert_eq!(rows[1].new_value.as_deref(), Some("幸福路 8 号"));
    if before.tags != ["低保户"] {
        assert_eq!(
            rows[2].old_value.as_deref().unwrap(),
            before.tags.join("、")
        );
        assert_eq!(rows[2].new_value.as_deref(), Some("低保户"));
    }

    // Saving the same values again records nothing.
    let n = count(&store);
    update_household(&store, hid, &input, d("2026-04-01")).unwrap();
    assert_eq!(count(&store), n);

    // A save that is refused leaves no line.
    let mut bad = input.clone();
    bad.address = "别的地址".into();
    bad.id_number = "320000000000000000".into();
    assert!(update_household(&store, hid, &bad, d("2026-04-01")).is_err());
    assert_eq!(count(&store), n);

    // A search on the full phone number finds nothing (it would reveal the masked digits);
    // a search on the address does.
    let found = all(
        &store,
        AuditQuery {
            search: Some("13912345678".into()),
            ..Default::default()
        },
    );
    assert!(found.is_empty(), "{found:?}");
    let found = all(
        &store,
        AuditQuery {
            search: Some("幸福路".into()),
            ..Default::default()
        },
    );
    assert_eq!(found.len(), 1);
}

#[test]
fn a_new_household_and_its_deletion_are_recorded_and_the_deleted_values_kept() {
    let store = township();
    choose_operator(&store, "张会计").unwrap();
    let (village, group): (i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT village_id, id FROM village_groups ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let tag: i64 = store
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM tags WHERE name = '留守老人'", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    let number = id("19500101", 7);
    let input = HouseholdInput {
        phone: "13700001111".into(),
        tag_ids: vec![tag],
        ..HouseholdInput::new(village, group, "赵新户", &number)
    };
    let h = add_household(&store, &input, d("2026-04-01")).unwrap();
    delete_household(&store, h.id).unwrap();

    let rows = of(&store, AuditEntity::Household, h.id);
    assert_eq!(
        actions_and_fields(&rows),
        [
            ("新增", ""),
            ("修改", "类别标签"),
            ("删除", "户主姓名"),
            ("删除", "公民身份号码"),
            ("删除", "联系电话"),
            ("删除", "村（社区）"),
            ("删除", "村民小组"),
        ],
        "{rows:?}"
    );
    assert_eq!(rows[2].old_value.as_deref(), Some("赵新户"));
    assert_eq!(
        rows[3].old_value.as_deref(),
        Some(minqing_core::privacy::mask_id(&number).as_str())
    );
    // The file keeps the full number: the trail can tell whom a deleted record was.
    let full: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT old_value FROM audit_log WHERE field = '公民身份号码' AND entity_id = ?1",
                [h.id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(full, number);
}

#[test]
fn the_trail_cannot_be_edited_or_deleted() {
    let store = township();
    let e = store
        .write(|tx| Ok(tx.execute("UPDATE audit_log SET operator = 'x'", [])?))
        .unwrap_err()
        .to_string();
    assert!(e.contains("只能追加"), "{e}");
    let e = store
        .write(|tx| Ok(tx.execute("DELETE FROM audit_log", [])?))
        .unwrap_err()
        .to_string();
    assert!(e.contains("只能追加"), "{e}");
    assert_eq!(count(&store), 1);
}

#[test]
fn cadre_changes_and_their_villages_are_recorded() {
    let store = township();
    choose_operator(&store, "组织委员").unwrap();
    let cid: i64 = one(&store, "SELECT min(id) FROM cadres");
    let cadre = get_cadre(&store, cid).unwrap();
    let mut input = CadreInput::new(&cadre.name, &cadre.unit);
    input.title = "副科长".into();
    input.phone = "13600002222".into();
    input.level = cadre.level;
    input.visit_days_per_month = cadre.visit_days_per_month;
    input.village_ids = cadre.villages.iter().map(|v| v.id).take(1).collect();
    input.household_ids = vec![];
    input.leave_dates = vec![d("2026-04-14")];
    update_cadre(&store, cid, &input).unwrap();
    let rows = of(&store, AuditEntity::Cadre, cid);
    let fields: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
    assert!(fields.contains(&"职务"), "{fields:?}");
    assert!(fields.contains(&"联系电话"), "{fields:?}");
    assert!(fields.contains(&"请假日"), "{fields:?}");
    if cadre.villages.len() > 1 {
        assert!(fields.contains(&"挂钩村"), "{fields:?}");
    }
    if !cadre.households.is_empty() {
        let paired = rows.iter().find(|r| r.field == "结对户").unwrap();
        assert_eq!(paired.new_value.as_deref(), Some(""));
    }
    let title = rows.iter().find(|r| r.field == "职务").unwrap();
    assert_eq!(title.old_value.as_deref(), Some(cadre.title.as_str()));
    assert_eq!(title.new_value.as_deref(), Some("副科长"));
    assert!(rows.iter().all(|r| r.operator == "组织委员"));
}

#[test]
fn a_requests_steps_are_recorded_and_its_history_names_the_same_operator() {
    let store = township();
    choose_operator(&store, "信访办小刘").unwrap();
    let household: i64 = one(&store, "SELECT min(id) FROM households");
    let unit = add_unit(&store, &UnitInput::new("区交通运输局"))
        .unwrap()
        .id;
    let r = register(
        &store,
        &RequestInput {
            source: Source::Visit,
            household_id: Some(household),
            requester_name: String::new(),
            requester_phone: String::new(),
            village_id: None,
            visit_id: None,
            kind: RequestKind::Help,
            category_id: 1,
            urgency: Urgency::Normal,
            handling: None,
            content: "村口道路破损，雨天积水，请求修缮。".into(),
            received_on: Some(d("2026-04-01")),
            unit_id: None,
        },
        d("2026-04-01"),
    )
    .unwrap();
    let r = act(
        &store,
        r.id,
        &Action::Assign {
            unit_id: unit,
            handler: "王科长".into(),
            note: String::new(),
        },
        d("2026-04-02"),
    )
    .unwrap();
    let rows = of(&store, AuditEntity::Request, r.id);
    assert_eq!(rows[0].action, "登记");
    assert_eq!(rows[0].label, r.number);
    let changed: Vec<(&str, Option<&str>, Option<&str>)> = rows[1..]
        .iter()
        .map(|r| {
            (
                r.field.as_str(),
                r.old_value.as_deref(),
                r.new_value.as_deref(),
            )
        })
        .collect();
    assert!(
        changed.contains(&("状态", Some("登记"), Some("交办"))),
        "{changed:?}"
    );
    assert!(
        changed.contains(&("责任单位", None, Some("区交通运输局"))),
        "{changed:?}"
    );
    assert!(
        changed.contains(&("责任人", Some(""), Some("王科长"))),
        "{changed:?}"
    );
    assert!(rows.iter().all(|x| x.operator == "信访办小刘"));
    assert!(r.history.iter().all(|h| h.operator == "信访办小刘"));
}

#[test]
fn a_plan_computation_and_a_hand_move_are_recorded() {
    let store = township();
    choose_operator(&store, "排班员").unwrap();
    let cycle = create_cycle(
        &store,
        &CycleInput::new("2026年二季度", d("2026-04-01"), d("2026-06-30")),
    )
    .unwrap()
    .id;
    compute_plan(&store, cycle, false).unwrap();
    let village: i64 = one(&store, "SELECT min(id) FROM villages");
    let visits = village_plan(&store, cycle, village).unwrap();
    // Move a visit to another working day of its week the engine left free for its cadre.
    let mut moved = None;
    'outer: for v in &visits {
        for delta in [1i64, -1, 2, -2, 7, -7] {
            let to = v.date + chrono::Duration::days(delta);
            if to.month() == v.date.month() && move_visit(&store, v.id, v.cadre_id, to).is_ok() {
                moved = Some((v.clone(), to));
                break 'outer;
            }
        }
    }
    let (v, to) = moved.expect("some visit can move by a day or a week");
    lock_visits(&store, &[v.id], false).unwrap();

    let rows = of(&store, AuditEntity::Plan, cycle);
    assert_eq!(
        actions_and_fields(&rows),
        [
            ("新增", ""),
            ("计算", ""),
            ("调整", "走访日期"),
            ("调整", "锁定"),
            ("调整", "锁定"),
        ],
        "{rows:?}"
    );
    assert_eq!(rows[1].new_value.as_deref(), Some("第 1 版"));
    assert_eq!(
        rows[2].old_value.as_deref(),
        Some(v.date.to_string().as_str())
    );
    assert_eq!(rows[2].new_value.as_deref(), Some(to.to_string().as_str()));
    assert!(rows[2].label.contains("2026年二季度") && rows[2].label.contains(&v.head_name));
    assert_eq!(
        (rows[3].new_value.as_deref(), rows[4].new_value.as_deref()),
        (Some("是"), Some("否"))
    );
}

#[test]
fn filters_by_operator_entity_and_day() {
    let store = township();
    let hid: i64 = one(&store, "SELECT min(id) FROM households");
    for (who, note) in [("甲", "一"), ("乙", "二"), ("甲", "三")] {
        choose_operator(&store, who).unwrap();
        let mut input = input_of(&store, hid);
        input.note = note.into();
        update_household(&store, hid, &input, d("2026-04-01")).unwrap();
    }
    let q = |operator: Option<&str>, from: Option<&str>| {
        all(
            &store,
            AuditQuery {
                operator: operator.map(String::from),
                entity: Some(AuditEntity::Household),
                from: from.map(String::from),
                ..Default::default()
            },
        )
    };
    assert_eq!(q(Some("甲"), None).len(), 2);
    assert_eq!(q(Some("乙"), None)[0].new_value.as_deref(), Some("二"));
    let today = chrono::Local::now().date_naive();
    let rows = q(None, Some(&today.to_string()));
    assert_eq!(rows.len(), 4, "three edits and the demo line: {rows:?}");
    assert!(q(None, Some(&today.succ_opt().unwrap().to_string())).is_empty());
    assert_eq!(audit::operators(&store).unwrap(), ["乙", "甲", "联络员"]);
    let bad = list(
        &store,
        &AuditQuery {
            from: Some("2026-13-01".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(bad.field(), Some("from"));
}

#[test]
fn the_export_is_masked_by_default_and_read_back() {
    let store = township();
    choose_operator(&store, "王小明").unwrap();
    let hid: i64 = one(&store, "SELECT min(id) FROM households");
    let mut input = input_of(&store, hid);
    input.phone = "13912345678".into();
    update_household(&store, hid, &input, d("2026-04-01")).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let masked = dir.path().join("masked.xlsx");
    let out = minqing_core::report::audit::export(
        &store,
        &AuditQuery::default(),
        Masking::Masked,
        &masked,
        d("2026-04-01"),
    )
    .unwrap();
    assert_eq!(out.rows, 2);
    let text = common::xlsx_text(&masked);
    assert!(text.contains("民情通操作记录"), "{text}");
    assert!(text.contains("139****5678"));
    assert!(!text.contains("13912345678"));
    assert!(text.contains("已脱敏"));

    let full = dir.path().join("full.xlsx");
    minqing_core::report::audit::export(
        &store,
        &AuditQuery::default(),
        Masking::Unmasked,
        &full,
        d("2026-04-01"),
    )
    .unwrap();
    let text = common::xlsx_text(&full);
    assert!(text.contains("13912345678"));
    assert!(text.contains("未脱敏"));
}

/// The CLI: an import is one 导入 line (not a line per household) under `--operator`; a second
/// import in 新增并更新 mode records the changed phone field by field; `audit list --json`
/// masks it and `audit export` writes the workbook.
#[test]
fn cli_import_and_audit_commands() {
    use crate::common::sheets::{self, id, s, sheet};
    use crate::common::{json, minqing, stderr};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let f = dir.path().join("花名册.xlsx");
    let roster = |phone: &str| {
        sheet(
            "花名册",
            vec![
                vec![s("户主姓名"), s("身份证号"), s("村"), s("组"), s("电话")],
                vec![
                    s("张三"),
                    s(&id("32130219800101001")),
                    s("新河村"),
                    s("一组"),
                    s(phone),
                ],
                vec![
                    s("李四"),
                    s(&id("32130219810202002")),
                    s("新河村"),
                    s("二组"),
                    s("13800002222"),
                ],
            ],
        )
    };
    sheets::xlsx(&f, &[roster("13800001111")]);
    let file = f.to_str().unwrap();
    let o = minqing(
        &db,
        &[
            "--operator",
            "王小明",
            "import",
            "households",
            file,
            "--create-missing",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    sheets::xlsx(&f, &[roster("13900003333")]);
    let o = minqing(&db, &["import", "households", file, "--mode", "upsert"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = minqing(&db, &["--json", "audit", "list"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j = json(&o);
    let rows = j["rows"].as_array().unwrap();
    let lines: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["operator"].as_str().unwrap(),
                r["action"].as_str().unwrap(),
                r["field"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("命令行", "导入", ""),
            ("命令行", "修改", "联系电话"),
            ("王小明", "导入", ""),
        ],
        "{j}"
    );
    assert_eq!(rows[0]["label"], "花名册.xlsx");
    assert_eq!(rows[2]["newValue"], "新增 2，更新 0，跳过 0");
    assert_eq!(rows[1]["oldValue"], "138****1111");
    assert_eq!(rows[1]["newValue"], "139****3333");
    assert!(!o.stdout.windows(11).any(|w| w == b"13900003333"));

    let o = minqing(
        &db,
        &["audit", "list", "--by", "王小明", "--entity", "农户"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("共 1 条"), "{text}");
    let o = minqing(&db, &["audit", "list", "--entity", "房屋"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("农户、干部、诉求、排班"),
        "{}",
        stderr(&o)
    );

    let out = dir.path().join("操作记录.xlsx");
    let o = minqing(&db, &["audit", "export", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = common::xlsx_text(&out);
    assert!(text.contains("139****3333") && !text.contains("13900003333"));
    assert!(text.contains("王小明"));
}
