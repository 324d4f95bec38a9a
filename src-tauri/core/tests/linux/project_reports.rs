//! 实事项目台账 and 办实事竞赛情况表: every figure recomputed from the raw rows by plain loops
//! here, read back by openpyxl; a project's status is the one its history shows at the
//! period's end; and the district ranks its departments over three townships' workbooks, with
//! names that may be one department listed until confirmed.

use crate::common::book::{all_text, num, read_back, row_of, sheet, sheet_names, text};
use chrono::NaiveDate;
use minqing_core::demo::{activity::activity, generate, DemoOptions};
use minqing_core::privacy::Masking;
use minqing_core::report::district::{export_report, report_file_name, ReportKind};
use minqing_core::report::merge::{merge_opts, MergeOptions};
use minqing_core::stats::district::Scope;
use minqing_core::stats::projects::{contest, lines, save_contest_rule, ContestRow, ContestRule};
use minqing_core::Store;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-20";

fn quarter() -> Scope {
    Scope {
        from: d("2026-10-01"),
        to: d("2026-12-31"),
        villages: vec![],
    }
}

fn township(name: &str, seed: u64) -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 400,
            seed,
            township: name.into(),
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    activity(&store, d("2026-08-15"), d(TODAY), 0.9, seed, d(TODAY)).unwrap();
    store
}

/// id, unit, funds, planned end, registered on.
type ProjectRow = (i64, String, Option<f64>, Option<String>, String);

