//! `minqing unit | visit | request | rates` — the visit diary and the request ledger.

use crate::output::{pad, table, Out};
use crate::{village_id, Ctx};
use chrono::NaiveDate;
use clap::Subcommand;
use minqing_core::diary::{self, VisitInput, VisitOutcome, VisitQuery};
use minqing_core::register::cadres::{list_cadres, CadreQuery};
use minqing_core::register::units::{self, UnitInput};
use minqing_core::requests::lifecycle::{self, Action, RequestInput};
use minqing_core::requests::query::{self, Request, RequestQuery};
use minqing_core::requests::rates::{self, RateGroup, RatesReport};
use minqing_core::requests::{Colour, Outcome, RequestKind, Satisfaction, Source, Status, Urgency};
use minqing_core::validate::parse_date;
use minqing_core::{Error, Result, Store};

#[derive(Subcommand)]
pub enum UnitCmd {
    /// 列出责任单位
    List,
    /// 新增责任单位
    Add {
        name: String,
        /// 联系人
        #[arg(long, default_value = "")]
        contact: String,
        /// 联系电话
        #[arg(long, default_value = "")]
        phone: String,
    },
}

#[derive(Subcommand)]
pub enum VisitCmd {
    /// 录入一条走访记录（民情日记）
    Add {
        /// 户编号
        #[arg(long)]
        household: i64,
        /// 走访干部姓名（或编号），多人用逗号分隔
        #[arg(long)]
        cadre: String,
        /// 走访日期，默认今天
        #[arg(long)]
        date: Option<String>,
        /// 走访结果：见到户主、见到家人、不在家、拒访、已迁出、户已注销
        #[arg(long)]
        outcome: String,
        /// 了解到的情况
        #[arg(long, default_value = "")]
        note: String,
        /// 群众评价：满意、基本满意、不满意
        #[arg(long)]
        evaluation: Option<String>,
    },
    /// 列出走访记录
    List {
        #[arg(long)]
        village: Option<String>,
        /// 干部姓名或编号
        #[arg(long)]
        cadre: Option<String>,
        #[arg(long)]
        household: Option<i64>,
        #[arg(long)]
        outcome: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        page_size: u32,
    },
}

