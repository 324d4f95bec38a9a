//! A township's own 民情诉求台账 (kept in Excel before 民情通) through the roster machinery:
//! each row becomes a request with its own dates, its status mapped onto the lifecycle (a
//! closed one needs its result, its reply and its closing date, as in the app), a history
//! that starts with one 导入 line naming the file, and its own number when it has one that
//! does not clash. Villages, units and categories the register lacks are listed, and created
//! only when the user confirms (`create_missing`); otherwise each such row is a problem.

use super::fields::Field;
use super::run::{count_names, Ctx, ImportReport, Stage, Ticker};
use super::values::{normalize_phone, squeeze, Names};
use super::Cell;
use crate::calendar::Calendar;
use crate::error::Result;
use crate::requests::lifecycle::history;
use crate::requests::rules::read_deadline_rules;
use crate::requests::{Outcome, RequestKind, Satisfaction, Source, Status, Urgency};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

use crate::requests::categories::{category_or_insert, insert_category, UNCLASSIFIED};

/// A ledger's 办理状态 on the lifecycle. `None`: empty (derived from what the row has).
fn status_of(raw: &str) -> Option<Option<Status>> {
    let t = squeeze(raw);
    Some(Some(match t.as_str() {
        "" => return Some(None),
        "登记" | "已登记" | "受理" | "已受理" | "待办" | "待办理" | "未办" | "未办理"
        | "待交办" | "新建" | "待处理" => Status::Registered,
        "交办" | "已交办" | "转办" | "已转办" | "派单" | "已派单" | "已分派" => {
            Status::Assigned
        }
        "办理中" | "处理中" | "正在办理" | "在办" | "未办结" | "正在处理" | "跟踪办理"
        | "推进中" | "办理" => Status::InProgress,
        "已办结" | "办结" | "已完成" | "完成" | "已处理" | "办理完毕" | "处理完毕" | "已办理"
        | "结案" | "已结案" => Status::Closed,
        "已回访" | "回访" | "回访办结" | "已回访办结" => Status::Reviewed,
        _ => return None,
    }))
}

fn source_of(raw: &str) -> Option<Source> {
    let t = squeeze(raw);
    if t.is_empty() {
        return Some(Source::Other);
    }
    Source::parse(&t).or(match t.as_str() {
        s if s.contains("12345") => Some(Source::Hotline12345),
        "走访收集" | "入户走访" | "走访发现" | "三解三促" | "下基层" => {
            Some(Source::Visit)
        }
        "群众来访" | "上门" | "来人" | "信访" => Some(Source::WalkIn),
        "电话" | "来电反映" | "热线" => Some(Source::Call),
        "网格员" | "网格" | "网格上报" => Some(Source::Grid),
        _ => None,
    })
}

fn kind_of(raw: &str) -> Option<RequestKind> {
    let t = squeeze(raw);
    if t.is_empty() {
        return Some(RequestKind::Help);
    }
    RequestKind::parse(&t).or(match t.as_str() {
        "咨询类" | "政策咨询" => Some(RequestKind::Consult),
        "求助类" | "诉求" | "求决" => Some(RequestKind::Help),
        "投诉类" => Some(RequestKind::Complaint),
        "举报类" => Some(RequestKind::Report),
        "建议类" | "意见建议" | "意见" => Some(RequestKind::Suggestion),
        _ => None,
    })
}

fn urgency_of(raw: &str) -> Option<Urgency> {
    let t = squeeze(raw);
    if t.is_empty() {
        return Some(Urgency::Normal);
    }
    Urgency::parse(&t).or(match t.as_str() {
        "特急" | "加急" | "急" | "紧急件" => Some(Urgency::Urgent),
        "较紧急" | "比较急" => Some(Urgency::Pressing),
        "普通" | "一般件" | "不急" => Some(Urgency::Normal),
        _ => None,
    })
}

fn outcome_of(raw: &str) -> Option<Option<Outcome>> {
    let t = squeeze(raw);
    if t.is_empty() {
        return Some(None);
    }
    Outcome::parse(&t)
        .or(match t.as_str() {
            "解决" | "是" | "已落实" | "完全解决" => Some(Outcome::Solved),
            "部分" | "基本解决" | "部分落实" => Some(Outcome::Partly),
            "否" | "未落实" | "无法解决" | "不能解决" => Some(Outcome::Unsolved),
            _ => None,
        })
        .map(Some)
}

