//! Windows journeys: the real cross-built `minqing.exe` and the real installer, run under Wine
//! by `cargo xtask test` (which builds them and sets the variables below). A coordinator's paths
//! are Windows paths with Chinese characters and spaces, a U盘 is a drive letter, Excel holds
//! the workbook it shows, and the data folder is the user's own — these tests use all of that.
//!
//! Ignored under a plain `cargo test`: they need `MINQING_WINE_PREFIX` (a booted Wine prefix
//! with the test stand-in for bcryptprimitives.dll), `MINQING_WINE_CLI` (minqing.exe),
//! `MINQING_WINE_HOLDOPEN` (a helper holding a file open as Excel does) and
//! `MINQING_WINE_INSTALLER` (民情通_<version>_x64-setup.exe).

mod common;
use common::sheets::{csv_gbk, plain_roster, xlsx};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

struct Wine {
    prefix: PathBuf,
    /// `drive_c/users/<name>`: the user Wine runs the programs as.
    user: PathBuf,
    cli: PathBuf,
}

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(name).unwrap_or_else(|| {
        panic!("{name} is not set: these tests run under Wine through `cargo xtask test`")
    }))
}

impl Wine {
    fn new() -> Wine {
        let prefix = env_path("MINQING_WINE_PREFIX");
        let users = prefix.join("drive_c/users");
        let user = std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public"))
            .expect("a user folder in the Wine prefix");
        Wine {
            prefix,
            user,
            cli: env_path("MINQING_WINE_CLI"),
        }
    }

    fn command(&self, exe: &Path) -> Command {
        let mut c = Command::new("wine");
        c.arg(exe)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            // File names are mapped through the Unix locale: C.UTF-8 is always installed.
            .env("LC_ALL", "C.UTF-8")
            .env_remove("MINQING_DB")
            .env_remove("MINQING_DATA_DIR")
            .env_remove("DISPLAY");
        c
    }

    /// `minqing.exe ARGS…` as a Windows program; stdout and stderr are pipes.
    fn minqing(&self, args: &[&str]) -> Output {
        self.run(&self.cli, args)
    }

    fn run(&self, exe: &Path, args: &[&str]) -> Output {
        self.command(exe)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run wine")
    }

    /// A new folder in the user's 文档 (Documents), named as a coordinator would.
    fn documents(&self, name: &str) -> PathBuf {
        let p = self.user.join("Documents").join(name);
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// The Windows spelling of a path inside the prefix: `C:\users\…`.
    fn win(&self, p: &Path) -> String {
        let rel = p
            .strip_prefix(self.prefix.join("drive_c"))
            .unwrap_or_else(|_| panic!("{} is not inside drive_c", p.display()));
        format!("C:\\{}", rel.to_string_lossy().replace('/', "\\"))
    }

    /// A U盘: a folder of this machine given a drive letter in the prefix.
    fn usb_drive(&self, letter: char, folder: &Path) -> String {
        std::fs::create_dir_all(folder).unwrap();
        let link = self.prefix.join(format!("dosdevices/{letter}:"));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(folder, &link).unwrap();
        format!("{}:\\", letter.to_ascii_uppercase())
    }
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone())
        .unwrap_or_else(|_| panic!("stdout is not UTF-8: {:?}", o.stdout))
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone())
        .unwrap_or_else(|_| panic!("stderr is not UTF-8: {:?}", o.stderr))
}

fn ok(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        out(o),
        err(o)
    );
    serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A roster the way a village sends it: GBK, CRLF, as Chinese Excel saves a .csv.
fn gbk_roster(path: &Path, n: usize) {
    let mut text = String::from("户主姓名,身份证号,村,组,联系电话\n");
    for i in 0..n {
        let first17 = format!("3213021968{:02}{:02}{:03}", 1 + i % 12, 1 + i % 28, 100 + i);
        text.push_str(&format!(
            "王{},{},黄河村,{}组,1391234{:04}\n",
            ["建国", "秀英", "德明", "桂兰"][i % 4],
            common::sheets::id(&first17),
            1 + i % 3,
            i
        ));
    }
    csv_gbk(path, &text);
}

