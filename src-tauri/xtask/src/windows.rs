//! Windows from this Linux machine: the cross-build (`x86_64-pc-windows-gnu`, Debian's
//! mingw-w64), `cargo xtask dist` (the NSIS installer and the portable zip in `target/dist/`),
//! and the Wine prefix the tests run the real executables in.
//!
//! Facts this rests on (see ARCHITECTURE.md): the app must be built with `custom-protocol` or it
//! loads the dev server; on the gnu target it imports `WebView2Loader.dll`, which tauri-build
//! copies beside it and which must ship beside the exe; the Tauri CLI's NSIS bundling needs a
//! download and a newer NSIS, so the installer comes from the project's own script
//! (`src-tauri/windows/installer.nsi`) and Debian's makensis; Debian's Wine 8.0 lacks
//! `bcryptprimitives.dll` (`ProcessPrng`, imported by Rust's std since 1.78), so the test prefix
//! gets a small stand-in built from `src-tauri/windows/wine/` (real Windows 10+ has the DLL).

use crate::{cargo, repo, run_in};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub const TARGET: &str = "x86_64-pc-windows-gnu";
/// What the app's exe is called on Windows (shortcuts, the zip, the installer).
pub const APP_EXE: &str = "民情通.exe";

/// The files `cargo xtask dist` made.
pub struct Dist {
    pub installer: PathBuf,
    pub zip: PathBuf,
    /// The unpacked contents (the app, the DLL, the CLI, the guide), as the zip holds them.
    pub stage: PathBuf,
    pub build_seconds: f64,
}

/// The workspace version (`[workspace.package] version`).
pub fn version() -> String {
    let text = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap_or_default();
    text.lines()
        .skip_while(|l| l.trim() != "[workspace.package]")
        .find_map(|l| {
            l.trim()
                .strip_prefix("version")
                .map(|v| v.trim_start_matches([' ', '=']).trim().trim_matches('"'))
        })
        .unwrap_or("0.0.0")
        .to_string()
}

/// The cross toolchain: mingw-w64 and NSIS (apt), the Rust target (rustup); with `wine`, also
/// Wine. 64-bit Wine alone: the exes and the installer (`Target amd64-unicode`) are 64-bit, so
/// no i386 architecture, whose Debian indexes lag behind amd64's (a security update published
/// for amd64 before i386 leaves `wine32:i386` uninstallable).
pub fn ensure(wine: bool) -> bool {
    let mut pkgs = vec!["mingw-w64", "nsis", "python3"];
    if wine {
        pkgs.extend(["wine", "wine64"]);
    }
    if !crate::system::install(&pkgs) {
        return false;
    }
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == TARGET)
        })
        .unwrap_or(false);
    installed
        || run_in(
            &repo(),
            Command::new("rustup").args(["target", "add", TARGET]),
        )
}

fn release_dir() -> PathBuf {
    target_dir().join(TARGET).join("release")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"))
}

/// The desktop app (UI embedded) and the CLI, release, for Windows. The UI must be built.
pub fn build() -> bool {
    run_in(
        &repo(),
        cargo().args([
            "build",
            "--release",
            "--target",
            TARGET,
            "-p",
            "minqing-core",
            "-p",
            "minqing-app",
            "--bins",
            "--features",
            "minqing-app/custom-protocol",
        ]),
    )
}

/// `cargo xtask dist [--webview2 MicrosoftEdgeWebView2RuntimeInstallerX64.exe]`.
pub fn dist_command(args: &[String]) -> bool {
    let mut webview2 = std::env::var_os("MINQING_WEBVIEW2_OFFLINE").map(PathBuf::from);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--webview2" => webview2 = it.next().map(PathBuf::from),
            other => {
                eprintln!("不认识的参数“{other}”。用法：cargo xtask dist [--webview2 WebView2离线安装程序.exe]");
                return false;
            }
        }
    }
    if let Some(w) = &webview2 {
        if !w.is_file() {
            eprintln!("找不到 WebView2 离线安装程序“{}”。", w.display());
            return false;
        }
    }
    match dist(webview2.as_deref()) {
        Some(d) => {
            for f in [&d.installer, &d.zip] {
                println!("{}  {}", f.display(), mib(size(f)));
            }
            println!("交叉编译用时 {:.0} 秒", d.build_seconds);
            true
        }
        None => false,
    }
}

pub fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

/// Builds everything and writes `target/dist/民情通_<version>_x64-setup.exe` and
/// `…_x64-portable.zip`.
pub fn dist(webview2: Option<&Path>) -> Option<Dist> {
    if !crate::system::ensure(crate::system::Need::App)
        || !ensure(false)
        || !crate::ui::ensure_node()
        || !crate::ui::install()
        || !crate::ui::build()
    {
        return None;
    }
    dist_built_ui(webview2)
}

