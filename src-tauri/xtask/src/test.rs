//! `cargo xtask test`: the whole test ladder of docs/DOMAIN.md, fast to real —
//! UI build and type-check, `cargo test` (core, CLI, shell), the bindings check, Vitest, and
//! the real-app E2E journeys under Xvfb. Ends with one line: `N passed, N failed`.

use crate::system::{self, Need};
use crate::{cargo, repo, run_in, ui};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    problems: Vec<String>,
}

impl Tally {
    /// A step that is one check: it passes or fails as a whole.
    fn check(&mut self, what: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            self.problems.push(what.to_string());
        }
    }
}

/// Runs a command, echoing its stdout, and returns (success, stdout lines).
fn run_capture(cmd: &mut Command) -> (bool, Vec<String>) {
    eprintln!("$ {}", crate::describe(cmd));
    let child = cmd.current_dir(repo()).stdout(Stdio::piped()).spawn();
    let Ok(mut child) = child else {
        eprintln!("无法运行 {}", cmd.get_program().to_string_lossy());
        return (false, Vec::new());
    };
    let mut lines = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            lines.push(line);
        }
    }
    (child.wait().map(|s| s.success()).unwrap_or(false), lines)
}

/// Sums libtest's `test result: ok. 12 passed; 0 failed; …` lines.
fn cargo_counts(lines: &[String]) -> (u64, u64) {
    let num = |line: &str, label: &str| -> u64 {
        line.split(';')
            .find_map(|part| {
                part.trim().strip_suffix(label).map(|n| {
                    n.trim()
                        .rsplit(' ')
                        .next()
                        .unwrap_or("0")
                        .parse()
                        .unwrap_or(0)
                })
            })
            .unwrap_or(0)
    };
    lines
        .iter()
        .filter(|l| l.starts_with("test result:"))
        .fold((0, 0), |(p, f), l| {
            (p + num(l, " passed"), f + num(l, " failed"))
        })
}

/// `"numPassedTests":N` and `"numFailedTests":N` from Vitest's JSON report.
fn vitest_counts(json_path: &std::path::Path) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(json_path).ok()?;
    let field = |name: &str| -> Option<u64> {
        let at = text.find(&format!("\"{name}\":"))? + name.len() + 3;
        text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    };
    let total = field("numTotalTests")?;
    let passed = field("numPassedTests")?;
    Some((passed, total - passed))
}

/// The full names of the failed tests in a Vitest JSON report, so CI's last lines say which.
fn vitest_failures(json_path: &std::path::Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(json_path) else {
        return Vec::new();
    };
    let Ok(report) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for file in report["testResults"].as_array().into_iter().flatten() {
        let assertions = file["assertionResults"].as_array();
        for a in assertions.into_iter().flatten() {
            if a["status"] == "failed" {
                names.push(a["fullName"].as_str().unwrap_or("?").to_string());
            }
        }
        // A file that failed before any test ran (a broken import, a hook) has no assertions.
        if file["status"] == "failed" && assertions.is_none_or(|a| a.is_empty()) {
            let file_name = file["name"].as_str().unwrap_or("?");
            names.push(format!("{file_name}（整个文件未能运行）"));
        }
    }
    names
}

fn vitest(
    t: &mut Tally,
    what: &str,
    args: &[&str],
    json: &str,
    env: &[(&str, String)],
    display: bool,
) {
    vitest_on(t, what, args, json, env, display.then_some(None));
}

