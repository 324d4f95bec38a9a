//! System packages on Debian/Ubuntu: installed when missing (as root), otherwise the one
//! `apt-get install` line to run is printed and the command stops.

use std::process::Command;

pub enum Need {
    /// Building and running the desktop app.
    App,
    /// Also the E2E tests: a virtual display, Chinese fonts, the WebKit WebDriver.
    Tests,
    /// Also the benchmarks: a Python virtual environment for OR-Tools (the CP-SAT peer).
    Bench,
}

const APP: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libgtk-3-dev",
    "libwebkit2gtk-4.1-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libxdo-dev",
    "fonts-noto-cjk",
];
const TESTS: &[&str] = &[
    "xvfb",
    "xauth",
    "dbus",
    "webkit2gtk-driver",
    "git",
    // The district's workbooks are read back by openpyxl (a venv) and printed to PDF.
    "python3-venv",
    "libreoffice-calc",
    // The 情况通报 and the 典型案例汇编 (.docx) are printed to PDF too.
    "libreoffice-writer",
    "poppler-utils",
];
const BENCH: &[&str] = &["python3-venv"];

fn installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// True when everything needed is there (or was installed just now).
pub fn ensure(need: Need) -> bool {
    let mut wanted: Vec<&str> = APP.to_vec();
    if matches!(need, Need::Tests | Need::Bench) {
        wanted.extend_from_slice(TESTS);
    }
    if matches!(need, Need::Bench) {
        wanted.extend_from_slice(BENCH);
    }
    if !install(&wanted) {
        return false;
    }
    if matches!(need, Need::Tests | Need::Bench) && tauri_driver().is_none() {
        eprintln!("正在安装 tauri-driver（cargo install tauri-driver --locked）……");
        if !crate::run_in(
            &crate::repo(),
            crate::cargo().args(["install", "tauri-driver", "--locked"]),
        ) {
            return false;
        }
    }
    true
}

/// Installs the Debian packages of `wanted` that are missing (as root; otherwise prints the
/// one line to run).
pub fn install(wanted: &[&str]) -> bool {
    if !cfg!(target_os = "linux")
        || Command::new("dpkg-query")
            .arg("--version")
            .output()
            .is_err()
    {
        return true; // not Debian/Ubuntu: the README lists what to install by hand
    }
    let missing: Vec<&str> = wanted.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return true;
    }
    let line = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        eprintln!("缺少系统软件包。请以管理员身份运行：\n  sudo apt-get update && sudo {line}\n然后重新运行本命令。");
        return false;
    }
    eprintln!("正在安装缺少的系统软件包：{}", missing.join(" "));
    let env = [("DEBIAN_FRONTEND", "noninteractive")];
    let ok = update_package_lists(&env)
        && crate::run_in(
            &crate::repo(),
            Command::new("apt-get")
                .args(["install", "-y", "-q"])
                .args(&missing)
                .envs(env),
        );
    if !ok {
        eprintln!("安装系统软件包失败，请手动运行：{line}");
    }
    ok
}

/// `apt-get update`, tried three times: a Debian mirror caught mid-sync answers "File has
/// unexpected size" for a minute or two. When every try fails, the install still goes ahead
/// on the lists already there (it fails by itself if they do not have the packages).
fn update_package_lists(env: &[(&str, &str)]) -> bool {
    for attempt in 1..=3 {
        if crate::run_in(
            &crate::repo(),
            Command::new("apt-get")
                .args(["update", "-q"])
                .envs(env.iter().copied()),
        ) {
            return true;
        }
        if attempt < 3 {
            eprintln!(
                "apt-get update 未成功（软件源可能正在同步），{} 秒后重试……",
                30 * attempt
            );
            std::thread::sleep(std::time::Duration::from_secs(30 * attempt as u64));
        }
    }
    eprintln!("apt-get update 三次都未成功，用现有的软件包列表继续安装。");
    true
}

/// tauri-driver on PATH or in ~/.cargo/bin.
pub fn tauri_driver() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))?;
    let p = home.join("bin").join("tauri-driver");
    if p.exists() {
        return Some(p);
    }
    Command::new("tauri-driver")
        .arg("--help")
        .output()
        .ok()
        .map(|_| "tauri-driver".into())
}
