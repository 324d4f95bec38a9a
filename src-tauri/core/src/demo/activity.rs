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
            closed += carry_on(tx, &cal, &mut rng, id, day, deadline, unit, &units, today)? as u64;
        }
        audit::note(
            tx,
            AuditEntity::Request,
            None,
            &format!("{from} 至 {to}"),
            "生成示例走访",
            &format!("{visits} 次走访、{requests} 件诉求"),
        )?;
        Ok(ActivitySummary {
            visits,
            requests,
            closed,
        })
    }))
}

/// Moves one request on as a unit would by `today`; true when it ends closed.
#[allow(clippy::too_many_arguments)]
fn carry_on(
    tx: &rusqlite::Connection,
    cal: &Calendar,
    rng: &mut Rng,
    id: i64,
    received: NaiveDate,
    deadline: NaiveDate,
    unit: Option<i64>,
    units: &[i64],
    today: NaiveDate,
) -> Result<bool> {
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