#[test]
#[ignore = "runs minqing.exe under Wine: cargo xtask test"]
fn a_coordinator_imports_backs_up_and_restores_in_chinese_folders_with_spaces() {
    let w = Wine::new();
    let data = w.documents("民情 数据 一");
    let rosters = w.documents("花名册 2026年");
    let db = w.win(&data.join("minqing.db"));
    gbk_roster(&rosters.join("黄河村 花名册.csv"), 40);
    xlsx(
        &rosters.join("新河村 花名册.xlsx"),
        &[plain_roster(30, "李明", "197", "137")],
    );

    // Import backs up first: on Windows that backup used to fail and so did every import.
    let csv = w.win(&rosters.join("黄河村 花名册.csv"));
    let r = ok(&w.minqing(&[
        "--db",
        &db,
        "--json",
        "import",
        "households",
        &csv,
        "--create-missing",
    ]));
    assert_eq!(r["imported"], 40, "{r}");
    let xl = w.win(&rosters.join("新河村 花名册.xlsx"));
    let r = ok(&w.minqing(&[
        "--db",
        &db,
        "--json",
        "import",
        "households",
        &xl,
        "--create-missing",
    ]));
    assert_eq!(r["imported"], 30, "{r}");
    let backups = names(&data.join("backups"));
    assert_eq!(
        backups
            .iter()
            .filter(|n| n.starts_with("minqing-before-import-") && n.ends_with(".db"))
            .count(),
        2,
        "{backups:?}"
    );
    assert!(
        !backups.iter().any(|n| n.contains("partial")),
        "{backups:?}"
    );

    // Text on a pipe is UTF-8 Chinese.
    let stats = w.minqing(&["--db", &db, "stats"]);
    ok(&stats);
    assert!(out(&stats).contains("黄河村"), "{}", out(&stats));

    // 立即备份, and 备份到U盘 on a drive letter.
    let manual = ok(&w.minqing(&["--db", &db, "--json", "backup", "create"]));
    assert_eq!(manual["households"], 70, "{manual}");
    // Emptied first, as every folder of these journeys: a second run in the same prefix
    // found the first run's backup there.
    let usb_root = w.documents("U盘 模拟");
    let e = w.usb_drive('e', &usb_root);
    let to = format!("{e}民情通备份");
    let usb = ok(&w.minqing(&["--db", &db, "--json", "backup", "create", "--to", &to]));
    assert_eq!(usb["households"], 70);
    let on_usb = names(&usb_root.join("民情通备份"));
    assert_eq!(on_usb.len(), 1, "{on_usb:?}");
    let listed = ok(&w.minqing(&["--json", "backup", "list", "--dir", &to]));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let usb_file = format!("{to}\\{}", on_usb[0]);
    let verified = ok(&w.minqing(&["--json", "backup", "verify", &usb_file]));
    assert_eq!(verified["households"], 70);

    // A household added after the backup is gone once the backup is restored; what was
    // replaced is kept as a 恢复前的备份.
    ok(&w.minqing(&[
        "--db",
        &db,
        "household",
        "add",
        "--village",
        "黄河村",
        "--group",
        "一组",
        "--name",
        "赵六",
        "--id",
        "11010519491231002X",
    ]));
    let restored = ok(&w.minqing(&["--db", &db, "--json", "backup", "restore", &usb_file]));
    assert_eq!(restored["restored"]["households"], 70, "{restored}");
    assert!(names(&data.join("backups"))
        .iter()
        .any(|n| n.starts_with("minqing-before-restore-")));
    let stats = ok(&w.minqing(&["--db", &db, "--json", "stats"]));
    assert_eq!(stats["households"], 70, "{stats}");

    // A damaged file is set aside untouched and the newest good backup takes its place.
    let file = data.join("minqing.db");
    let mut bytes = std::fs::read(&file).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 2..len / 2 + 8192] {
        *b = 0x5A;
    }
    bytes[..16].copy_from_slice(b"not a database!!");
    std::fs::write(&file, &bytes).unwrap();
    let refused = w.minqing(&["--db", &db, "check"]);
    assert_eq!(refused.status.code(), Some(1), "{}", err(&refused));
    assert!(err(&refused).contains("损坏"), "{}", err(&refused));
    ok(&w.minqing(&["--db", &db, "--json", "backup", "recover"]));
    let aside: Vec<String> = names(&data)
        .into_iter()
        .filter(|n| n.starts_with("minqing.db.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", names(&data));
    assert_eq!(std::fs::read(data.join(&aside[0])).unwrap(), bytes);
    let checked = w.minqing(&["--db", &db, "check"]);
    ok(&checked);
}

