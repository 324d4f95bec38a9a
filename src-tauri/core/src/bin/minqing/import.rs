//! `minqing import households|cadres FILE …` — the import screen's machinery from a shell.
//! Exit 1 when problems blocked the import (nothing written).

use crate::output::{table, Out, Progress};
use crate::Ctx;
use clap::{Args, Subcommand, ValueEnum};
use minqing_core::roster::{self, read, ImportKind, ImportMode, ImportOptions, ImportReport};
use minqing_core::{Error, Result};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Subcommand)]
pub enum ImportCmd {
    /// 导入农户花名册（.xlsx / .xls / .ods / .csv）
    Households(ImportArgs),
    /// 导入干部名单（姓名、单位、职务、电话、挂钩村、干部类别）
    Cadres(ImportArgs),
    /// 导入本乡镇原有的民情诉求台账（Excel / WPS / .csv），每行一件诉求，保留原日期和状态
    Requests(ImportArgs),
    /// 导入原来用 Excel 记的走访记录（民情日记）：每行一次走访，户主和干部须已登记
    Diary(ImportArgs),
    /// 导入干部交回的走访任务单（可一次选多个文件）：每个填写的行记为一条走访记录
    Visits(VisitsArgs),
}

#[derive(Args)]
pub struct VisitsArgs {
    /// 交回的任务单文件（.xlsx，可多个）
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 试运行：只检查，不写入
    #[arg(long)]
    dry_run: bool,
    /// 有问题的行跳过，其余导入（默认：有问题就全部不导入）
    #[arg(long)]
    skip_bad: bool,
    /// 把有问题的行导出为 .xlsx 问题清单
    #[arg(long, value_name = "OUT.xlsx")]
    problems: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// 仅新增：已登记的人跳过并列出
    Add,
    /// 新增并更新：已登记的人按文件更新
    Upsert,
}

#[derive(Args)]
pub struct ImportArgs {
    /// 要导入的文件
    file: PathBuf,
    /// 工作表名称（默认自动识别）
    #[arg(long)]
    sheet: Option<String>,
    /// 表头所在的行号（Excel 显示的行号；默认自动识别）
    #[arg(long)]
    header_row: Option<u32>,
    /// 导入方式
    #[arg(long, value_enum, default_value = "add")]
    mode: ModeArg,
    /// 试运行：只检查，不写入
    #[arg(long)]
    dry_run: bool,
    /// 有问题的行跳过，其余导入（默认：有问题就全部不导入）
    #[arg(long)]
    skip_bad: bool,
    /// 新建文件中有、村组设置中没有的村和组（以及标签）
    #[arg(long)]
    create_missing: bool,
    /// 文件里没有“村”这一列时，所有行所在的村（默认取标题或文件名中的村名）
    #[arg(long, value_name = "村名")]
    village: Option<String>,
    /// 把有问题的行导出为 .xlsx 问题清单
    #[arg(long, value_name = "OUT.xlsx")]
    problems: Option<PathBuf>,
    /// 民情诉求台账：标为办结却缺少办理结果、答复群众或办结日期的，按“办理中”导入（默认算作问题）
    #[arg(long)]
    incomplete_as_open: bool,
}