/// [`dist`] once the UI is built and the tools are there (`cargo xtask test` has done both).
pub fn dist_built_ui(webview2: Option<&Path>) -> Option<Dist> {
    let started = Instant::now();
    if !build() {
        return None;
    }
    let build_seconds = started.elapsed().as_secs_f64();
    let version = version();
    let out = target_dir().join("dist");
    let stage = out.join(format!("民情通_{version}_x64-portable"));
    let _ = std::fs::remove_dir_all(&stage);
    if let Err(e) = std::fs::create_dir_all(&stage) {
        eprintln!("无法创建“{}”：{e}", stage.display());
        return None;
    }
    let rel = release_dir();
    for (from, to) in [
        ("minqing-app.exe", APP_EXE),
        ("WebView2Loader.dll", "WebView2Loader.dll"),
        ("minqing.exe", "minqing.exe"),
    ] {
        if let Err(e) = std::fs::copy(rel.join(from), stage.join(to)) {
            eprintln!("缺少“{}”：{e}", rel.join(from).display());
            return None;
        }
        // Symbols are for debugging here, not for the coordinators' download (a fifth of
        // the app); the version resource and the icon stay.
        if to.ends_with(".exe")
            && !run_in(
                &repo(),
                Command::new("x86_64-w64-mingw32-strip").arg(stage.join(to)),
            )
        {
            return None;
        }
    }
    let guide = match crate::guide::html(&repo().join("docs/使用说明.md")) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("无法生成使用说明：{e}");
            return None;
        }
    };
    let notes = portable_notes(&version);
    if std::fs::write(stage.join("使用说明.html"), guide).is_err()
        || std::fs::write(stage.join("说明.txt"), notes).is_err()
    {
        eprintln!("无法写入“{}”。", stage.display());
        return None;
    }

    let installer = out.join(format!("民情通_{version}_x64-setup.exe"));
    let mut nsis = Command::new("makensis");
    nsis.args(["-V2", "-INPUTCHARSET", "UTF8"])
        .arg(format!("-DVERSION={version}"))
        .arg(format!("-DSTAGE={}", stage.display()))
        .arg(format!("-DOUTFILE={}", installer.display()))
        .arg(format!(
            "-DICON={}",
            repo().join("src-tauri/icons/icon.ico").display()
        ));
    if let Some(w) = webview2 {
        nsis.arg(format!("-DWEBVIEW2={}", w.display()));
    }
    nsis.arg(repo().join("src-tauri/windows/installer.nsi"));
    let _ = std::fs::remove_file(&installer);
    if !run_in(&repo(), &mut nsis) {
        eprintln!("makensis 失败。");
        return None;
    }

    let zip = out.join(format!("民情通_{version}_x64-portable.zip"));
    let _ = std::fs::remove_file(&zip);
    // Python's zipfile marks non-ASCII names as UTF-8 (flag bit 11), which Windows' own
    // 解压 and 7-Zip/Bandizip read correctly.
    let script = "import os, sys, zipfile\n\
        src, dst = sys.argv[1], sys.argv[2]\n\
        base = os.path.dirname(src)\n\
        with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n\
        \x20   for root, _, files in os.walk(src):\n\
        \x20       for f in sorted(files):\n\
        \x20           p = os.path.join(root, f)\n\
        \x20           z.write(p, os.path.relpath(p, base))\n";
    if !run_in(
        &repo(),
        Command::new("python3")
            .args(["-c", script])
            .arg(&stage)
            .arg(&zip),
    ) {
        return None;
    }
    Some(Dist {
        installer,
        zip,
        stage,
        build_seconds,
    })
}

/// 说明.txt of the portable zip: UTF-8 with a byte-order mark and CRLF, so every Notepad
/// shows it right.
fn portable_notes(version: &str) -> Vec<u8> {
    let text = format!(
        "民情通 {version}（免安装版）\n\
        \n\
        双击“民情通.exe”打开程序。不需要管理员权限，不需要联网。\n\
        \n\
        本文件夹里的文件：\n\
        - 民情通.exe          桌面程序\n\
        - WebView2Loader.dll  桌面程序需要的组件，请和 民情通.exe 放在一起\n\
        - minqing.exe         命令行工具（备份、导出、区级汇总），在命令提示符中运行 minqing --help 查看用法\n\
        - 使用说明.html       使用说明（用浏览器打开）\n\
        \n\
        数据保存在 %APPDATA%\\org.minqing.desktop\\ 文件夹（minqing.db 是全部数据，backups 是自动备份），\n\
        与安装版相同：换用安装版或新版本时数据都会保留。\n\
        \n\
        如果双击后提示缺少 WebView2：请在能上网的电脑上下载“WebView2 运行时独立安装程序（x64）”\n\
        https://go.microsoft.com/fwlink/p/?LinkId=2124703 ，拷到本机运行后再打开民情通。\n"
    );
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend(text.replace('\n', "\r\n").into_bytes());
    out
}

