//! How the CLI prints: JSON on stdout with `--json`, aligned Chinese text otherwise; errors
//! always go to stderr in Chinese (and, with `--json`, also as `{"error": …}` on stdout).

use minqing_core::db::CheckReport;
use minqing_core::demo::DemoSummary;
use minqing_core::paging::{NamedRef, Page};
use minqing_core::register::cadres::CadreRow;
use minqing_core::register::households::{Household, HouseholdRow};
use minqing_core::register::villages::Village;
use minqing_core::stats::RegisterStats;
use minqing_core::Error;
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

/// Writes to stdout; a closed pipe ends the program quietly (exit 0: the reader has what it
/// wanted), any other failure with exit 2.
pub fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|_| out.flush()) {
        stop_on(e);
    }
}

/// Writes to stderr; a closed stderr is ignored (nobody is left to tell).
pub fn write_stderr(args: std::fmt::Arguments) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_fmt(args);
}

fn stop_on(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    write_stderr(format_args!(
        "错误：无法输出结果：{}\n",
        minqing_core::error::io_cause(&e)
    ));
    std::process::exit(2);
}

pub struct Out {
    pub json: bool,
}

/// Progress of long work on stderr. On a terminal, one line rewritten in place; in a log
/// (stderr redirected), a line at every tenth of the work, so a 100,000-row import leaves a
/// dozen lines, not a hundred.
pub struct Progress {
    enabled: bool,
    tty: bool,
    on_line: bool,
    last: Option<(String, u64)>,
}

impl Progress {
    /// `enabled` is false for `--json` and for small jobs.
    pub fn new(enabled: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            enabled,
            tty: std::io::stderr().is_terminal(),
            on_line: false,
            last: None,
        }
    }

    /// Work whose size is not known yet (rows read so far): shown on a terminal only.
    pub fn count(&mut self, label: &str, done: u64) {
        if self.enabled && self.tty {
            eprint!("\r{label}：{done} 行    ");
            self.on_line = true;
        }
    }

    /// Work of a known size; a total of 0 means not known.
    pub fn step(&mut self, label: &str, done: u64, total: u64) {
        if total == 0 {
            return self.count(label, done);
        }
        if !self.enabled {
            return;
        }
        if self.tty {
            eprint!("\r{label}：{done}/{total}    ");
            self.on_line = true;
            return;
        }
        let tenth = done.min(total) * 10 / total;
        let key = (label.to_string(), tenth);
        if self.last.as_ref() != Some(&key) {
            eprintln!("{label}：{done}/{total}（{}%）", tenth * 10);
            self.last = Some(key);
        }
    }

    /// Ends the rewritten line, if one was shown.
    pub fn finish(&mut self) {
        if self.on_line {
            eprintln!();
            self.on_line = false;
        }
    }
}

/// Columns on a terminal: CJK characters take two.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let line = |cells: Vec<String>| {
        let s: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i]))
            .collect();
        println!("{}", s.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
}