pub fn import(cmd: ImportCmd, ctx: &Ctx) -> Result<()> {
    let (kind, a) = match cmd {
        ImportCmd::Households(a) => (ImportKind::Households, a),
        ImportCmd::Cadres(a) => (ImportKind::Cadres, a),
        ImportCmd::Requests(a) => (ImportKind::Requests, a),
        ImportCmd::Diary(a) => (ImportKind::Diary, a),
        ImportCmd::Visits(v) => return import_visits(v, ctx),
    };
    let cancel = AtomicBool::new(false);
    let show = !ctx.out.json;
    let opts = ImportOptions {
        kind,
        sheet: a.sheet,
        header_row: a.header_row,
        mapping: None,
        mode: match a.mode {
            ModeArg::Add => ImportMode::Add,
            ModeArg::Upsert => ImportMode::Upsert,
        },
        dry_run: a.dry_run,
        skip_bad: a.skip_bad,
        create_missing: a.create_missing,
        village: a.village,
        incomplete_as_open: a.incomplete_as_open,
    };
    // Small files finish before a progress line could help.
    let mut progress =
        Progress::new(show && std::fs::metadata(&a.file).is_ok_and(|m| m.len() > 1 << 20));
    // An .xlsx roster is written while it is read (roster::import_file).
    let report = roster::import_file(
        &ctx.store,
        &a.file,
        &opts,
        ctx.today,
        &mut |p| match p.stage {
            roster::Stage::Read => progress.count("正在读取", p.done),
            roster::Stage::Write => progress.step("正在写入", p.done, p.total),
            _ => progress.step("正在检查", p.done, p.total),
        },
        &cancel,
    )?;
    progress.finish();
    if let Some(out) = &a.problems {
        if !report.problems.is_empty() {
            // The problem list shows each row as the file has it: read the file again.
            let book = read::read_file(&a.file, &mut |_| {}, &cancel)?;
            roster::output::write_problem_list(&book, &report, out)?;
            if show {
                eprintln!("问题清单已保存到 {}", out.display());
            }
        }
    }
    print_report(&ctx.out, &report);
    if report.blocked {
        return Err(Error::invalid(
            "blocked",
            format!(
                "有 {} 行存在问题，按“有问题就全部不导入”的规则，没有写入任何数据。请改正后重新导入，或加 --skip-bad 只导入没有问题的行。",
                report.problem_rows
            ),
        ));
    }
    Ok(())
}

