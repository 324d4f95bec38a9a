//! District workbooks benchmark (`cargo xtask bench`):
//! - the 民情诉求台账 of 100,000 requests (23 columns) against Python XlsxWriter in
//!   constant_memory mode writing the same rows — already in memory, only the writing timed —
//!   in the same run; each side in its own process, so peak RSS is its own;
//! - every monthly report of a 50,000-household township (走访情况统计表, 民情诉求台账,
//!   诉求办理情况汇总表, 干部走访考核表, 督办通报) together. The township: 50,000 households,
//!   90% visited this year, 100,000 requests over the year — of those received in the last
//!   45 days 40% still open, of the older ones one in thirty (still open and overdue).
//!
//! JSON to MINQING_BENCH_JSON; the peer's Python from MINQING_BENCH_PYTHON.

#[path = "common/measure.rs"]
#[allow(dead_code)]
mod measure;
use chrono::{Duration, NaiveDate};
use measure::*;
use minqing_core::demo::{generate, DemoOptions};
use minqing_core::privacy::Masking;
use minqing_core::report::district::{export_all, export_report, ReportKind};
use minqing_core::requests::Status;
use minqing_core::stats::district::Scope;
use minqing_core::Store;
use rusqlite::params;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A 50,000-household township with a year of requests and this year's visits.
fn build(path: &Path, requests: i64) {
    let store = Store::open(path).unwrap();
    generate(
        &store,
        &DemoOptions {
            households: 50_000,
            ..Default::default()
        },
        d("2026-01-05"),
        |_, _| true,
    )
    .unwrap();
    store
        .write(|tx| {
            for (i, name) in ["区交通运输局", "区水利局", "区民政局", "区住建局", "区卫健委", "区教育局", "镇农业服务中心", "镇综治中心"].iter().enumerate() {
                tx.execute("INSERT INTO units (name, sort_order, created_at) VALUES (?1, ?2, '2026-01-01')", params![name, i as i64])?;
            }
            let households: Vec<(i64, i64, String, String)> = {
                let mut st = tx.prepare("SELECT id, village_id, head_name, phone FROM households")?;
                let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<_>>()?;
                v
            };
            let cadres: Vec<(i64, i64)> = {
                let mut st = tx.prepare("SELECT village_id, cadre_id FROM cadre_villages ORDER BY village_id")?;
                let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
                v
            };
            // Visits: each household about once this year, by a cadre of its village.
            let start = d("2026-01-05");
            let mut visit = tx.prepare("INSERT INTO visits (household_id, visit_date, outcome, learned, evaluation, created_at, updated_at) VALUES (?1, ?2, ?3, '了解家庭情况', ?4, '2026-01-01', '2026-01-01')")?;
            let mut vc = tx.prepare("INSERT INTO visit_cadres (visit_id, cadre_id) VALUES (?1, ?2)")?;
            for (i, (hid, vid, _, _)) in households.iter().enumerate() {
                if i % 10 == 9 {
                    continue;
                }
                let day = start + Duration::days((i as i64 * 7919) % 320);
                let outcome = if i % 13 == 0 { "不在家" } else { "见到户主" };
                visit.execute(params![hid, day, outcome, (outcome == "见到户主").then_some(["满意", "基本满意"][i % 2])])?;
                let id = tx.last_insert_rowid();
                let linked: Vec<i64> = cadres.iter().filter(|c| c.0 == *vid).map(|c| c.1).collect();
                if let Some(c) = linked.get(i % linked.len().max(1)) {
                    vc.execute(params![id, c])?;
                }
            }
            let mut ins = tx.prepare(
                "INSERT INTO requests (number, year, seq, source, household_id, requester_name, requester_phone, village_id, kind, category_id,
                     urgency, handling, content, received_on, deadline, status, unit_id, handler, first_response_on, extended, result, reply, outcome,
                     closed_on, satisfaction, reviewed_on, created_at, updated_at)
                 VALUES (?1, 2026, ?2, '走访', ?3, ?4, ?5, ?6, ?7, ?8, '一般', '解决一批', ?9, ?10, ?11, ?12, ?13, '张主任', ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, '2026-01-01', '2026-01-01')",
            )?;
            let year = d("2026-01-01");
            for seq in 1..=requests {
                let (hid, vid, name, phone) = &households[(seq as usize * 7919) % households.len()];
                let received = year + Duration::days(seq * 349 % 345);
                let deadline = received + Duration::days(if seq % 3 == 0 { 17 } else { 5 });
                // Recent requests are often still open; of the older ones, about one in
                // thirty (a 督办通报 of a few thousand, as a struggling township might have).
                let recent = received > d(TODAY) - Duration::days(45);
                let status = match seq % 10 {
                    0 if recent || seq % 30 == 0 => Status::Registered,
                    1 | 2 if recent || seq % 30 == 1 => Status::Assigned,
                    3 if recent || seq % 30 == 3 => Status::InProgress,
                    0..=6 => Status::Closed,
                    _ => Status::Reviewed,
                };
                let closed = !status.is_open();
                ins.execute(params![
                    format!("2026-{seq:06}"),
                    seq,
                    hid,
                    name,
                    phone,
                    vid,
                    ["咨询", "求助", "投诉", "举报", "建议"][(seq % 5) as usize],
                    1 + seq % 10,
                    format!("第 {seq} 件诉求：村组道路破损、饮水不畅、医保报销、低保申请等事项，群众希望尽快解决"),
                    received,
                    deadline,
                    status,
                    (status != Status::Registered).then_some(1 + seq % 8),
                    (status != Status::Registered).then_some(received + Duration::days(seq % 3)),
                    (seq % 17 == 0) as i64,
                    if closed { "已现场处理并落实，群众认可" } else { "" },
                    if closed { "已电话答复群众办理结果" } else { "" },
                    closed.then_some(["已解决", "部分解决", "未解决"][(seq % 3) as usize]),
                    closed.then_some(received + Duration::days(4)),
                    (status == Status::Reviewed).then_some(["满意", "基本满意", "不满意"][(seq % 3) as usize]),
                    (status == Status::Reviewed).then_some(received + Duration::days(6)),
                ])?;
            }
            Ok(())
        })
        .unwrap();
    store.optimize().unwrap();
}