pub(crate) fn satisfaction_of(raw: &str) -> Option<Option<Satisfaction>> {
    let t = squeeze(raw);
    if t.is_empty() {
        return Some(None);
    }
    Satisfaction::parse(&t)
        .or(match t.as_str() {
            "非常满意" | "很满意" | "满意度高" => Some(Satisfaction::Satisfied),
            "比较满意" | "较满意" | "一般" => Some(Satisfaction::Basic),
            "很不满意" | "非常不满意" => Some(Satisfaction::Dissatisfied),
            _ => None,
        })
        .map(Some)
}

/// A date cell: a real date, an Excel serial number, or text (2025-03-08, 2025/3/8,
/// 2025年3月8日, 20250308, a time after it ignored); a date without its year is refused: a
/// ledger spans years.
pub(crate) fn date_of(cell: &Cell) -> Option<NaiveDate> {
    use crate::roster::tasks::{month_day, parse_visit_date};
    match cell {
        Cell::Empty => None,
        Cell::Text(s) if month_day(s.split_whitespace().next().unwrap_or("")).is_some() => None,
        c => parse_visit_date(c, NaiveDate::MIN),
    }
}

struct Row {
    row: usize,
    number: String,
    received: NaiveDate,
    source: Source,
    village: String,
    requester: String,
    phone: String,
    kind: RequestKind,
    category: String,
    urgency: Urgency,
    content: String,
    unit: String,
    handler: String,
    status: Status,
    first_response: Option<NaiveDate>,
    result: String,
    reply: String,
    closed_on: Option<NaiveDate>,
    outcome: Option<Outcome>,
    satisfaction: Option<Satisfaction>,
}

