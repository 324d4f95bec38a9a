//! `minqing export KIND --out F.xlsx` — the district's workbooks, the same code as the app's
//! 报表导出 screen; `minqing export all --out FOLDER` writes every report of the period.

use crate::ledger::date_arg;
use crate::{split_list, village_id, Ctx};
use chrono::{Datelike, NaiveDate};
use clap::Args;
use minqing_core::error::{Error, Result};
use minqing_core::privacy::Masking;
use minqing_core::report::district::{
    default_file_name, export_all, export_report, period_label, ReportKind,
};
use minqing_core::stats::district::Scope;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExportArgs {
    /// 报表：visit-stats（走访情况统计表）、request-ledger（民情诉求台账）、request-summary（诉求办理情况汇总表）、cadre-assessment（干部走访考核表）、overdue（督办通报）、plan（走访排班表）、projects（实事项目台账）、project-contest（办实事竞赛情况表）、all（以上全部）；另有 bulletin（情况通报，Word）、cases（典型案例汇编，Word 和 Excel 推荐名单）
    kind: String,
    /// 保存到的文件（all：文件夹）；默认放在“文档/民情通导出”（没有“文档”文件夹时放在数据文件夹的 exports）中，文件名按区里的格式
    #[arg(long)]
    out: Option<PathBuf>,
    /// 统计时段起（默认：本月1日）
    #[arg(long)]
    from: Option<String>,
    /// 统计时段止（默认：本月最后一天）
    #[arg(long)]
    to: Option<String>,
    /// 只统计这些村（名称，用逗号分隔；默认全镇）
    #[arg(long, num_args = 1.., value_delimiter = ',')]
    villages: Vec<String>,
    /// 不脱敏：导出完整的联系电话（表上会注明）
    #[arg(long, conflicts_with = "public")]
    unmasked: bool,
    /// 对外公开版：群众姓名也脱敏（张*）
    #[arg(long)]
    public: bool,
    /// cases：只汇编这一评选的典型（一创四争、双十双百或自定）
    #[arg(long)]
    category: Option<String>,
}

fn month_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("day 1 exists");
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
    .expect("day 1 exists");
    (first, next - chrono::Duration::days(1))
}

pub fn export(a: ExportArgs, ctx: &Ctx) -> Result<()> {
    // The 典型案例汇编 serves the year's selections: 本年 unless a period is given.
    let (m0, m1) = if a.kind.trim() == "cases" {
        (
            NaiveDate::from_ymd_opt(ctx.today.year(), 1, 1).expect("1 January exists"),
            NaiveDate::from_ymd_opt(ctx.today.year(), 12, 31).expect("31 December exists"),
        )
    } else {
        month_of(ctx.today)
    };
    let from = match &a.from {
        Some(s) => date_arg("from", s)?,
        None => m0,
    };
    let to = match &a.to {
        Some(s) => date_arg("to", s)?,
        None => m1,
    };
    let mut villages = Vec::new();
    for v in a.villages.iter().flat_map(|v| split_list(v)) {
        villages.push(village_id(&ctx.store, &v)?);
    }
    let scope = Scope { from, to, villages };
    let masking = if a.unmasked {
        Masking::Unmasked
    } else if a.public {
        Masking::Public
    } else {
        Masking::Masked
    };
    let default_dir = || ctx.exports.clone();
    match a.kind.trim() {
        "bulletin" => return bulletin(&scope, a.out, ctx),
        "cases" => return cases(&scope, a.category.as_deref(), a.out, ctx),
        _ => {}
    }
    if a.kind.trim() == "all" {
        let folder = a.out.unwrap_or_else(default_dir);
        let json = ctx.out.json;
        let all = export_all(
            &ctx.store,
            ReportKind::ALL,
            &scope,
            masking,
            &folder,
            ctx.today,
            &mut |i, n, k| {
                if !json && i < n {
                    eprintln!("[{}/{n}] {}…", i + 1, k.title());
                }
            },
        )?;
        if !ctx.out.emit(&all) {
            println!(
                "已导出 {} 份报表（{}）到 {}：",
                all.done.len(),
                period_label(from, to),
                all.folder
            );
            for d in &all.done {
                println!("  {}（{} 行）", d.path, d.rows);
            }
            for s in &all.skipped {
                println!("  未导出 {s}");
            }
        }
        return Ok(());
    }
    let kind = ReportKind::parse(&a.kind).ok_or_else(|| {
        Error::invalid(
            "kind",
            format!(
                "没有名为“{}”的报表。可选：visit-stats、request-ledger、request-summary、cadre-assessment、overdue、plan、projects、project-contest、all、bulletin、cases。",
                a.kind
            ),
        )
    })?;
    let target = match a.out {
        Some(p) => p,
        None => default_dir().join(default_file_name(&ctx.store, kind, &scope)?),
    };
    let done = export_report(&ctx.store, kind, &scope, masking, &target, ctx.today)?;
    if !ctx.out.emit(&done) {
        println!("已导出{}（{} 行）：{}", kind.title(), done.rows, done.path);
    }
    Ok(())
}

