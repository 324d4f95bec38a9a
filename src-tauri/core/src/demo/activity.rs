//! Demo activity: visits with the requests they raise, and those requests carried through
//! their lifecycle (交办, 办理, 延期, 办结, 回访, some left overdue) — through the same diary and
//! lifecycle code the app uses, so the 工作台, the ledger and the district's reports have
//! something true to show. `minqing demo --activity`.

use super::Rng;
use crate::audit::{self, AuditEntity, Level};
use crate::calendar::Calendar;
use crate::diary::{RaisedRequest, VisitInput, VisitOutcome};
use crate::error::{Error, Result};
use crate::requests::lifecycle::{apply, Action};
use crate::requests::{Handling, Outcome, RequestKind, Satisfaction, Urgency};
use crate::Store;
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

const UNITS: [&str; 8] = [
    "区交通运输局",
    "区水利局",
    "区民政局",
    "区住建局",
    "区卫健委",
    "镇农业服务中心",
    "镇综治中心",
    "镇社会事业局",
];

const CONTENTS: [&str; 10] = [
    "村组道路破损，雨天出行不便，希望尽快修补。",
    "今年小麦受灾，咨询农业保险理赔办法。",
    "家中老人行动不便，咨询居家养老服务补贴如何申请。",
    "家门口排水沟堵塞，下雨积水。",
    "孩子上学路远，希望校车线路延伸到本组。",
    "想参加技能培训，咨询本镇就业培训安排。",
    "与邻居因宅基地边界产生纠纷，请求调解。",
    "村里垃圾清运不及时，希望增加清运次数。",
    "咨询城乡居民医保缴费和报销政策。",
    "自来水水压不足，高峰时段停水。",
];

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ActivitySummary {
    pub visits: u64,
    pub requests: u64,
    pub closed: u64,
    /// 实事项目 of the units, in every state.
    pub projects: u64,
    /// 先进典型 marked on solved requests, praised visits and finished projects.
    pub cases: u64,
}

