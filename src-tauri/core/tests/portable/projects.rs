//! 实事项目: created, edited with every change recorded, finished only with a result; the
//! history cannot be altered.

use minqing_core::register::units::{add_unit, UnitInput};
use minqing_core::register::villages::{add_village, VillageInput};
use minqing_core::requests::projects::*;
use minqing_core::Store;

fn setup() -> (Store, ProjectInput) {
    let store = Store::open_in_memory().unwrap();
    let unit = add_unit(&store, &UnitInput::new("区农业农村局"))
        .unwrap()
        .id;
    let village = add_village(
        &store,
        &VillageInput {
            name: "黄河村".into(),
            kind: None,
        },
    )
    .unwrap()
    .id;
    let input = ProjectInput {
        kind: ProjectKind::TenToVillages,
        unit_id: unit,
        village_id: village,
        title: "科技下乡：稻麦种植培训".into(),
        content: "组织农技专家开展三期培训".into(),
        funds: Some(2.5),
        planned_end: Some("2026-06-30".parse().unwrap()),
    };
    (store, input)
}

#[test]
fn a_project_runs_from_plan_to_done_with_its_history() {
    let (store, mut input) = setup();
    let p = add_project(&store, &input).unwrap();
    assert_eq!(p.status, ProjectStatus::Planned);
    input.funds = Some(3.0);
    let p = update_project(&store, p.id, &input).unwrap();
    assert!(
        p.history
            .last()
            .unwrap()
            .note
            .contains("资金：2.5 万元 → 3 万元"),
        "{:?}",
        p.history
    );
    let p = set_project_status(&store, p.id, ProjectStatus::Underway, "第一期已开课").unwrap();
    let e = set_project_status(&store, p.id, ProjectStatus::Done, " ").unwrap_err();
    assert_eq!(e.field(), Some("note"));
    let p = set_project_status(&store, p.id, ProjectStatus::Done, "三期共培训 260 人次").unwrap();
    assert_eq!(p.result, "三期共培训 260 人次");
    let actions: Vec<&str> = p.history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(actions, ["立项", "修改", "实施中", "已完成"]);
    assert!(
        set_project_status(&store, p.id, ProjectStatus::Underway, "x").is_err(),
        "a finished project stays finished"
    );
    let page = list_projects(
        &store,
        &ProjectQuery {
            status: Some(ProjectStatus::Done),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.total, 1);
    let err = store
        .write(|tx| Ok(tx.execute("DELETE FROM project_history", [])?))
        .unwrap_err();
    assert!(err.to_string().contains("只能追加"), "{err}");
}

#[test]
fn bad_input_names_the_field() {
    let (store, mut input) = setup();
    input.funds = Some(-1.0);
    assert_eq!(
        add_project(&store, &input).unwrap_err().field(),
        Some("funds")
    );
    input.funds = None;
    input.title = " ".into();
    assert_eq!(
        add_project(&store, &input).unwrap_err().field(),
        Some("title")
    );
}
