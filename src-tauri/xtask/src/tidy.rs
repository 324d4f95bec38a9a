//! Tidy checks in the manner of rust-analyzer's: rules about the repository itself, run by
//! `cargo test` (so by `cargo xtask test`). Each failure says which file breaks which rule and
//! what to do.

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::process::Command;

    fn repo() -> PathBuf {
        crate::repo()
    }

    /// The tracked files (the generated bindings and the shipped migrations excepted where a
    /// rule says so).
    fn tracked() -> Vec<String> {
        let out = Command::new("git")
            .args(["ls-files"])
            .current_dir(repo())
            .output()
            .expect("git ls-files");
        assert!(out.status.success(), "git ls-files failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn text_of(path: &str) -> Option<String> {
        std::fs::read_to_string(repo().join(path)).ok()
    }

    /// A reader of the repository has only the repository: the rules the code cites are in
    /// docs/DOMAIN.md, never in documents beside it. Shipped migrations are frozen (their SQL
    /// is part of the schema's history) and keep their old comments.
    #[test]
    fn no_reference_to_documents_outside_the_repository() {
        let mut bad = Vec::new();
        for f in tracked() {
            // The migrations are frozen; this file names what it looks for.
            if f.starts_with("src-tauri/core/src/db/migrations/")
                || f.ends_with("xtask/src/tidy.rs")
            {
                continue;
            }
            let Some(text) = text_of(&f) else { continue };
            for (i, line) in text.lines().enumerate() {
                let outside = line.contains("../shared")
                    || ["DOMAIN.md", "DESIGN.md", "STYLE.md"].iter().any(|doc| {
                        line.match_indices(doc)
                            .any(|(at, _)| !line[..at].ends_with("docs/"))
                    });
                if outside {
                    bad.push(format!("{f}:{}: {}", i + 1, line.trim()));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "these lines cite documents a reader of the repository does not have; bring what \
             the code needs into docs/DOMAIN.md and cite that:\n{}",
            bad.join("\n")
        );
    }

    /// A function with more than seven parameters takes a context struct instead; clippy's
    /// lint is not switched off for one.
    #[test]
    fn no_function_silences_too_many_arguments() {
        let lint = ["too_many", "_arguments"].concat();
        let bad: Vec<String> = tracked()
            .into_iter()
            .filter(|f| f.ends_with(".rs"))
            .filter_map(|f| {
                let text = text_of(&f)?;
                text.lines()
                    .position(|l| l.contains("allow(") && l.contains(&lint))
                    .map(|i| format!("{f}:{}", i + 1))
            })
            .collect();
        assert!(
            bad.is_empty(),
            "these silence clippy's {lint}: group the parameters into a struct:\n{}",
            bad.join("\n")
        );
    }

    /// Source files stay small enough to read: 900 lines for code, 1,200 for a test file. No
    /// file is excepted: one that grows past its budget is split along its seams.
    #[test]
    fn files_stay_within_their_length_budget() {
        let mut bad = Vec::new();
        for f in tracked() {
            let code = f.ends_with(".rs") || f.ends_with(".ts") || f.ends_with(".vue");
            if !code || f.starts_with("ui/src/bindings/") {
                continue;
            }
            let Some(text) = text_of(&f) else { continue };
            let lines = text.lines().count();
            let test = f.contains("/tests/") || f.contains("/e2e/") || f.ends_with(".test.ts");
            let budget = if test { 1200 } else { 900 };
            if lines > budget {
                bad.push(format!("{f}: {lines} lines, budget {budget}"));
            }
        }
        assert!(
            bad.is_empty(),
            "split these files along their seams (see ARCHITECTURE.md):\n{}",
            bad.join("\n")
        );
    }

    /// The core's top-level modules, lowest first. A module may use only modules in layers
    /// below its own (ARCHITECTURE.md, "The core's layers"); its own `#[cfg(test)] mod tests`
    /// may use anything. `crate::Store` counts as `db`, `crate::{Error, Result}` as `error`.
    const LAYERS: &[&[&str]] = &[
        &["error"],
        &["text_enum", "validate", "names", "paths"],
        &["privacy", "paging"],
        &["db", "logfile"],
        &["calendar"],
        &["audit"],
        &["register"],
        &["requests"],
        &["cases"],
        &["plan"],
        &["diary"],
        &["stats"],
        &["report"],
        &["roster"],
        &["demo", "status"],
    ];

    fn layer_of(module: &str) -> Option<usize> {
        LAYERS.iter().position(|l| l.contains(&module))
    }

    /// The top-level modules a source text names through `crate::`, with the line of each.
    fn crate_uses(text: &str) -> Vec<(String, usize)> {
        // Code only: the unit tests at the end and comments are left out.
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(i) => &text[..i],
            None => text,
        };
        let mut out = Vec::new();
        for (i, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            let mut rest = line;
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                    // `crate::{a, b::c}` on one line; a group over several lines names its
                    // first module on this one, which is enough to place the file.
                    let end = group.find('}').unwrap_or(group.len());
                    group[..end]
                        .split(',')
                        .map(|n| n.trim().split("::").next().unwrap_or(""))
                        .collect()
                } else {
                    vec![rest
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()
                        .unwrap_or("")]
                };
                for n in names {
                    let n = match n {
                        "Store" => "db",
                        "Error" | "Result" | "ErrorPayload" => "error",
                        other => other,
                    };
                    if !n.is_empty() {
                        out.push((n.to_string(), i + 1));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn core_modules_use_only_lower_layers() {
        let src = "src-tauri/core/src/";
        let mut bad = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for f in tracked() {
            let Some(rel) = f.strip_prefix(src) else {
                continue;
            };
            if !f.ends_with(".rs") || rel == "lib.rs" || rel.starts_with("bin/") {
                continue;
            }
            let module = rel.split(['/', '.']).next().unwrap_or("");
            seen.insert(module.to_string());
            let Some(own) = layer_of(module) else {
                bad.push(format!(
                    "{f}: the module `{module}` has no layer; add it to LAYERS in xtask/src/tidy.rs and to ARCHITECTURE.md"
                ));
                continue;
            };
            let Some(text) = text_of(&f) else { continue };
            for (used, line) in crate_uses(&text) {
                if used == module {
                    continue;
                }
                if let Some(l) = layer_of(&used) {
                    if l >= own {
                        bad.push(format!(
                            "{f}:{line}: `{module}` uses `{used}`, which is not below it"
                        ));
                    }
                }
            }
        }
        assert!(
            seen.len() > 10,
            "found only {} core modules: is {src} still where the core lives?",
            seen.len()
        );
        assert!(
            bad.is_empty(),
            "the core's modules depend downwards only (ARCHITECTURE.md, \"The core's layers\"); \
             move the shared thing below both, or the code up:\n{}",
            bad.join("\n")
        );
    }

    #[test]
    fn the_layer_rule_reads_grouped_and_plain_paths() {
        let text = "use crate::db::Store;\nuse crate::{register::x, Result};\n// crate::report\nfn f() { crate::stats::figure_text(None); }\n#[cfg(test)]\nmod tests {\n    use crate::report;\n}\n";
        let names: Vec<String> = crate_uses(text).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["db", "register", "error", "stats"]);
    }
}
