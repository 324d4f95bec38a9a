//! `minqing` — the app's second face, for district IT staff, scripts, tests and benchmarks.
//! It calls the same core functions as the desktop app and, by default, opens the same file.
//!
//! Exit codes: 0 ok, 1 a user error (Chinese message on stderr), 2 an internal error.

/// `println!` for the whole CLI, shadowing std's: a reader that stops early (`minqing … |
/// head`, `| Select-Object -First 5`) closes the pipe, and std's macro would panic on the
/// failed write. Here the program stops quietly instead, as command-line tools do — what it
/// was asked to change has already been saved by then.
macro_rules! println {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// The same for stderr (progress lines, messages).
macro_rules! eprintln {
    () => {
        $crate::output::write_stderr(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!($($arg)*))
    };
}

mod audit;
mod backup;
mod cases;
mod chinese;
mod export;
mod import;
mod ledger;
mod output;
mod plan;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use minqing_core::paging::NamedRef;
use minqing_core::register::{cadres, households, villages, CadreLevel, HouseholdStatus};
use minqing_core::{demo, paths, stats, Error, Result, Store};
use output::Out;
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

/// 民情通命令行工具：与桌面程序共用同一个数据库和同一套业务规则。
#[derive(Parser)]
#[command(name = "minqing", version, long_about = None)]
struct Cli {
    /// 数据库文件（默认：桌面程序自己的数据库；也可用环境变量 MINQING_DB 指定）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 以 JSON 输出结果（写到标准输出）
    #[arg(long, global = true)]
    json: bool,
    /// 把这一天当作“今天”（补录历史记录、测试期限时使用），格式 2026-11-29
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// 操作人：本次命令做的修改记在谁的名下（也可用环境变量 MINQING_OPERATOR；默认“命令行”）
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// 生成示例乡镇（只能载入空白数据库）
    Demo {
        /// 户数
        #[arg(long, default_value_t = demo::DEFAULT_HOUSEHOLDS)]
        households: u32,
        /// 随机种子：同一种子总是生成同样的数据
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 乡镇名称
        #[arg(long, default_value = demo::DEFAULT_TOWNSHIP)]
        township: String,
        /// 同时生成近 N 天的走访记录和诉求（经交办、办结、回访等环节），用于体验工作台和报表
        #[arg(long, value_name = "DAYS")]
        activity: Option<u32>,
    },
    /// 统计：按村、按标签、按状态的户数
    Stats,
    /// 村/社区
    #[command(subcommand)]
    Village(VillageCmd),
    /// 户籍台账
    #[command(subcommand)]
    Household(HouseholdCmd),
    /// 干部队伍
    #[command(subcommand)]
    Cadre(CadreCmd),
    /// 责任单位
    #[command(subcommand)]
    Unit(ledger::UnitCmd),
    /// 走访记录（民情日记）
    #[command(subcommand)]
    Visit(ledger::VisitCmd),
    /// 民情诉求台账
    #[command(subcommand)]
    Request(ledger::RequestCmd),
    /// 三率：响应率、解决率、满意率
    Rates {
        /// 分组：unit（单位）、village（村）、cadre（干部）、month（月份）
        #[arg(long, default_value = "unit")]
        by: String,
        /// 受理日期起
        #[arg(long)]
        from: Option<String>,
        /// 受理日期止
        #[arg(long)]
        to: Option<String>,
    },
    /// 走访排班：轮次、排班计算、检查、打印
    #[command(subcommand)]
    Plan(plan::PlanCmd),
    /// 导入花名册、干部名单（.xlsx / .xls / .ods / .csv）
    #[command(subcommand)]
    Import(import::ImportCmd),
    /// 导出区里要的报表（.xlsx，A4 横向，个人信息默认脱敏）
    Export(export::ExportArgs),
    /// 区级汇总：把各乡镇发来的报表合成一份全区的工作簿（逐份核对校验码）
    Merge {
        /// 各乡镇用民情通导出的报表（.xlsx）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 全区汇总工作簿保存到哪里
        #[arg(long)]
        out: PathBuf,
        /// 也汇总只统计了部分村的报表（表上注明统计范围；默认不汇总，只列出）
        #[arg(long)]
        partial: bool,
        /// 确认两个单位名称是同一个区直部门（办实事竞赛的区直部门排名），如 --same 区交通局=区交通运输局；可重复
        #[arg(long, value_name = "名称=名称")]
        same: Vec<String>,
    },
    /// 先进典型：把走访、诉求或实事项目标为典型，写明事迹
    #[command(subcommand)]
    Case(cases::CaseCmd),
    /// 备份与恢复
    #[command(subcommand)]
    Backup(backup::BackupCmd),
    /// 操作记录：谁在什么时候把什么从什么改成了什么
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// 检查数据库：完整性、外键、数据版本
    Check,
}

/// What every command handler needs.
pub struct Ctx {
    pub store: Store,
    pub out: Out,
    pub today: NaiveDate,
    /// Where an export goes when no `--out` is given: [`paths::export_dir_in`] the database's
    /// folder, so `--db` on another folder keeps its exports beside it (without a Documents
    /// folder), as the desktop's `--data-dir` does.
    pub exports: PathBuf,
}

#[derive(Subcommand)]
enum VillageCmd {
    /// 列出村/社区及其村民小组
    List,
    /// 新增村/社区，可同时建好“一组”到“N组”
    Add {
        name: String,
        /// 村民小组个数
        #[arg(long, default_value_t = 0)]
        groups: u32,
    },
}

#[derive(Subcommand)]
enum HouseholdCmd {
    /// 分页列出户（身份证号、电话已脱敏）
    List(HouseholdListArgs),
    /// 查看一户的详细信息
    Show {
        /// 户编号
        id: i64,
    },
    /// 新增一户
    Add(HouseholdAddArgs),
}

#[derive(Args)]
struct HouseholdListArgs {
    /// 村/社区名称
    #[arg(long)]
    village: Option<String>,
    /// 村民小组名称（需同时指定 --village）
    #[arg(long)]
    group: Option<String>,
    /// 标签名称
    #[arg(long)]
    tag: Option<String>,
    /// 状态：在册、迁出、注销
    #[arg(long)]
    status: Option<String>,
    /// 只列重点户
    #[arg(long)]
    key_only: bool,
    /// 搜索：姓名、拼音首字母、身份证或电话后四位
    #[arg(long)]
    search: Option<String>,
    /// 排序：roster（村组顺序）、name、size、status、updated
    #[arg(long, default_value = "roster")]
    sort: String,
    /// 倒序
    #[arg(long)]
    desc: bool,
    #[arg(long, default_value_t = 1)]
    page: u32,
    #[arg(long, default_value_t = 50)]
    page_size: u32,
}

#[derive(Args)]
struct HouseholdAddArgs {
    /// 村/社区名称
    #[arg(long)]
    village: String,
    /// 村民小组名称
    #[arg(long)]
    group: String,
    /// 户主姓名
    #[arg(long)]
    name: String,
    /// 公民身份号码
    #[arg(long)]
    id: String,
    /// 联系电话
    #[arg(long, default_value = "")]
    phone: String,
    /// 家庭人口
    #[arg(long)]
    size: Option<i64>,
    /// 标签，用逗号分隔，如 低保户,留守老人
    #[arg(long, default_value = "")]
    tags: String,
    /// 地址/门牌
    #[arg(long, default_value = "")]
    address: String,
}

#[derive(Subcommand)]
enum CadreCmd {
    /// 列出干部
    List {
        /// 挂钩村名称
        #[arg(long)]
        village: Option<String>,
        /// 搜索：姓名、拼音首字母、单位
        #[arg(long)]
        search: Option<String>,
        /// 包括已停用的干部
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = 50)]
        page_size: u32,
    },
    /// 新增干部
    Add {
        #[arg(long)]
        name: String,
        /// 单位（派出单位）
        #[arg(long)]
        unit: String,
        /// 职务
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// 层级：区领导、部门负责人、一般干部、乡镇干部、村干部
        #[arg(long, default_value = "一般干部")]
        level: String,
        /// 挂钩村，用逗号分隔
        #[arg(long, default_value = "")]
        villages: String,
        /// 每月可走访天数
        #[arg(long, default_value_t = 4)]
        days: i64,
    },
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = chinese::command(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            return match chinese::error_text(&e) {
                None => {
                    // Help and version, already in Chinese.
                    println!("{}", e.render().to_string().trim_end());
                    ExitCode::SUCCESS
                }
                Some(text) => {
                    eprintln!("{text}");
                    ExitCode::from(1)
                }
            };
        }
    };
    let out = Out { json: cli.json };
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::from(if e.is_user_error() { 1 } else { 2 })
        }
    }
}