/// Vitest; `display`: under a desktop session, on a screen of the given size when one is given.
fn vitest_on(
    t: &mut Tally,
    what: &str,
    args: &[&str],
    json: &str,
    env: &[(&str, String)],
    display: Option<Option<&str>>,
) {
    let out = repo().join("target/xtask").join(json);
    let _ = std::fs::create_dir_all(out.parent().unwrap());
    let _ = std::fs::remove_file(&out);
    let out_arg = format!("--outputFile.json={}", out.display());
    let mut vitest_args: Vec<&str> = vec!["vitest", "run"];
    vitest_args.extend_from_slice(args);
    vitest_args.extend_from_slice(&["--reporter=default", "--reporter=json", &out_arg]);
    let mut cmd = match display {
        Some(screen) => crate::desktop_session_sized(&vitest_args, screen),
        None => ui::npx(&vitest_args),
    };
    cmd.current_dir(repo().join("ui"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    if display.is_some() {
        // The desktop runs' data folders (each launch of the app makes one) go under target/,
        // emptied at the next run: kept to look at after a failure, never piling up in /tmp.
        let tmp = repo()
            .join("target/xtask/tmp")
            .join(json.trim_end_matches(".json"));
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = std::fs::create_dir_all(&tmp);
        cmd.env("TMPDIR", &tmp);
    }
    eprintln!("$ {}", crate::describe(&cmd));
    let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
    match vitest_counts(&out) {
        Some((p, f)) => {
            t.passed += p;
            t.failed += f;
            if f > 0 || !ok {
                let names = vitest_failures(&out);
                if names.is_empty() {
                    t.problems.push(format!("{what}：{f} 项失败"));
                } else {
                    t.problems
                        .push(format!("{what}：{f} 项失败：{}", names.join("；")));
                }
                if f == 0 {
                    t.failed += 1;
                }
            }
        }
        None => t.check(&format!("{what}未能运行"), false),
    }
}

pub fn all() -> bool {
    let mut t = Tally::default();
    warn_if_disk_is_short();
    let ready = system::ensure(Need::Tests) && ui::ensure_node() && ui::install();
    t.check("准备环境（系统软件包、Node、npm ci）", ready);
    if ready {
        // The UI first: the desktop crate embeds ui/dist when it compiles.
        t.check("界面类型检查与构建（vue-tsc + vite build）", ui::build());

        // 0. The gates: the code as rustfmt writes it, no clippy warning, no ESLint finding.
        t.check(
            "代码格式（cargo fmt --check）",
            crate::run_in(&repo(), cargo().args(["fmt", "--all", "--check"])),
        );
        t.check("界面代码检查（ESLint）", ui::lint());
        t.check(
            "静态检查（cargo clippy -D warnings）",
            crate::run_in(
                &repo(),
                cargo().args([
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--features",
                    "minqing-app/custom-protocol",
                    "--",
                    "-D",
                    "warnings",
                ]),
            ),
        );

        // 1–2. Core unit/integration tests, CLI tests, the shell's own tests. The feature makes
        // this build the same as the E2E binary's, so Tauri compiles once.
        // openpyxl, the second reader of the district's workbooks, in its own venv.
        let python = openpyxl_python();
        t.check(
            "Python 虚拟环境与 openpyxl、python-docx（target/pyenv）",
            python.is_some(),
        );
        let mut test = cargo();
        test.args([
            "test",
            "--workspace",
            "--no-fail-fast",
            "--features",
            "minqing-app/custom-protocol",
        ]);
        if let Some(py) = &python {
            test.env("MINQING_TEST_PYTHON", py);
        }
        let (ok, lines) = run_capture(&mut test);
        let (p, f) = cargo_counts(&lines);
        t.passed += p;
        t.failed += f;
        if !ok && f == 0 {
            t.check("cargo test（编译失败或异常退出）", false);
        }

        // Bindings are regenerated by `cargo test`; committed ones must match.
        if repo().join(".git").exists() {
            let clean = Command::new("git")
                .args(["status", "--porcelain", "--", "ui/src/bindings"])
                .current_dir(repo())
                .output()
                .map(|o| o.status.success() && o.stdout.is_empty())
                .unwrap_or(false);
            if !clean {
                eprintln!("ui/src/bindings 与 Rust 类型生成的结果不同：请提交 cargo test 生成的绑定文件。");
            }
            t.check("TypeScript 绑定与 Rust 类型一致（ui/src/bindings）", clean);
        }

        // 3. Vitest: components and api contract tests.
        vitest(&mut t, "Vitest 单元测试", &[], "vitest.json", &[], false);

        // 4. The real desktop app under WebDriver.
        let built = crate::build_app(false);
        t.check("构建桌面程序（内嵌界面）", built);
        if built {
            let mut env = vec![(
                "MINQING_APP",
                repo()
                    .join("target/debug/minqing-app")
                    .display()
                    .to_string(),
            )];
            if let Some(d) = system::tauri_driver() {
                env.push(("TAURI_DRIVER", d.display().to_string()));
            }
            // The CLI and the roster fixtures, which the journeys `cargo run`, built here with
            // the same command: built inside the first screens test, they took 130 of its 240 s.
            for target in [["--bin", "minqing"], ["--example", "roster_fixtures"]] {
                let built = run_in(
                    &repo(),
                    cargo()
                        .args(["build", "-q", "-p", "minqing-core"])
                        .args(target),
                );
                t.check(&format!("构建 minqing-core {}", target[1]), built);
            }
            // The office screens first: the 1366×768 run also retakes the 使用说明's pictures
            // (docs/guide/), which the main run's guide and `cargo xtask dist` then use.
            for (screen, guide) in [("1366x768", true), ("1536x864", false)] {
                let config = repo().join(format!("target/xtask/xdg-{screen}"));
                let _ = std::fs::remove_dir_all(&config);
                let _ = std::fs::create_dir_all(&config);
                let mut env = env.clone();
                env.push(("MINQING_SCREEN", screen.to_string()));
                env.push(("XDG_CONFIG_HOME", config.display().to_string()));
                if guide {
                    env.push((
                        "MINQING_GUIDE_DIR",
                        repo().join("docs/guide").display().to_string(),
                    ));
                }
                vitest_on(
                    &mut t,
                    &format!("屏幕 {screen} 的界面"),
                    &["--config", "e2e/vitest.screens.config.ts"],
                    &format!("screens-{screen}.json"),
                    &env,
                    Some(Some(screen)),
                );
            }
            // The guide beside the program now has this run's pictures.
            crate::write_guide(&repo().join("target/debug"));
            vitest(
                &mut t,
                "端到端测试（真实桌面程序）",
                &["--config", "e2e/vitest.config.ts"],
                "e2e.json",
                &env,
                true,
            );
        }
    }
    if ready {
        // 5. Windows: the installer and the CLI cross-built and run under Wine.
        windows_step(&mut t);
    }
    for p in &t.problems {
        eprintln!("未通过：{p}");
    }
    println!("{} passed, {} failed", t.passed, t.failed);
    t.failed == 0
}

/// What a run from a fresh clone writes: about 16 GB under `target/` (debug, release, Windows),
/// 1.3 GB of Wine prefix, the E2E runs' data. A full disk shows up late and far from its cause
/// (Wine failing to boot after forty minutes), so say it first.
const DISK_NEEDED: u64 = 20_000_000_000;

fn warn_if_disk_is_short() {
    if let Some(free) = crate::free_bytes(&repo()) {
        if free < DISK_NEEDED {
            eprintln!(
                "注意：磁盘只剩 {:.1} GB，完整的测试从全新克隆开始约需 {} GB（target/ 与 Wine 环境）。\
                 空间用尽时后面的步骤（多半是 Windows 部分）会失败。",
                free as f64 / 1e9,
                DISK_NEEDED / 1_000_000_000
            );
        }
    }
}

/// The core's own tests that hold for Windows, run as Windows programs under Wine (cargo's
/// target runner): the `portable` test binary (the store, backups, the roster reader and import,
/// the CLI, the plan, the diary, the ledger and the reports checked in Rust). Not here: the kill
/// and power-loss harnesses (Unix signals and a Unix VFS) and the `linux` binary, whose report
/// tests read workbooks back with Python's openpyxl, a Linux program.
const WINDOWS_TESTS: &[&str] = &["portable"];

/// `cargo xtask test windows`: only the Windows step (the UI must have been built once).
pub fn windows_only() -> bool {
    let mut t = Tally::default();
    let ready = system::ensure(Need::App) && ui::ensure_node() && ui::install() && ui::build();
    t.check("准备环境", ready);
    if ready {
        windows_step(&mut t);
    }
    for p in &t.problems {
        eprintln!("未通过：{p}");
    }
    println!("{} passed, {} failed", t.passed, t.failed);
    t.failed == 0
}

fn windows_step(t: &mut Tally) {
    use crate::windows;
    let ready = windows::ensure(true);
    t.check(
        "Windows 交叉编译工具与 Wine（mingw-w64、NSIS、wine64）",
        ready,
    );
    if !ready {
        return;
    }
    let dist = windows::dist_built_ui(None);
    t.check(
        "cargo xtask dist：Windows 安装程序与免安装版 zip",
        dist.is_some(),
    );
    let prefix = windows::wine_prefix();
    t.check("Wine 测试环境（target/wine/prefix）", prefix.is_some());
    let holdopen = windows::hold_open_exe();
    t.check(
        "测试辅助程序 holdopen.exe（模拟 Excel 占用文件）",
        holdopen.is_some(),
    );
    let (Some(prefix), Some(holdopen)) = (prefix, holdopen) else {
        return;
    };
    let wine_env = windows::wine_env(&prefix);

    // The core's tests as Windows programs.
    let mut test = cargo();
    test.args([
        "test",
        "--no-fail-fast",
        "--target",
        windows::TARGET,
        "-p",
        "minqing-core",
        "--lib",
    ]);
    for name in WINDOWS_TESTS {
        test.args(["--test", name]);
    }
    // The TypeScript bindings are the Linux run's to write.
    test.args(["--", "--skip", "export_bindings"]);
    test.env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", "wine")
        .envs(wine_env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (ok, lines) = run_capture(&mut test);
    let (p, f) = cargo_counts(&lines);
    t.passed += p;
    t.failed += f;
    if !ok && f == 0 {
        t.check("核心测试在 Wine 中运行（编译失败或异常退出）", false);
    }

    // The journeys on the shipped files: the release minqing.exe and the installer.
    let Some(dist) = dist else {
        return;
    };
    let mut journeys = cargo();
    journeys.args([
        "test",
        "-p",
        "minqing-core",
        "--test",
        "wine",
        "--",
        "--ignored",
        "--test-threads",
        "2",
    ]);
    journeys
        .env("MINQING_WINE_PREFIX", &prefix)
        .env("MINQING_WINE_CLI", dist.stage.join("minqing.exe"))
        .env("MINQING_WINE_HOLDOPEN", &holdopen)
        .env("MINQING_WINE_INSTALLER", &dist.installer);
    let (ok, lines) = run_capture(&mut journeys);
    let (p, f) = cargo_counts(&lines);
    t.passed += p;
    t.failed += f;
    if !ok && f == 0 {
        t.check(
            "Windows 使用流程（Wine 中的 minqing.exe 与安装程序）",
            false,
        );
    }
    let size = windows::size(&dist.installer);
    eprintln!(
        "安装程序 {}，免安装版 {}",
        windows::mib(size),
        windows::mib(windows::size(&dist.zip))
    );
    t.check(
        "安装程序不超过 15 MB（不含 WebView2 运行时）",
        size <= 15 * 1_048_576,
    );
}

/// The second reader of the 情况通报 and the 典型案例汇编.
const PYTHON_DOCX: &str = "python-docx==1.2.0";

/// openpyxl and python-docx, pinned, in target/pyenv (PyPI only; never the system Python's
/// packages): the second readers of the workbooks and of the Word documents.
fn openpyxl_python() -> Option<std::path::PathBuf> {
    let venv = repo().join("target/pyenv");
    let py = venv.join("bin").join("python");
    let has = |p: &std::path::Path| {
        Command::new(p)
            .args(["-c", "import openpyxl, docx"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if py.exists() && has(&py) {
        return Some(py);
    }
    if !py.exists()
        && !crate::run_in(
            &repo(),
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
        )
    {
        eprintln!("无法创建 Python 虚拟环境（需要 python3 和 python3-venv）。");
        return None;
    }
    if !crate::run_in(
        &repo(),
        Command::new(&py).args([
            "-m",
            "pip",
            "install",
            "-q",
            crate::bench::OPENPYXL,
            PYTHON_DOCX,
        ]),
    ) {
        eprintln!(
            "无法从 PyPI 安装 {} 和 {PYTHON_DOCX}。",
            crate::bench::OPENPYXL
        );
        return None;
    }
    has(&py).then_some(py)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_summaries_are_added_up() {
        let lines: Vec<String> = [
            "running 3 tests",
            "test result: ok. 50 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.03s",
            "test result: FAILED. 9 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.2s",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(cargo_counts(&lines), (59, 2));
    }

    #[test]
    fn vitest_json_counts_are_read() {
        let dir = std::env::temp_dir().join(format!("xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("v.json");
        std::fs::write(
            &p,
            r#"{"numTotalTestSuites":3,"numTotalTests":42,"numPassedTests":40,"numFailedTests":2}"#,
        )
        .unwrap();
        assert_eq!(vitest_counts(&p), Some((40, 2)));
        assert_eq!(vitest_counts(&dir.join("missing.json")), None);
    }
}