/// One unit's figures by plain loops over the raw rows: status from the history by the
/// period's end, funds, due and on-time, the unit's requests of the period.
fn by_hand(store: &Store, s: &Scope) -> BTreeMap<String, ContestRow> {
    let (from, to) = (s.from.to_string(), s.to.to_string());
    store
        .read(|c| {
            let mut out: BTreeMap<String, ContestRow> = BTreeMap::new();
            let mut st = c.prepare(
                "SELECT p.id, u.name, p.funds, p.planned_end, substr(p.created_at, 1, 10)
                 FROM projects p JOIN units u ON u.id = p.unit_id",
            )?;
            let projects: Vec<ProjectRow> = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                .collect::<Result<_, _>>()?;
            for (id, unit, funds, end, created) in projects {
                if created > to {
                    continue;
                }
                let mut status = "计划".to_string();
                let mut finished: Option<String> = None;
                let mut h = c.prepare(
                    "SELECT substr(at, 1, 10), action FROM project_history WHERE project_id = ?1 ORDER BY id",
                )?;
                let rows: Vec<(String, String)> = h
                    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                for (day, action) in rows {
                    if day > to {
                        break;
                    }
                    if ["实施中", "已完成", "已终止"].contains(&action.as_str()) {
                        status = action.clone();
                        if action != "实施中" {
                            finished = Some(day);
                        }
                    }
                }
                if finished.as_ref().is_some_and(|f| *f < from) {
                    continue;
                }
                let r = out.entry(unit.clone()).or_default();
                r.unit = unit;
                r.projects += 1;
                match status.as_str() {
                    "计划" => r.planned += 1,
                    "实施中" => r.underway += 1,
                    "已完成" => r.done += 1,
                    _ => r.stopped += 1,
                }
                r.funds += funds.unwrap_or(0.0);
                if let Some(end) = end {
                    if status == "已完成" {
                        r.due += 1;
                        if finished.as_ref().is_some_and(|f| *f <= end) {
                            r.on_time += 1;
                        }
                    } else if status != "已终止" && end <= to {
                        r.due += 1;
                    }
                }
            }
            let mut st = c.prepare(
                "SELECT u.name, r.status FROM requests r JOIN units u ON u.id = r.unit_id
                 WHERE r.received_on BETWEEN ?1 AND ?2",
            )?;
            let reqs: Vec<(String, String)> = st
                .query_map([&from, &to], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (unit, status) in reqs {
                if let Some(r) = out.get_mut(&unit) {
                    r.requests += 1;
                    if status == "已办结" || status == "已回访" {
                        r.requests_closed += 1;
                    }
                }
            }
            Ok(out)
        })
        .unwrap()
}

fn score(r: &ContestRow, rule: &ContestRule) -> f64 {
    let rate = |n: i64, d: i64| if d > 0 { n as f64 / d as f64 } else { 0.0 };
    let s = r.done as f64 * rule.done_points
        + r.underway as f64 * rule.underway_points
        + rate(r.on_time, r.due) * rule.on_time_points
        + rate(r.requests_closed, r.requests) * rule.requests_points;
    (s * 10.0).round() / 10.0
}

fn export(store: &Store, kind: ReportKind, s: &Scope, dir: &Path) -> PathBuf {
    let town = minqing_core::register::township::get_township(store).unwrap();
    let target = dir.join(report_file_name(&town, kind, s));
    export_report(store, kind, s, Masking::Masked, &target, d(TODAY)).unwrap();
    target
}

#[test]
fn the_contest_and_the_ledger_agree_with_the_raw_rows_as_printed() {
    let store = township("龙河镇", 11);
    let s = quarter();
    let want = by_hand(&store, &s);
    assert!(
        want.len() >= 5,
        "the demo gives several units projects: {want:?}"
    );
    let states: i64 = want
        .values()
        .map(|r| r.planned.min(1) + r.underway.min(1) + r.done.min(1) + r.stopped.min(1))
        .sum();
    assert!(states >= 4, "the demo has projects in every state");
    let dir = tempfile::tempdir().unwrap();
    let path = export(&store, ReportKind::ProjectContest, &s, dir.path());
    assert!(path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .ends_with("_办实事竞赛情况表_2026年第四季度.xlsx"));
    let book = read_back(&path);
    assert_eq!(sheet_names(&book), vec!["按单位", "_meta"]);
    let sh = sheet(&book, "按单位");
    assert!(
        text(sh, "A1").contains("办实事竞赛情况表") && text(sh, "A1").contains("2026年第四季度")
    );
    let rule = ContestRule::default();
    let mut scores = Vec::new();
    for (unit, w) in &want {
        let r = row_of(sh, "B", unit).unwrap_or_else(|| panic!("{unit} has a line"));
        let at = |col: &str| num(sh, &format!("{col}{r}"));
        assert_eq!(
            (at("C"), at("D"), at("E"), at("F"), at("G")),
            (
                w.projects as f64,
                w.planned as f64,
                w.underway as f64,
                w.done as f64,
                w.stopped as f64
            ),
            "{unit}"
        );
        assert!((at("H") - w.funds).abs() < 1e-6, "{unit} funds");
        assert_eq!(
            (at("I"), at("J")),
            (w.due as f64, w.on_time as f64),
            "{unit}"
        );
        assert_eq!(
            (at("L"), at("M")),
            (w.requests as f64, w.requests_closed as f64),
            "{unit}"
        );
        if w.due > 0 {
            assert!((at("K") - w.on_time as f64 / w.due as f64).abs() < 1e-9);
        } else {
            assert_eq!(text(sh, &format!("K{r}")), "—");
        }
        assert!((at("O") - score(w, &rule)).abs() < 1e-9, "{unit} score");
        scores.push((at("O"), at("P") as u32));
    }
    // Places: 1 for the best; a lower score never ranks above a higher one.
    for (a, pa) in &scores {
        let better = scores.iter().filter(|(b, _)| b > a).count() as u32;
        assert_eq!(*pa, better + 1, "place of score {a}");
    }
    // The 合计 line sums the lines, and the rule is printed.
    let total = row_of(sh, "A", "合计").unwrap();
    let n: i64 = want.values().map(|r| r.projects).sum();
    assert_eq!(num(sh, &format!("C{total}")), n as f64);
    assert!(all_text(sh).contains(&rule.text()));

    // The ledger: one line per project, funds summed, statuses as of the period's end.
    let path = export(&store, ReportKind::Projects, &s, dir.path());
    let book = read_back(&path);
    let sh = sheet(&book, "实事项目台账");
    let total = row_of(sh, "A", "合计").unwrap();
    assert_eq!(
        total as i64,
        3 + n + 1,
        "title, info, header, then a line per project"
    );
    let funds: f64 = want.values().map(|r| r.funds).sum();
    assert!((num(sh, &format!("G{total}")) - funds).abs() < 1e-6);
    assert!(all_text(sh).contains(&format!("共 {n} 个项目")));
    let done = (4..total)
        .filter(|r| text(sh, &format!("I{r}")) == "已完成")
        .count() as i64;
    assert_eq!(done, want.values().map(|r| r.done).sum::<i64>());
}

/// Projects whose history is written with dates, as a coordinator's would have been.
fn project(store: &Store, unit: i64, title: &str, end: Option<&str>, steps: &[(&str, &str)]) {
    store
        .write(|tx| {
            let created = format!("{} 09:00:00", steps[0].0);
            let last = steps.iter().rev().find(|s| s.1 != "立项").map(|s| s.1).unwrap_or("计划");
            let status = if last == "立项" { "计划" } else { last };
            tx.execute(
                "INSERT INTO projects (kind, unit_id, village_id, title, funds, planned_end, status, result, created_at, updated_at)
                 VALUES ('办实事竞赛', ?1, (SELECT min(id) FROM villages), ?2, 10, ?3, ?4, ?5, ?6, ?6)",
                rusqlite::params![unit, title, end, status, if matches!(status, "已完成" | "已终止") { "已办好" } else { "" }, created],
            )?;
            let id = tx.last_insert_rowid();
            for (day, action) in steps {
                tx.execute(
                    "INSERT INTO project_history (project_id, at, operator, action, note) VALUES (?1, ?2, '测试', ?3, '')",
                    rusqlite::params![id, format!("{day} 10:00:00"), action],
                )?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_project_counts_as_it_stood_at_the_periods_end_and_the_rule_is_the_users() {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 100,
            ..Default::default()
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    let unit = |name: &str| {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO units (name, created_at) VALUES (?1, '2026-01-01 00:00:00')",
                    [name],
                )?;
                Ok(tx.last_insert_rowid())
            })
            .unwrap()
    };
    let (a, b) = (unit("区交通运输局"), unit("区水利局"));
    // 区交通运输局: done on time; underway past its planned end; done before the period (out);
    // registered after it (out); done only after the period's end (underway then).
    project(
        &store,
        a,
        "P1",
        Some("2026-10-31"),
        &[
            ("2026-09-01", "立项"),
            ("2026-09-10", "实施中"),
            ("2026-10-20", "已完成"),
        ],
    );
    project(
        &store,
        a,
        "P2",
        Some("2026-11-15"),
        &[("2026-09-01", "立项"), ("2026-09-05", "实施中")],
    );
    project(
        &store,
        a,
        "P3",
        Some("2026-09-30"),
        &[("2026-08-01", "立项"), ("2026-09-10", "已完成")],
    );
    project(&store, a, "P4", None, &[("2026-12-02", "立项")]);
    project(
        &store,
        a,
        "P5",
        Some("2026-12-10"),
        &[
            ("2026-10-05", "立项"),
            ("2026-10-06", "实施中"),
            ("2026-12-01", "已完成"),
        ],
    );
    // 区水利局: stopped in the period; planned without an end date.
    project(
        &store,
        b,
        "P6",
        Some("2026-11-10"),
        &[("2026-10-01", "立项"), ("2026-11-01", "已终止")],
    );
    project(&store, b, "P7", None, &[("2026-10-12", "立项")]);
    let s = Scope {
        from: d("2026-10-01"),
        to: d("2026-11-30"),
        villages: vec![],
    };
    let l = lines(&store, &s).unwrap();
    let titles: Vec<&str> = l.iter().map(|x| x.title.as_str()).collect();
    assert_eq!(titles, vec!["P1", "P2", "P5", "P6", "P7"]);
    let p5 = l.iter().find(|x| x.title == "P5").unwrap();
    assert_eq!(
        (p5.status.as_str(), p5.finished_on, p5.result.as_str()),
        ("实施中", None, "")
    );
    assert_eq!(
        l.iter().find(|x| x.title == "P1").unwrap().on_time,
        Some(true)
    );
    assert_eq!(
        l.iter().find(|x| x.title == "P2").unwrap().on_time,
        Some(false)
    );

    let c = contest(&store, &s).unwrap();
    let ra = c.rows.iter().find(|r| r.unit == "区交通运输局").unwrap();
    assert_eq!(
        (ra.projects, ra.done, ra.underway, ra.due, ra.on_time),
        (3, 1, 2, 2, 1)
    );
    assert_eq!(ra.on_time_rate, Some(0.5));
    // 1 × 10 + 2 × 4 + 50 % × 30, no requests: 33.
    assert_eq!((ra.score, ra.rank), (33.0, 1));
    let rb = c.rows.iter().find(|r| r.unit == "区水利局").unwrap();
    assert_eq!((rb.projects, rb.planned, rb.stopped, rb.due), (2, 1, 1, 0));
    assert_eq!((rb.on_time_rate, rb.score, rb.rank), (None, 0.0, 2));
    assert_eq!(c.total.projects, 5);

    // The rule is the user's: a weight out of range is refused naming it, a new one counts.
    let e = save_contest_rule(
        &store,
        &ContestRule {
            done_points: 120.0,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("每个已完成项目的分值应在 0 到 100 之间"),
        "{e}"
    );
    save_contest_rule(
        &store,
        &ContestRule {
            done_points: 20.0,
            underway_points: 0.0,
            on_time_points: 0.0,
            requests_points: 0.0,
        },
    )
    .unwrap();
    let c = contest(&store, &s).unwrap();
    assert_eq!(c.rows[0].score, 20.0);
    assert!(c.rule_text.contains("已完成项目数×20"), "{}", c.rule_text);
}

#[test]
fn the_district_ranks_its_departments_over_every_township_that_listed_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = quarter();
    let names = ["龙河镇", "洋北镇", "耿车镇"];
    let mut files = Vec::new();
    let mut want: HashMap<String, ContestRow> = HashMap::new();
    let mut towns: HashMap<String, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        let store = township(name, 20 + i as u64);
        if *name == "耿车镇" {
            // This township writes the transport bureau's short name.
            store
                .write(|tx| {
                    tx.execute(
                        "UPDATE units SET name = '区交通局' WHERE name = '区交通运输局'",
                        [],
                    )?;
                    Ok(())
                })
                .unwrap();
        }
        for (unit, r) in by_hand(&store, &s) {
            if !unit.starts_with('区') {
                continue;
            }
            let unit = if unit == "区交通局" {
                "区交通运输局".to_string()
            } else {
                unit
            };
            *towns.entry(unit.clone()).or_default() += 1;
            let w = want.entry(unit.clone()).or_default();
            w.unit = unit;
            w.projects += r.projects;
            w.done += r.done;
            w.underway += r.underway;
            w.funds += r.funds;
            w.due += r.due;
            w.on_time += r.on_time;
            w.requests += r.requests;
            w.requests_closed += r.requests_closed;
        }
        let p = dir.path().join(format!("{name}_办实事竞赛情况表.xlsx"));
        export_report(
            &store,
            ReportKind::ProjectContest,
            &s,
            Masking::Masked,
            &p,
            d(TODAY),
        )
        .unwrap();
        files.push(p);
    }
    // Unconfirmed: the two names are ranked apart and listed for the user.
    let target = dir.path().join("区级汇总.xlsx");
    let r = merge_opts(&files, &target, d(TODAY), &MergeOptions::default()).unwrap();
    assert_eq!(
        r.unsure_units,
        vec![("区交通运输局".to_string(), "区交通局".to_string())]
    );
    assert!(r
        .problems
        .iter()
        .any(|p| p.message.contains("--same 区交通运输局=区交通局")));
    let book = read_back(&target);
    assert!(row_of(sheet(&book, "区直部门排名"), "B", "区交通局").is_some());

    // Confirmed: one department, its figures summed over the three townships.
    let opts = MergeOptions {
        partial: false,
        same: vec![("区交通局".into(), "区交通运输局".into())],
    };
    let r = merge_opts(&files, &target, d(TODAY), &opts).unwrap();
    assert!(r.unsure_units.is_empty(), "{:?}", r.unsure_units);
    let book = read_back(&target);
    assert_eq!(
        sheet_names(&book),
        vec!["办实事竞赛情况表", "区直部门排名", "_meta"]
    );
    let sh = sheet(&book, "区直部门排名");
    assert!(text(sh, "A1").contains("区直部门排名"));
    let rule = ContestRule::default();
    for (unit, w) in &want {
        let shown = if unit == "区交通运输局" {
            "区交通运输局（含区交通局）".to_string()
        } else {
            unit.clone()
        };
        let row = row_of(sh, "B", &shown).unwrap_or_else(|| panic!("{shown} is ranked"));
        let at = |c: &str| num(sh, &format!("{c}{row}"));
        assert_eq!(
            (at("C"), at("F")),
            (w.projects as f64, w.done as f64),
            "{unit}"
        );
        assert!((at("H") - w.funds).abs() < 1e-6, "{unit}");
        assert_eq!(
            (at("L"), at("M")),
            (w.requests as f64, w.requests_closed as f64),
            "{unit}"
        );
        assert!((at("O") - score(w, &rule)).abs() < 1e-9, "{unit} score");
        assert_eq!(
            at("Q"),
            towns[unit] as f64,
            "{unit} serves that many townships"
        );
    }
    assert_eq!(num(sh, "P5") as u32, 1, "the first line ranks first");
    assert_eq!(
        towns["区交通运输局"], 3,
        "the short name's township is counted with the others"
    );
    // Township units are not ranked across townships, and the sheet says so.
    assert!(row_of(sh, "B", "镇农业服务中心").is_none());
    assert!(all_text(sh).contains("不参加区直部门排名"));
    // The by-township sheet adds up to the same projects.
    let by_town = sheet(&book, "办实事竞赛情况表");
    let total = row_of(by_town, "A", "合计").unwrap();
    assert!(
        num(by_town, &format!("C{total}")) >= want.values().map(|w| w.projects).sum::<i64>() as f64
    );
}

#[test]
fn a_case_is_marked_once_listed_and_counted_for_its_cadres_in_the_assessment() {
    use minqing_core::cases::{list_cases, mark_case, unmark_case, CaseInput};
    let store = township("龙河镇", 5);
    let s = Scope {
        from: d("2026-11-01"),
        to: d("2026-11-30"),
        villages: vec![],
    };
    // The demo marks some cases already; a visit of November is marked here too.
    let (visit, cadre): (i64, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT v.id, vc.cadre_id FROM visits v JOIN visit_cadres vc ON vc.visit_id = v.id
                 WHERE v.visit_date >= '2026-11-01' AND v.outcome = '见到户主'
                   AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.visit_id = v.id) ORDER BY v.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let story = "帮助困难户申请到临时救助，解决了孩子上学的实际困难。";
    let input = CaseInput {
        visit_id: Some(visit),
        category: "双十双百".into(),
        story: story.into(),
        quote: "党的干部真是为我们办实事。".into(),
        ..Default::default()
    };
    let c = mark_case(&store, &input).unwrap();
    assert_eq!(c.kind.as_str(), "走访");
    assert!(c.title.contains("走访") && !c.who.is_empty(), "{}", c.title);
    // Marking again rewrites the story; it is still one case.
    let again = mark_case(
        &store,
        &CaseInput {
            story: format!("{story}还帮他家联系了就业培训。"),
            ..input.clone()
        },
    )
    .unwrap();
    assert_eq!(again.id, c.id);
    assert!(again.story.ends_with("就业培训。"));
    // Bad input names the field and saves nothing.
    let before = list_cases(&store, None, None, None).unwrap().len();
    for (bad, field) in [
        (
            CaseInput {
                visit_id: Some(visit),
                project_id: Some(1),
                ..input.clone()
            },
            "subject",
        ),
        (
            CaseInput {
                visit_id: Some(99_999_999),
                ..input.clone()
            },
            "visitId",
        ),
        (
            CaseInput {
                story: "  ".into(),
                ..input.clone()
            },
            "story",
        ),
        (
            CaseInput {
                visit_id: None,
                request: Some("2026-999999".into()),
                ..input.clone()
            },
            "request",
        ),
    ] {
        let e = mark_case(&store, &bad).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
    }
    assert_eq!(list_cases(&store, None, None, None).unwrap().len(), before);

    // The cadre assessment counts each cadre's cases of the period, by plain loops here.
    let want: HashMap<i64, i64> = store
        .read(|c| {
            let mut m: HashMap<i64, std::collections::HashSet<i64>> = HashMap::new();
            let mut st = c.prepare(
                "SELECT k.id, k.visit_id, r.visit_id, k.marked_on FROM cases k LEFT JOIN requests r ON r.id = k.request_id",
            )?;
            let rows: Vec<(i64, Option<i64>, Option<i64>, String)> = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            for (id, v, rv, day) in rows {
                if day.as_str() < "2026-11-01" || day.as_str() > "2026-11-30" {
                    continue;
                }
                let Some(v) = v.or(rv) else { continue };
                let mut q = c.prepare("SELECT cadre_id FROM visit_cadres WHERE visit_id = ?1")?;
                let cadres: Vec<i64> = q.query_map([v], |r| r.get(0))?.collect::<Result<_, _>>()?;
                for cd in cadres {
                    m.entry(cd).or_default().insert(id);
                }
            }
            Ok(m.into_iter().map(|(k, v)| (k, v.len() as i64)).collect())
        })
        .unwrap();
    assert!(want.get(&cadre).copied().unwrap_or(0) >= 1);
    let (rows, total) = store
        .read(|c| minqing_core::stats::district::cadre_assessment(c, &s))
        .unwrap();
    for r in &rows {
        assert_eq!(r.cases, want.get(&r.id).copied().unwrap_or(0), "{}", r.name);
    }
    let dir = tempfile::tempdir().unwrap();
    let town = minqing_core::register::township::get_township(&store).unwrap();
    let path = dir
        .path()
        .join(report_file_name(&town, ReportKind::CadreAssessment, &s));
    export_report(
        &store,
        ReportKind::CadreAssessment,
        &s,
        Masking::Masked,
        &path,
        d(TODAY),
    )
    .unwrap();
    let book = read_back(&path);
    let sh = sheet(&book, "干部走访考核表");
    assert_eq!(text(sh, "P3"), "先进典型");
    let t = row_of(sh, "A", "合计").unwrap();
    assert_eq!(num(sh, &format!("P{t}")), total.cases as f64);
    assert_eq!(total.cases, rows.iter().map(|r| r.cases).sum::<i64>());

    // Taken off, the case no longer counts.
    unmark_case(&store, c.id).unwrap();
    assert!(list_cases(&store, None, None, None)
        .unwrap()
        .iter()
        .all(|x| x.id != c.id));
    assert!(unmark_case(&store, c.id)
        .unwrap_err()
        .to_string()
        .contains("找不到该典型"));
}

#[test]
fn cases_are_marked_and_listed_from_the_command_line() {
    use crate::common::{json, minqing_on, stderr};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let o = minqing_on(
        &db,
        TODAY,
        &["demo", "--households", "300", "--activity", "60"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = json(&minqing_on(&db, TODAY, &["--json", "case", "list"]));
    let demo = listed.as_array().unwrap().len();
    assert!(demo >= 3, "the demo marks some cases: {listed}");
    let o = minqing_on(
        &db,
        TODAY,
        &[
            "--json",
            "case",
            "mark",
            "--project",
            "1",
            "--story",
            "区交通运输局把村组道路修到了家门口。",
            "--category",
            "一创四争",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = json(&o);
    assert_eq!(
        (c["kind"].as_str(), c["category"].as_str()),
        (Some("实事项目"), Some("一创四争"))
    );
    let o = minqing_on(
        &db,
        TODAY,
        &[
            "case",
            "mark",
            "--visit",
            "1",
            "--project",
            "1",
            "--story",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        !stderr(&o).is_empty() && !stderr(&o).contains("error:"),
        "{}",
        stderr(&o)
    );
    let o = minqing_on(&db, TODAY, &["case", "list", "--category", "一创四争"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("区交通运输局把村组道路"),
        "{}",
        stderr(&o)
    );
}

/// Part 5, 年底考核: the 本年 exports of the cadre assessment and the 办实事竞赛 carry the whole
/// year — a cadre's 走访户次 of the year is the sum of the quarters', a unit's contest line is the
/// year's raw rows — and the district merges and ranks the townships' year workbooks.
#[test]
fn the_years_exports_carry_every_quarter_and_the_district_ranks_them() {
    let dir = tempfile::tempdir().unwrap();
    let year = Scope {
        from: d("2026-01-01"),
        to: d("2026-12-31"),
        villages: vec![],
    };
    let q3 = Scope {
        from: d("2026-07-01"),
        to: d("2026-09-30"),
        villages: vec![],
    };
    let mut files = Vec::new();
    for (i, name) in ["龙河镇", "洋北镇", "耿车镇"].iter().enumerate() {
        let store = township(name, 40 + i as u64);
        let at = dir.path().join(name);
        std::fs::create_dir_all(&at).unwrap();
        // The contest of the year against the year's raw rows.
        let path = export(&store, ReportKind::ProjectContest, &year, &at);
        assert!(path
            .to_string_lossy()
            .ends_with("_办实事竞赛情况表_2026年.xlsx"));
        let book = read_back(&path);
        let sh = sheet(&book, "按单位");
        for (unit, w) in by_hand(&store, &year) {
            let r = row_of(sh, "B", &unit).unwrap_or_else(|| panic!("{unit} has a line"));
            let at = |col: &str| num(sh, &format!("{col}{r}"));
            assert_eq!(
                (at("C"), at("F"), at("L"), at("M")),
                (
                    w.projects as f64,
                    w.done as f64,
                    w.requests as f64,
                    w.requests_closed as f64
                ),
                "{name} {unit}: the year's figures"
            );
        }
        files.push(path);
        // The assessment of the year against its quarters (the diary starts in August).
        let y = export(&store, ReportKind::CadreAssessment, &year, &at);
        let a = read_back(&y);
        let a = sheet(&a, "干部走访考核表");
        let parts: Vec<_> = [&q3, &quarter()]
            .iter()
            .map(|s| {
                let sub = at.join(s.from.to_string());
                std::fs::create_dir_all(&sub).unwrap();
                read_back(&export(&store, ReportKind::CadreAssessment, s, &sub))
            })
            .collect();
        let mut checked = 0;
        for row in 5..200 {
            let cadre = text(a, &format!("B{row}"));
            if cadre.is_empty() || cadre == "合计" {
                break;
            }
            let mut visits = 0.0;
            let mut most = 0.0f64;
            let mut sum = 0.0;
            for p in &parts {
                let sh = sheet(p, "干部走访考核表");
                if let Some(r) = row_of(sh, "B", &cadre) {
                    visits += num(sh, &format!("G{r}"));
                    most = most.max(num(sh, &format!("E{r}")));
                    sum += num(sh, &format!("E{r}"));
                }
            }
            assert_eq!(
                num(a, &format!("G{row}")),
                visits,
                "{name} {cadre}: 走访户次 of the year"
            );
            let households = num(a, &format!("E{row}"));
            assert!(
                households >= most && households <= sum,
                "{name} {cadre}: {households} households in the year, quarters {most}..{sum}"
            );
            checked += 1;
        }
        assert!(checked >= 10, "{name}: {checked} cadres checked");
        files.push(y);
    }
    let target = dir.path().join("区级汇总_2026年.xlsx");
    let r = merge_opts(&files, &target, d(TODAY), &MergeOptions::default()).unwrap();
    assert_eq!(r.period, "2026年");
    assert_eq!(r.townships.len(), 3);
    let book = read_back(&target);
    let names = sheet_names(&book);
    for s in ["干部走访考核表", "办实事竞赛情况表", "区直部门排名"] {
        assert!(names.iter().any(|n| n == s), "{s} in {names:?}");
    }
    let ranked = sheet(&book, "区直部门排名");
    assert_eq!(
        num(ranked, "P5") as u32,
        1,
        "the year's departments are ranked"
    );
}