impl Out {
    pub fn emit<T: Serialize>(&self, value: &T) -> bool {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("serialisable")
            );
        }
        self.json
    }

    pub fn error(&self, e: &Error) {
        // An import blocked by problems has already printed its report as the JSON answer.
        if self.json && e.field() != Some("blocked") {
            println!("{}", serde_json::json!({ "error": e.payload() }));
        }
        eprintln!("错误：{e}");
    }

    pub fn demo(&self, s: &DemoSummary, took: Duration) {
        if self.emit(s) {
            return;
        }
        println!(
            "已生成示例乡镇“{}”：{} 个村/社区，{} 个村民小组，{} 户，{} 名干部（结对 {} 户），用时 {:.2} 秒。",
            s.township,
            s.villages,
            s.groups,
            s.households,
            s.cadres,
            s.paired_households,
            took.as_secs_f64()
        );
    }

    pub fn stats(&self, s: &RegisterStats) {
        if self.emit(s) {
            return;
        }
        println!(
            "村/社区 {}，村民小组 {}，在册 {} 户（重点户 {}，结对 {}），在册人口 {}，在岗干部 {} 名。\n",
            s.villages, s.groups, s.households, s.key_households, s.paired_households, s.population, s.cadres
        );
        let rows: Vec<Vec<String>> = s
            .by_village
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.groups.to_string(),
                    v.households.to_string(),
                    v.key_households.to_string(),
                    v.cadres.to_string(),
                ]
            })
            .collect();
        table(&["村/社区", "小组", "在册户", "重点户", "挂钩干部"], &rows);
        println!();
        let rows: Vec<Vec<String>> = s
            .by_tag
            .iter()
            .map(|t| {
                vec![
                    t.name.clone(),
                    if t.is_key {
                        "是".into()
                    } else {
                        String::new()
                    },
                    t.households.to_string(),
                ]
            })
            .collect();
        table(&["标签", "必到", "在册户"], &rows);
        println!();
        let rows: Vec<Vec<String>> = s
            .by_status
            .iter()
            .map(|t| vec![t.status.clone(), t.households.to_string()])
            .collect();
        table(&["状态", "户数"], &rows);
    }

    pub fn villages(&self, vs: &[Village]) {
        if self.emit(&vs) {
            return;
        }
        let rows: Vec<Vec<String>> = vs
            .iter()
            .map(|v| {
                let groups: Vec<&str> = v.groups.iter().map(|g| g.name.as_str()).collect();
                vec![
                    v.id.to_string(),
                    v.name.clone(),
                    v.household_count.to_string(),
                    groups.join("、"),
                ]
            })
            .collect();
        table(&["编号", "村/社区", "户数", "村民小组"], &rows);
    }

    pub fn created(&self, what: &str, item: &NamedRef, children: &[NamedRef]) {
        if self.emit(&serde_json::json!({ "id": item.id, "name": item.name, "groups": children })) {
            return;
        }
        if children.is_empty() {
            println!("已新增{what}“{}”（编号 {}）。", item.name, item.id);
        } else {
            println!(
                "已新增{what}“{}”（编号 {}），含 {} 个村民小组。",
                item.name,
                item.id,
                children.len()
            );
        }
    }

    pub fn households(&self, page: &Page<HouseholdRow>) {
        if self.emit(page) {
            return;
        }
        let rows: Vec<Vec<String>> = page
            .rows
            .iter()
            .map(|h| {
                vec![
                    h.id.to_string(),
                    format!("{}{}", h.village_name, h.group_name),
                    h.head_name.clone(),
                    h.id_masked.clone(),
                    h.phone_masked.clone(),
                    h.size.map(|s| s.to_string()).unwrap_or_default(),
                    h.status.as_str().to_string(),
                    h.tags.join("、"),
                ]
            })
            .collect();
        table(
            &[
                "编号",
                "村组",
                "户主",
                "身份证号",
                "电话",
                "人口",
                "状态",
                "标签",
            ],
            &rows,
        );
        let pages = (page.total + page.page_size as i64 - 1) / page.page_size as i64;
        println!(
            "共 {} 户，第 {}/{} 页。",
            page.total,
            page.page,
            pages.max(1)
        );
    }

    pub fn household(&self, h: &Household) {
        if self.emit(h) {
            return;
        }
        let lines = [
            ("户编号", h.id.to_string()),
            ("村组", format!("{}{}", h.village_name, h.group_name)),
            ("户主姓名", h.head_name.clone()),
            ("公民身份号码", h.id_number.clone()),
            ("联系电话", h.phone.clone()),
            ("地址/门牌", h.address.clone()),
            (
                "家庭人口",
                h.size.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("状态", h.status.as_str().to_string()),
            ("标签", h.tags.join("、")),
            ("重点户", if h.is_key { "是".into() } else { "否".into() }),
            (
                "结对干部",
                h.paired_cadre
                    .as_ref()
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            ),
            ("备注", h.note.clone()),
        ];
        for (k, v) in lines {
            println!("{}  {v}", pad(k, 12));
        }
    }

    pub fn cadres(&self, page: &Page<CadreRow>) {
        if self.emit(page) {
            return;
        }
        let rows: Vec<Vec<String>> = page
            .rows
            .iter()
            .map(|c| {
                vec![
                    c.id.to_string(),
                    c.name.clone(),
                    c.level.as_str().to_string(),
                    c.unit.clone(),
                    c.title.clone(),
                    c.village_names.join("、"),
                    c.paired_count.to_string(),
                    c.visit_days_per_month.to_string(),
                ]
            })
            .collect();
        table(
            &[
                "编号",
                "姓名",
                "层级",
                "单位",
                "职务",
                "挂钩村",
                "结对户",
                "每月走访天数",
            ],
            &rows,
        );
        println!("共 {} 名干部。", page.total);
    }

    pub fn check(&self, path: &Path, r: &CheckReport) {
        if self.emit(&serde_json::json!({ "path": path, "report": r })) {
            return;
        }
        println!("数据库：{}", path.display());
        println!(
            "数据版本：{}（本程序支持 {}）",
            r.schema_version, r.supported_version
        );
        println!(
            "完整性检查：{}",
            if r.integrity.is_empty() {
                "通过".to_string()
            } else {
                r.integrity.join("；")
            }
        );
        println!(
            "外键检查：{}",
            if r.foreign_keys.is_empty() {
                "通过".to_string()
            } else {
                r.foreign_keys.join("；")
            }
        );
        println!(
            "{}",
            if r.ok {
                "结论：数据库完好。"
            } else {
                "结论：发现问题，请从备份恢复或联系技术人员。"
            }
        );
    }
}