/// A Wine prefix for the tests under `target/wine/prefix`: booted once, the stand-in
/// `bcryptprimitives.dll` in system32, and its Desktop/Documents as real folders inside the
/// prefix (Wine links them to the Linux home by default).
pub fn wine_prefix() -> Option<PathBuf> {
    let prefix = target_dir().join("wine/prefix");
    let sys32 = prefix.join("drive_c/windows/system32");
    let env = wine_env(&prefix);
    if !booted(&prefix) && !boot_prefix(&prefix, &env) {
        return None;
    }
    let dll = sys32.join("bcryptprimitives.dll");
    if !dll.exists() {
        let src = repo().join("src-tauri/windows/wine");
        if !run_in(
            &repo(),
            Command::new("x86_64-w64-mingw32-gcc")
                .args(["-shared", "-O2", "-o"])
                .arg(&dll)
                .arg(src.join("bcryptprimitives.c"))
                .arg(src.join("bcryptprimitives.def"))
                .arg("-ladvapi32"),
        ) {
            eprintln!("无法编译 bcryptprimitives.dll 的测试替身。");
            return None;
        }
    }
    let users = prefix.join("drive_c/users");
    if let Ok(entries) = std::fs::read_dir(&users) {
        for user in entries.flatten() {
            for folder in [
                "Desktop",
                "Documents",
                "Downloads",
                "Music",
                "Pictures",
                "Videos",
            ] {
                let p = user.path().join(folder);
                if p.is_symlink() {
                    let _ = std::fs::remove_file(&p);
                    let _ = std::fs::create_dir_all(&p);
                }
            }
        }
    }
    Some(prefix)
}

/// A prefix Wine has finished booting: its system32 has kernel32.dll.
fn booted(prefix: &Path) -> bool {
    prefix
        .join("drive_c/windows/system32/kernel32.dll")
        .exists()
}

/// Boots a fresh prefix. A boot that fails leaves a prefix Wine cannot start from again
/// ("could not load kernel32.dll"): it is removed and booted once more. Wine's own messages go
/// to `target/wine/wineboot.log`, and their end is shown when both boots fail, with the free disk
/// space (a full disk is how a fresh clone's run failed here: the prefix needs about 1 GB).
fn boot_prefix(prefix: &Path, env: &[(String, String)]) -> bool {
    let log = target_dir().join("wine/wineboot.log");
    for attempt in 1..=2 {
        let _ = Command::new("wineserver")
            .arg("-k")
            .envs(env.iter().cloned())
            .status();
        let _ = std::fs::remove_dir_all(prefix);
        let _ = std::fs::create_dir_all(prefix);
        let Ok((out, err)) = std::fs::File::create(&log).and_then(|f| Ok((f.try_clone()?, f)))
        else {
            eprintln!("无法写入 {}。", log.display());
            return false;
        };
        let ok = run_in(
            &repo(),
            Command::new("wineboot")
                .arg("-i")
                .envs(env.iter().cloned())
                .env("WINEDEBUG", "err+all")
                .stdout(out)
                .stderr(err),
        );
        // wineboot returns before wineserver has written everything.
        let _ = Command::new("wineserver")
            .arg("-w")
            .envs(env.iter().cloned())
            .status();
        if ok && booted(prefix) {
            return true;
        }
        eprintln!("第 {attempt} 次准备 Wine 环境失败（wineboot -i）。");
    }
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    eprintln!("Wine 的输出（最后 20 行，全文在 {}）：", log.display());
    for line in &lines[lines.len().saturating_sub(20)..] {
        eprintln!("  {line}");
    }
    if let Some(free) = crate::free_bytes(prefix) {
        eprintln!(
            "{} 所在磁盘还剩 {:.1} GB。",
            prefix.display(),
            free as f64 / 1e9
        );
    }
    eprintln!("wineboot 失败，无法准备 Wine 环境。");
    false
}

/// The environment every Wine command of the tests gets.
pub fn wine_env(prefix: &Path) -> Vec<(String, String)> {
    vec![
        ("WINEPREFIX".into(), prefix.display().to_string()),
        ("WINEDEBUG".into(), "-all".into()),
        ("WINEDLLOVERRIDES".into(), "mscoree,mshtml=".into()),
        // Wine maps Windows file names to Unix ones in the Unix locale's charset: a locale that
        // is not installed (zh_CN.UTF-8 on a fresh Debian) falls back to ASCII, and every file
        // with a Chinese name is "not found". C.UTF-8 is always there.
        ("LC_ALL".into(), "C.UTF-8".into()),
    ]
}

/// A small Windows program for the tests that holds a file open the way Excel does (no
/// sharing) until a second file appears: Windows' sharing rules, reproduced by Wine.
pub fn hold_open_exe() -> Option<PathBuf> {
    let exe = target_dir().join("wine/holdopen.exe");
    let src = repo().join("src-tauri/windows/wine/holdopen.c");
    let fresh = std::fs::metadata(&exe)
        .and_then(|m| m.modified())
        .ok()
        .zip(std::fs::metadata(&src).and_then(|m| m.modified()).ok())
        .is_some_and(|(e, s)| e >= s);
    if fresh
        || run_in(
            &repo(),
            Command::new("x86_64-w64-mingw32-gcc")
                .args(["-O2", "-municode", "-o"])
                .arg(&exe)
                .arg(&src),
        )
    {
        Some(exe)
    } else {
        None
    }
}
