//! `minqing plan` — 走访排班: set up a cycle and compute it, show it, check it with the
//! independent checker, print it.

use crate::output::{table, Out};
use crate::{split_list, village_id, Ctx};
use clap::Subcommand;
use minqing_core::plan::store::{self, CycleInput, PlanSummary};
use minqing_core::privacy::Masking;
use minqing_core::report::schedule;
use minqing_core::{Error, Result, Store};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PlanCmd {
    /// 新建一个走访轮次并计算排班
    Create {
        /// 轮次名称，如 “2026年二季度”
        #[arg(long)]
        name: String,
        /// 开始日期
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// 结束日期
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// 参加本轮的村，用逗号分隔（默认全部）
        #[arg(long, default_value = "")]
        villages: String,
        /// 规则文件（TOML）：min_gap_days、max_per_month、per_cadre_day、prefer_pairing、
        /// prefer_continuity、locality、seed
        #[arg(long, value_name = "rules.toml")]
        rules: Option<PathBuf>,
        /// 随机种子：同样的数据和种子总是得到同样的排班
        #[arg(long)]
        seed: Option<u32>,
    },
    /// 列出走访轮次
    List,
    /// 查看一个轮次的排班摘要
    Show {
        /// 轮次编号
        id: i64,
    },
    /// 重新计算排班（保留已锁定和已走访的安排）
    Compute {
        /// 轮次编号
        id: i64,
        /// 其余仍符合规则的安排也不动，只重排受影响的走访（任务单已下发时用）
        #[arg(long)]
        keep: bool,
    },
    /// 用独立的检查程序核对排班是否违反硬性规则
    Check {
        /// 轮次编号
        id: i64,
    },
    /// 导出走访排班表，或每名干部一页的走访任务单（.xlsx）
    Export {
        /// 轮次编号
        id: i64,
        /// 保存到（默认放在“文档/民情通导出”（没有“文档”文件夹时放在数据文件夹的 exports）中，按乡镇、表名和轮次命名）
        #[arg(long, value_name = "F.xlsx")]
        out: Option<PathBuf>,
        /// 导出走访任务单（每名干部一个工作表；走访后可填写，交回后用 import visits 导入）
        #[arg(long)]
        per_cadre: bool,
        /// 走访任务单每名干部一个文件（按干部姓名命名，便于分别发送）；--out 为文件夹
        #[arg(long)]
        files_per_cadre: bool,
        /// 不脱敏（联系电话显示完整号码；每页都会注明）
        #[arg(long, conflicts_with = "public")]
        unmasked: bool,
        /// 对外公开版：群众姓名也脱敏（张*）
        #[arg(long)]
        public: bool,
    },
}

/// The rules file: every key optional, unknown keys refused (a typo must not pass silently).
#[derive(Default)]
struct RulesFile {
    min_gap_days: Option<u32>,
    max_per_month: Option<u32>,
    per_cadre_day: Option<u32>,
    prefer_pairing: Option<bool>,
    prefer_continuity: Option<bool>,
    locality: Option<bool>,
    seed: Option<u32>,
}

const RULE_KEYS: &str =
    "min_gap_days、max_per_month、per_cadre_day、prefer_pairing、prefer_continuity、locality、seed";

