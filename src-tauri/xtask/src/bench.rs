//! `cargo xtask bench`: measures, then rewrites README's performance table between
//! `<!-- bench:start -->` and `<!-- bench:end -->`. Benchmarks are never timed tests.

use crate::system::{self, Need};
use crate::{cargo, repo, run_in, ui};
use std::path::{Path, PathBuf};
use std::process::Command;

/// OR-Tools for the CP-SAT peer, pinned, in a virtual environment under target/bench (PyPI
/// only; never the system Python's packages). None when it cannot be set up.
const ORTOOLS: &str = "ortools==9.15.6755";
/// openpyxl for the roster import's peer (reading the same .xlsx in read-only mode).
pub(crate) const OPENPYXL: &str = "openpyxl==3.1.5";
/// XlsxWriter for the district ledger's peer (constant_memory, writing the same rows).
const XLSXWRITER: &str = "XlsxWriter==3.2.9";

fn cpsat_python(dir: &Path) -> Option<PathBuf> {
    let venv = dir.join("venv");
    let py = venv.join("bin").join("python");
    let has_ortools = |p: &Path| {
        Command::new(p)
            .args(["-c", "import ortools, openpyxl, xlsxwriter"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if py.exists() && has_ortools(&py) {
        return Some(py);
    }
    if !py.exists()
        && !run_in(
            &repo(),
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
        )
    {
        eprintln!(
            "无法创建 Python 虚拟环境（需要 python3 和 python3-venv），跳过与 CP-SAT 的对比。"
        );
        return None;
    }
    if !run_in(
        &repo(),
        Command::new(&py).args(["-m", "pip", "install", "-q", ORTOOLS, OPENPYXL, XLSXWRITER]),
    ) {
        eprintln!("无法安装 {ORTOOLS} / {OPENPYXL} / {XLSXWRITER}，跳过与 CP-SAT、openpyxl、XlsxWriter 的对比。");
        return None;
    }
    has_ortools(&py).then_some(py)
}

/// A ratio held against a goal, cut (not rounded) to `digits`: 4.985 shows as 4.9, never as
/// a 5.0 that would read as meeting a "≥ 5×" goal it missed.
fn ratio(r: f64, digits: usize) -> String {
    let scale = 10f64.powi(digits as i32);
    // The small nudge keeps 6.1 (stored as 6.0999…) at 6.1.
    format!("{:.digits$}", ((r * scale) + 1e-9).floor() / scale)
}

/// A number after `"key":` in a small JSON file written by our own benches.
fn json_num(text: &str, key: &str) -> Option<f64> {
    let at = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let s: String = text[at..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-' || *c == 'e')
        .collect();
    s.parse().ok()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cpu}, {cores} cores")
}

pub fn all() -> bool {
    let dir = repo().join("target/bench");
    let _ = std::fs::create_dir_all(&dir);

    // Core: demo generation and household pages on 100k households.
    let register_json = dir.join("register.json");
    if !run_in(
        &repo(),
        cargo()
            .args(["bench", "-p", "minqing-core", "--bench", "register"])
            .env("MINQING_BENCH_JSON", &register_json),
    ) {
        return false;
    }
    let reg = std::fs::read_to_string(&register_json).unwrap_or_default();
    let ledger_json = dir.join("ledger.json");
    if !run_in(
        &repo(),
        cargo()
            .args(["bench", "-p", "minqing-core", "--bench", "ledger"])
            .env("MINQING_BENCH_JSON", &ledger_json),
    ) {
        return false;
    }
    let led = std::fs::read_to_string(&ledger_json).unwrap_or_default();

    // 走访排班: scale and memory, then quality against OR-Tools CP-SAT and the round-robin.
    let plan_json = dir.join("plan.json");
    if !run_in(
        &repo(),
        cargo()
            .args(["bench", "-p", "minqing-core", "--bench", "plan"])
            .env("MINQING_BENCH_JSON", &plan_json),
    ) {
        return false;
    }
    let plan = std::fs::read_to_string(&plan_json).unwrap_or_default();
    let compare_json = dir.join("plan_compare.json");
    let python = system::ensure(Need::Bench)
        .then(|| cpsat_python(&dir))
        .flatten();
    let mut compare_cmd = cargo();
    compare_cmd
        .args(["bench", "-p", "minqing-core", "--bench", "plan_compare"])
        .env("MINQING_BENCH_JSON", &compare_json);
    if let Some(py) = &python {
        compare_cmd.env("MINQING_BENCH_PYTHON", py);
    }
    if !run_in(&repo(), &mut compare_cmd) {
        return false;
    }
    let cmp = std::fs::read_to_string(&compare_json).unwrap_or_default();

    // 花名册导入: 100k-row .xlsx end to end against openpyxl merely reading it; .xls and GBK .csv.
    let import_json = dir.join("import.json");
    let mut import_cmd = cargo();
    import_cmd
        .args(["bench", "-p", "minqing-core", "--bench", "import"])
        .env("MINQING_BENCH_JSON", &import_json);
    if let Some(py) = &python {
        import_cmd.env("MINQING_BENCH_PYTHON", py);
    }
    if !run_in(&repo(), &mut import_cmd) {
        return false;
    }
    let imp = std::fs::read_to_string(&import_json).unwrap_or_default();

    // The paper loop: returned task sheets into the diary; a township's own ledger.
    let paper_json = dir.join("paper.json");
    if !run_in(
        &repo(),
        cargo()
            .args(["bench", "-p", "minqing-core", "--bench", "paper"])
            .env("MINQING_BENCH_JSON", &paper_json),
    ) {
        return false;
    }
    let paper = std::fs::read_to_string(&paper_json).unwrap_or_default();

    // The district's workbooks: the 100,000-row ledger against XlsxWriter; the monthly set.
    let reports_json = dir.join("reports.json");
    let mut reports_cmd = cargo();
    reports_cmd
        .args(["bench", "-p", "minqing-core", "--bench", "reports"])
        .env("MINQING_BENCH_JSON", &reports_json);
    if let Some(py) = &python {
        reports_cmd.env("MINQING_BENCH_PYTHON", py);
    }
    if !run_in(&repo(), &mut reports_cmd) {
        return false;
    }
    let rep = std::fs::read_to_string(&reports_json).unwrap_or_default();

    // The app's cold start on the same size of township, through WebDriver, release build.
    let mut cold = String::new();
    let mut board = String::new();
    let ready = system::ensure(Need::Bench)
        && ui::ensure_node()
        && ui::install()
        && ui::build()
        && crate::build_app(true);
    if ready
        && run_in(
            &repo(),
            cargo().args([
                "build",
                "--release",
                "-p",
                "minqing-core",
                "--bin",
                "minqing",
            ]),
        )
    {
        let data = dir.join("coldstart-data");
        let _ = std::fs::remove_dir_all(&data);
        let db = data.join("minqing.db");
        let made = run_in(
            &repo(),
            Command::new(repo().join("target/release/minqing"))
                .arg("--db")
                .arg(&db)
                .args(["demo", "--households", "100000", "--json"]),
        );
        let cold_json = dir.join("coldstart.json");
        let mut c = crate::desktop_session(&[
            "vitest",
            "run",
            "--config",
            "e2e/bench.config.ts",
            "e2e/coldstart.measure.ts",
        ]);
        c.env("MINQING_APP", repo().join("target/release/minqing-app"))
            .env("MINQING_BENCH_DATA_DIR", &data)
            .env("MINQING_BENCH_JSON", &cold_json);
        if let Some(d) = system::tauri_driver() {
            c.env("TAURI_DRIVER", d);
        }
        if made && run_in(&repo().join("ui"), &mut c) {
            cold = std::fs::read_to_string(&cold_json).unwrap_or_default();
        }

        // The 走访排班 board at 150 cadres × 90 days: a 15,000-household demo (its cadre count
        // is households / 100) and a 90-day cycle planned by the CLI.
        let data = dir.join("board-data");
        let _ = std::fs::remove_dir_all(&data);
        let db = data.join("minqing.db");
        let minqing = repo().join("target/release/minqing");
        let made = run_in(
            &repo(),
            Command::new(&minqing).arg("--db").arg(&db).args([
                "demo",
                "--households",
                "15000",
                "--json",
            ]),
        ) && run_in(
            &repo(),
            Command::new(&minqing).arg("--db").arg(&db).args([
                "plan",
                "create",
                "--name",
                "2026年二季度",
                "--from",
                "2026-04-01",
                "--to",
                "2026-06-29",
                "--json",
            ]),
        );
        let board_json = dir.join("board.json");
        let mut c = crate::desktop_session(&[
            "vitest",
            "run",
            "--config",
            "e2e/bench.config.ts",
            "e2e/board.measure.ts",
        ]);
        c.env("MINQING_APP", repo().join("target/release/minqing-app"))
            .env("MINQING_BENCH_BOARD_DIR", &data)
            .env("MINQING_BENCH_JSON", &board_json);
        if let Some(d) = system::tauri_driver() {
            c.env("TAURI_DRIVER", d);
        }
        if made && run_in(&repo().join("ui"), &mut c) {
            board = std::fs::read_to_string(&board_json).unwrap_or_default();
        }
    }

    let fmt = |v: Option<f64>, unit: &str, digits: usize| {
        v.map(|x| format!("{x:.digits$} {unit}"))
            .unwrap_or_else(|| "—".into())
    };
    let demo_s = json_num(&reg, "demoSeconds");
    let p95 = json_num(&reg, "pageP95Ms");
    let mut table = String::new();
    table.push_str(&format!(
        "Measured by `cargo xtask bench` on {} ({}).\n\n",
        machine(),
        chrono_free_date()
    ));
    table.push_str("| What | Goal | Measured |\n|---|---|---|\n");
    table.push_str(&format!(
        "| `minqing demo --households 100000` (one transaction, cached statements) | ≤ 3 s | {} ({}× under the goal) |\n",
        fmt(demo_s, "s", 2),
        ratio(demo_s.map(|s| 3.0 / s).unwrap_or(0.0), 1)
    ));
    table.push_str(&format!(
        "| Household page of 50 on 100k households: village filter + pinyin initials + sort, p95 of {} queries | ≤ 10 ms | {} (p50 {}) |\n",
        json_num(&reg, "pageSamples").map(|n| n as u64).unwrap_or(0),
        fmt(p95, "ms", 2),
        fmt(json_num(&reg, "pageP50Ms"), "ms", 2)
    ));
    table.push_str(&format!(
        "| 民情诉求 page of 50 on 100,000 requests / 300,000 history rows, 10 filters (status, colours, overdue, unit, village + period, type, number), p95 | ≤ 20 ms | {} |\n",
        fmt(json_num(&led, "pageP95Ms"), "ms", 2)
    ));
    table.push_str(&format!(
        "| A year's three rates by unit on the same ledger | ≤ 200 ms | {} |\n",
        fmt(json_num(&led, "ratesByUnitMs"), "ms", 0)
    ));
    table.push_str(&format!(
        "| Searching the text of those 100,000 requests (a scan, not in the p95 above) | report | {} |\n",
        fmt(json_num(&led, "textSearchP95Ms"), "ms", 1)
    ));
    // The desktop's rows, each with its peer measured in the same run: WebKitGTK's own
    // MiniBrowser on a static copy of the same screen (no database, no script).
    let times = |a: Option<f64>, b: Option<f64>| {
        a.zip(b)
            .map(|(a, b)| format!("{:.2}×", a / b))
            .unwrap_or_else(|| "—".into())
    };
    let (start, peer_open) = (
        json_num(&cold, "householdsMs"),
        json_num(&cold, "peerOpenMs"),
    );
    table.push_str(&format!(
        "| App cold start to the first rendered household list (100k households, release build, WebDriver, Xvfb: Mesa's software GL, Skia painting on the CPU; a new process, 工作台 shown, then 户籍台账 clicked; the driver and the session's desktop portal up before the first start; median of 5) | ≤ 1.0 s | {} (window ready {}, 工作台's figures {}); peer: MiniBrowser opening a static copy of the list's screen, once after each app start, {} (app ÷ peer {}) |\n",
        fmt(start, "ms", 0),
        fmt(json_num(&cold, "windowMs"), "ms", 0),
        fmt(json_num(&cold, "dashboardMs"), "ms", 0),
        fmt(peer_open, "ms", 0),
        times(start, peer_open)
    ));
    let (painted, peer_painted) = (
        json_num(&cold, "pagePaintedMs"),
        json_num(&cold, "peerPagePaintedMs"),
    );
    table.push_str(&format!(
        "| … the next page of 50 households, timed in the page from the click: rows in the page / the frame showing them drawn (35 switches, median) | ≤ 100 ms | {} / {}; peer: the same change made to MiniBrowser's static copy (each row's cells rewritten with another row's), 21 times, {} / {} (app ÷ peer, drawn {}) |\n",
        fmt(json_num(&cold, "pageInPageMs"), "ms", 0),
        fmt(painted, "ms", 0),
        fmt(json_num(&cold, "peerPageInPageMs"), "ms", 0),
        fmt(peer_painted, "ms", 0),
        times(painted, peer_painted)
    ));
    let (app_mb, copy_mb) = (
        json_num(&cold, "pssMedianMb"),
        json_num(&cold, "peerScreenMb"),
    );
    table.push_str(&format!(
        "| … memory once the list has shown: PSS of the app and its WebKit processes (median of 5) | ≤ 250 MB | {} (app {}, web process {}, network process {}); peers: MiniBrowser on an empty page {}, on the static copy {} (app ÷ copy {}) |\n",
        fmt(app_mb, "MB", 0),
        fmt(json_num(&cold, "appMedianMb"), "MB", 0),
        fmt(json_num(&cold, "webMedianMb"), "MB", 0),
        fmt(json_num(&cold, "networkMedianMb"), "MB", 0),
        fmt(json_num(&cold, "peerBlankMb"), "MB", 0),
        fmt(copy_mb, "MB", 0),
        times(app_mb, copy_mb)
    ));
    plan_rows(&mut table, &plan, &cmp);
    import_rows(&mut table, &imp);
    paper_rows(&mut table, &paper);
    reports_rows(&mut table, &rep);
    let board_fps = json_num(&board, "fps");
    let static_fps = json_num(&board, "baselineFps");
    table.push_str(&format!(
        "| 排班看板 {} cadres × {} days (release app, WebDriver, Xvfb: software GL, Skia painting on the CPU): scrolled diagonally, one step per frame, against a plain element of the same size with static cells scrolled the same way in the same window; 4 alternating rounds of 1.5 s, medians | ≥ 0.9 × the plain element's fps | {} fps vs {} fps (ratio {}); frame p50 {} / p95 {} / max {}; tab shown in {}; {} cells in the page |\n",
        json_num(&board, "cadres").map(|n| n as u64).unwrap_or(0),
        json_num(&board, "days").map(|n| n as u64).unwrap_or(0),
        board_fps.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into()),
        static_fps.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into()),
        json_num(&board, "ratio")
            .map(|r| ratio(r, 2))
            .unwrap_or_else(|| "—".into()),
        fmt(json_num(&board, "frameP50Ms"), "ms", 1),
        fmt(json_num(&board, "frameP95Ms"), "ms", 1),
        fmt(json_num(&board, "frameMaxMs"), "ms", 0),
        fmt(json_num(&board, "showMs"), "ms", 0),
        json_num(&board, "cellsRendered").map(|n| n as u64).unwrap_or(0),
    ));
    windows_rows(&mut table, &dir);
    println!("\n{table}");

    let readme = repo().join("README.md");
    if let Ok(text) = std::fs::read_to_string(&readme) {
        if let (Some(a), Some(b)) = (
            text.find("<!-- bench:start -->"),
            text.find("<!-- bench:end -->"),
        ) {
            let new = format!("{}<!-- bench:start -->\n{table}{}", &text[..a], &text[b..]);
            let _ = std::fs::write(&readme, new);
            println!("README.md 的性能表已更新。");
        }
    }
    !cold.is_empty()
}

/// `cargo xtask bench windows`: only the Windows rows, put in place in README's table (the
/// other rows stay as the last full run left them).
pub fn windows_only() -> bool {
    let dir = repo().join("target/bench");
    let _ = std::fs::create_dir_all(&dir);
    if !ui::ensure_node() || !ui::install() || !ui::build() {
        return false;
    }
    // The native CLI the Wine run is compared with.
    if !run_in(
        &repo(),
        cargo().args([
            "build",
            "--release",
            "-p",
            "minqing-core",
            "--bin",
            "minqing",
        ]),
    ) {
        return false;
    }
    let mut rows = String::new();
    windows_rows(&mut rows, &dir);
    println!("\n{rows}");
    let readme = repo().join("README.md");
    let Ok(text) = std::fs::read_to_string(&readme) else {
        return false;
    };
    let (Some(a), Some(b)) = (
        text.find("<!-- bench:start -->"),
        text.find("<!-- bench:end -->"),
    ) else {
        return false;
    };
    let keep: Vec<&str> = text[a..b]
        .lines()
        .filter(|l| !WINDOWS_ROWS.iter().any(|p| l.starts_with(p)))
        .collect();
    let new = format!("{}{}\n{rows}{}", &text[..a], keep.join("\n"), &text[b..]);
    std::fs::write(&readme, new).is_ok() && !rows.contains("failed")
}

/// How the Windows rows of the table begin (replaced by `cargo xtask bench windows`).
const WINDOWS_ROWS: [&str; 4] = [
    "| Windows 交叉编译",
    "| Cold cross-build",
    "| Windows installer",
    "| `minqing demo --households 100000`: the Windows exe",
];

/// Windows: a cold cross-build of the app and the CLI into a target folder of its own, the
/// installer's and the zip's sizes, and `minqing demo --households 100000` under Wine against
/// the native build in the same run (reports, no goals).
fn windows_rows(table: &mut String, dir: &Path) {
    use crate::windows;
    let row = |table: &mut String, what: &str, measured: String| {
        table.push_str(&format!("| {what} | report | {measured} |\n"));
    };
    if !windows::ensure(true) {
        row(
            table,
            "Windows 交叉编译",
            "—（缺少 mingw-w64、NSIS 或 Wine）".into(),
        );
        return;
    }
    let cross = dir.join("cross");
    let _ = std::fs::remove_dir_all(&cross);
    let before = std::env::var_os("CARGO_TARGET_DIR");
    std::env::set_var("CARGO_TARGET_DIR", &cross);
    let dist = windows::dist_built_ui(None);
    let prefix = dist.as_ref().and_then(|_| windows::wine_prefix());
    match &before {
        Some(v) => std::env::set_var("CARGO_TARGET_DIR", v),
        None => std::env::remove_var("CARGO_TARGET_DIR"),
    }
    let Some(dist) = dist else {
        row(table, "Windows 交叉编译", "— (failed)".into());
        return;
    };
    row(
        table,
        "Cold cross-build of the app and the CLI for Windows (x86_64-pc-windows-gnu, release, empty target folder)",
        format!("{:.0} s ({:.1} min)", dist.build_seconds, dist.build_seconds / 60.0),
    );
    row(
        table,
        "Windows installer (NSIS, per user) and portable zip, without the WebView2 runtime",
        format!(
            "installer {}, zip {} (goal for the installer: ≤ 15 MB)",
            windows::mib(windows::size(&dist.installer)),
            windows::mib(windows::size(&dist.zip))
        ),
    );
    let Some(prefix) = prefix else {
        return;
    };
    // Median of 3 fresh databases each way.
    let time = |cmd: &mut dyn FnMut(usize) -> Command| -> Option<f64> {
        let mut secs = Vec::new();
        for i in 0..3 {
            let start = std::time::Instant::now();
            let ok = cmd(i).status().map(|s| s.success()).unwrap_or(false);
            if !ok {
                return None;
            }
            secs.push(start.elapsed().as_secs_f64());
        }
        secs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        Some(secs[1])
    };
    let work = prefix.join("drive_c/bench");
    let _ = std::fs::remove_dir_all(&work);
    let _ = std::fs::create_dir_all(&work);
    let env = windows::wine_env(&prefix);
    let exe = dist.stage.join("minqing.exe");
    let wine = time(&mut |i| {
        let mut c = Command::new("wine");
        c.arg(&exe)
            .args(["--db", &format!("C:\\bench\\w{i}.db")])
            .args(["demo", "--households", "100000"])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(std::process::Stdio::null());
        c
    });
    let native = time(&mut |i| {
        let mut c = Command::new(repo().join("target/release/minqing"));
        c.arg("--db")
            .arg(work.join(format!("n{i}.db")))
            .args(["demo", "--households", "100000"])
            .stdout(std::process::Stdio::null());
        c
    });
    let f = |v: Option<f64>| v.map(|x| format!("{x:.2} s")).unwrap_or_else(|| "—".into());
    row(
        table,
        "`minqing demo --households 100000`: the Windows exe under Wine vs the native Linux build, same machine and run, median of 3",
        format!(
            "Wine {} vs native {}{}",
            f(wine),
            f(native),
            match (wine, native) {
                (Some(w), Some(n)) if n > 0.0 => format!(" ({:.2}×)", w / n),
                _ => String::new(),
            }
        ),
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// Today's date from `date` (this crate has no dependencies).
fn chrono_free_date() -> String {
    Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The roster import's rows: ours end to end against openpyxl only reading the same file.
fn import_rows(table: &mut String, imp: &str) {
    let n = |key: &str| json_num(imp, key);
    let f = |v: Option<f64>, unit: &str, digits: usize| {
        v.map(|x| format!("{x:.digits$} {unit}"))
            .unwrap_or_else(|| "—".into())
    };
    table.push_str(&format!(
        "| 花名册导入: a {}-row, 12-column .xlsx ({}) end to end as `minqing import households` does it — read, find the header, map, check every row, write in one transaction (rows written while a second thread reads the file) — against Python openpyxl (read-only mode) merely reading the same file, medians of 3 | ≥ 5× faster, ≤ 300 MB | {} vs openpyxl {} (**{}×**), peak {} vs {} |\n",
        n("rows").map(|x| x as u64).unwrap_or(0),
        f(n("xlsxFileMb"), "MB", 1),
        f(n("xlsxSeconds"), "s", 2),
        f(n("openpyxlSeconds"), "s", 2),
        n("ratio").map(|r| ratio(r, 1)).unwrap_or_else(|| "—".into()),
        f(n("xlsxPeakMb"), "MB", 0),
        f(n("openpyxlPeakMb"), "MB", 0),
    ));
    table.push_str(&format!(
        "| 花名册导入: a {}-row .xls (BIFF8) and a {}-row GBK .csv, end to end (read whole, then written); the same .xlsx in the app, where the file was read for the mapping screen: 导入 to done | report | .xls {} (peak {}); .csv {} (peak {}); app {} (peak {}) |\n",
        n("xlsRows").map(|x| x as u64).unwrap_or(0),
        n("rows").map(|x| x as u64).unwrap_or(0),
        f(n("xlsSeconds"), "s", 2),
        f(n("xlsPeakMb"), "MB", 0),
        f(n("csvSeconds"), "s", 2),
        f(n("csvPeakMb"), "MB", 0),
        f(n("bookSeconds"), "s", 2),
        f(n("bookPeakMb"), "MB", 0),
    ));
}

/// The paper loop's rows: returned 走访任务单 and a township's own 民情诉求台账, against goals.
fn paper_rows(table: &mut String, paper: &str) {
    let n = |key: &str| json_num(paper, key);
    let secs = |v: Option<f64>| v.map(|x| format!("{x:.2} s")).unwrap_or_else(|| "—".into());
    let count = |key: &str| n(key).map(|x| x as u64).unwrap_or(0);
    table.push_str(&format!(
        "| 导入任务单: a township's returned 走访任务单, {} workbooks (one per cadre) with {} filled rows, through the diary's own rules in one transaction (a fresh copy of the database each time, median of 3) | ≤ 1 s | {} ({} diary entries) |\n",
        count("task_files"),
        count("task_rows"),
        secs(n("task_seconds")),
        count("task_imported"),
    ));
    table.push_str(&format!(
        "| 导入台账: a township's own {}-row 民情诉求台账 (.xlsx, 12 columns, statuses, units to create) end to end as `minqing import requests` does it (median of 3) | ≤ 2 s | {} ({} requests); peak {} MB |\n",
        count("ledger_rows"),
        secs(n("ledger_seconds")),
        count("ledger_imported"),
        count("peak_mb"),
    ));
}

/// The planner's rows: scale against the goal, then the three planners side by side.
fn plan_rows(table: &mut String, plan: &str, cmp: &str) {
    let n = |text: &str, key: &str| json_num(text, key);
    let secs = |k: &str| {
        n(plan, &format!("s{k}Seconds"))
            .map(|x| format!("{x:.2} s"))
            .unwrap_or_else(|| "—".into())
    };
    let mb = |k: &str| {
        n(plan, &format!("s{k}RssMb"))
            .map(|x| format!("{x:.0} MB"))
            .unwrap_or_else(|| "—".into())
    };
    table.push_str(&format!(
        "| 走访排班: 50,000 households, 500 cadres, a 13-week cycle (plan + independent check: {} hard violations) | ≤ 5 s, ≤ 1 GB | {}, peak {} |\n",
        n(plan, "s50000Violations").map(|x| x as u64).unwrap_or(0),
        secs("50000"),
        mb("50000")
    ));
    table.push_str(&format!(
        "| 走访排班 growth: 5k / 20k / 50k / 100k households | report | {} / {} / {} / {} (peak {}) |\n",
        secs("5000"),
        secs("20000"),
        secs("50000"),
        secs("100000"),
        mb("100000")
    ));
    let instances = n(cmp, "instances").unwrap_or(0.0) as u64;
    match (n(cmp, "minRatio"), n(cmp, "minSpeedup")) {
        (Some(objective), Some(speedup)) => {
            table.push_str(&format!(
                "| 走访排班 vs OR-Tools CP-SAT (model from the same rules, best found in 60 s, 2 workers), {instances} generated townships of ≈300 households, 10 cadres, 4 weeks: our objective ÷ CP-SAT's (worst instance) | ≥ 0.98 | {} |\n",
                ratio(objective, 4)
            ));
            table.push_str(&format!(
                "| … time to plan: ours vs CP-SAT's time to its best (worst instance) | ≥ 100× faster | {:.2} ms vs {:.1} s mean ({}× faster) |\n",
                n(cmp, "ourMs").unwrap_or(0.0),
                n(cmp, "cpsatBestS").unwrap_or(0.0),
                ratio(speedup, 0)
            ));
        }
        _ => table.push_str("| 走访排班 vs OR-Tools CP-SAT | ≥ 0.98, ≥ 100× | not measured (no Python with ortools) |\n"),
    }
    let pct = |who: &str, key: &str| {
        n(cmp, &format!("{who}_{key}"))
            .map(|x| format!("{:.1}%", x * 100.0))
            .unwrap_or_else(|| "—".into())
    };
    let num = |who: &str, key: &str, d: usize| {
        n(cmp, &format!("{who}_{key}"))
            .map(|x| format!("{x:.d$}"))
            .unwrap_or_else(|| "—".into())
    };
    let side = |who: &str| {
        format!(
            "coverage {}, 必到 on time {}, paired by own cadre {}, one-village days {}, 村民小组/day {}, load sd {}, hard violations {}",
            pct(who, "coverage"),
            pct(who, "mustOnTime"),
            pct(who, "pairedOwn"),
            pct(who, "singleVillageDays"),
            num(who, "groupsPerDay", 2),
            num(who, "balanceSd", 3),
            num(who, "violations", 1)
        )
    };
    table.push_str(&format!(
        "| … ours (means over the instances) | report | {} |\n",
        side("ours")
    ));
    table.push_str(&format!("| … CP-SAT | report | {} |\n", side("cpsat")));
    table.push_str(&format!(
        "| … the hand-made round-robin (roster order dealt to linked cadres, their days filled in order) | report | {} |\n",
        side("naive")
    ));
}

/// The district's workbooks: the ledger against XlsxWriter, and a township's monthly set.
fn reports_rows(table: &mut String, rep: &str) {
    let n = |key: &str| json_num(rep, key);
    let f = |v: Option<f64>, unit: &str, digits: usize| {
        v.map(|x| format!("{x:.digits$} {unit}"))
            .unwrap_or_else(|| "—".into())
    };
    table.push_str(&format!(
        "| 民情诉求台账 of {} requests × 23 columns (query, mask, lay out, write .xlsx) against Python XlsxWriter 3.2.9 in constant_memory mode only writing the same rows, same run, medians of 3 | ≥ 5× faster; peak ≤ 150 MB | {} vs {} ({}); peak {} (XlsxWriter {}) |\n",
        n("ledgerRows").map(|x| x as u64).unwrap_or(0),
        f(n("ledgerSeconds"), "s", 2),
        f(n("xlsxwriterSeconds"), "s", 2),
        n("ratio").map(|r| format!("{}×", ratio(r, 1))).unwrap_or_else(|| "—".into()),
        f(n("ledgerPeakMb"), "MB", 0),
        f(n("xlsxwriterPeakMb"), "MB", 0),
    ));
    table.push_str(&format!(
        "| Every monthly report of a 50,000-household township together (走访情况统计表, 民情诉求台账, 诉求办理情况汇总表, 干部走访考核表, 督办通报; {} lines) | ≤ 2 s | {}; peak {} |\n",
        n("monthlyLines").map(|x| x as u64).unwrap_or(0),
        f(n("monthlySeconds"), "s", 2),
        f(n("monthlyPeakMb"), "MB", 0),
    ));
}

#[cfg(test)]
mod tests {
    use super::ratio;

    #[test]
    fn a_ratio_just_under_its_goal_never_shows_as_meeting_it() {
        assert_eq!(ratio(4.985, 1), "4.9");
        assert_eq!(ratio(0.8988, 2), "0.89");
        assert_eq!(ratio(6.1, 1), "6.1");
        assert_eq!(ratio(0.99115, 4), "0.9911");
        assert_eq!(ratio(5.0, 1), "5.0");
    }
}