fn print_report(out: &Out, r: &ImportReport) {
    if out.emit(r) {
        return;
    }
    let header = if r.header_rows == 2 {
        format!("第 {}–{} 行（两层）", r.header_row, r.header_row + 1)
    } else {
        format!("第 {} 行", r.header_row)
    };
    println!("文件：{}　工作表：{}　表头：{header}", r.file, r.sheet);
    let map: Vec<String> = r.mapping.iter().map(|(f, c)| format!("{f}←{c}")).collect();
    println!("列对应：{}", map.join("  "));
    if let Some(v) = &r.village_for_all {
        println!(
            "文件里没有村这一列：所有行都算作{}（{}）",
            v.name,
            if v.from == "您的选择" {
                "按 --village 指定".to_string()
            } else {
                format!("取自{}；不对请用 --village 指定", v.from)
            }
        );
    }
    if let Some(p) = &r.per_person {
        println!(
            "人口花名册（每人一行）：{} 人，{}分成 {} 户（户主行）；{} 名家庭成员计入家庭人口，不单独登记{}",
            p.people,
            p.grouped_by,
            p.families,
            p.members,
            if p.head_by_order {
                "。文件没有“与户主关系”一列，每个户号的第一行当作户主"
            } else {
                ""
            }
        );
    }
    for l in &r.skipped_lines {
        println!("跳过第 {} 行：{}", l.row, l.reason);
    }
    let verb = if r.written { "已" } else { "可" };
    println!(
        "数据 {} 行：{verb}新增 {}，{verb}更新 {}，无变化 {}，跳过 {}，有问题 {} 行{}",
        r.rows,
        r.imported,
        r.updated,
        r.unchanged,
        r.skipped,
        r.problem_rows,
        if r.dry_run {
            "（试运行，未写入）"
        } else if !r.written {
            "（未写入）"
        } else {
            ""
        }
    );
    if !r.new_villages.is_empty() {
        println!(
            "文件中的新村：{}",
            r.new_villages
                .iter()
                .map(|n| format!("{}（{} 行）", n.name, n.rows))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    for (what, list) in [("责任单位", &r.new_units), ("诉求类别", &r.new_categories)] {
        if !list.is_empty() {
            println!(
                "文件中的新{what}：{}",
                list.iter()
                    .map(|n| format!("{}（{} 行）", n.name, n.rows))
                    .collect::<Vec<_>>()
                    .join("、")
            );
        }
    }
    if r.kind == ImportKind::Requests && r.imported > 0 {
        println!(
            "其中 {} 件保留了台账原有的诉求编号，其余按受理年份顺延编号。",
            r.kept_numbers
        );
    }
    if !r.new_groups.is_empty() {
        println!(
            "文件中的新组：{}",
            r.new_groups
                .iter()
                .map(|n| n.name.clone())
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    if !r.unknown_tags.is_empty() {
        println!(
            "不在标签字典中的类别（未导入）：{}",
            r.unknown_tags
                .iter()
                .map(|n| format!("{}（{} 行）", n.name, n.rows))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    if !r.problems.is_empty() {
        let rows: Vec<Vec<String>> = r
            .problems
            .iter()
            .map(|p| {
                vec![
                    p.row.to_string(),
                    format!("{} {}", p.column, p.header),
                    p.value.clone(),
                    p.message.clone(),
                ]
            })
            .collect();
        table(&["行", "列", "值", "问题"], &rows);
    }
    for c in r.changes.iter().take(50) {
        let ch: Vec<String> = c
            .changes
            .iter()
            .map(|f| format!("{}：{} → {}", f.field, f.old, f.new))
            .collect();
        println!("第 {} 行 {}（{}）：{}", c.row, c.name, c.key, ch.join("；"));
    }
}

/// `minqing import visits FILE…`: returned 走访任务单 into the diary.
fn import_visits(a: VisitsArgs, ctx: &Ctx) -> Result<()> {
    use minqing_core::roster::tasks::{self, TaskImportOptions};
    let opts = TaskImportOptions {
        dry_run: a.dry_run,
        skip_bad: a.skip_bad,
    };
    let r = tasks::import_task_sheets(&ctx.store, &a.files, &opts, ctx.today)?;
    if let Some(out) = &a.problems {
        if !r.problems.is_empty() {
            tasks::write_problem_list(&r, out)?;
            if !ctx.out.json {
                eprintln!("问题清单已保存到 {}", out.display());
            }
        }
    }
    if !ctx.out.emit(&r) {
        let verb = if r.dry_run {
            "可导入"
        } else if r.written {
            "已导入"
        } else {
            "可导入"
        };
        println!(
            "读取 {} 个文件，填写的行 {} 行：{verb}走访记录 {} 条（其中未见到人 {} 条，安排仍待走访），登记群众诉求 {} 件。",
            r.files, r.rows, r.imported, r.attempts, r.requests
        );
        if r.rows == 0 && r.problems.is_empty() {
            println!("任务单中没有找到填写过的行（已走访的行和没走访的空行不导入）。");
        }
        if !r.unclassified.is_empty() {
            println!(
                "以下 {} 件诉求登记为“{}”，请在“民情诉求”中补充类别并交办：",
                r.unclassified.len(),
                tasks::UNCLASSIFIED
            );
            for u in &r.unclassified {
                println!("  {}  {}：{}", u.number, u.head_name, u.content);
            }
        }
        if !r.problems.is_empty() {
            println!("有 {} 处问题：", r.problems.len());
            for p in &r.problems {
                let mut place = p.file.clone();
                if !p.sheet.is_empty() {
                    place.push_str(&format!("·{}", p.sheet));
                }
                if p.row > 0 {
                    place.push_str(&format!(" 第 {} 行", p.row));
                }
                if !p.column.is_empty() {
                    place.push_str(&format!("“{}”", p.column));
                }
                if !p.value.is_empty() {
                    place.push_str(&format!("（{}）", p.value));
                }
                println!("  {place}：{}", p.message);
            }
        }
    }
    if !r.dry_run && !r.written && !r.problems.is_empty() {
        return Err(Error::invalid(
            "blocked",
            if r.skipped > 0 && !a.skip_bad {
                format!(
                    "有 {} 行存在问题，按“有问题就全部不导入”的规则，没有写入任何数据。请改正后重新导入，或加 --skip-bad 只导入没有问题的行。",
                    r.skipped
                )
            } else {
                "没有可导入的走访记录，没有写入任何数据。".to_string()
            },
        ));
    }
    Ok(())
}
