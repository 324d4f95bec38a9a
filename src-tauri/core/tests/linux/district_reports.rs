//! The district's workbooks read back by a second, independent reader (Python openpyxl:
//! structure, cached values, masks, print settings, merged ranges), every figure recomputed
//! from the raw database rows by plain loops in this file, and every workbook converted to PDF
//! by LibreOffice with its pages rendered under target/reports/ to be looked at.
//!
//! openpyxl comes from `cargo xtask test` (a venv under target/pyenv, or MINQING_TEST_PYTHON);
//! LibreOffice and poppler-utils are installed by it too. A missing reader fails the test.

use crate::common;
use crate::common::book::{all_text, cell, num, read_back, row_of, sheet, text};
use chrono::NaiveDate;
use minqing_core::demo::{activity::activity, generate, DemoOptions};
use minqing_core::plan::store::{compute_plan, create_cycle, CycleInput};
use minqing_core::privacy::Masking;
use minqing_core::report::district::{export_all, export_report, report_file_name, ReportKind};
use minqing_core::stats::district::Scope;
use minqing_core::Store;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-20";

fn township() -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 1200,
            ..Default::default()
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    let cycle = create_cycle(
        &store,
        &CycleInput::new("2026年四季度", d("2026-10-01"), d("2026-12-31")),
    )
    .unwrap()
    .id;
    compute_plan(&store, cycle, false).unwrap();
    activity(&store, d("2026-08-15"), d(TODAY), 0.9, 7, d(TODAY)).unwrap();
    store
}

fn november() -> Scope {
    Scope {
        from: d("2026-11-01"),
        to: d("2026-11-30"),
        villages: vec![],
    }
}

fn export(store: &Store, kind: ReportKind, masking: Masking, dir: &Path) -> PathBuf {
    let town = minqing_core::register::township::get_township(store).unwrap();
    let target = dir.join(report_file_name(&town, kind, &november()));
    export_report(store, kind, &november(), masking, &target, d(TODAY)).unwrap();
    target
}

/// The house style every sheet of every report shares.
fn assert_house_style(s: &Value, title_part: &str) {
    let name = s["name"].as_str().unwrap();
    assert!(
        text(s, "A1").contains(title_part) && text(s, "A1").contains("2026年11月"),
        "{name}: title {}",
        text(s, "A1")
    );
    assert_eq!(s["fonts"]["A1"][0], "黑体", "{name}: title font");
    assert!(s["fonts"]["A1"][1].as_f64().unwrap() >= 16.0);
    let info = text(s, "A2");
    assert!(
        info.contains("填报单位：")
            && info.contains("统计时段：2026-11-01 至 2026-11-30")
            && info.contains("填报日期：2026-11-20"),
        "{name}: {info}"
    );
    let merged: Vec<&str> = s["merged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(
        merged.iter().any(|m| m.starts_with("A1:")),
        "{name}: title not merged"
    );
    assert_eq!(s["orientation"], "landscape", "{name}");
    assert_eq!(s["paperSize"], 9, "{name}: A4");
    assert_eq!(s["fitToPage"], true, "{name}: fit to page");
    assert_eq!(s["fitToHeight"], 0, "{name}: any number of pages high");
    assert!(
        s["fitToWidth"].is_null() || s["fitToWidth"] == 1,
        "{name}: one page wide"
    );
    assert!(
        s["printTitleRows"]
            .as_str()
            .is_some_and(|r| r.starts_with("$3:")),
        "{name}: header rows repeated: {}",
        s["printTitleRows"]
    );
    assert!(s["freeze"].as_str().is_some(), "{name}: frozen header");
    assert_eq!(s["footer"], "第 &P 页 共 &N 页", "{name}");
    let body = all_text(s);
    assert!(
        body.contains("填报人：") && body.contains("审核人：") && body.contains("联系电话："),
        "{name}: closing line"
    );
    let fonts = s["fonts"].as_object().unwrap();
    assert!(
        fonts.values().filter(|f| f[0] == "宋体").count() > 5,
        "{name}: 宋体 body"
    );
}