pub(crate) fn import(
    tx: &Connection,
    ctx: &Ctx<'_>,
    data: &[usize],
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let villages = Names::load(tx, "SELECT id, name FROM villages ORDER BY sort_order, id")?;
    let mut units = Names::load(
        tx,
        "SELECT id, name FROM units WHERE active = 1 ORDER BY sort_order, id",
    )?;
    let mut categories = Names::load(
        tx,
        "SELECT id, name FROM request_categories ORDER BY sort_order, id",
    )?;
    let mut rows: Vec<Row> = Vec::new();
    // Unknown names, with the problems that wait for them (index into report.problems).
    let mut missing: HashMap<(u8, String), Vec<usize>> = HashMap::new();
    let mut missing_order: Vec<(u8, String)> = Vec::new();
    let mut numbers_in_file: HashMap<String, usize> = HashMap::new();
    for (i, &r) in data.iter().enumerate() {
        ticker.tick(Stage::Check, i, data.len())?;
        let before = report.problems.len();
        let p = &mut report.problems;
        let text = |f: Field, p: &mut Vec<_>| ctx.text_or_problem(r, f, p).trim().to_string();
        let number = text(Field::RequestNo, p);
        let source_raw = text(Field::Source, p);
        let village = text(Field::Village, p);
        let requester = text(Field::Requester, p);
        let phone_raw = ctx.digits_or_text(r, Field::Phone, p);
        let kind_raw = text(Field::Kind, p);
        let category = text(Field::Category, p);
        let urgency_raw = text(Field::Urgency, p);
        let content = text(Field::Content, p);
        let unit = text(Field::Unit, p);
        let handler = text(Field::Handler, p);
        let status_raw = text(Field::Status, p);
        let result = text(Field::Result, p);
        let reply = text(Field::Reply, p);
        let outcome_raw = text(Field::Outcome, p);
        let satisfaction_raw = text(Field::Satisfaction, p);
        let mut problem = |f: Field, m: String| report.problems.push(ctx.problem(r, Some(f), m));
        let mut date = |f: Field, label: &str, required: bool| -> Option<NaiveDate> {
            let cell = ctx.cell(r, f);
            if cell.is_empty() {
                if required {
                    problem(f, format!("{label}是空的，请补上（如 2025-03-08）。"));
                }
                return None;
            }
            match date_of(cell) {
                Some(d) if d > ctx.today => {
                    problem(f, format!("{label} {d} 晚于今天，请核对。"));
                    None
                }
                Some(d) if d.year() < 2000 => {
                    problem(f, format!("{label} {d} 太早，请核对。"));
                    None
                }
                Some(d) => Some(d),
                None => {
                    problem(
                        f,
                        format!("{label}“{}”看不懂，请写成 2025-03-08 或 2025年3月8日 的样子（要有年份）。", cell.text().trim()),
                    );
                    None
                }
            }
        };
        let received = date(Field::ReceivedOn, "受理日期", true);
        let first_response = date(Field::FirstResponse, "交办日期", false);
        let closed_on = date(Field::ClosedOn, "办结日期", false);
        let source = source_of(&source_raw).unwrap_or_else(|| {
            problem(
                Field::Source,
                format!(
                    "来源“{source_raw}”认不出，应为：{}。",
                    words(Source::ALL.iter().map(|s| s.as_str()))
                ),
            );
            Source::Other
        });
        let kind = kind_of(&kind_raw).unwrap_or_else(|| {
            problem(
                Field::Kind,
                format!(
                    "诉求类型“{kind_raw}”认不出，应为：{}。",
                    words(RequestKind::ALL.iter().map(|s| s.as_str()))
                ),
            );
            RequestKind::Help
        });
        let urgency = urgency_of(&urgency_raw).unwrap_or_else(|| {
            problem(
                Field::Urgency,
                format!("缓急程度“{urgency_raw}”认不出，应为：紧急、较急、一般。"),
            );
            Urgency::Normal
        });
        let outcome = outcome_of(&outcome_raw).unwrap_or_else(|| {
            problem(
                Field::Outcome,
                format!("办结结果“{outcome_raw}”认不出，应为：已解决、部分解决、未解决。"),
            );
            None
        });
        let satisfaction = satisfaction_of(&satisfaction_raw).unwrap_or_else(|| {
            problem(
                Field::Satisfaction,
                format!("满意度“{satisfaction_raw}”认不出，应为：满意、基本满意、不满意。"),
            );
            None
        });
        if requester.is_empty() {
            problem(Field::Requester, "诉求人是空的，请补上姓名。".into());
        } else if let Err(e) = crate::validate::check_person_name("requester", "诉求人", &requester)
        {
            problem(Field::Requester, e.to_string());
        }
        let phone = if phone_raw.trim().is_empty() {
            String::new()
        } else {
            match crate::validate::check_phone("phone", "联系电话", &normalize_phone(&phone_raw))
            {
                Ok(p) => p,
                Err(e) => {
                    problem(Field::Phone, e.to_string());
                    String::new()
                }
            }
        };
        if content.is_empty() {
            problem(Field::Content, "诉求内容是空的。".into());
        } else if content.chars().count() > 2000 {
            problem(
                Field::Content,
                "诉求内容超过 2000 字，请精简后再导入。".into(),
            );
        }
        // The status: the ledger's word, or what the row shows when the column is empty.
        let has_closing = !result.is_empty() && !reply.is_empty() && closed_on.is_some();
        let mut status = match status_of(&status_raw) {
            Some(Some(s)) => s,
            Some(None) if has_closing => Status::Closed,
            Some(None) if !unit.is_empty() => Status::Assigned,
            Some(None) => Status::Registered,
            None => {
                problem(
                    Field::Status,
                    format!("办理状态“{status_raw}”认不出，应为：登记、交办、办理中、已办结、已回访（或“已完成”“处理中”这类说法）。"),
                );
                Status::Registered
            }
        };
        if status == Status::Reviewed && satisfaction.is_none() {
            status = Status::Closed;
        }
        if !status.is_open() && !has_closing {
            let lacking: Vec<&str> = [
                (result.is_empty(), "办理结果"),
                (reply.is_empty(), "答复群众"),
                (closed_on.is_none(), "办结日期"),
            ]
            .iter()
            .filter(|(l, _)| *l)
            .map(|(_, n)| *n)
            .collect();
            if ctx.opts.incomplete_as_open {
                status = if unit.is_empty() {
                    Status::Registered
                } else {
                    Status::InProgress
                };
            } else {
                problem(
                    Field::Status,
                    format!(
                        "标为“{status_raw}”，但没有{}。事事有回音、件件有结果：办结的诉求要有办理结果、答复群众和办结日期。请补上，或在“标为办结但缺内容的”一项选“按“办理中”导入”（命令行：--incomplete-as-open）。",
                        lacking.join("、")
                    ),
                );
            }
        }
        if matches!(status, Status::Assigned | Status::InProgress) && unit.is_empty() {
            problem(
                Field::Unit,
                format!("状态是“{status}”，但没有责任单位。请补上责任单位，或把状态改为“登记”。"),
            );
        }
        if let (Some(r0), Some(c)) = (received, closed_on) {
            if c < r0 {
                problem(
                    Field::ClosedOn,
                    format!("办结日期 {c} 早于受理日期 {r0}，请核对。"),
                );
            }
        }
        if !number.is_empty() {
            if let Some(&first) = numbers_in_file.get(&number) {
                problem(
                    Field::RequestNo,
                    format!(
                        "诉求编号“{number}”在文件里出现了两次（还有第 {} 行）。",
                        first + 1
                    ),
                );
            } else {
                numbers_in_file.insert(number.clone(), r);
            }
        }
        // The same ledger imported twice: a request already on the ledger with this date,
        // requester and content is not registered again.
        if let Some(received) = received {
            let already: Option<String> = tx
                .prepare_cached(
                    "SELECT number FROM requests WHERE received_on = ?1 AND requester_name = ?2 AND content = ?3 LIMIT 1",
                )?
                .query_row(params![received, requester, content], |x| x.get(0))
                .optional()?;
            if let Some(no) = already {
                problem(
                    Field::Content,
                    format!("这件诉求已经在台账上了（诉求编号 {no}，受理日期、诉求人和内容都相同），不再重复导入。"),
                );
            }
        }
        // Names the register lacks.
        let mut unknown = |what: u8, name: &str, field: Field, report: &mut ImportReport| {
            let key = (what, name.to_string());
            let message = match what {
                0 => format!("村“{name}”不在村组设置中。请先在“户籍台账”的村组树中添加，或选择“新建文件中缺少的村、单位和类别”（命令行：--create-missing）。"),
                1 => format!("责任单位“{name}”不在单位名单中。请先在“设置 → 责任单位”中添加，或选择“新建文件中缺少的村、单位和类别”（命令行：--create-missing）。"),
                _ => format!("诉求类别“{name}”不在类别中。请改成已有的类别，或选择“新建文件中缺少的村、单位和类别”（命令行：--create-missing）。"),
            };
            if !missing.contains_key(&key) {
                missing_order.push(key.clone());
            }
            let waiting = missing.entry(key).or_default();
            if !ctx.opts.create_missing {
                waiting.push(report.problems.len());
                report.problems.push(ctx.problem(r, Some(field), message));
            } else {
                waiting.push(usize::MAX);
            }
        };
        let village = if village.is_empty() {
            report
                .problems
                .push(ctx.problem(r, Some(Field::Village), "村（社区）是空的。"));
            village
        } else {
            let name = super::values::village_name(&village);
            if villages.find(&name, true).is_none() {
                unknown(0, &name, Field::Village, report);
            }
            name
        };
        if !unit.is_empty() && units.find(&unit, false).is_none() {
            unknown(1, &unit, Field::Unit, report);
        }
        if !category.is_empty() && categories.find(&category, false).is_none() {
            unknown(2, &category, Field::Category, report);
        }
        if report.problems.len() == before {
            rows.push(Row {
                row: r,
                number,
                received: received.expect("checked above"),
                source,
                village,
                requester,
                phone,
                kind,
                category,
                urgency,
                content,
                unit,
                handler,
                status,
                first_response,
                result,
                reply,
                closed_on,
                outcome,
                satisfaction,
            });
        }
    }
    // What the user is asked to confirm (or what was created).
    let names = |what: u8| -> Vec<String> {
        missing_order
            .iter()
            .filter(|k| k.0 == what)
            .flat_map(|k| std::iter::repeat_n(k.1.clone(), missing[k].len()))
            .collect()
    };
    report.new_villages = count_names(names(0));
    report.new_units = count_names(names(1));
    report.new_categories = count_names(names(2));
    let bad: HashSet<u32> = report.problems.iter().map(|p| p.row).collect();
    report.rows = data.len() as u32;
    if bad.is_empty() || ctx.opts.skip_bad {
        let wanted: Vec<&Row> = rows
            .iter()
            .filter(|r| !bad.contains(&(r.row as u32 + 1)))
            .collect();
        // Create what the user confirmed, only for rows that are written.
        if ctx.opts.create_missing {
            let mut villages_now = villages;
            for r in &wanted {
                if villages_now.find(&r.village, true).is_none() {
                    let id = super::run::create_village(tx, &r.village)?;
                    villages_now.list.push((id, r.village.clone()));
                }
                if !r.unit.is_empty() && units.find(&r.unit, false).is_none() {
                    let unit = crate::register::units::insert(
                        tx,
                        &crate::register::units::UnitInput::new(&r.unit),
                    )?;
                    units.list.push((unit.id, r.unit.clone()));
                }
                if !r.category.is_empty() && categories.find(&r.category, false).is_none() {
                    let id = insert_category(tx, &r.category)?;
                    categories.list.push((id, r.category.clone()));
                }
            }
            let known = Known {
                villages: &villages_now,
                units: &units,
                categories: &categories,
            };
            return write(tx, ctx, &wanted, &known, report, ticker);
        }
        let known = Known {
            villages: &villages,
            units: &units,
            categories: &categories,
        };
        write(tx, ctx, &wanted, &known, report, ticker)?;
    } else {
        report.imported = rows.len() as u32;
    }
    Ok(())
}