/// `minqing export bulletin`: the period's 情况通报 (the coordinator's kept edits included).
fn bulletin(scope: &Scope, out: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    use minqing_core::report::bulletin::{draft, write_docx};
    let target = match out {
        Some(p) => p,
        None => ctx
            .exports
            .join(draft(&ctx.store, scope, ctx.today)?.file_name),
    };
    let done = write_docx(&ctx.store, scope, ctx.today, &target)?;
    if !ctx.out.emit(&done) {
        let own = if done.edited > 0 {
            format!("，其中 {} 段是您改写的", done.edited)
        } else {
            String::new()
        };
        println!(
            "已生成{}情况通报（{} 段{own}）：{}",
            done.period, done.parts, done.path
        );
    }
    Ok(())
}

/// `minqing export cases`: the 典型案例汇编 (.docx) and its list with the 推荐名单 (.xlsx).
fn cases(scope: &Scope, category: Option<&str>, out: Option<PathBuf>, ctx: &Ctx) -> Result<()> {
    use minqing_core::report::casebook::write_casebook;
    let target = match out {
        Some(p) => p,
        None => ctx.exports.join(minqing_core::report::casebook::file_name(
            &ctx.store, scope, category,
        )?),
    };
    let done = write_casebook(&ctx.store, scope, category, &target, ctx.today)?;
    if !ctx.out.emit(&done) {
        println!(
            "已汇编{}的先进典型 {} 个：{}\n推荐名单（{} 名）：{}",
            done.period, done.cases, done.path, done.nominees, done.list_path
        );
    }
    Ok(())
}

/// `minqing merge FILES… --out district.xlsx`: exit 1, naming the file and the cells, when a
/// workbook's numbers were edited after export (nothing is written then).
pub fn merge(
    files: &[PathBuf],
    target: &std::path::Path,
    today: NaiveDate,
    partial: bool,
    same: &[String],
    out: &crate::output::Out,
) -> Result<()> {
    let mut pairs = Vec::new();
    for s in same {
        match s.split_once('=') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                pairs.push((a.trim().to_string(), b.trim().to_string()))
            }
            _ => {
                return Err(Error::invalid(
                    "same",
                    format!(
                        "--same 应写成“名称=名称”，如 --same 区交通局=区交通运输局；现在是“{s}”。"
                    ),
                ))
            }
        }
    }
    let opts = minqing_core::report::merge::MergeOptions {
        partial,
        same: pairs,
    };
    let r = minqing_core::report::merge::merge_opts(files, target, today, &opts)?;
    if !out.emit(&r) {
        for p in &r.problems {
            if p.file.is_empty() {
                eprintln!("请确认：{}", p.message);
                continue;
            }
            let tag = if p.blocking {
                "不能汇总"
            } else {
                "未汇总"
            };
            eprintln!("{tag}：{}：{}", p.file, p.message);
            for c in &p.cells {
                eprintln!("    {c}");
            }
        }
        if let Some(path) = &r.path {
            println!(
                "已汇总 {} 个乡镇（{}）的 {} 种报表：{path}",
                r.townships.len(),
                r.period,
                r.kinds.len()
            );
        }
    }
    match &r.path {
        Some(_) => Ok(()),
        None if r.problems.iter().any(|p| p.blocking) => {
            let bad: Vec<&str> = r
                .problems
                .iter()
                .filter(|p| p.blocking)
                .map(|p| p.file.as_str())
                .collect();
            Err(Error::invalid(
                "files",
                format!(
                    "{} 份报表未通过核对（{}），没有生成汇总表。",
                    bad.len(),
                    bad.join("、")
                ),
            ))
        }
        None => Err(Error::invalid("files", "没有可以汇总的报表。")),
    }
}