#[test]
#[ignore = "runs minqing.exe under Wine: cargo xtask test"]
fn three_townships_export_and_the_district_merges_them_on_windows_paths() {
    let w = Wine::new();
    let root = w.documents("区里 汇总");
    let mut files = Vec::new();
    for (i, town) in ["龙河镇", "耿车镇", "洋北镇"].iter().enumerate() {
        let db = w.win(&root.join(format!("{town}.db")));
        ok(&w.minqing(&[
            "--db",
            &db,
            "--today",
            "2026-11-30",
            "demo",
            "--households",
            "400",
            "--seed",
            &(i + 1).to_string(),
            "--township",
            town,
            "--activity",
            "30",
        ]));
        let folder = root.join(format!("{town} 报表"));
        let r = ok(&w.minqing(&[
            "--db",
            &db,
            "--today",
            "2026-11-30",
            "--json",
            "export",
            "all",
            "--out",
            &w.win(&folder),
        ]));
        assert!(r.to_string().contains("走访情况统计表"), "{r}");
        let stats = names(&folder)
            .into_iter()
            .find(|n| n.contains("走访情况统计表"))
            .expect("the visit statistics");
        files.push(w.win(&folder.join(stats)));
    }
    let merged = root.join("全区 汇总").join("区级汇总.xlsx");
    let mut args: Vec<&str> = vec!["--json", "merge"];
    args.extend(files.iter().map(String::as_str));
    let out_arg = w.win(&merged);
    args.extend(["--out", &out_arg]);
    let r = ok(&w.minqing(&args));
    assert!(merged.is_file(), "{r}");
    let text = common::xlsx_text(&merged);
    for town in ["龙河镇", "耿车镇", "洋北镇"] {
        assert!(
            text.contains(town),
            "{town} missing from the merged workbook"
        );
    }

    // Without --out a report goes to 文档\民情通导出 (the Documents known folder).
    let db = w.win(&root.join("龙河镇.db"));
    let exports = w.user.join("Documents/民情通导出");
    let _ = std::fs::remove_dir_all(&exports);
    ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "export",
        "visit-stats",
    ]));
    assert!(
        names(&exports).iter().any(|n| n.contains("走访情况统计表")),
        "{:?}",
        names(&exports)
    );

    // The 情况通报 (.docx) to 文档\民情通导出 too; the 典型案例汇编 and its list into a folder
    // with a space.
    let r = ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "--json",
        "export",
        "bulletin",
    ]));
    let bulletin = names(&exports)
        .into_iter()
        .find(|n| n.ends_with("情况通报_2026年11月.docx"))
        .unwrap_or_else(|| panic!("{r} {:?}", names(&exports)));
    let xml = docx_xml(&exports.join(bulletin));
    assert!(
        xml.contains("关于2026年11月“三解三促”活动开展情况的通报"),
        "the title is in the document"
    );
    let book = root.join("典型 汇编").join("典型案例汇编.docx");
    let r = ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "--json",
        "export",
        "cases",
        "--out",
        &w.win(&book),
    ]));
    assert!(
        book.is_file() && book.with_extension("xlsx").is_file(),
        "{r}"
    );
    assert!(docx_xml(&book).contains("先进典型案例汇编"));

    // A folder deeper than Windows' old 260-character limit.
    let mut deep = root.clone();
    while w.win(&deep).chars().count() < 280 {
        deep = deep.join("很深的文件夹名称用来测试超过二百六十个字符的路径");
    }
    std::fs::create_dir_all(&deep).unwrap();
    let long = format!("{}\\走访情况统计表.xlsx", w.win(&deep));
    ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "export",
        "visit-stats",
        "--out",
        &long,
    ]));
    assert!(deep.join("走访情况统计表.xlsx").is_file());
    let r = ok(&w.minqing(&[
        "--db",
        &db,
        "--json",
        "backup",
        "create",
        "--to",
        &w.win(&deep),
    ]));
    assert_eq!(r["households"], 400, "{r}");

    // A device name Windows reserves is refused with what to do, not written to the console.
    let con = format!("{}\\CON.xlsx", w.win(&root));
    let refused = w.minqing(&["--db", &db, "export", "visit-stats", "--out", &con]);
    assert_eq!(refused.status.code(), Some(1), "{}", err(&refused));
    assert!(err(&refused).contains("保留"), "{}", err(&refused));
}