/// Visits over `[from, to]` (at most up to `today`): about `share` of the 在册 households, each
/// by a cadre linked to its village, on working days; about one visit in eight raises a
/// request, which then moves on as a unit would handle it by `today`. Deterministic by `seed`.
pub fn activity(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    share: f64,
    seed: u64,
    today: NaiveDate,
) -> Result<ActivitySummary> {
    let to = to.min(today);
    if to < from {
        return Err(Error::invalid(
            "period",
            "示例走访的时段应在今天之前，且结束日期不早于开始日期。",
        ));
    }
    store.write(|tx| store.with_audit_level(Level::Off, || {
        let cal = Calendar::load(tx)?;
        let mut rng = Rng(seed ^ 0x7669_7369_7473);
        let mut units: Vec<i64> = tx
            .prepare("SELECT id FROM units WHERE active = 1 ORDER BY sort_order, id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if units.is_empty() {
            for (i, name) in UNITS.iter().enumerate() {
                // Each unit's 责任人 (the reports' 责任人 column falls back to it).
                let contact = format!(
                    "{}{}",
                    ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"][i % 10],
                    ["科长", "主任", "股长"][i % 3]
                );
                tx.execute(
                    "INSERT INTO units (name, contact_person, sort_order, created_at) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![name, contact, i as i64, crate::now_text()],
                )?;
                units.push(tx.last_insert_rowid());
            }
        }
        let categories: Vec<i64> = tx
            .prepare("SELECT id FROM request_categories ORDER BY sort_order")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // Each 在册 household with the cadres who work in its village.
        let households: Vec<(i64, i64)> = tx
            .prepare("SELECT id, village_id FROM households WHERE status = '在册' ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut cadres_of: std::collections::HashMap<i64, Vec<i64>> = Default::default();
        {
            let mut st = tx.prepare(
                "SELECT cv.village_id, cv.cadre_id FROM cadre_villages cv JOIN cadres c ON c.id = cv.cadre_id
                 WHERE c.active = 1 ORDER BY cv.village_id, cv.cadre_id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                cadres_of.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
        }
        let days: Vec<NaiveDate> = from
            .iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| cal.is_working_day(*d))
            .collect();
        if days.is_empty() || households.is_empty() {
            return Ok(ActivitySummary {
                visits: 0,
                requests: 0,
                closed: 0,
                projects: 0,
                cases: 0,
            });
        }
        let mut planned: Vec<(NaiveDate, i64, i64)> = Vec::new();
        // Some households are visited again (a return visit, a 重点户 seen monthly): 走访户次
        // then exceeds 已访户数, as in a real township. Drawn apart, so the first visits stay
        // what each seed always gave.
        let mut again = Rng(seed ^ 0x6167_6169_6e21);
        for &(h, v) in &households {
            let Some(cs) = cadres_of.get(&v) else { continue };
            if !rng.chance(share) {
                continue;
            }
            let day = days[rng.below(days.len() as u64) as usize];
            let cadre = cs[rng.below(cs.len() as u64) as usize];
            planned.push((day, h, cadre));
            if again.chance(0.15) {
                // At least 20 days later: 不扰民 (14 days) holds.
                let later: Vec<NaiveDate> = days
                    .iter()
                    .copied()
                    .filter(|d| (*d - day).num_days() >= 20)
                    .collect();
                if !later.is_empty() {
                    planned.push((later[again.below(later.len() as u64) as usize], h, cadre));
                }
            }
        }
        planned.sort();
        let (mut visits, mut requests, mut closed) = (0u64, 0u64, 0u64);
        for (day, h, cadre) in planned {
            let outcome = *rng.weighted(
                &[
                    (VisitOutcome::MetHead, 80),
                    (VisitOutcome::MetFamily, 10),
                    (VisitOutcome::NotHome, 8),
                    (VisitOutcome::Refused, 2),
                ],
                100,
            );
            let raises = outcome.counts() && rng.chance(0.13);
            let raised = if raises {
                let kind = *rng.weighted(
                    &[
                        (RequestKind::Consult, 30),
                        (RequestKind::Help, 40),
                        (RequestKind::Complaint, 10),
                        (RequestKind::Report, 5),
                        (RequestKind::Suggestion, 15),
                    ],
                    100,
                );
                vec![RaisedRequest {
                    kind,
                    category_id: categories[rng.below(categories.len() as u64) as usize],
                    urgency: *rng.weighted(
                        &[
                            (Urgency::Urgent, 5),
                            (Urgency::Pressing, 20),
                            (Urgency::Normal, 75),
                        ],
                        100,
                    ),
                    handling: Some(*rng.weighted(
                        &[
                            (Handling::SolveNow, 60),
                            (Handling::Plan, 25),
                            (Handling::Explain, 15),
                        ],
                        100,
                    )),
                    content: CONTENTS[rng.below(CONTENTS.len() as u64) as usize].to_string(),
                    requester_name: String::new(),
                    unit_id: rng
                        .chance(0.85)
                        .then(|| units[rng.below(units.len() as u64) as usize]),
                }]
            } else {
                Vec::new()
            };
            let evaluation = outcome.counts().then(|| {
                *rng.weighted(
                    &[
                        (Satisfaction::Satisfied, 72),
                        (Satisfaction::Basic, 23),
                        (Satisfaction::Dissatisfied, 5),
                    ],
                    100,
                )
            });
            let visit = crate::diary::insert(
                tx,
                &cal,
                &VisitInput {
                    household_id: h,
                    visit_date: Some(day),
                    cadre_ids: vec![cadre],
                    outcome,
                    learned: if outcome.counts() {
                        "了解了家庭收入、身体状况和生产生活困难。".into()
                    } else {
                        String::new()
                    },
                    evaluation,
                    requests: raised,
                },
                today,
            )?;
            visits += 1;
            if !raises {
                continue;
            }
            let (id, deadline, unit): (i64, NaiveDate, Option<i64>) = tx.query_row(
                "SELECT id, deadline, unit_id FROM requests WHERE visit_id = ?1",
                [visit],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            requests += 1;
            let raised = Raised {
                id,
                received: day,
                deadline,
                unit,
            };
            closed += carry_on(tx, &cal, &mut rng, raised, &units, today)? as u64;
        }
        let projects = projects(tx, seed, &days, today)?;
        let cases = cases(tx)?;
        audit::note(
            tx,
            AuditEntity::Request,
            None,
            &format!("{from} 至 {to}"),
            "生成示例走访",
            &format!("{visits} 次走访、{requests} 件诉求、{projects} 个实事项目、{cases} 个先进典型"),
        )?;
        Ok(ActivitySummary {
            visits,
            requests,
            closed,
            projects,
            cases,
        })
    }))
}

/// Projects by unit: (title, content) — what each department does for a village.
fn project_titles(unit: &str) -> &'static [(&'static str, &'static str)] {
    match unit {
        "区交通运输局" => &[
            (
                "村组道路提档升级",
                "对破损严重的村组道路铺设沥青，改善群众出行。",
            ),
            ("危桥改造", "拆除重建危桥一座，消除通行安全隐患。"),
            ("农村公交站台建设", "新建候车亭，方便老人和学生乘车。"),
        ],
        "区水利局" => &[
            ("灌溉渠清淤", "清淤疏浚灌溉渠，保障夏季用水。"),
            (
                "农村饮水管网改造",
                "更换老化供水管网，解决高峰时段水压不足。",
            ),
            ("排涝站维修", "维修排涝泵站，汛前完成调试。"),
        ],
        "区民政局" => &[
            (
                "居家养老服务站建设",
                "建设村级居家养老服务站，提供助餐和日间照料。",
            ),
            ("困难家庭帮扶", "对低保和特困家庭开展走访和临时救助。"),
        ],
        "区住建局" => &[
            ("农房危房改造", "对鉴定为危房的农户住房进行加固改造。"),
            ("村庄环境整治", "整治房前屋后堆放物，新建垃圾收集点。"),
        ],
        "区卫健委" => &[
            ("村卫生室标准化建设", "改造村卫生室，配齐常用诊疗设备。"),
            (
                "家庭医生签约服务进村",
                "组织家庭医生入户为老人和慢病患者体检。",
            ),
        ],
        _ => &[
            ("农技培训进村", "开展小麦病虫害防治和高效种植技术培训。"),
            ("矛盾纠纷排查化解", "逐户排查邻里和宅基地纠纷，现场调解。"),
        ],
    }
}

/// The units' 实事项目 over the demo's days: each 区直部门 two or three, each township unit one,
/// in every state (计划, 实施中 — some past their planned end —, 已完成 on time or late,
/// 已终止), with the history a coordinator would have kept. Drawn from their own seed, so the
/// visits stay what each seed always gave. Returns how many.
fn projects(
    tx: &rusqlite::Connection,
    seed: u64,
    days: &[NaiveDate],
    today: NaiveDate,
) -> Result<u64> {
    use crate::requests::projects::{ProjectKind, ProjectStatus};
    let mut rng = Rng(seed ^ 0x7072_6f6a_6563);
    let units: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM units WHERE active = 1 ORDER BY sort_order, id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let villages: Vec<i64> = tx
        .prepare("SELECT id FROM villages ORDER BY sort_order, id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if units.is_empty() || villages.is_empty() || days.len() < 10 {
        return Ok(0);
    }
    // Every state appears: the cycle of states the projects take in turn.
    const STATES: [ProjectStatus; 8] = [
        ProjectStatus::Done,
        ProjectStatus::Underway,
        ProjectStatus::Done,
        ProjectStatus::Planned,
        ProjectStatus::Underway,
        ProjectStatus::Done,
        ProjectStatus::Stopped,
        ProjectStatus::Underway,
    ];
    let operator = crate::requests::rules::operator(tx)?;
    let mut n = 0u64;
    for (unit, name) in &units {
        let titles = project_titles(name);
        let count = if name.starts_with('区') {
            titles.len().min(2 + rng.below(2) as usize)
        } else {
            1
        };
        for (title, content) in titles.iter().take(count) {
            let state = STATES[n as usize % STATES.len()];
            let kind = *rng.weighted(
                &[
                    (ProjectKind::Contest, 60),
                    (ProjectKind::TenToVillages, 25),
                    (ProjectKind::Pairing, 15),
                ],
                100,
            );
            let village = villages[rng.below(villages.len() as u64) as usize];
            // Registered in the first two thirds of the days, due 30 to 75 days later.
            let start = days[rng.below((days.len() * 2 / 3) as u64) as usize];
            let planned_end = start + chrono::Days::new(rng.range(30, 75));
            let funds = rng
                .chance(0.9)
                .then(|| (rng.range(50, 8000) as f64) / 100.0);
            let at = |d: NaiveDate, h: u32| format!("{d} {h:02}:00:00");
            let started = (start + chrono::Days::new(rng.range(3, 12))).min(today);
            // Done on time for some, a few days late for others, by today.
            let finished = (start + chrono::Days::new(rng.range(20, 60))).min(today);
            let (status, result) = match state {
                ProjectStatus::Done => (
                    state,
                    format!("已完工并通过验收，受益群众 {} 户。", rng.range(20, 300)),
                ),
                ProjectStatus::Stopped => (
                    state,
                    "因规划调整，项目终止，资金转入下一年度计划。".to_string(),
                ),
                s => (s, String::new()),
            };
            tx.execute(
                "INSERT INTO projects (kind, unit_id, village_id, title, content, funds, planned_end, status, result, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                rusqlite::params![kind, unit, village, title, content, funds, planned_end, status, result, at(start, 9)],
            )?;
            let id = tx.last_insert_rowid();
            let mut history = vec![(at(start, 9), "立项".to_string(), format!("{kind}：{title}"))];
            if status != ProjectStatus::Planned {
                history.push((at(started, 10), "实施中".into(), "已开工。".into()));
            }
            match status {
                ProjectStatus::Underway => history.push((
                    at(started.max(finished - chrono::Days::new(5)).min(today), 15),
                    "进展".into(),
                    format!("完成工程量约 {}%。", rng.range(30, 90)),
                )),
                ProjectStatus::Done | ProjectStatus::Stopped => history.push((
                    at(finished.max(started), 16),
                    status.as_str().into(),
                    result.clone(),
                )),
                ProjectStatus::Planned => {}
            }
            for (at, action, note) in history {
                tx.execute(
                    "INSERT INTO project_history (project_id, at, operator, action, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![id, at, operator, action, note],
                )?;
            }
            n += 1;
        }
    }
    Ok(n)
}

/// A few 先进典型, as a coordinator marks them: requests solved to the villager's satisfaction,
/// visits the household praised, projects done — each with a short story. Returns how many.
fn cases(tx: &rusqlite::Connection) -> Result<u64> {
    let now = crate::now_text();
    let mut n = 0u64;
    let requests: Vec<(i64, String, String)> = tx
        .prepare(
            "SELECT r.id, r.received_on, u.name FROM requests r JOIN units u ON u.id = r.unit_id
             WHERE r.outcome = '已解决' AND r.satisfaction = '满意' AND r.visit_id IS NOT NULL
             ORDER BY r.id LIMIT 4",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (i, (id, day, unit)) in requests.iter().enumerate() {
        tx.execute(
            "INSERT INTO cases (request_id, category, story, quote, marked_on, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            rusqlite::params![
                id,
                ["双十双百", "一创四争"][i % 2],
                format!("走访干部入户时听到群众反映后当场登记，交{unit}办理，按时限办结并回访，群众满意。"),
                "干部来了一趟，事情就办成了。",
                day,
                now
            ],
        )?;
        n += 1;
    }
    let visits: Vec<(i64, String)> = tx
        .prepare(
            "SELECT v.id, v.visit_date FROM visits v WHERE v.evaluation = '满意' AND v.learned <> ''
             AND NOT EXISTS (SELECT 1 FROM requests r JOIN cases k ON k.request_id = r.id WHERE r.visit_id = v.id)
             ORDER BY v.id DESC LIMIT 3",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, day) in &visits {
        tx.execute(
            "INSERT INTO cases (visit_id, category, story, quote, marked_on, created_at, updated_at)
             VALUES (?1, '双十双百', ?2, ?3, ?4, ?5, ?5)",
            rusqlite::params![
                id,
                "结对干部多次上门，帮助解决生产生活中的实际困难，与群众拉家常、交朋友。",
                "他把我们的事当自己的事。",
                day,
                now
            ],
        )?;
        n += 1;
    }
    let projects: Vec<(i64, String)> = tx
        .prepare("SELECT id, substr(created_at, 1, 10) FROM projects WHERE status = '已完成' ORDER BY id LIMIT 2")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, day) in &projects {
        tx.execute(
            "INSERT INTO cases (project_id, category, story, quote, marked_on, created_at, updated_at)
             VALUES (?1, '一创四争', ?2, '', ?3, ?4, ?4)",
            rusqlite::params![id, "部门结合职能为村里办成一件实事，按期完工并通过验收。", day, now],
        )?;
        n += 1;
    }
    Ok(n)
}