const YEAR: (&str, &str) = ("2026-01-01", "2026-12-31");
const MONTH: (&str, &str) = ("2026-11-01", "2026-11-30");
const TODAY: &str = "2026-12-15";

/// The child: one export into `out`; prints seconds and peak RSS as JSON.
fn child(db: &Path, what: &str, out: &Path) {
    let store = Store::open(db).unwrap();
    let t = Instant::now();
    let rows = if what == "ledger" {
        let scope = Scope {
            from: d(YEAR.0),
            to: d(YEAR.1),
            villages: vec![],
        };
        export_report(
            &store,
            ReportKind::RequestLedger,
            &scope,
            Masking::Masked,
            out,
            d(TODAY),
        )
        .unwrap()
        .rows
    } else {
        let scope = Scope {
            from: d(MONTH.0),
            to: d(MONTH.1),
            villages: vec![],
        };
        let kinds = [
            ReportKind::VisitStats,
            ReportKind::RequestLedger,
            ReportKind::RequestSummary,
            ReportKind::CadreAssessment,
            ReportKind::Overdue,
        ];
        let all = export_all(
            &store,
            &kinds,
            &scope,
            Masking::Masked,
            out,
            d(TODAY),
            &mut |_, _, _| {},
        )
        .unwrap();
        assert_eq!(all.done.len(), kinds.len());
        all.done.iter().map(|d| d.rows).sum()
    };
    println!(
        "{}",
        serde_json::json!({ "seconds": t.elapsed().as_secs_f64(), "peakRssMb": peak_rss_mb(), "rows": rows })
    );
}

fn run_child(db: &Path, what: &str, out: &Path, runs: usize) -> (f64, f64, u64) {
    let (mut secs, mut peak, mut rows) = (Vec::new(), 0.0f64, 0);
    for _ in 0..runs {
        let o = Command::new(std::env::current_exe().unwrap())
            .env("MINQING_BENCH_REPORTS_CHILD", what)
            .env("MINQING_BENCH_REPORTS_DB", db)
            .env("MINQING_BENCH_REPORTS_OUT", out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        secs.push(j["seconds"].as_f64().unwrap());
        peak = peak.max(j["peakRssMb"].as_f64().unwrap());
        rows = j["rows"].as_u64().unwrap();
    }
    (median(secs), peak, rows)
}

/// The peer: the same 23 columns of the same 100,000 rows, read from a TSV before the clock
/// starts, written with XlsxWriter's constant_memory mode and a bordered cell format.
const PEER: &str = r#"
import sys, time, resource, xlsxwriter
rows = [line.rstrip('\n').split('\t') for line in open(sys.argv[1], encoding='utf-8')]
t = time.perf_counter()
wb = xlsxwriter.Workbook(sys.argv[2], {'constant_memory': True})
ws = wb.add_worksheet('民情诉求台账')
fmt = wb.add_format({'border': 1, 'font_name': '宋体', 'font_size': 11, 'text_wrap': True, 'valign': 'vcenter'})
head = wb.add_format({'border': 1, 'bold': True, 'align': 'center'})
ws.write_row(0, 0, [f'列{i}' for i in range(len(rows[0]) + 1)], head)
for i, r in enumerate(rows, start=1):
    ws.write_number(i, 0, i, fmt)
    for j, v in enumerate(r, start=1):
        ws.write_string(i, j, v, fmt)
wb.close()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, len(rows))
"#;

