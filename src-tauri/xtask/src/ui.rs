//! The Vue front end: Node check, `npm ci` when needed, the production build.

use std::process::Command;

fn npm() -> Command {
    Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
}

/// Node 20.19+ or 22.12+ (what Vite 8 needs).
pub fn ensure_node() -> bool {
    let version = Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let ok = version.as_deref().and_then(|v| {
        let mut it = v
            .trim_start_matches('v')
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        Some((it.next()?, it.next()?))
    });
    match ok {
        Some((major, minor))
            if (major == 20 && minor >= 19) || (major == 22 && minor >= 12) || major > 22 =>
        {
            true
        }
        _ => {
            eprintln!(
                "需要 Node.js 20.19 以上（或 22.12 以上），当前：{}。请从 https://nodejs.org 或 NodeSource 安装后重试。",
                version.unwrap_or_else(|| "未安装".into())
            );
            false
        }
    }
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
pub fn install() -> bool {
    let ui = crate::repo().join("ui");
    let lock = ui.join("package-lock.json");
    let stamp = ui.join("node_modules/.package-lock.json");
    let fresh = match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&stamp).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(s)) => s >= l,
        _ => false,
    };
    fresh || crate::run_in(&ui, npm().args(["ci", "--no-audit", "--no-fund"]))
}

/// Type-check and build into ui/dist, which the desktop app embeds.
pub fn build() -> bool {
    crate::run_in(&crate::repo().join("ui"), npm().args(["run", "build"]))
}

/// ESLint on `ui/` (eslint.config.js: JavaScript, TypeScript and eslint-plugin-vue's
/// recommended rules); a warning fails like an error.
pub fn lint() -> bool {
    crate::run_in(&crate::repo().join("ui"), npm().args(["run", "lint"]))
}

pub fn npx(args: &[&str]) -> Command {
    let mut c = Command::new(if cfg!(windows) { "npx.cmd" } else { "npx" });
    c.args(args);
    c
}
