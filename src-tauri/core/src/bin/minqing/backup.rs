//! `minqing backup` — verified copies of the database, their list, a check of one file and a
//! restore that backs up the current database first.

use crate::output::{table, Out};
use clap::Subcommand;
use minqing_core::db::backup::{self, BackupInfo, Kind};
use minqing_core::error::Result;
use minqing_core::Store;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum BackupCmd {
    /// 立即备份（写入数据库旁的 backups 文件夹，或 --to 指定的文件夹，如U盘）
    Create {
        /// 备份到的文件夹
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// 列出备份：时间、类型、大小、户数、诉求数、走访数
    List {
        /// 备份文件夹（默认数据库旁的 backups）
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// 检查一个备份文件是否完整、可以恢复
    Verify {
        /// 备份文件
        file: PathBuf,
    },
    /// 用备份替换当前数据库（先自动备份当前数据库）；请先关闭民情通
    Restore {
        /// 备份文件
        file: PathBuf,
    },
    /// 数据库损坏时：把损坏的文件原样移到一边，用最近一份完好的备份（或指定的备份）顶替
    Recover {
        /// 备份文件（默认：backups 中最近一份通过校验的）
        file: Option<PathBuf>,
    },
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn print(out: &Out, rows: &[BackupInfo]) {
    if out.emit(&rows) {
        return;
    }
    if rows.is_empty() {
        println!("还没有备份。用 minqing backup create 立即备份。");
        return;
    }
    table(
        &["时间", "类型", "大小", "户数", "诉求", "走访", "文件"],
        &rows
            .iter()
            .map(|b| {
                vec![
                    b.created.clone(),
                    b.kind.clone(),
                    format!("{:.1} MB", b.bytes as f64 / 1_048_576.0),
                    b.households.to_string(),
                    b.requests.to_string(),
                    b.visits.to_string(),
                    b.path.display().to_string(),
                ]
            })
            .collect::<Vec<_>>(),
    );
}

/// Runs a backup command. `restore`, `verify` and `list` never open the database through the
/// store first (a restore must be the only one with it open).
pub fn backup(cmd: BackupCmd, db: &Path, out: &Out) -> Result<()> {
    match cmd {
        BackupCmd::Create { to } => {
            let store = Store::open(db)?;
            let info = backup::create(&store, to.as_deref(), Kind::Manual, now())?;
            if !out.emit(&info) {
                println!(
                    "已备份并校验：{}（{} 户，{} 条诉求，{} 次走访）",
                    info.path.display(),
                    info.households,
                    info.requests,
                    info.visits
                );
            }
        }
        BackupCmd::List { dir } => {
            let dir = dir.unwrap_or_else(|| minqing_core::paths::backups_dir_for(db));
            print(out, &backup::list(&dir)?);
        }
        BackupCmd::Verify { file } => {
            let info = backup::verify(&file)?;
            if !out.emit(&info) {
                println!(
                    "备份完整，可以恢复：{}（{}，{} 户，{} 条诉求，{} 次走访）",
                    info.path.display(),
                    info.created,
                    info.households,
                    info.requests,
                    info.visits
                );
            }
        }
        BackupCmd::Restore { file } => {
            let r = backup::restore(db, &file, now())?;
            if !out.emit(&r) {
                println!(
                    "已从 {}（{}）恢复：{} 户，{} 条诉求，{} 次走访。恢复前的数据已备份到 {}。",
                    r.restored.path.display(),
                    r.restored.created,
                    r.restored.households,
                    r.restored.requests,
                    r.restored.visits,
                    r.previous.path.display()
                );
            }
        }
        BackupCmd::Recover { file } => {
            let r = backup::recover(db, file.as_deref(), now())?;
            if !out.emit(&r) {
                println!(
                    "已用 {}（{}，{} 户）恢复。损坏的文件原样保留在 {}。",
                    r.restored.path.display(),
                    r.restored.created,
                    r.restored.households,
                    r.kept_aside.display()
                );
            }
        }
    }
    Ok(())
}