/// The ledger's rows as the workbook shows them (masked phones), for the peer.
fn dump_rows(db: &Path, tsv: &Path) {
    let store = Store::open(db).unwrap();
    let scope = Scope {
        from: d(YEAR.0),
        to: d(YEAR.1),
        villages: vec![],
    };
    let mut text = String::new();
    store
        .read(|c| {
            minqing_core::stats::district::ledger_rows(c, &scope, d(TODAY), &mut |r| {
                let colour = r.colour.map(|c| format!("{c:?}")).unwrap_or_default();
                let cols = [
                    r.number,
                    r.source,
                    r.village,
                    r.requester,
                    minqing_core::privacy::mask_phone(&r.phone),
                    r.kind,
                    r.category,
                    r.urgency,
                    r.handling,
                    r.content,
                    r.received_on,
                    r.deadline,
                    r.status,
                    colour,
                    r.unit,
                    r.handler,
                    r.first_response_on,
                    r.result,
                    r.reply,
                    r.outcome,
                    r.closed_on,
                    r.satisfaction,
                ];
                text.push_str(&cols.join("\t"));
                text.push('\n');
                Ok(())
            })
        })
        .unwrap();
    std::fs::write(tsv, text).unwrap();
}

fn main() {
    if let Ok(what) = std::env::var("MINQING_BENCH_REPORTS_CHILD") {
        let db = std::env::var_os("MINQING_BENCH_REPORTS_DB").unwrap();
        let out = std::env::var_os("MINQING_BENCH_REPORTS_OUT").unwrap();
        child(Path::new(&db), &what, Path::new(&out));
        return;
    }
    let requests: i64 = std::env::var("MINQING_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    // MINQING_BENCH_DB keeps the township for a look afterwards (built when missing).
    let db = std::env::var_os("MINQING_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().join("reports.db"));
    let t = Instant::now();
    if !db.exists() {
        build(&db, requests);
    }
    eprintln!(
        "built a 50,000-household township with {requests} requests in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let ledger = tmp.path().join("台账.xlsx");
    let (ours, our_mb, rows) = run_child(&db, "ledger", &ledger, 3);
    eprintln!("民情诉求台账 {rows} rows: {ours:.2} s, peak {our_mb:.0} MB");
    let monthly_dir = tmp.path().join("monthly");
    let (monthly, monthly_mb, monthly_rows) = run_child(&db, "monthly", &monthly_dir, 3);
    eprintln!("every monthly report of the township ({monthly_rows} lines): {monthly:.2} s, peak {monthly_mb:.0} MB");

    let mut peer = serde_json::Value::Null;
    if let Some(py) = std::env::var_os("MINQING_BENCH_PYTHON") {
        let tsv = tmp.path().join("rows.tsv");
        dump_rows(&db, &tsv);
        let (mut secs, mut peak) = (Vec::new(), 0.0f64);
        for _ in 0..3 {
            let o = Command::new(&py)
                .arg("-c")
                .arg(PEER)
                .arg(&tsv)
                .arg(tmp.path().join("peer.xlsx"))
                .output()
                .unwrap();
            if !o.status.success() {
                eprintln!(
                    "XlsxWriter peer failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                break;
            }
            let text = String::from_utf8_lossy(&o.stdout).to_string();
            let mut it = text.split_whitespace();
            secs.push(it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN));
            peak = peak.max(it.next().and_then(|x| x.parse().ok()).unwrap_or(0.0));
        }
        if secs.len() == 3 {
            let s = median(secs);
            eprintln!("XlsxWriter constant_memory, writing only: {s:.2} s, peak {peak:.0} MB → ours {:.1}× faster", s / ours);
            peer = serde_json::json!({ "seconds": s, "peakRssMb": peak });
        }
    }
    let out = serde_json::json!({
        "ledgerRows": rows, "ledgerSeconds": ours, "ledgerPeakMb": our_mb,
        "monthlySeconds": monthly, "monthlyPeakMb": monthly_mb, "monthlyLines": monthly_rows,
        "xlsxwriterSeconds": peer["seconds"], "xlsxwriterPeakMb": peer["peakRssMb"],
        "ratio": peer["seconds"].as_f64().map(|p| p / ours),
    });
    if let Ok(p) = std::env::var("MINQING_BENCH_JSON") {
        std::fs::write(p, serde_json::to_string_pretty(&out).unwrap()).unwrap();
    }
    println!("{out}");
}
