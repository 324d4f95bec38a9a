//! `minqing case` — 先进典型: mark a visit, a request or a 实事项目 as a case with its story,
//! list the cases of a period, take a mark off.

use crate::ledger::date_arg;
use crate::output::table;
use crate::Ctx;
use clap::Subcommand;
use minqing_core::cases::{list_cases, mark_case, unmark_case, CaseInput};
use minqing_core::error::Result;

#[derive(Subcommand)]
pub enum CaseCmd {
    /// 把一条走访记录、一件诉求或一个实事项目标为先进典型（已是典型的，改写它的事迹）
    Mark {
        /// 走访记录编号
        #[arg(long, conflicts_with_all = ["request", "project"])]
        visit: Option<i64>,
        /// 诉求编号，如 2026-000123
        #[arg(long, conflicts_with = "project")]
        request: Option<String>,
        /// 实事项目编号
        #[arg(long)]
        project: Option<i64>,
        /// 典型事迹：谁、解决了什么、群众怎么说
        #[arg(long)]
        story: String,
        /// 推荐参加的评选：一创四争、双十双百，或自定
        #[arg(long, default_value = "双十双百")]
        category: String,
        /// 群众的话（原话）
        #[arg(long, default_value = "")]
        quote: String,
    },
    /// 列出统计时段内的先进典型
    List {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// 只列这一类评选的典型
        #[arg(long)]
        category: Option<String>,
    },
    /// 取消典型标记（走访、诉求或项目本身不变）
    Unmark {
        /// 典型编号（case list 中的编号）
        id: i64,
    },
}

pub fn case(cmd: CaseCmd, ctx: &Ctx) -> Result<()> {
    match cmd {
        CaseCmd::Mark {
            visit,
            request,
            project,
            story,
            category,
            quote,
        } => {
            let c = mark_case(
                &ctx.store,
                &CaseInput {
                    visit_id: visit,
                    request,
                    project_id: project,
                    category,
                    story,
                    quote,
                },
            )?;
            if !ctx.out.emit(&c) {
                println!(
                    "已标为先进典型（{}，编号 {}）：{}",
                    c.category, c.id, c.title
                );
            }
        }
        CaseCmd::List { from, to, category } => {
            let from = from.map(|s| date_arg("from", &s)).transpose()?;
            let to = to.map(|s| date_arg("to", &s)).transpose()?;
            let cases = list_cases(&ctx.store, from, to, category.as_deref())?;
            if ctx.out.emit(&cases) {
                return Ok(());
            }
            let rows: Vec<Vec<String>> = cases
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.marked_on.to_string(),
                        c.kind.to_string(),
                        c.category.clone(),
                        c.title.clone(),
                        c.story.chars().take(30).collect(),
                    ]
                })
                .collect();
            table(&["编号", "日期", "类型", "评选", "典型", "事迹"], &rows);
            println!("共 {} 个典型。", cases.len());
        }
        CaseCmd::Unmark { id } => {
            unmark_case(&ctx.store, id)?;
            if !ctx.out.emit(&serde_json::json!({ "unmarked": id })) {
                println!("已取消典型标记（编号 {id}）。");
            }
        }
    }
    Ok(())
}