/// Reads `rules.toml`. Every mistake is said in Chinese, naming the line or the key and what
/// is allowed (TOML's and serde's own messages are English).
fn read_rules(path: &PathBuf) -> Result<RulesFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("无法读取规则文件“{}”", path.display()), e))?;
    let bad =
        |msg: String| Error::invalid("rules", format!("规则文件“{}”有误：{msg}", path.display()));
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        bad(match line {
            Some(n) => format!("第 {n} 行不是“名称 = 值”的格式（如 min_gap_days = 14）。"),
            None => "不是“名称 = 值”的格式（如 min_gap_days = 14）。".into(),
        })
    })?;
    let mut r = RulesFile::default();
    for (key, value) in &table {
        // The value as the user wrote it, for the message.
        let shown = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(n) => n.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            _ => "（不是单个值）".into(),
        };
        let number = |lo: i64, hi: i64, what: &str| -> Result<Option<u32>> {
            match value.as_integer() {
                Some(n) if (lo..=hi).contains(&n) => Ok(Some(n as u32)),
                Some(n) => Err(bad(format!(
                    "{key}（{what}）= {n} 不合理，应在 {lo} 到 {hi} 之间的整数。"
                ))),
                None => Err(bad(format!("{key}（{what}）应当是整数，现在是“{shown}”。"))),
            }
        };
        let flag = |what: &str| -> Result<Option<bool>> {
            value.as_bool().map(Some).ok_or_else(|| {
                bad(format!(
                    "{key}（{what}）应当是 true 或 false，现在是“{shown}”。"
                ))
            })
        };
        match key.as_str() {
            "min_gap_days" => r.min_gap_days = number(1, 90, "两次走访至少间隔天数")?,
            "max_per_month" => r.max_per_month = number(1, 31, "每户每月最多走访次数")?,
            "per_cadre_day" => r.per_cadre_day = number(1, 50, "每名干部每天最多走访户数")?,
            "seed" => r.seed = number(0, u32::MAX as i64, "随机种子")?,
            "prefer_pairing" => r.prefer_pairing = flag("结对户由结对干部走访")?,
            "prefer_continuity" => r.prefer_continuity = flag("沿用上一轮的走访干部")?,
            "locality" => r.locality = flag("一天一个村")?,
            other => {
                return Err(bad(format!(
                    "不认识的设置“{other}”。可用的设置：{RULE_KEYS}。"
                )))
            }
        }
    }
    Ok(r)
}

/// What `plan create` and `plan compute` print.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    plan_id: i64,
    version: i64,
    assignments: u32,
    /// Share of 在册 households in scope visited in the cycle.
    coverage: f64,
    /// Share of due 必到 visits met on time.
    key_visit_on_time: f64,
    hard_violations: usize,
    unassigned: Vec<Unassigned>,
    utilisation: Utilisation,
    /// Share of cadre-days that stay in one village.
    locality: f64,
    seconds: f64,
    /// E.g. a year of the cycle whose 调休 is not known yet.
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct Unassigned {
    household: i64,
    name: String,
    village: String,
    reason: String,
}

#[derive(Serialize)]
struct Utilisation {
    min: f64,
    max: f64,
    mean: f64,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        (a as f64 / b as f64 * 10000.0).round() / 10000.0
    }
}