fn db_path(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .or_else(|| {
            std::env::var_os("MINQING_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(paths::default_db_path)
}

fn today(cli: &Cli) -> Result<NaiveDate> {
    match &cli.today {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => minqing_core::validate::parse_date(s).ok_or_else(|| {
            Error::invalid(
                "today",
                format!("--today 的日期“{s}”无法识别，请写成 2026-11-29 这样的格式。"),
            )
        }),
    }
}

pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

pub(crate) fn village_id(store: &Store, name: &str) -> Result<i64> {
    let all = villages::list_villages(store)?;
    all.iter()
        .find(|v| v.name == name.trim())
        .or_else(|| {
            all.iter()
                .find(|v| minqing_core::roster::values::same_village(&v.name, name))
        })
        .map(|v| v.id)
        .ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(|v| v.name.as_str()).collect();
            Error::invalid(
                "village",
                format!(
                    "没有名为“{name}”的村/社区。已有：{}。请先用 minqing village add 新增。",
                    if known.is_empty() {
                        "（无）".to_string()
                    } else {
                        known.join("、")
                    }
                ),
            )
        })
}

fn group_id(store: &Store, village: i64, village_name: &str, name: &str) -> Result<i64> {
    let all = villages::list_villages(store)?;
    let v = all
        .iter()
        .find(|v| v.id == village)
        .expect("village id was just looked up");
    // The import's rule: "1组" is 一组, "第三村民小组" is 三组.
    v.groups
        .iter()
        .find(|g| g.name == name.trim())
        .or_else(|| {
            v.groups
                .iter()
                .find(|g| minqing_core::roster::values::same_group(&g.name, name))
        })
        .map(|g| g.id)
        .ok_or_else(|| {
            let known: Vec<&str> = v.groups.iter().map(|g| g.name.as_str()).collect();
            Error::invalid(
                "group",
                format!(
                    "“{village_name}”没有名为“{name}”的村民小组。已有：{}。",
                    known.join("、")
                ),
            )
        })
}

fn tag_ids(store: &Store, names: &[String]) -> Result<Vec<i64>> {
    let tags = minqing_core::register::tags::list_tags(store)?;
    names
        .iter()
        .map(|n| {
            tags.iter()
                .find(|t| &t.name == n)
                .map(|t| t.id)
                .ok_or_else(|| {
                    let known: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
                    Error::invalid(
                        "tags",
                        format!("没有名为“{n}”的标签。可用的标签：{}。", known.join("、")),
                    )
                })
        })
        .collect()
}

fn run(cli: Cli, out: &Out) -> Result<()> {
    let today = today(&cli)?;
    let path = db_path(&cli);
    if matches!(cli.cmd, Cmd::Check) {
        return match Store::open(&path) {
            Ok(store) => {
                let report = store.check()?;
                out.check(&path, &report);
                if report.ok {
                    Ok(())
                } else {
                    Err(Error::DbCorrupt {
                        path,
                        detail: "完整性检查未通过".into(),
                    })
                }
            }
            Err(e) => Err(e),
        };
    }
    let cmd = match cli.cmd {
        Cmd::Backup(c) => return backup::backup(c, &path, out),
        Cmd::Merge {
            files,
            out: target,
            partial,
            same,
        } => return export::merge(&files, &target, today, partial, &same, out),
        other => other,
    };
    let operator = cli
        .operator
        .clone()
        .or_else(|| {
            std::env::var("MINQING_OPERATOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "命令行".into());
    let operator = minqing_core::audit::check_operator(&operator)?;
    let store = Store::open(&path)?;
    store.set_operator(Some(operator));
    let exports = paths::export_dir_in(path.parent().unwrap_or(std::path::Path::new(".")));
    let ctx = Ctx {
        store,
        out: Out { json: out.json },
        today,
        exports,
    };
    let store = &ctx.store;
    match cmd {
        Cmd::Check | Cmd::Backup(_) | Cmd::Merge { .. } => unreachable!("handled above"),
        Cmd::Unit(c) => ledger::unit(c, store, out)?,
        Cmd::Visit(c) => ledger::visit(c, &ctx)?,
        Cmd::Request(c) => ledger::request(c, &ctx)?,
        Cmd::Plan(c) => plan::plan(c, &ctx)?,
        Cmd::Import(c) => import::import(c, &ctx)?,
        Cmd::Export(a) => export::export(a, &ctx)?,
        Cmd::Audit(c) => audit::audit(c, &ctx)?,
        Cmd::Case(c) => cases::case(c, &ctx)?,
        Cmd::Rates { by, from, to } => ledger::rates_cmd(&ctx, &by, &from, &to)?,
        Cmd::Demo {
            households,
            seed,
            township,
            activity,
        } => {
            let opts = demo::DemoOptions {
                households,
                seed,
                township,
            };
            let started = std::time::Instant::now();
            let mut progress = output::Progress::new(!out.json && households >= 20_000);
            let summary = demo::generate(store, &opts, today, |done, total| {
                progress.step("正在生成示例数据", done, total);
                true
            })?;
            progress.finish();
            let activity = match activity {
                Some(days) => {
                    let from = today - chrono::Duration::days(days as i64);
                    Some((
                        from,
                        demo::activity::activity(store, from, today, 0.8, seed, today)?,
                    ))
                }
                None => None,
            };
            if out.json {
                let mut v = serde_json::to_value(&summary).expect("plain data");
                if let Some((_, a)) = &activity {
                    v["activity"] = serde_json::to_value(a).expect("plain data");
                }
                out.emit(&v);
            } else {
                out.demo(&summary, started.elapsed());
                if let Some((from, a)) = activity {
                    println!(
                        "已生成 {from} 至 {today} 的走访记录 {} 条、诉求 {} 件（已办结 {} 件）。",
                        a.visits, a.requests, a.closed
                    );
                }
            }
        }
        Cmd::Stats => out.stats(&stats::register_stats(store)?),
        Cmd::Village(VillageCmd::List) => out.villages(&villages::list_villages(store)?),
        Cmd::Village(VillageCmd::Add { name, groups }) => {
            let v = villages::add_village(store, &villages::VillageInput { name, kind: None })?;
            let groups = if groups > 0 {
                villages::add_numbered_groups(store, v.id, groups)?
            } else {
                Vec::new()
            };
            out.created("村/社区", &v, &groups);
        }
        Cmd::Household(HouseholdCmd::List(a)) => {
            let village = a
                .village
                .as_deref()
                .map(|v| village_id(store, v))
                .transpose()?;
            let group = match (&a.group, village, &a.village) {
                (Some(g), Some(v), Some(vn)) => Some(group_id(store, v, vn, g)?),
                (Some(_), _, _) => {
                    return Err(Error::invalid(
                        "group",
                        "按村民小组筛选时请同时用 --village 指定村。",
                    ))
                }
                _ => None,
            };
            let tag = a
                .tag
                .as_ref()
                .map(|t| tag_ids(store, std::slice::from_ref(t)))
                .transpose()?
                .map(|v| v[0]);
            let status = a
                .status
                .as_deref()
                .map(|s| {
                    HouseholdStatus::parse(s).ok_or_else(|| {
                        Error::invalid(
                            "status",
                            format!("状态“{s}”不对，应为 在册、迁出 或 注销。"),
                        )
                    })
                })
                .transpose()?;
            let sort = serde_json::from_value(serde_json::Value::String(a.sort.clone())).map_err(
                |_| {
                    Error::invalid(
                        "sort",
                        format!(
                            "排序“{}”不对，可选 roster、name、size、status、updated。",
                            a.sort
                        ),
                    )
                },
            )?;
            let q = households::HouseholdQuery {
                village_id: village,
                village_ids: Vec::new(),
                group_id: group,
                tag_id: tag,
                status,
                key_only: a.key_only,
                search: a.search,
                sort,
                desc: a.desc,
                page: a.page,
                page_size: a.page_size,
            };
            out.households(&households::list_households(store, &q)?);
        }
        Cmd::Household(HouseholdCmd::Show { id }) => {
            out.household(&households::get_household(store, id)?)
        }
        Cmd::Household(HouseholdCmd::Add(a)) => {
            let v = village_id(store, &a.village)?;
            let g = group_id(store, v, &a.village, &a.group)?;
            let input = households::HouseholdInput {
                phone: a.phone,
                address: a.address,
                size: a.size,
                tag_ids: tag_ids(store, &split_list(&a.tags))?,
                ..households::HouseholdInput::new(v, g, &a.name, &a.id)
            };
            let h = households::add_household(store, &input, today)?;
            out.household(&h);
        }
        Cmd::Cadre(CadreCmd::List {
            village,
            search,
            all,
            page,
            page_size,
        }) => {
            let q = cadres::CadreQuery {
                village_id: village
                    .as_deref()
                    .map(|v| village_id(store, v))
                    .transpose()?,
                search,
                include_inactive: all,
                page,
                page_size,
                ..Default::default()
            };
            out.cadres(&cadres::list_cadres(store, &q)?);
        }
        Cmd::Cadre(CadreCmd::Add {
            name,
            unit,
            title,
            phone,
            level,
            villages,
            days,
        }) => {
            let level = CadreLevel::parse(&level).ok_or_else(|| {
                Error::invalid("level", format!("干部层级“{level}”不对，应为 区领导、部门负责人、一般干部、乡镇干部 或 村干部。"))
            })?;
            let village_ids = split_list(&villages)
                .iter()
                .map(|v| village_id(store, v))
                .collect::<Result<Vec<_>>>()?;
            let input = cadres::CadreInput {
                title,
                phone,
                level,
                visit_days_per_month: days,
                village_ids,
                ..cadres::CadreInput::new(&name, &unit)
            };
            let c = cadres::add_cadre(store, &input)?;
            out.created(
                "干部",
                &NamedRef {
                    id: c.id,
                    name: c.name.clone(),
                },
                &[],
            );
        }
    }
    Ok(())
}