#[test]
fn every_report_reads_back_in_openpyxl_in_the_district_house_style() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    for (kind, sheets) in [
        (ReportKind::VisitStats, vec!["按村统计", "按干部统计"]),
        (ReportKind::RequestLedger, vec!["民情诉求台账"]),
        (ReportKind::RequestSummary, vec!["按诉求类别", "按责任单位"]),
        (ReportKind::CadreAssessment, vec!["干部走访考核表"]),
        (ReportKind::Overdue, vec!["督办通报"]),
    ] {
        let path = export(&store, kind, Masking::Masked, dir.path());
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            name.starts_with("宿迁市宿城区龙河镇_三解三促_") && name.ends_with("_2026年11月.xlsx"),
            "{name}"
        );
        let book = read_back(&path);
        let names: Vec<&str> = book["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        let mut want = sheets.clone();
        want.push("_meta");
        assert_eq!(names, want, "{name}");
        for s in &sheets {
            assert_house_style(sheet(&book, s), kind.title());
        }
        let meta = sheet(&book, "_meta");
        assert_eq!(meta["state"], "hidden");
        let metas = all_text(meta);
        assert!(
            metas.contains(kind.as_str()) && metas.contains("龙河镇") && metas.contains("minqing ")
        );
    }
}

#[test]
fn the_visit_statistics_agree_with_the_raw_rows() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let book = read_back(&export(
        &store,
        ReportKind::VisitStats,
        Masking::Masked,
        dir.path(),
    ));
    let s = sheet(&book, "按村统计");
    // Two header rows, then data: the district's two-level header.
    assert_eq!(text(s, "C3"), "走访情况");
    assert_eq!(text(s, "C4"), "应访户数");
    assert!(s["merged"].as_array().unwrap().iter().any(|m| m == "C3:F3"));

    // The raw rows, counted by plain loops.
    let (households, key, visits, requests) = store
        .read(|c| {
            let households: Vec<(i64, i64, String)> = c
                .prepare("SELECT h.id, h.village_id, h.status FROM households h")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let key: HashSet<i64> = c
                .prepare("SELECT ht.household_id FROM household_tags ht JOIN tags t ON t.id = ht.tag_id WHERE t.key_rule_id IS NOT NULL")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let visits: Vec<(i64, String, String)> = c
                .prepare("SELECT household_id, visit_date, outcome FROM visits")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let requests: Vec<(i64, String, String)> = c
                .prepare("SELECT village_id, received_on, status FROM requests")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((households, key, visits, requests))
        })
        .unwrap();
    let villages: Vec<(i64, String)> = store
        .read(|c| {
            Ok(
                c.prepare("SELECT id, name FROM villages ORDER BY sort_order, id")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?,
            )
        })
        .unwrap();
    let in_period = |day: &str| ("2026-11-01"..="2026-11-30").contains(&day);
    let village_of: HashMap<i64, (i64, bool)> = households
        .iter()
        .map(|(id, v, st)| (*id, (*v, st == "在册")))
        .collect();
    let mut checked = 0;
    let (mut sum_should, mut sum_visited) = (0, 0);
    for (vid, vname) in &villages {
        let row = row_of(s, "B", vname).unwrap_or_else(|| panic!("{vname} missing"));
        let should: Vec<i64> = households
            .iter()
            .filter(|(_, v, st)| v == vid && st == "在册")
            .map(|h| h.0)
            .collect();
        let counting: Vec<&(i64, String, String)> = visits
            .iter()
            .filter(|(h, day, out)| {
                village_of[h].0 == *vid
                    && in_period(day)
                    && (out == "见到户主" || out == "见到家人")
            })
            .collect();
        let visited: HashSet<i64> = counting
            .iter()
            .filter(|(h, _, _)| village_of[h].1)
            .map(|v| v.0)
            .collect();
        let key_should = should.iter().filter(|h| key.contains(h)).count();
        let key_visited = visited.iter().filter(|h| key.contains(h)).count();
        let received: Vec<&(i64, String, String)> = requests
            .iter()
            .filter(|(v, day, _)| v == vid && in_period(day))
            .collect();
        let closed = received
            .iter()
            .filter(|(_, _, st)| st == "已办结" || st == "已回访")
            .count();
        assert_eq!(
            num(s, &format!("C{row}")),
            should.len() as f64,
            "{vname} 应访"
        );
        assert_eq!(
            num(s, &format!("D{row}")),
            visited.len() as f64,
            "{vname} 已访"
        );
        let rate = num(s, &format!("E{row}"));
        assert!((rate - visited.len() as f64 / should.len() as f64).abs() < 1e-9);
        assert_eq!(
            num(s, &format!("F{row}")),
            counting.len() as f64,
            "{vname} 户次"
        );
        assert_eq!(
            num(s, &format!("G{row}")),
            key_should as f64,
            "{vname} 重点户"
        );
        assert_eq!(
            num(s, &format!("H{row}")),
            key_visited as f64,
            "{vname} 重点户已访"
        );
        assert_eq!(
            num(s, &format!("J{row}")),
            received.len() as f64,
            "{vname} 诉求"
        );
        assert_eq!(num(s, &format!("K{row}")), closed as f64, "{vname} 办结");
        sum_should += should.len();
        sum_visited += visited.len();
        checked += 1;
    }
    assert!(checked >= 5);
    assert!(sum_visited > 0, "the demo month has visits");
    // 合计: formulas with cached values equal to the column sums.
    let total = row_of(s, "A", "合计").unwrap();
    assert_eq!(num(s, &format!("C{total}")), sum_should as f64);
    assert_eq!(num(s, &format!("D{total}")), sum_visited as f64);
    assert_eq!(
        s["formulas"][format!("C{total}")],
        format!("=SUM(C5:C{})", total - 1)
    );
    assert!(s["formulas"][format!("E{total}")]
        .as_str()
        .unwrap()
        .contains(&format!("D{total}/C{total}")));
    assert!((num(s, &format!("E{total}")) - sum_visited as f64 / sum_should as f64).abs() < 1e-9);
    // The rates' formulas are printed under the table.
    let body = all_text(s);
    assert!(body.contains("响应率 =") && body.contains("解决率 =") && body.contains("满意率 ="));
}