/// Starts the helper holding `file` as Excel does; returns it with the file that releases it.
fn hold_open(w: &Wine, file: &Path) -> (std::process::Child, PathBuf) {
    use std::io::BufRead;
    let release = file.with_extension("release");
    let _ = std::fs::remove_file(&release);
    let mut child = w
        .command(&env_path("MINQING_WINE_HOLDOPEN"))
        .arg(w.win(file))
        .arg(w.win(&release))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "READY");
    (child, release)
}

#[test]
#[ignore = "runs minqing.exe under Wine: cargo xtask test"]
fn a_workbook_or_database_held_open_by_another_program_is_named_and_left_alone() {
    let w = Wine::new();
    let dir = w.documents("占用 测试");
    let db = w.win(&dir.join("minqing.db"));
    ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "demo",
        "--households",
        "300",
    ]));
    let report = dir.join("走访情况统计表.xlsx");
    ok(&w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "export",
        "visit-stats",
        "--out",
        &w.win(&report),
    ]));
    let before = std::fs::read(&report).unwrap();

    let (mut excel, release) = hold_open(&w, &report);
    let o = w.minqing(&[
        "--db",
        &db,
        "--today",
        "2026-11-30",
        "export",
        "visit-stats",
        "--out",
        &w.win(&report),
    ]);
    std::fs::write(&release, b"").unwrap();
    excel.wait().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(
        err(&o).contains("Excel") && err(&o).contains("关闭"),
        "{}",
        err(&o)
    );
    assert!(!err(&o).contains("os error"), "{}", err(&o));
    assert_eq!(
        std::fs::read(&report).unwrap(),
        before,
        "the open file was changed"
    );
    assert_eq!(
        names(&dir).iter().filter(|n| n.ends_with(".tmp")).count(),
        0,
        "{:?}",
        names(&dir)
    );

    // The database itself, held by another program: the user is told, nothing is touched.
    let file = dir.join("minqing.db");
    let (mut other, release) = hold_open(&w, &file);
    let o = w.minqing(&["--db", &db, "stats"]);
    std::fs::write(&release, b"").unwrap();
    other.wait().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("占用"), "{}", err(&o));
}