fn created(store: &Store, id: i64, s: &PlanSummary) -> Result<Created> {
    // Names for the unassigned households (coverage shortfalls only: a late 必到 visit is
    // still assigned).
    let mut unassigned = Vec::new();
    store.read(|c| {
        let mut st = c.prepare_cached(
            "SELECT h.head_name, v.name FROM households h JOIN villages v ON v.id = h.village_id WHERE h.id = ?1",
        )?;
        for f in s
            .shortfalls
            .iter()
            .filter(|f| !f.cause.households_planned())
        {
            for h in &f.household_ids {
                let (name, village): (String, String) =
                    st.query_row([h], |r| Ok((r.get(0)?, r.get(1)?)))?;
                unassigned.push(Unassigned {
                    household: *h,
                    name,
                    village,
                    reason: format!("{}{}", f.message, f.fix),
                });
            }
        }
        Ok(())
    })?;
    let sc = &s.score;
    Ok(Created {
        plan_id: id,
        version: s.number,
        assignments: s.assignments,
        coverage: ratio(sc.covered, sc.households),
        key_visit_on_time: ratio(sc.key_visits_on_time, sc.key_visits_due),
        hard_violations: s.hard_violations.len(),
        unassigned,
        utilisation: Utilisation {
            min: (sc.utilisation_min * 10000.0).round() / 10000.0,
            max: (sc.utilisation_max * 10000.0).round() / 10000.0,
            mean: (sc.utilisation_mean * 10000.0).round() / 10000.0,
        },
        locality: ratio(sc.single_village_days, sc.cadre_days),
        seconds: (s.seconds * 1000.0).round() / 1000.0,
        warnings: s.warnings.clone(),
    })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn print_summary(out: &Out, c: &Created, s: &PlanSummary) {
    if out.emit(c) {
        return;
    }
    println!(
        "轮次 {} 第 {} 版排班：{} 次走访，覆盖率 {}，重点户按期率 {}，单村工作日 {}，硬性规则违反 {} 处，用时 {:.2} 秒。",
        c.plan_id,
        c.version,
        c.assignments,
        pct(c.coverage),
        pct(c.key_visit_on_time),
        pct(c.locality),
        c.hard_violations,
        c.seconds
    );
    println!(
        "干部工作量（已排/可排）：最低 {}，最高 {}，平均 {}。",
        pct(c.utilisation.min),
        pct(c.utilisation.max),
        pct(c.utilisation.mean)
    );
    for w in &s.warnings {
        println!("注意：{w}");
    }
    if s.shortfalls.is_empty() {
        println!("所有规则都已满足。");
    } else {
        println!("未能满足的事项：");
        for f in &s.shortfalls {
            println!("  · {} 建议：{}", f.message, f.fix);
        }
    }
}

pub fn plan(cmd: PlanCmd, ctx: &Ctx) -> Result<()> {
    let store = &ctx.store;
    let out = &ctx.out;
    match cmd {
        PlanCmd::Create {
            name,
            from,
            to,
            villages,
            rules,
            seed,
        } => {
            let start = crate::ledger::date_arg("from", &from)?;
            let end = crate::ledger::date_arg("to", &to)?;
            let mut input = CycleInput::new(&name, start, end);
            input.village_ids = split_list(&villages)
                .iter()
                .map(|v| village_id(store, v))
                .collect::<Result<_>>()?;
            if let Some(path) = &rules {
                let r = read_rules(path)?;
                input.min_gap_days = r.min_gap_days.unwrap_or(input.min_gap_days);
                input.max_per_month = r.max_per_month.unwrap_or(input.max_per_month);
                input.per_cadre_day = r.per_cadre_day.unwrap_or(input.per_cadre_day);
                input.prefer_pairing = r.prefer_pairing.unwrap_or(input.prefer_pairing);
                input.prefer_continuity = r.prefer_continuity.unwrap_or(input.prefer_continuity);
                input.locality = r.locality.unwrap_or(input.locality);
                input.seed = r.seed.unwrap_or(input.seed);
            }
            if let Some(s) = seed {
                input.seed = s;
            }
            let cycle = store::create_cycle(store, &input)?;
            let summary = match store::compute_plan(store, cycle.id, false) {
                Ok(s) => s,
                Err(e) => {
                    // No half-made cycle left behind when the plan cannot be computed.
                    let _ = store::delete_cycle(store, cycle.id);
                    return Err(e);
                }
            };
            let c = created(store, cycle.id, &summary)?;
            print_summary(out, &c, &summary);
        }
        PlanCmd::Compute { id, keep } => {
            let summary = store::compute_plan(store, id, keep)?;
            let c = created(store, id, &summary)?;
            print_summary(out, &c, &summary);
        }
        PlanCmd::List => {
            let rows = store::list_cycles(store)?;
            if out.emit(&rows) {
                return Ok(());
            }
            if rows.is_empty() {
                println!("还没有走访轮次。用 minqing plan create 新建。");
                return Ok(());
            }
            table(
                &["编号", "轮次", "开始", "结束", "版本", "安排", "已走访"],
                &rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.id.to_string(),
                            r.name.clone(),
                            r.start.to_string(),
                            r.end.to_string(),
                            r.versions.to_string(),
                            r.planned.to_string(),
                            r.done.to_string(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            );
        }
        PlanCmd::Show { id } => {
            let cycle = store::get_cycle(store, id)?;
            let Some(summary) = &cycle.current else {
                if out.emit(&cycle) {
                    return Ok(());
                }
                println!(
                    "轮次“{}”（{} 至 {}）还没有计算排班。用 minqing plan compute {id} 计算。",
                    cycle.input.name, cycle.input.start, cycle.input.end
                );
                return Ok(());
            };
            if out.emit(&cycle) {
                return Ok(());
            }
            let i = &cycle.input;
            println!(
                "轮次“{}”：{} 至 {}，{}。规则：间隔至少 {} 天，每户每月至多 {} 次，每名干部每天至多 {} 户。",
                i.name,
                i.start,
                i.end,
                if cycle.villages.is_empty() {
                    "全部村".to_string()
                } else {
                    cycle
                        .villages
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                },
                i.min_gap_days,
                i.max_per_month,
                i.per_cadre_day
            );
            let c = created(store, id, summary)?;
            print_summary(out, &c, summary);
            println!("各村覆盖：");
            table(
                &["村", "户数", "已排", "挂钩干部", "需走访次数", "可排次数"],
                &summary
                    .villages
                    .iter()
                    .map(|v| {
                        vec![
                            v.name.clone(),
                            v.households.to_string(),
                            v.covered.to_string(),
                            v.linked_cadres.to_string(),
                            v.demand.to_string(),
                            v.capacity.to_string(),
                        ]
                    })
                    .collect::<Vec<_>>(),
            );
        }
        PlanCmd::Check { id } => {
            let report = store::check_version(store, id, None)?;
            if !out.emit(&report) {
                if report.violations.is_empty() {
                    println!(
                        "第 {} 版排班的 {} 次走访安排全部符合硬性规则（干部走访日、请假、节假日、每天户数、间隔、每月次数、挂钩村）。",
                        report.number, report.checked
                    );
                } else {
                    println!(
                        "第 {} 版排班有 {} 处违反硬性规则：",
                        report.number,
                        report.violations.len()
                    );
                    for v in &report.violations {
                        println!("  · {}", v.message);
                    }
                }
            }
            if !report.violations.is_empty() {
                return Err(Error::Conflict(format!(
                    "排班有 {} 处违反硬性规则，请重新计算或调整后再检查。",
                    report.violations.len()
                )));
            }
        }
        PlanCmd::Export {
            id,
            out: target,
            per_cadre,
            files_per_cadre,
            unmasked,
            public,
        } => {
            let masking = match (unmasked, public) {
                (true, _) => Masking::Unmasked,
                (_, true) => Masking::Public,
                _ => Masking::Masked,
            };
            if files_per_cadre {
                let folder = match target {
                    Some(p) => p,
                    None => ctx.exports.join(schedule::task_folder_name(store, id)?),
                };
                let files =
                    schedule::write_task_files(store, id, &folder, masking, ctx.today, &[])?;
                if !out.emit(&serde_json::json!({ "folder": folder, "files": files })) {
                    println!(
                        "已导出 {} 名干部的走访任务单到：{}",
                        files.len(),
                        folder.display()
                    );
                }
                return Ok(());
            }
            let target = match target {
                Some(p) => p,
                None => ctx
                    .exports
                    .join(schedule::schedule_file_name(store, id, per_cadre)?),
            };
            let path = schedule::write_schedule(store, id, &target, per_cadre, masking, ctx.today)?;
            if !out.emit(&serde_json::json!({ "path": path })) {
                println!(
                    "已导出{}：{}",
                    if per_cadre {
                        "走访任务单"
                    } else {
                        "走访排班表"
                    },
                    path.display()
                );
            }
        }
    }
    Ok(())
}