#[test]
fn the_request_summary_and_the_overdue_list_agree_with_the_raw_rows() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let book = read_back(&export(
        &store,
        ReportKind::RequestSummary,
        Masking::Masked,
        dir.path(),
    ));
    let today = TODAY;
    let raw: Vec<(String, String, String, String, Option<String>)> =
        store
            .read(|c| {
                Ok(c.prepare(
                "SELECT rc.name, r.received_on, r.status, r.deadline, r.closed_on FROM requests r
                 JOIN request_categories rc ON rc.id = r.category_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
    let s = sheet(&book, "按诉求类别");
    let mut seen = 0;
    for cat in [
        "基础设施",
        "农业生产",
        "社会保障",
        "医疗卫生",
        "教育",
        "就业增收",
        "矛盾纠纷",
        "环境卫生",
        "政策咨询",
        "其他",
    ] {
        let rows: Vec<_> = raw
            .iter()
            .filter(|r| r.0 == cat && ("2026-11-01"..="2026-11-30").contains(&r.1.as_str()))
            .collect();
        let Some(row) = row_of(s, "B", cat) else {
            assert!(rows.is_empty(), "{cat} has requests but no line");
            continue;
        };
        let open = |st: &str| matches!(st, "登记" | "交办" | "办理中");
        assert_eq!(num(s, &format!("C{row}")), rows.len() as f64, "{cat} 受理");
        assert_eq!(
            num(s, &format!("D{row}")),
            rows.iter().filter(|r| !open(&r.2)).count() as f64,
            "{cat} 已办结"
        );
        assert_eq!(
            num(s, &format!("E{row}")),
            rows.iter().filter(|r| open(&r.2)).count() as f64,
            "{cat} 办理中"
        );
        assert_eq!(
            num(s, &format!("F{row}")),
            rows.iter()
                .filter(|r| open(&r.2) && r.3.as_str() < today)
                .count() as f64,
            "{cat} 逾期"
        );
        assert_eq!(
            num(s, &format!("G{row}")),
            rows.iter()
                .filter(|r| r.4.as_ref().is_some_and(|c| c > &r.3))
                .count() as f64,
            "{cat} 超期办结"
        );
        seen += 1;
    }
    assert!(seen >= 3);
    // The overdue list: every open request past its deadline is there, in red, oldest first.
    let book = read_back(&export(
        &store,
        ReportKind::Overdue,
        Masking::Masked,
        dir.path(),
    ));
    let s = sheet(&book, "督办通报");
    let red = raw
        .iter()
        .filter(|r| matches!(r.2.as_str(), "登记" | "交办" | "办理中") && r.3.as_str() < today)
        .count();
    let reds = s["cells"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, v)| k.starts_with('B') && v.as_str() == Some("红色"))
        .count();
    assert!(red > 0, "the demo leaves some requests overdue");
    assert_eq!(reds, red);
    let first_red = row_of(s, "B", "红色").unwrap();
    assert_eq!(s["fills"][format!("B{first_red}")], "FFFFC7CE", "red fill");
    assert!(all_text(s).contains(&format!("红色（已超期）{red} 件")));
}

#[test]
fn personal_data_is_masked_unless_asked_and_the_public_version_masks_names() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let phones: Vec<(String, String)> = store
        .read(|c| {
            Ok(c.prepare(
                "SELECT h.phone, r.requester_name FROM requests r JOIN households h ON h.id = r.household_id
                 WHERE r.received_on BETWEEN '2026-11-01' AND '2026-11-30' AND h.phone <> ''",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert!(!phones.is_empty());
    let ledger = |m: Masking, sub: &str| {
        let d = dir.path().join(sub);
        read_back(&export(&store, ReportKind::RequestLedger, m, &d))
    };
    let masked = all_text(sheet(&ledger(Masking::Masked, "m"), "民情诉求台账"));
    for (p, _) in &phones {
        assert!(
            !masked.contains(p.as_str()),
            "a full phone in the masked ledger"
        );
        assert!(
            masked.contains(&minqing_core::privacy::mask_phone(p)),
            "{p} not in the masked ledger"
        );
    }
    assert!(masked.contains("已按规定脱敏"));
    let full = all_text(sheet(&ledger(Masking::Unmasked, "u"), "民情诉求台账"));
    assert!(phones.iter().all(|(p, _)| full.contains(p.as_str())));
    assert!(full.contains("未脱敏"), "an unmasked ledger says so");
    let public_book = ledger(Masking::Public, "p");
    let public = sheet(&public_book, "民情诉求台账");
    let names: Vec<String> = public["cells"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with('E') && k[1..].parse::<u32>().is_ok_and(|r| r > 4))
        .filter_map(|(_, v)| v.as_str().map(str::to_string))
        .collect();
    assert!(!names.is_empty());
    for (_, n) in &phones {
        assert!(!names.contains(n), "{n} unmasked in the public version");
    }
    assert!(
        names.iter().all(|n| n.chars().skip(1).all(|c| c == '*')),
        "{names:?}"
    );
    // The ledger filters like a ledger.
    assert!(public["autofilter"]
        .as_str()
        .is_some_and(|r| r.starts_with("A3:")));
}

#[test]
fn all_reports_of_the_month_at_once_and_pdf_pages_by_libreoffice() {
    let store = township();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/reports");
    let _ = std::fs::remove_dir_all(&out);
    let mut seen = Vec::new();
    let all = export_all(
        &store,
        ReportKind::ALL,
        &november(),
        Masking::Masked,
        &out,
        d(TODAY),
        &mut |i, n, k| seen.push((i, n, k)),
    )
    .unwrap();
    assert_eq!(all.done.len(), 8, "{:?}", all.skipped);
    assert_eq!(seen.len(), 9, "progress for each report and the end");
    for done in &all.done {
        assert!(Path::new(&done.path).exists());
    }
    // A profile of its own: never disturbs (or waits for) a LibreOffice the user has open.
    let profile = tempfile::tempdir().unwrap();
    let soffice = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .args(all.done.iter().map(|d| &d.path))
        .output()
        .expect(
            "LibreOffice (soffice) 未安装：请用 cargo xtask test 运行，它会安装 libreoffice-calc",
        );
    assert!(
        soffice.status.success(),
        "{}",
        String::from_utf8_lossy(&soffice.stderr)
    );
    for done in &all.done {
        let pdf = Path::new(&done.path).with_extension("pdf");
        let t = Command::new("pdftotext")
            .args(["-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let text = String::from_utf8_lossy(&t.stdout).to_string();
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert!(!pages.is_empty(), "{}: no pages", pdf.display());
        let title = done.kind.title();
        assert!(
            pages[0].contains(title),
            "{}: title on page 1",
            pdf.display()
        );
        let squeezed: String = text.chars().filter(|c| *c != ' ').collect();
        assert!(
            squeezed.contains(&format!("第1页共{}页", pages.len())),
            "{}: page footer",
            pdf.display()
        );
        // Header rows repeat on every page.
        let head = if done.kind == ReportKind::Plan {
            "走访干部"
        } else {
            "序号"
        };
        let head = if done.kind == ReportKind::CadreAssessment {
            "名次"
        } else {
            head
        };
        for (i, p) in pages.iter().enumerate() {
            assert!(
                p.contains(head),
                "{}: page {} lacks the header",
                pdf.display(),
                i + 1
            );
        }
        let png = Command::new("pdftoppm")
            .args(["-r", "60", "-png"])
            .arg(&pdf)
            .arg(pdf.with_extension(""))
            .status()
            .unwrap();
        assert!(png.success());
    }
}

#[test]
fn a_bad_period_or_village_writes_nothing_and_says_what_to_do() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.xlsx");
    let bad = Scope {
        from: d("2026-11-30"),
        to: d("2026-11-01"),
        villages: vec![],
    };
    let e = export_report(
        &store,
        ReportKind::VisitStats,
        &bad,
        Masking::Masked,
        &target,
        d(TODAY),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("早于开始日期"), "{e}");
    let bad = Scope {
        villages: vec![99_999],
        ..november()
    };
    let e = export_report(
        &store,
        ReportKind::RequestLedger,
        &bad,
        Masking::Masked,
        &target,
        d(TODAY),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("请重新选择村"), "{e}");
    assert!(!target.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file left"
    );
}

#[test]
fn the_cadre_assessment_agrees_with_the_raw_visits_and_ranks_by_visit_rate() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let book = read_back(&export(
        &store,
        ReportKind::CadreAssessment,
        Masking::Masked,
        dir.path(),
    ));
    let s = sheet(&book, "干部走访考核表");
    let raw: Vec<(String, i64, String, String)> = store
        .read(|c| {
            Ok(c.prepare(
                "SELECT cd.name, v.household_id, v.visit_date, v.outcome FROM visits v
                 JOIN visit_cadres vc ON vc.visit_id = v.id JOIN cadres cd ON cd.id = vc.cadre_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    let names: HashSet<&str> = raw.iter().map(|r| r.0.as_str()).collect();
    let mut checked = 0;
    let mut last_rate = f64::INFINITY;
    let mut last_place = 0.0;
    for r in 5.. {
        let Some(name) = cell(s, &format!("B{r}")).as_str() else {
            break;
        };
        if !names.contains(name) {
            continue;
        }
        let visits: Vec<_> = raw
            .iter()
            .filter(|v| {
                v.0 == name
                    && ("2026-11-01"..="2026-11-30").contains(&v.2.as_str())
                    && (v.3 == "见到户主" || v.3 == "见到家人")
            })
            .collect();
        let days: HashSet<&str> = visits.iter().map(|v| v.2.as_str()).collect();
        assert_eq!(
            num(s, &format!("G{r}")),
            visits.len() as f64,
            "{name} 走访户次"
        );
        assert_eq!(
            num(s, &format!("H{r}")),
            days.len() as f64,
            "{name} 走访天数"
        );
        // Places never go down the sheet, and follow the visit rate.
        let place = num(s, &format!("A{r}"));
        assert!(
            place >= last_place,
            "{name}: place {place} after {last_place}"
        );
        if let Some(rate) = cell(s, &format!("F{r}")).as_f64() {
            assert!(
                rate <= last_rate + 1e-12,
                "{name}: rate {rate} after {last_rate}"
            );
            last_rate = rate;
        }
        last_place = place;
        checked += 1;
    }
    assert!(checked >= 5, "{checked} cadres checked");
}

#[test]
fn the_plan_is_printed_for_the_chosen_villages_only() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    let (first, name): (i64, String) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT id, name FROM villages ORDER BY sort_order, id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    let one = Scope {
        villages: vec![first],
        ..november()
    };
    let all = export_report(
        &store,
        ReportKind::Plan,
        &november(),
        Masking::Masked,
        &dir.path().join("a.xlsx"),
        d(TODAY),
    )
    .unwrap();
    let mine = export_report(
        &store,
        ReportKind::Plan,
        &one,
        Masking::Masked,
        &dir.path().join("b.xlsx"),
        d(TODAY),
    )
    .unwrap();
    assert!(
        mine.rows > 0 && mine.rows < all.rows,
        "{} of {}",
        mine.rows,
        all.rows
    );
    let book = read_back(&dir.path().join("b.xlsx"));
    let s = sheet(&book, "走访排班表");
    let villages: HashSet<String> = s["cells"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with('F') && k[1..].parse::<u32>().is_ok_and(|r| r > 3))
        .filter_map(|(_, v)| v.as_str().map(str::to_string))
        .collect();
    assert!(!villages.is_empty());
    assert!(
        villages.iter().all(|v| v.split('、').all(|x| x == name)),
        "{villages:?}"
    );
}

/// A township with three months of activity and no plan at all.
fn township_without_plan(households: u32, seed: u64) -> Store {
    named_township_without_plan("龙河镇", households, seed)
}

fn named_township_without_plan(name: &str, households: u32, seed: u64) -> Store {
    let store = Store::open_in_memory().unwrap();
    generate(
        &store,
        &DemoOptions {
            households,
            seed,
            township: name.into(),
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    activity(&store, d("2026-08-15"), d(TODAY), 0.9, seed, d(TODAY)).unwrap();
    store
}

/// Distinct households each cadre visited (见到户主/见到家人) in November, by plain loops over
/// the raw rows.
fn visited_by_cadre(store: &Store) -> HashMap<String, usize> {
    let rows: Vec<(String, i64, String, String)> = store
        .read(|c| {
            let mut st = c.prepare(
                "SELECT cd.name, vs.household_id, vs.outcome, vs.visit_date FROM visits vs
                 JOIN visit_cadres vc ON vc.visit_id = vs.id JOIN cadres cd ON cd.id = vc.cadre_id",
            )?;
            let v = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(v)
        })
        .unwrap();
    let mut seen: HashMap<String, HashSet<i64>> = HashMap::new();
    for (cadre, household, outcome, date) in rows {
        if (outcome == "见到户主" || outcome == "见到家人")
            && date.as_str() >= "2026-11-01"
            && date.as_str() <= "2026-11-30"
        {
            seen.entry(cadre).or_default().insert(household);
        }
    }
    seen.into_iter().map(|(k, v)| (k, v.len())).collect()
}

#[test]
fn cadre_sheets_count_the_diary_without_a_plan_and_mark_what_is_unknown() {
    let store = township_without_plan(1200, 3);
    let dir = tempfile::tempdir().unwrap();
    let raw = visited_by_cadre(&store);
    assert!(
        raw.values().any(|n| *n > 5),
        "the demo cadres visited: {raw:?}"
    );
    let stats = read_back(&export(
        &store,
        ReportKind::VisitStats,
        Masking::Masked,
        dir.path(),
    ));
    let by_cadre = sheet(&stats, "按干部统计");
    let assess = read_back(&export(
        &store,
        ReportKind::CadreAssessment,
        Masking::Masked,
        dir.path(),
    ));
    let ranked = sheet(&assess, "干部走访考核表");
    let mut checked = 0;
    for (cadre, n) in &raw {
        // 按干部统计: B name, D 应访, E 已访, F 走访率; 考核表: B name, D 应访, E 已访, F 走访率.
        for s in [by_cadre, ranked] {
            let r = row_of(s, "B", cadre).unwrap_or_else(|| panic!("{cadre} missing"));
            assert_eq!(num(s, &format!("E{r}")) as usize, *n, "{cadre} 已访户数");
            assert_eq!(
                text(s, &format!("D{r}")),
                "—",
                "{cadre} 应访户数 without a plan"
            );
            assert_eq!(
                text(s, &format!("F{r}")),
                "—",
                "{cadre} 走访率 without a plan"
            );
        }
        checked += 1;
    }
    assert!(checked > 5);
    let note = all_text(by_cadre);
    assert!(
        note.contains("没有排班") && note.contains("来自民情日记"),
        "{note}"
    );

    // With a plan, 已访 is still the diary's, and the note says why the 应访 totals differ.
    let planned = township();
    let raw = visited_by_cadre(&planned);
    let stats = read_back(&export(
        &planned,
        ReportKind::VisitStats,
        Masking::Masked,
        dir.path(),
    ));
    let by_cadre = sheet(&stats, "按干部统计");
    for (cadre, n) in raw.iter().take(10) {
        let r = row_of(by_cadre, "B", cadre).unwrap();
        assert_eq!(num(by_cadre, &format!("E{r}")) as usize, *n, "{cadre}");
        assert!(
            cell(by_cadre, &format!("D{r}")).is_number(),
            "{cadre} 应访 with a plan"
        );
    }
    assert!(all_text(by_cadre).contains("合计与“按村统计”的应访户数"));

    // The district's merge of two such townships ranks nobody first by default.
    let a = export(
        &store,
        ReportKind::CadreAssessment,
        Masking::Masked,
        dir.path(),
    );
    let other = named_township_without_plan("耿车镇", 900, 5);
    let sub = dir.path().join("b");
    std::fs::create_dir_all(&sub).unwrap();
    let b = export(&other, ReportKind::CadreAssessment, Masking::Masked, &sub);
    let target = dir.path().join("区.xlsx");
    let r = minqing_core::report::merge::merge(&[a, b], &target, d(TODAY)).unwrap();
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let merged = read_back(&target);
    let s = sheet(&merged, "干部走访考核表");
    let last_col = "N";
    for row in [5, 6] {
        assert_eq!(
            text(s, &format!("{last_col}{row}")),
            "—",
            "no plan, no place"
        );
    }
}

#[test]
fn an_unmasked_export_says_so_on_every_printed_page() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    // August to November: a ledger of several pages.
    let ledger = dir.path().join("台账.xlsx");
    let months = Scope {
        from: d("2026-08-01"),
        to: d("2026-11-30"),
        villages: vec![],
    };
    export_report(
        &store,
        ReportKind::RequestLedger,
        &months,
        Masking::Unmasked,
        &ledger,
        d(TODAY),
    )
    .unwrap();
    let book = read_back(&ledger);
    let header = sheet(&book, "民情诉求台账")["header"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(header.contains("未脱敏"), "{header}");
    let masked = export(&store, ReportKind::Overdue, Masking::Masked, dir.path());
    assert!(sheet(&read_back(&masked), "督办通报")["header"].is_null());
    let pages = &common::printed_pages(&[ledger])[0];
    assert!(
        pages.len() >= 2,
        "a ledger of several pages: {}",
        pages.len()
    );
    for (i, p) in pages.iter().enumerate() {
        assert!(
            common::squeezed(p).contains("本表含未脱敏的个人信息"),
            "page {}",
            i + 1
        );
    }
}

#[test]
fn the_total_and_closing_lines_print_with_the_last_rows() {
    // 18 cadres fill the 考核表's first page to its last line: without care the 合计 row or the
    // notes and 填报人 line went to a page of their own. Sizes around that are all checked.
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, households) in [1700u32, 1800, 1900, 2000].iter().enumerate() {
        let store = township_without_plan(*households, i as u64 + 1);
        let sub = dir.path().join(format!("t{i}"));
        std::fs::create_dir_all(&sub).unwrap();
        for kind in [
            ReportKind::VisitStats,
            ReportKind::CadreAssessment,
            ReportKind::Overdue,
        ] {
            files.push(export(&store, kind, Masking::Masked, &sub));
        }
    }
    let printed = common::printed_pages(&files);
    if let Some(keep) = std::env::var_os("MINQING_KEEP_PRINTED") {
        for (i, f) in files.iter().enumerate() {
            std::fs::copy(f, std::path::Path::new(&keep).join(format!("{i}.xlsx"))).unwrap();
        }
    }
    for (file, pages) in files.iter().zip(&printed) {
        for (i, p) in pages.iter().enumerate() {
            let flat = common::squeezed(p);
            let has_total = p.lines().any(|l| l.trim_start().starts_with("合计"));
            if flat.contains("填报人：") {
                assert!(
                    has_total,
                    "{}: page {} has the closing lines without the 合计",
                    file.display(),
                    i + 1
                );
            }
            if has_total {
                assert!(
                    flat.contains("填报人："),
                    "{}: page {} has the 合计 without the closing lines",
                    file.display(),
                    i + 1
                );
                // At least one data row above it: a line starting with its number.
                let data = p
                    .lines()
                    .filter(|l| {
                        l.trim_start()
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit())
                    })
                    .count();
                assert!(
                    data >= 1,
                    "{}: page {} holds only the 合计:\n{}",
                    file.display(),
                    i + 1,
                    pages.join("\n=====PAGE=====\n")
                );
            }
        }
    }
}

#[test]
fn the_demo_revisits_households_and_every_assigned_request_names_its_handler() {
    let store = township();
    let dir = tempfile::tempdir().unwrap();
    // Over a quarter, 走访户次 (F) exceeds 已访户数 (D): some households were visited twice.
    let quarter = dir.path().join("季度.xlsx");
    let q = Scope {
        from: d("2026-09-01"),
        to: d("2026-11-30"),
        villages: vec![],
    };
    export_report(
        &store,
        ReportKind::VisitStats,
        &q,
        Masking::Masked,
        &quarter,
        d(TODAY),
    )
    .unwrap();
    let stats = read_back(&quarter);
    let s = sheet(&stats, "按村统计");
    let total = row_of(s, "A", "合计").unwrap();
    assert!(num(s, &format!("F{total}")) > num(s, &format!("D{total}")));
    // 责任人: the request's own, or the responsible unit's contact person — never empty when a
    // unit was assigned (民情诉求台账: P 责任单位, Q 责任人; 督办通报: H, I).
    for (kind, name, unit, handler) in [
        (ReportKind::RequestLedger, "民情诉求台账", "P", "Q"),
        (ReportKind::Overdue, "督办通报", "H", "I"),
    ] {
        let book = read_back(&export(&store, kind, Masking::Masked, dir.path()));
        let s = sheet(&book, name);
        let mut assigned = 0;
        for row in 4..=s["maxRow"].as_u64().unwrap() {
            if !text(s, &format!("{unit}{row}")).is_empty()
                && cell(s, &format!("A{row}")).is_number()
            {
                assigned += 1;
                assert!(
                    !text(s, &format!("{handler}{row}")).is_empty(),
                    "{name} row {row} has no 责任人"
                );
            }
        }
        assert!(assigned > 0, "{name}");
    }
}