fn words<'a>(all: impl Iterator<Item = &'a str>) -> String {
    all.collect::<Vec<_>>().join("、")
}

/// The villages, units and categories a row's names are looked up in, the confirmed new ones
/// included.
struct Known<'a> {
    villages: &'a Names,
    units: &'a Names,
    categories: &'a Names,
}

fn write(
    tx: &Connection,
    ctx: &Ctx<'_>,
    rows: &[&Row],
    known: &Known<'_>,
    report: &mut ImportReport,
    ticker: &mut Ticker<'_>,
) -> Result<()> {
    let Known {
        villages,
        units,
        categories,
    } = *known;
    let cal = Calendar::load(tx)?;
    let rules = read_deadline_rules(tx)?;
    // Rows whose ledger has no 类别 go under 待分类, created only when a row needs it.
    let unclassified = if rows.iter().any(|r| r.category.is_empty()) {
        category_or_insert(tx, UNCLASSIFIED)?
    } else {
        0
    };
    let file = &report.file;
    let mut kept = 0u32;
    // Heads of household by village and name, read once (a requester who is a registered head
    // is linked to the household).
    let mut heads: HashMap<(i64, String), Vec<i64>> = HashMap::new();
    {
        let mut st = tx.prepare("SELECT id, village_id, head_name FROM households")?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            heads
                .entry((row.get(1)?, row.get(2)?))
                .or_default()
                .push(row.get(0)?);
        }
    }
    for (i, r) in rows.iter().enumerate() {
        ticker.writing(ctx.opts.dry_run, i, rows.len())?;
        let village_id = villages.find(&r.village, true).expect("created or known");
        let unit_id = if r.unit.is_empty() {
            None
        } else {
            units.find(&r.unit, false)
        };
        let category_id = if r.category.is_empty() {
            unclassified
        } else {
            categories
                .find(&r.category, false)
                .expect("created or known")
        };
        // A registered household of that village whose head has the requester's name.
        let household: Option<i64> = match heads.get(&(village_id, r.requester.clone())) {
            Some(ids) if ids.len() == 1 => Some(ids[0]),
            _ => None,
        };
        let year = r.received.year();
        // The file's number when it does not clash; 2025-000123 keeps its sequence too.
        let own: Option<(String, Option<i64>)> = if r.number.is_empty() {
            None
        } else {
            let seq = r
                .number
                .strip_prefix(&format!("{year}-"))
                .filter(|s| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<i64>().ok());
            let clash: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM requests WHERE number = ?1)
                         OR (?2 IS NOT NULL AND EXISTS (SELECT 1 FROM requests WHERE year = ?3 AND seq = ?2))",
                )?
                .query_row(params![r.number, seq, year], |row| row.get(0))?;
            (!clash).then(|| (r.number.clone(), seq))
        };
        let next: i64 = tx
            .prepare_cached("SELECT coalesce(max(seq), 0) + 1 FROM requests WHERE year = ?1")?
            .query_row([year], |row| row.get(0))?;
        if own.is_some() {
            kept += 1;
        }
        let (number, seq) = match own {
            Some((n, Some(seq))) => (n, seq),
            Some((n, None)) => (n, next),
            None => (format!("{year}-{next:06}"), next),
        };
        let deadline = rules.deadline(&cal, r.kind, r.urgency, r.received);
        let closed = !r.status.is_open();
        tx.prepare_cached(
            "INSERT INTO requests (number, year, seq, source, household_id, requester_name, requester_phone, village_id,
                 kind, category_id, urgency, content, received_on, deadline, status, unit_id, handler, first_response_on,
                 result, reply, outcome, closed_on, satisfaction, reviewed_on, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?25)",
        )?
        .execute(params![
            number,
            year,
            seq,
            r.source,
            household,
            r.requester,
            r.phone,
            village_id,
            r.kind,
            category_id,
            r.urgency,
            r.content,
            r.received,
            deadline,
            r.status,
            unit_id,
            r.handler,
            r.first_response,
            r.result,
            r.reply,
            if closed { r.outcome } else { None },
            if closed { r.closed_on } else { None },
            if closed { r.satisfaction } else { None },
            if r.status == Status::Reviewed { r.closed_on } else { None },
            ctx.now,
        ])?;
        let id = tx.last_insert_rowid();
        history(
            tx,
            id,
            r.received,
            "导入",
            None,
            Some(r.status),
            &format!(
                "从“{file}”第 {} 行导入（原台账状态：{}）",
                r.row + 1,
                r.status
            ),
        )?;
        report.imported += 1;
    }
    report.kept_numbers = kept;
    Ok(())
}
