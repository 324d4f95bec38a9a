//! Developer commands, run from anywhere in the repository:
//!
//! - `cargo xtask run`   — install what is missing, build the UI, start the desktop app;
//! - `cargo xtask test`  — every test of the ladder, ending with `N passed, N failed`;
//! - `cargo xtask bench` — benchmarks; rewrites README's performance table;
//! - `cargo xtask dist`  — the Windows installer and portable zip, into `target/dist/`.
//!
//! Only std: this crate must build before anything else is installed.

mod bench;
mod guide;
mod system;
mod test;
mod tidy;
mod ui;
mod windows;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

/// The repository root (this crate lives in `src-tauri/xtask`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Runs a command in the repository (or `dir`), streaming its output; true when it succeeded.
pub fn run_in(dir: &std::path::Path, cmd: &mut Command) -> bool {
    eprintln!("$ {}", describe(cmd));
    match cmd.current_dir(dir).status() {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("无法运行 {}：{e}", cmd.get_program().to_string_lossy());
            false
        }
    }
}

/// Free space on the disk holding `path`, from `df` (no libc binding needed for one number).
pub fn free_bytes(path: &std::path::Path) -> Option<u64> {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(path)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)?
        .trim()
        .parse()
        .ok()
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds the desktop app with the UI embedded (not pointing at a dev server).
pub fn build_app(release: bool) -> bool {
    let mut c = cargo();
    c.args([
        "build",
        "-p",
        "minqing-app",
        "--features",
        "custom-protocol",
    ]);
    if release {
        c.arg("--release");
    }
    if !run_in(&repo(), &mut c) {
        return false;
    }
    write_guide(
        &repo()
            .join("target")
            .join(if release { "release" } else { "debug" }),
    );
    true
}

/// 使用说明.html beside the program in `dir`, as the installer puts it (帮助 opens it).
pub fn write_guide(dir: &std::path::Path) {
    match guide::html(&repo().join("docs/使用说明.md")) {
        Ok(html) => {
            let _ = std::fs::write(dir.join("使用说明.html"), html);
        }
        Err(e) => eprintln!("（没有生成使用说明：{e}）"),
    }
}

/// `npx <args>` inside what a desktop gives a program: an X display (Xvfb when there is none)
/// and a session bus (single instance and portals use D-Bus on Linux).
pub fn desktop_session(npx_args: &[&str]) -> Command {
    desktop_session_sized(npx_args, None)
}

/// The same on a virtual screen of the given size (`1366x768`), whatever display there is.
pub fn desktop_session_sized(npx_args: &[&str], screen: Option<&str>) -> Command {
    let mut inner: Vec<String> = Vec::new();
    if cfg!(target_os = "linux") && (std::env::var_os("DISPLAY").is_none() || screen.is_some()) {
        let spec = format!("-screen 0 {}x24", screen.unwrap_or("1440x900"));
        inner.extend(["xvfb-run".to_string(), "-a".into(), "-s".into(), spec]);
    }
    inner.push("npx".into());
    inner.extend(npx_args.iter().map(|s| s.to_string()));
    let mut c =
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            let mut c = Command::new("dbus-run-session");
            c.arg("--").args(&inner);
            c
        } else {
            let mut c = Command::new(&inner[0]);
            c.args(&inner[1..]);
            c
        };
    c.current_dir(repo().join("ui"));
    c
}

fn usage() -> ExitCode {
    eprintln!("用法：cargo xtask <run|test|bench|dist> [参数]\n  run    安装缺少的依赖，构建界面并启动民情通\n  test   运行全部测试，最后一行为“N passed, N failed”（test windows：只测 Windows 部分）\n  bench  运行性能基准，并更新 README 的性能表\n  dist   生成 Windows 安装程序和免安装版 zip（target/dist/）；--webview2 离线安装程序.exe 可把 WebView2 运行时一起打包");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(cmd) = args.next() else {
        return usage();
    };
    let rest: Vec<String> = args.collect();
    let ok = match cmd.as_str() {
        "run" => run(&rest),
        "test" if rest.first().map(String::as_str) == Some("windows") => test::windows_only(),
        "test" => test::all(),
        "bench" if rest.first().map(String::as_str) == Some("windows") => bench::windows_only(),
        "bench" => bench::all(),
        "dist" => windows::dist_command(&rest),
        _ => return usage(),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run(extra: &[String]) -> bool {
    if !system::ensure(system::Need::App)
        || !ui::ensure_node()
        || !ui::install()
        || !ui::build()
        || !build_app(false)
    {
        return false;
    }
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!("没有图形界面（DISPLAY 未设置），无法打开窗口。请在桌面环境中运行，或先启动 Xvfb 并设置 DISPLAY。");
        return false;
    }
    let exe = repo().join("target/debug").join(if cfg!(windows) {
        "minqing-app.exe"
    } else {
        "minqing-app"
    });
    run_in(&repo(), Command::new(exe).args(extra))
}