/// UTF-16LE of `s`, as a version resource stores its strings.
fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
#[ignore = "runs the installer under Wine: cargo xtask test"]
fn the_installer_installs_per_user_keeps_the_data_over_an_upgrade_and_on_uninstall() {
    let w = Wine::new();
    let installer = env_path("MINQING_WINE_INSTALLER");
    let install_dir = w.user.join("AppData/Local/Programs/民情通");
    let data = w.user.join("AppData/Roaming/org.minqing.desktop");
    let start_menu = w
        .user
        .join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/民情通");
    let desktop = w.user.join("Desktop");
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&install_dir);

    // Silent install, as a user without administrator rights (the installer asks for none).
    let o = w.run(&installer, &["/S"]);
    assert!(o.status.success(), "installer exit {:?}", o.status.code());
    for f in [
        "民情通.exe",
        "WebView2Loader.dll",
        "minqing.exe",
        "使用说明.html",
        "uninstall.exe",
    ] {
        assert!(
            install_dir.join(f).is_file(),
            "{f} not installed: {:?}",
            names(&install_dir)
        );
    }
    assert!(
        start_menu.join("民情通.lnk").is_file(),
        "{:?}",
        names(&start_menu)
    );
    assert!(
        desktop.join("民情通.lnk").is_file(),
        "{:?}",
        names(&desktop)
    );
    let reg = w.run(
        Path::new("reg"),
        &[
            "query",
            "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\org.minqing.desktop",
        ],
    );
    let reg_text = String::from_utf8_lossy(&reg.stdout).into_owned();
    assert!(
        reg_text.contains("DisplayName") && reg_text.contains("uninstall.exe"),
        "{reg_text}"
    );

    // The app carries its name, version and icon.
    let exe = std::fs::read(install_dir.join("民情通.exe")).unwrap();
    for s in [
        "ProductName",
        "民情通",
        "FileDescription",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(contains(&exe, &utf16(s)), "version resource lacks {s}");
    }
    let icon =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../icons/icon.ico")).unwrap();
    // The first image of the .ico (after its 6-byte header and 16-byte entries) is embedded.
    let count = u16::from_le_bytes([icon[4], icon[5]]) as usize;
    let first = u32::from_le_bytes(icon[18..22].try_into().unwrap()) as usize;
    let at = 6 + 16 * count;
    assert!(
        contains(&exe, &icon[at..at + first.min(64)]),
        "icon not embedded"
    );

    // The installed CLI works on the user's own data folder (%APPDATA%\org.minqing.desktop).
    let cli = install_dir.join("minqing.exe");
    ok(&w.run(
        &cli,
        &["--today", "2026-11-30", "demo", "--households", "300"],
    ));
    assert!(data.join("minqing.db").is_file(), "{:?}", names(&data));

    // Installing again (an update) keeps the data.
    let o = w.run(&installer, &["/S"]);
    assert!(o.status.success());
    let stats = ok(&w.run(&cli, &["--json", "stats"]));
    assert_eq!(stats["householdsAll"], 300, "{stats}");

    // A database from an older version is upgraded by the new one, after a backup.
    for side in ["minqing.db", "minqing.db-wal", "minqing.db-shm"] {
        let _ = std::fs::remove_file(data.join(side));
    }
    {
        let mut c = rusqlite::Connection::open(data.join("minqing.db")).unwrap();
        minqing_core::db::migrations::migrate_to(&mut c, 1).unwrap();
        c.execute_batch(
            "INSERT INTO villages (id, name, kind, sort_order, created_at) VALUES (1, '黄河村', '村', 1, '2026-01-01 08:00:00');",
        )
        .unwrap();
    }
    ok(&w.run(&cli, &["check"]));
    assert!(
        names(&data.join("backups"))
            .iter()
            .any(|n| n.starts_with("before-upgrade-v1-")),
        "{:?}",
        names(&data.join("backups"))
    );
    let villages = w.run(&cli, &["village", "list"]);
    assert!(out(&villages).contains("黄河村"), "{}", out(&villages));

    // Uninstall (silent): the program, shortcuts and 应用和功能 entry go; the data stays.
    let o = w.run(&install_dir.join("uninstall.exe"), &["/S"]);
    assert!(o.status.success());
    wait_until("the uninstaller removes the program", || {
        !install_dir.join("民情通.exe").exists() && !desktop.join("民情通.lnk").exists()
    });
    assert!(!start_menu.join("民情通.lnk").exists());
    let reg = w.run(
        Path::new("reg"),
        &[
            "query",
            "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\org.minqing.desktop",
        ],
    );
    assert!(!reg.status.success(), "the 应用和功能 entry is still there");
    assert!(data.join("minqing.db").is_file(), "the data was removed");
    assert!(data.join("backups").is_dir());
}

/// The text of a Word document's body (word/document.xml).
fn docx_xml(path: &std::path::Path) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}