/// A request as the visit raised it.
struct Raised {
    id: i64,
    received: NaiveDate,
    deadline: NaiveDate,
    unit: Option<i64>,
}

/// Moves one request on as a unit would by `today`; true when it ends closed.
fn carry_on(
    tx: &rusqlite::Connection,
    cal: &Calendar,
    rng: &mut Rng,
    raised: Raised,
    units: &[i64],
    today: NaiveDate,
) -> Result<bool> {
    let Raised {
        id,
        received,
        deadline,
        unit,
    } = raised;
    let step = |d: NaiveDate| d.min(today).max(received);
    if unit.is_none() {
        if rng.chance(0.3) {
            return Ok(false); // still waiting to be assigned
        }
        let u = units[rng.below(units.len() as u64) as usize];
        apply(
            tx,
            id,
            &Action::Assign {
                unit_id: u,
                handler: String::new(),
                note: String::new(),
            },
            step(cal.add_working_days(received, 1)),
        )?;
    }
    let progress_on = step(cal.add_working_days(received, 1 + rng.below(2) as u32));
    apply(
        tx,
        id,
        &Action::Progress {
            note: "已联系群众，正在现场核实。".into(),
        },
        progress_on,
    )?;
    let mut deadline = deadline;
    if rng.chance(0.08) && deadline > progress_on {
        deadline = cal.add_working_days(deadline, 5);
        apply(
            tx,
            id,
            &Action::Extend {
                to: deadline,
                reason: "需协调资金，申请延期。".into(),
            },
            progress_on,
        )?;
    }
    // Most are closed in time, some late, some not yet (and some of those overdue).
    let late = rng.chance(0.12);
    let close_on = if late {
        cal.add_working_days(deadline, 1 + rng.below(4) as u32)
    } else {
        let span = (deadline - progress_on).num_days().max(0) as u64;
        progress_on + chrono::Duration::days(rng.below(span + 1) as i64)
    };
    if close_on > today || rng.chance(0.05) {
        if rng.chance(0.2) {
            apply(
                tx,
                id,
                &Action::MarkBehind {
                    behind: true,
                    note: "进度滞后".into(),
                },
                step(progress_on),
            )?;
        }
        return Ok(false);
    }
    let outcome = *rng.weighted(
        &[
            (Outcome::Solved, 78),
            (Outcome::Partly, 15),
            (Outcome::Unsolved, 7),
        ],
        100,
    );
    apply(
        tx,
        id,
        &Action::Close {
            result: "已现场处理并落实。".into(),
            reply: "已电话答复群众办理结果。".into(),
            outcome,
        },
        close_on,
    )?;
    let review_on = cal.add_working_days(close_on, 1 + rng.below(3) as u32);
    if review_on <= today && rng.chance(0.8) {
        let satisfaction = *rng.weighted(
            &[
                (Satisfaction::Satisfied, 70),
                (Satisfaction::Basic, 22),
                (Satisfaction::Dissatisfied, 8),
            ],
            100,
        );
        apply(
            tx,
            id,
            &Action::Review {
                satisfaction,
                note: String::new(),
            },
            review_on,
        )?;
    }
    Ok(true)
}
