//! Running the `minqing` binary from the integration tests.
#![allow(dead_code)] // each test crate uses part of it

pub mod book;
pub mod sheets;

use std::path::Path;
use std::process::{Command, Output};

/// `minqing --db DB ARGS…`, never reading `MINQING_DB` from the environment.
pub fn minqing(db: &Path, args: &[&str]) -> Output {
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_minqing"))
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("MINQING_DB")
            .output()
    };
    // Under Wine (the Windows run of these tests) CreateProcess now and then fails with
    // ERROR_INTERNAL_ERROR (1359) while the wineserver is busy; the program never started, so
    // starting it again is the same test. Any other failure to start is a failure.
    let mut tries = 0;
    loop {
        match run() {
            Err(e) if cfg!(windows) && e.raw_os_error() == Some(1359) && tries < 5 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            other => return other.expect("run minqing"),
        }
    }
}

/// The same with `--today DATE` as the clock.
pub fn minqing_on(db: &Path, today: &str, args: &[&str]) -> Output {
    minqing(db, &[&["--today", today], args].concat())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// A Python with openpyxl and python-docx, the second readers of the workbooks and the Word
/// documents: MINQING_TEST_PYTHON (set by
/// `cargo xtask test`), target/pyenv, the bench's venv, or python3. Panics with what to do.
#[allow(dead_code)]
pub fn python_with_openpyxl() -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut candidates: Vec<std::path::PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("MINQING_TEST_PYTHON") {
        candidates.push(p.into());
    }
    candidates.push(root.join("target/pyenv/bin/python"));
    candidates.push(root.join("target/bench/venv/bin/python"));
    candidates.push("python3".into());
    for p in candidates {
        let ok = std::process::Command::new(&p)
            .args(["-c", "import openpyxl, docx"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if ok {
            return p;
        }
    }
    panic!("找不到装有 openpyxl 和 python-docx 的 Python。请用 `cargo xtask test` 运行（它会在 target/pyenv 建好），或设置 MINQING_TEST_PYTHON。");
}

/// What a user would call "the data": every row of the tables the operations touch.
pub fn fingerprint(db: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for sql in [
        "SELECT id, village_id, group_id, head_name, id_number, phone, address, size, note FROM households ORDER BY id",
        "SELECT id, name FROM villages ORDER BY id",
        "SELECT id, village_id, name FROM village_groups ORDER BY id",
        "SELECT household_id, tag_id FROM household_tags ORDER BY 1, 2",
        "SELECT id, number, status, content FROM requests ORDER BY id",
        "SELECT id, cycle_id, number FROM plan_versions ORDER BY id",
        "SELECT version_id, count(*), sum(household_id), sum(cadre_id) FROM plan_visits GROUP BY version_id ORDER BY 1",
        "SELECT id, file_name, imported FROM import_history ORDER BY id",
    ] {
        let mut st = c.prepare(sql).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                format!("{:?}", r.get_ref(i).unwrap()).hash(&mut h);
            }
        }
    }
    h.finish()
}

/// A fresh copy of `base` at `to`, with no -wal or -shm left from an earlier run.
pub fn fresh_copy(base: &Path, to: &Path) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    std::fs::copy(base, to).unwrap();
}

/// Every cell of every sheet of a workbook, read by calamine, one cell per line.
#[allow(dead_code)]
pub fn xlsx_text(path: &Path) -> String {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).expect("workbook opens");
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet reads");
        for row in range.rows() {
            for c in row {
                out.push_str(&c.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// A generated demo township of `households` in memory, as of 2026-03-31.
#[allow(dead_code)]
pub fn demo_store(households: u32) -> minqing_core::Store {
    let store = minqing_core::Store::open_in_memory().unwrap();
    minqing_core::demo::generate(
        &store,
        &minqing_core::demo::DemoOptions {
            households,
            ..Default::default()
        },
        chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
        |_, _| true,
    )
    .unwrap();
    store
}

/// Prints workbooks the way the district does (LibreOffice → PDF, in a profile of its own so a
/// LibreOffice the user has open is neither disturbed nor waited for) and returns each file's
/// text, page by page (pdftotext -layout).
#[allow(dead_code)]
pub fn printed_pages(files: &[std::path::PathBuf]) -> Vec<Vec<String>> {
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    // Files of the same name from different folders would print to one PDF: numbered copies.
    let copies: Vec<std::path::PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("xlsx");
            let c = out.path().join(format!("{i}.{ext}"));
            std::fs::copy(f, &c).unwrap();
            c
        })
        .collect();
    let files = &copies;
    let soffice = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.path())
        .args(files)
        .output()
        .expect(
            "LibreOffice (soffice) 未安装：请用 cargo xtask test 运行，它会安装 libreoffice-calc",
        );
    assert!(
        soffice.status.success(),
        "{}",
        String::from_utf8_lossy(&soffice.stderr)
    );
    files
        .iter()
        .map(|f| {
            let pdf = out
                .path()
                .join(f.with_extension("pdf").file_name().unwrap());
            let t = Command::new("pdftotext")
                .arg("-layout")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils)");
            String::from_utf8_lossy(&t.stdout)
                .split('\u{c}')
                .filter(|p| !p.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Text without the spaces a PDF puts between characters.
#[allow(dead_code)]
pub fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
