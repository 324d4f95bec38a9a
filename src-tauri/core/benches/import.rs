//! Roster import benchmark (`cargo xtask bench`): a 100,000-row, 12-column .xlsx roster
//! imported end to end as the CLI does it (`roster::import_file`: read, detect, map, check,
//! write into a fresh database, the rows written while a second thread reads) against Python
//! openpyxl in read-only mode merely reading the same file, in the same run; plus a 50,000-row
//! .xls and a 100,000-row GBK .csv. Each import runs in a child process of this bench, so its
//! peak RSS is the import's alone. JSON to MINQING_BENCH_JSON; the peer's Python comes from
//! MINQING_BENCH_PYTHON (a venv with openpyxl, made by xtask).

#[path = "../tests/common/sheets.rs"]
mod sheets;

#[global_allocator]
static GLOBAL: minqing_core::Allocator = minqing_core::Allocator;

#[path = "common/measure.rs"]
#[allow(dead_code)]
mod measure;
use measure::*;
use minqing_core::roster::{self, ImportKind, ImportOptions};
use minqing_core::Store;
use sheets::{id, n, s, V};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

const VILLAGES: [&str; 10] = [
    "黄河村",
    "南湖村",
    "东风村",
    "刘圩社区",
    "新河村",
    "张庄村",
    "李集村",
    "王圩村",
    "陈湾村",
    "杨湖社区",
];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾";
const GIVEN: &str = "国建明华军平红英秀兰海玉文春芳德福永林志强勇";
const TAGS: [&str; 6] = [
    "",
    "低保户",
    "独居老人",
    "",
    "残疾人家庭",
    "留守老人、独居老人",
];

/// Row i of the generated roster: 12 columns as a village would keep them.
fn row(i: usize) -> Vec<V> {
    let sur: Vec<char> = SURNAMES.chars().collect();
    let giv: Vec<char> = GIVEN.chars().collect();
    let name = format!(
        "{}{}{}",
        sur[i % sur.len()],
        giv[(i / 7) % giv.len()],
        giv[(i / 3 + 5) % giv.len()]
    );
    // A distinct ID per row: a birth date from a day counter, a sequence number per round.
    let born = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap()
        + chrono::Duration::days((i % 20_000) as i64);
    let idn = id(&format!(
        "321302{}{:03}",
        born.format("%Y%m%d"),
        (i / 20_000) * 7 % 1000
    ));
    let village = VILLAGES[(i / 10_000) % VILLAGES.len()];
    vec![
        n((i + 1) as f64),
        s(village),
        s(&format!("{}组", 1 + (i / 500) % 20)),
        s(&name),
        s(&idn),
        s(&format!("1{}{:09}", 3 + i % 7, i)),
        n((1 + i % 6) as f64),
        s(&format!(
            "{village}{}组{}号",
            1 + (i / 500) % 20,
            i % 500 + 1
        )),
        s(TAGS[i % TAGS.len()]),
        s(if i % 10 == 0 {
            "常年在外务工"
        } else {
            ""
        }),
        s(if i % 2 == 0 { "男" } else { "女" }),
        s(&born.format("%Y-%m-%d").to_string()),
    ]
}

const HEADERS: [&str; 12] = [
    "序号",
    "村（社区）",
    "村民小组",
    "户主姓名",
    "公民身份号码",
    "联系电话",
    "家庭人口",
    "家庭住址",
    "人员类别",
    "备注",
    "性别",
    "出生日期",
];

fn table(rows: usize) -> Vec<Vec<V>> {
    let mut t = vec![
        vec![s("龙河镇农户花名册")],
        HEADERS.iter().map(|h| s(h)).collect(),
    ];
    t.extend((0..rows).map(row));
    t
}

fn write_csv(path: &Path, rows: usize) {
    let mut text = String::from("龙河镇农户花名册\n");
    text.push_str(&HEADERS.join(","));
    text.push('\n');
    for i in 0..rows {
        let r: Vec<String> = row(i)
            .into_iter()
            .map(|v| match v {
                V::S(t) if t.contains(',') || t.contains('、') => format!("\"{t}\""),
                V::S(t) => t,
                V::N(f) => format!("{f}"),
                V::E => String::new(),
            })
            .collect();
        text.push_str(&r.join(","));
        text.push('\n');
    }
    sheets::csv_gbk(path, &text);
}

/// The child: one import into a fresh database; prints seconds and peak RSS as JSON. With
/// `MINQING_BENCH_IMPORT_BOOK` set, the file is read first (untimed) and only the import of the
/// rows is timed — what the app does after its mapping screen, where the file was read already.
fn child(file: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let cancel = AtomicBool::new(false);
    let mut o = ImportOptions::new(ImportKind::Households);
    o.create_missing = true;
    o.skip_bad = true;
    let (t, r) = if std::env::var_os("MINQING_BENCH_IMPORT_BOOK").is_some() {
        let book = roster::read::read_file(file, &mut |_| {}, &cancel).unwrap();
        let t = Instant::now();
        (
            t,
            roster::run_import(&store, &book, &o, today, &mut |_| {}, &cancel).unwrap(),
        )
    } else {
        // What `minqing import households FILE` does: an .xlsx is written while it is read.
        let t = Instant::now();
        (
            t,
            roster::import_file(&store, file, &o, today, &mut |_| {}, &cancel).unwrap(),
        )
    };
    let secs = t.elapsed().as_secs_f64();
    assert!(
        r.written && r.problems.is_empty(),
        "{:?}",
        r.problems.first()
    );
    println!(
        "{}",
        serde_json::json!({ "seconds": secs, "peakRssMb": peak_rss_mb(), "imported": r.imported, "rows": r.rows })
    );
}