#[derive(Subcommand)]
pub enum RequestCmd {
    /// 登记一件诉求
    Add {
        /// 登记在册的户编号（与 --requester 二选一）
        #[arg(long)]
        household: Option<i64>,
        /// 诉求人姓名（不是在册农户时）
        #[arg(long)]
        requester: Option<String>,
        #[arg(long, default_value = "")]
        phone: String,
        /// 诉求人所在村/社区（不是在册农户时）
        #[arg(long)]
        village: Option<String>,
        /// 类型：咨询、求助、投诉、举报、建议
        #[arg(long = "type")]
        kind: String,
        /// 类别：基础设施、农业生产、社会保障……
        #[arg(long)]
        category: String,
        /// 缓急：紧急、较急、一般
        #[arg(long, default_value = "一般")]
        urgency: String,
        #[arg(long)]
        content: String,
        /// 来源：走访、来访、来电、12345转办、网格员上报、其他
        #[arg(long, default_value = "走访")]
        source: String,
        /// 受理日期，默认今天
        #[arg(long)]
        received: Option<String>,
    },
    /// 交办给责任单位
    Assign {
        number: String,
        #[arg(long)]
        unit: String,
        #[arg(long, default_value = "")]
        handler: String,
    },
    /// 退回（不属于承办单位职责）
    Return {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// 改派给另一个单位
    Reassign {
        number: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        reason: String,
    },
    /// 登记办理进展
    Progress {
        number: String,
        #[arg(long)]
        note: String,
    },
    /// 延期（须在办结时限前申请）
    Extend {
        number: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        reason: String,
    },
    /// 催办
    Urge {
        number: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 督办
    Supervise {
        number: String,
        #[arg(long)]
        note: String,
    },
    /// 办结：办理结果和答复群众的内容都必须填写
    Close {
        number: String,
        #[arg(long)]
        result: String,
        #[arg(long)]
        reply: String,
        /// 已解决、部分解决、未解决
        #[arg(long, default_value = "已解决")]
        outcome: String,
    },
    /// 回访：记录群众满意度
    Review {
        number: String,
        #[arg(long)]
        satisfaction: String,
    },
    /// 重办（回访不满意后）
    Reopen {
        number: String,
        #[arg(long)]
        reason: String,
    },
    /// 列出诉求
    List {
        /// 状态：登记、交办、办理中、已办结、已回访
        #[arg(long)]
        status: Option<String>,
        /// 只列超期的
        #[arg(long)]
        overdue: bool,
        /// 督办颜色：red、yellow、blue
        #[arg(long)]
        colour: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        village: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        page_size: u32,
    },
    /// 查看一件诉求及其全部办理记录
    Show { number: String },
    /// 打印交办单（.xlsx，每件一页）
    Slip {
        /// 诉求编号，可写多个
        #[arg(required = true)]
        numbers: Vec<String>,
        /// 保存到哪个文件（默认放在“文档/民情通导出”（没有“文档”文件夹时放在数据文件夹的 exports）中，交办单_编号.xlsx）
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// 不脱敏（电话完整显示；交办单上会注明）
        #[arg(long)]
        unmasked: bool,
    },
}

pub(crate) fn date_arg(field: &'static str, s: &str) -> Result<NaiveDate> {
    parse_date(s).ok_or_else(|| {
        Error::invalid(
            field,
            format!("日期“{s}”无法识别，请写成 2026-11-29 这样的格式。"),
        )
    })
}

fn opt_date(field: &'static str, s: &Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(|s| date_arg(field, s)).transpose()
}

/// A cadre by id or by exact name; two cadres with one name must be told apart by id.
fn cadre_id(store: &Store, s: &str) -> Result<i64> {
    let s = s.trim();
    let all = list_cadres(
        store,
        &CadreQuery {
            include_inactive: true,
            page_size: 500,
            search: Some(s.to_string()),
            ..Default::default()
        },
    )?;
    if let Ok(id) = s.parse::<i64>() {
        return Ok(id);
    }
    let same: Vec<_> = all.rows.iter().filter(|c| c.name == s).collect();
    match same.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::invalid(
            "cadre",
            format!("没有名为“{s}”的干部。可用 minqing cadre list 查看。"),
        )),
        many => Err(Error::invalid(
            "cadre",
            format!(
                "有 {} 名干部叫“{s}”（编号 {}），请改用编号。",
                many.len(),
                many.iter()
                    .map(|c| format!("{}：{}", c.id, c.unit))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
        )),
    }
}

fn category_id(store: &Store, name: &str) -> Result<i64> {
    let cats: Vec<(i64, String)> = store.read(|c| {
        let mut st = c.prepare("SELECT id, name FROM request_categories ORDER BY sort_order")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    cats.iter()
        .find(|(_, n)| n == name.trim())
        .map(|(id, _)| *id)
        .ok_or_else(|| {
            let all: Vec<&str> = cats.iter().map(|(_, n)| n.as_str()).collect();
            Error::invalid(
                "category",
                format!("诉求类别“{}”不对，可选：{}。", name.trim(), all.join("、")),
            )
        })
}

pub fn unit(cmd: UnitCmd, store: &Store, out: &Out) -> Result<()> {
    match cmd {
        UnitCmd::List => {
            let list = units::list_units(store)?;
            if !out.emit(&list) {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|u| {
                        vec![
                            u.id.to_string(),
                            u.name.clone(),
                            u.contact_person.clone(),
                            u.open_requests.to_string(),
                            if u.active { "在用" } else { "停用" }.into(),
                        ]
                    })
                    .collect();
                table(&["编号", "单位", "联系人", "在办诉求", "状态"], &rows);
            }
        }
        UnitCmd::Add {
            name,
            contact,
            phone,
        } => {
            let u = units::add_unit(
                store,
                &UnitInput {
                    name,
                    contact_person: contact,
                    contact_phone: phone,
                    active: true,
                },
            )?;
            out.created("责任单位", &u, &[]);
        }
    }
    Ok(())
}

pub fn visit(cmd: VisitCmd, ctx: &Ctx) -> Result<()> {
    let (store, out) = (&ctx.store, &ctx.out);
    match cmd {
        VisitCmd::Add {
            household,
            cadre,
            date,
            outcome,
            note,
            evaluation,
        } => {
            let cadre_ids = cadre
                .split([',', '，', '、'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| cadre_id(store, s))
                .collect::<Result<Vec<_>>>()?;
            let input = VisitInput {
                household_id: household,
                visit_date: opt_date("date", &date)?,
                cadre_ids,
                outcome: VisitOutcome::parse_or_explain("outcome", &outcome)?,
                learned: note,
                evaluation: evaluation
                    .as_deref()
                    .map(|e| Satisfaction::parse_or_explain("evaluation", e))
                    .transpose()?,
                requests: Vec::new(),
            };
            let v = diary::record_visit(store, &input, ctx.today)?;
            if !out.emit(&v) {
                println!(
                    "已录入走访记录（记录号 {}）：{} {}{} {}，{}，走访人 {}。",
                    v.id,
                    v.visit_date,
                    v.village_name,
                    v.group_name,
                    v.head_name,
                    v.outcome,
                    v.cadres
                        .iter()
                        .map(|c| c.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                );
            }
        }
        VisitCmd::List {
            village,
            cadre,
            household,
            outcome,
            from,
            to,
            page,
            page_size,
        } => {
            let q = VisitQuery {
                village_id: village
                    .as_deref()
                    .map(|v| village_id(store, v))
                    .transpose()?,
                cadre_id: cadre.as_deref().map(|c| cadre_id(store, c)).transpose()?,
                household_id: household,
                outcome: outcome
                    .as_deref()
                    .map(|o| VisitOutcome::parse_or_explain("outcome", o))
                    .transpose()?,
                from: opt_date("from", &from)?,
                to: opt_date("to", &to)?,
                page,
                page_size,
            };
            let p = diary::list_visits(store, &q)?;
            if !out.emit(&p) {
                let rows: Vec<Vec<String>> = p
                    .rows
                    .iter()
                    .map(|v| {
                        vec![
                            v.id.to_string(),
                            v.visit_date.to_string(),
                            format!("{}{}", v.village_name, v.group_name),
                            v.head_name.clone(),
                            v.outcome.to_string(),
                            v.cadre_names.join("、"),
                            v.evaluation.map(|e| e.to_string()).unwrap_or_default(),
                            v.request_count.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "记录号",
                        "日期",
                        "村组",
                        "户主",
                        "结果",
                        "走访干部",
                        "评价",
                        "诉求",
                    ],
                    &rows,
                );
                println!("共 {} 条。", p.total);
            }
        }
    }
    Ok(())
}

fn print_request(out: &Out, r: &Request) {
    if out.emit(r) {
        return;
    }
    let lines = [
        ("编号", r.number.clone()),
        (
            "状态",
            format!(
                "{}{}",
                r.status,
                r.colour
                    .map(|c| format!("（{}）", c.label()))
                    .unwrap_or_default()
            ),
        ),
        (
            "来源/类型",
            format!("{}，{}，{}，{}", r.source, r.kind, r.category, r.urgency),
        ),
        (
            "诉求人",
            format!("{}（{}）", r.requester_name, r.village_name),
        ),
        ("内容", r.content.clone()),
        ("受理日期", r.received_on.to_string()),
        ("办结时限", r.deadline.to_string()),
        (
            "承办单位",
            r.unit_name.clone().unwrap_or_else(|| "未交办".into()),
        ),
        ("办理结果", r.result.clone()),
        ("答复群众", r.reply.clone()),
        (
            "群众评价",
            r.satisfaction.map(|s| s.to_string()).unwrap_or_default(),
        ),
    ];
    for (k, v) in lines {
        if !v.is_empty() {
            println!("{}  {v}", pad(k, 10));
        }
    }
    for w in &r.warnings {
        println!("提示：{w}");
    }
    println!("\n办理记录：");
    let rows: Vec<Vec<String>> = r
        .history
        .iter()
        .map(|h| {
            vec![
                h.on_date.to_string(),
                h.action.clone(),
                h.to_status.map(|s| s.to_string()).unwrap_or_default(),
                h.operator.clone(),
                h.note.clone(),
            ]
        })
        .collect();
    table(&["日期", "环节", "状态", "经办人", "说明"], &rows);
}

pub fn request(cmd: RequestCmd, ctx: &Ctx) -> Result<()> {
    let (store, out, today) = (&ctx.store, &ctx.out, ctx.today);
    let step = |number: &str, action: Action| -> Result<()> {
        let id = query::find_by_number(store, number)?;
        let r = lifecycle::act(store, id, &action, today)?;
        if !out.emit(&serde_json::json!({ "id": r.id, "number": r.number, "status": r.status, "deadline": r.deadline, "colour": r.colour })) {
            println!("诉求 {}：{}，当前状态“{}”，办结时限 {}。", r.number, action.label(), r.status, r.deadline);
        }
        Ok(())
    };
    match cmd {
        RequestCmd::Add {
            household,
            requester,
            phone,
            village,
            kind,
            category,
            urgency,
            content,
            source,
            received,
        } => {
            if household.is_none() && requester.is_none() {
                return Err(Error::invalid(
                    "household",
                    "请用 --household 指定在册农户，或用 --requester 和 --village 写明诉求人。",
                ));
            }
            let input = RequestInput {
                source: Source::parse_or_explain("source", &source)?,
                household_id: household,
                requester_name: requester.unwrap_or_default(),
                requester_phone: phone,
                village_id: village
                    .as_deref()
                    .map(|v| village_id(store, v))
                    .transpose()?,
                visit_id: None,
                kind: RequestKind::parse_or_explain("type", &kind)?,
                category_id: category_id(store, &category)?,
                urgency: Urgency::parse_or_explain("urgency", &urgency)?,
                handling: None,
                content,
                received_on: opt_date("received", &received)?,
                unit_id: None,
            };
            let r = lifecycle::register(store, &input, today)?;
            if !out.emit(&serde_json::json!({ "id": r.id, "number": r.number, "deadline": r.deadline, "status": r.status, "warnings": r.warnings })) {
                println!("已登记诉求 {}，办结时限 {}。", r.number, r.deadline);
                for w in &r.warnings {
                    eprintln!("提示：{w}");
                }
            }
        }
        RequestCmd::Assign {
            number,
            unit,
            handler,
        } => step(
            &number,
            Action::Assign {
                unit_id: units::find_unit(store, &unit)?,
                handler,
                note: String::new(),
            },
        )?,
        RequestCmd::Return { number, reason } => step(&number, Action::Return { reason })?,
        RequestCmd::Reassign {
            number,
            unit,
            reason,
        } => step(
            &number,
            Action::Reassign {
                unit_id: units::find_unit(store, &unit)?,
                handler: String::new(),
                reason,
            },
        )?,
        RequestCmd::Progress { number, note } => step(&number, Action::Progress { note })?,
        RequestCmd::Extend { number, to, reason } => step(
            &number,
            Action::Extend {
                to: date_arg("to", &to)?,
                reason,
            },
        )?,
        RequestCmd::Urge { number, note } => step(&number, Action::Urge { note })?,
        RequestCmd::Supervise { number, note } => step(&number, Action::Supervise { note })?,
        RequestCmd::Close {
            number,
            result,
            reply,
            outcome,
        } => step(
            &number,
            Action::Close {
                result,
                reply,
                outcome: Outcome::parse_or_explain("outcome", &outcome)?,
            },
        )?,
        RequestCmd::Review {
            number,
            satisfaction,
        } => step(
            &number,
            Action::Review {
                satisfaction: Satisfaction::parse_or_explain("satisfaction", &satisfaction)?,
                note: String::new(),
            },
        )?,
        RequestCmd::Reopen { number, reason } => step(&number, Action::Reopen { reason })?,
        RequestCmd::List {
            status,
            overdue,
            colour,
            unit,
            village,
            from,
            to,
            page,
            page_size,
        } => {
            let q = RequestQuery {
                status: status
                    .as_deref()
                    .map(|s| Status::parse_or_explain("status", s))
                    .transpose()?,
                overdue_only: overdue,
                colour: colour
                    .as_deref()
                    .map(|c| {
                        Colour::parse(c).ok_or_else(|| {
                            Error::invalid(
                                "colour",
                                format!("颜色“{c}”不对，应为 red、yellow 或 blue。"),
                            )
                        })
                    })
                    .transpose()?,
                unit_id: unit
                    .as_deref()
                    .map(|u| units::find_unit(store, u))
                    .transpose()?,
                village_id: village
                    .as_deref()
                    .map(|v| village_id(store, v))
                    .transpose()?,
                from: opt_date("from", &from)?,
                to: opt_date("to", &to)?,
                page,
                page_size,
                ..Default::default()
            };
            let p = query::list_requests(store, &q, today)?;
            if !out.emit(&p) {
                let rows: Vec<Vec<String>> = p
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.number.clone(),
                            r.received_on.to_string(),
                            r.village_name.clone(),
                            r.requester_name.clone(),
                            format!("{}/{}", r.kind, r.category),
                            r.unit_name.clone().unwrap_or_default(),
                            r.deadline.to_string(),
                            r.status.to_string(),
                            match r.colour {
                                Some(Colour::Red) => "红",
                                Some(Colour::Yellow) => "黄",
                                Some(Colour::Blue) => "蓝",
                                None => "",
                            }
                            .into(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "编号",
                        "受理",
                        "村/社区",
                        "诉求人",
                        "类型/类别",
                        "承办单位",
                        "时限",
                        "状态",
                        "督办",
                    ],
                    &rows,
                );
                println!("共 {} 件。", p.total);
            }
        }
        RequestCmd::Slip {
            numbers,
            out: file,
            unmasked,
        } => {
            let ids = numbers
                .iter()
                .map(|n| query::find_by_number(store, n))
                .collect::<Result<Vec<_>>>()?;
            let target = match file {
                Some(p) => p,
                None => ctx
                    .exports
                    .join(minqing_core::report::slips::slip_file_name(
                        store, &ids, today,
                    )?),
            };
            let path = minqing_core::report::slips::write_assign_slips(
                store,
                &ids,
                &target,
                if unmasked {
                    minqing_core::privacy::Masking::Unmasked
                } else {
                    minqing_core::privacy::Masking::Masked
                },
                today,
            )?;
            if !out.emit(&serde_json::json!({ "path": path, "count": ids.len() })) {
                println!("已生成 {} 件诉求的交办单：{}", ids.len(), path.display());
            }
        }
        RequestCmd::Show { number } => print_request(
            out,
            &query::get_request(store, query::find_by_number(store, &number)?, today)?,
        ),
    }
    Ok(())
}

pub fn rates_cmd(ctx: &Ctx, by: &str, from: &Option<String>, to: &Option<String>) -> Result<()> {
    let group = RateGroup::parse(by).ok_or_else(|| {
        Error::invalid(
            "by",
            format!("分组“{by}”不对，可选 unit、village、cadre、month。"),
        )
    })?;
    let report = rates::rates(
        &ctx.store,
        group,
        opt_date("from", from)?,
        opt_date("to", to)?,
    )?;
    print_rates(&ctx.out, &report);
    Ok(())
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn print_rates(out: &Out, r: &RatesReport) {
    if out.emit(r) {
        return;
    }
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .chain(std::iter::once(&r.total))
        .map(|x| {
            vec![
                x.name.clone(),
                x.received.to_string(),
                pct(x.response_rate),
                x.closed.to_string(),
                pct(x.solve_rate),
                x.evaluated.to_string(),
                pct(x.satisfaction_rate),
            ]
        })
        .collect();
    table(
        &[
            "分组",
            "受理",
            "响应率",
            "办结",
            "解决率",
            "已评价",
            "满意率",
        ],
        &rows,
    );
    println!(
        "\n{}\n{}\n{}",
        r.formula.response, r.formula.solve, r.formula.satisfaction
    );
}
