//! `minqing audit` — the 操作记录 (who changed what, when, old → new), masked like the app's
//! screen; `minqing audit export --out F.xlsx` writes it as a printable workbook.

use crate::output::table;
use crate::Ctx;
use clap::{Args, Subcommand};
use minqing_core::audit::{self, AuditEntity, AuditQuery};
use minqing_core::error::Result;
use minqing_core::privacy::Masking;
use std::path::PathBuf;

#[derive(Args)]
pub struct AuditFilter {
    /// 起始日期（含），如 2026-11-01
    #[arg(long)]
    from: Option<String>,
    /// 截止日期（含）
    #[arg(long)]
    to: Option<String>,
    /// 只看这位操作人
    #[arg(long = "by", value_name = "OPERATOR")]
    by: Option<String>,
    /// 只看一类对象：农户、干部、诉求、排班
    #[arg(long)]
    entity: Option<String>,
    /// 名称、项目或内容中含有这些字
    #[arg(long)]
    search: Option<String>,
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// 列出操作记录（最新的在前；身份证号、电话已脱敏）
    List {
        #[command(flatten)]
        filter: AuditFilter,
        /// 最多列出多少条
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// 把操作记录导出为 .xlsx（默认脱敏）
    Export {
        #[command(flatten)]
        filter: AuditFilter,
        /// 保存到的文件；默认放在“文档/民情通导出”（没有“文档”文件夹时放在数据文件夹的 exports）中，乡镇_操作记录_日期.xlsx
        #[arg(long)]
        out: Option<PathBuf>,
        /// 不脱敏：导出完整的身份证号和电话（表上会注明）
        #[arg(long)]
        unmasked: bool,
    },
}

fn query(f: AuditFilter) -> Result<AuditQuery> {
    Ok(AuditQuery {
        from: f.from,
        to: f.to,
        operator: f.by,
        entity: match f.entity {
            Some(e) => Some(AuditEntity::parse_or_explain("entity", &e)?),
            None => None,
        },
        entity_id: None,
        search: f.search,
        page: 1,
        page_size: 50,
    })
}

pub fn audit(cmd: AuditCmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        AuditCmd::List { filter, limit } => {
            let q = AuditQuery {
                page_size: limit.clamp(1, 500),
                ..query(filter)?
            };
            let page = audit::list(&ctx.store, &q)?;
            if ctx.out.emit(&page) {
                return Ok(());
            }
            let v = |s: &Option<String>| s.clone().unwrap_or_default();
            let rows: Vec<Vec<String>> = page
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.at.clone(),
                        r.operator.clone(),
                        r.entity.as_str().to_string(),
                        r.label.clone(),
                        r.action.clone(),
                        r.field.clone(),
                        v(&r.old_value).chars().take(30).collect(),
                        v(&r.new_value).chars().take(30).collect(),
                    ]
                })
                .collect();
            table(
                &[
                    "时间",
                    "操作人",
                    "对象",
                    "名称",
                    "操作",
                    "项目",
                    "原值",
                    "新值",
                ],
                &rows,
            );
            println!("共 {} 条，显示最新的 {} 条。", page.total, page.rows.len());
        }
        AuditCmd::Export {
            filter,
            out,
            unmasked,
        } => {
            let q = query(filter)?;
            let target = match out {
                Some(p) => p,
                None => ctx.exports.join(minqing_core::report::audit::file_name(
                    &ctx.store, ctx.today,
                )?),
            };
            let masking = if unmasked {
                Masking::Unmasked
            } else {
                Masking::Masked
            };
            let done =
                minqing_core::report::audit::export(&ctx.store, &q, masking, &target, ctx.today)?;
            if !ctx.out.emit(&done) {
                println!("已导出 {} 条操作记录：{}", done.rows, done.path);
            }
        }
    }
    Ok(())
}