fn run_child(file: &Path, runs: usize) -> (f64, f64, u64) {
    run_child_with(file, runs, false)
}

fn run_child_with(file: &Path, runs: usize, book: bool) -> (f64, f64, u64) {
    let mut secs = Vec::new();
    let mut peak: f64 = 0.0;
    let mut imported = 0;
    for _ in 0..runs {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.env("MINQING_BENCH_IMPORT_CHILD", file);
        if book {
            cmd.env("MINQING_BENCH_IMPORT_BOOK", "1");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        secs.push(j["seconds"].as_f64().unwrap());
        peak = peak.max(j["peakRssMb"].as_f64().unwrap());
        imported = j["imported"].as_u64().unwrap();
    }
    (median(secs), peak, imported)
}

const PEER: &str = r#"
import sys, time, resource, openpyxl
t = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for row in wb.worksheets[0].iter_rows(values_only=True):
    n += 1
wb.close()
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, n)
"#;

fn main() {
    if let Some(f) = std::env::var_os("MINQING_BENCH_IMPORT_CHILD") {
        child(Path::new(&f));
        return;
    }
    let rows: usize = std::env::var("MINQING_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("MINQING_BENCH_FILES")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let _ = std::fs::create_dir_all(&dir);
    let dir = dir.as_path();
    let xlsx: PathBuf = dir.join("花名册.xlsx");
    let xls = dir.join("花名册.xls");
    let csv = dir.join("花名册.csv");
    sheets::xlsx(&xlsx, &[sheets::sheet("花名册", table(rows))]);
    sheets::xls(&xls, &[sheets::sheet("花名册", table(rows / 2))]);
    write_csv(&csv, rows);
    let mb = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len() as f64 / 1048576.0)
            .unwrap_or(0.0)
    };

    let (xlsx_s, xlsx_mb, xlsx_n) = run_child(&xlsx, 3);
    eprintln!(
        "{rows}-row .xlsx ({:.1} MB): imported {xlsx_n} in {xlsx_s:.2} s, peak {xlsx_mb:.0} MB",
        mb(&xlsx)
    );
    let (book_s, book_mb, _) = run_child_with(&xlsx, 3, true);
    eprintln!(
        "the same .xlsx already read (the app after its mapping screen): rows imported in {book_s:.2} s, peak {book_mb:.0} MB"
    );
    let (xls_s, xls_mb, xls_n) = run_child(&xls, 3);
    eprintln!(
        "{}-row .xls ({:.1} MB): imported {xls_n} in {xls_s:.2} s, peak {xls_mb:.0} MB",
        rows / 2,
        mb(&xls)
    );
    let (csv_s, csv_mb, csv_n) = run_child(&csv, 3);
    eprintln!(
        "{rows}-row GBK .csv ({:.1} MB): imported {csv_n} in {csv_s:.2} s, peak {csv_mb:.0} MB",
        mb(&csv)
    );

    let mut peer = serde_json::Value::Null;
    if let Some(py) = std::env::var_os("MINQING_BENCH_PYTHON") {
        let mut secs = Vec::new();
        let mut peak: f64 = 0.0;
        for _ in 0..3 {
            let out = Command::new(&py)
                .arg("-c")
                .arg(PEER)
                .arg(&xlsx)
                .output()
                .unwrap();
            if !out.status.success() {
                eprintln!(
                    "openpyxl peer failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                break;
            }
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let mut it = text.split_whitespace();
            secs.push(it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN));
            peak = peak.max(it.next().and_then(|x| x.parse().ok()).unwrap_or(0.0));
        }
        if secs.len() == 3 {
            let s = median(secs);
            eprintln!("openpyxl read-only, reading only: {s:.2} s, peak {peak:.0} MB → ours {:.1}× faster", s / xlsx_s);
            peer = serde_json::json!({ "seconds": s, "peakRssMb": peak });
        }
    }
    let out = serde_json::json!({
        "rows": rows,
        "xlsxSeconds": xlsx_s, "xlsxPeakMb": xlsx_mb, "xlsxFileMb": mb(&xlsx),
        "bookSeconds": book_s, "bookPeakMb": book_mb,
        "xlsSeconds": xls_s, "xlsPeakMb": xls_mb, "xlsRows": rows / 2,
        "csvSeconds": csv_s, "csvPeakMb": csv_mb,
        "openpyxlSeconds": peer["seconds"], "openpyxlPeakMb": peer["peakRssMb"],
        "ratio": peer["seconds"].as_f64().map(|p| p / xlsx_s),
    });
    if let Ok(p) = std::env::var("MINQING_BENCH_JSON") {
        std::fs::write(p, serde_json::to_string_pretty(&out).unwrap()).unwrap();
    }
    println!("{out}");
}
