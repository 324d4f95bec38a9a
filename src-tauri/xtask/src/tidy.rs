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

    /// Source files stay small enough to read: 900 lines for code, 1,200 for a test file. The
    /// known exceptions may shrink, never grow; splitting them is issue 17's part 3.
    #[test]
    fn files_stay_within_their_length_budget() {
        const KNOWN: &[(&str, usize)] = &[
            ("src-tauri/core/src/report/district.rs", 1363),
            ("src-tauri/core/src/plan/store.rs", 1073),
            ("src-tauri/core/src/roster/households.rs", 903),
            ("src-tauri/core/tests/roster.rs", 2160),
        ];
        let mut bad = Vec::new();
        for f in tracked() {
            let code = f.ends_with(".rs") || f.ends_with(".ts") || f.ends_with(".vue");
            if !code || f.starts_with("ui/src/bindings/") {
                continue;
            }
            let Some(text) = text_of(&f) else { continue };
            let lines = text.lines().count();
            let test = f.contains("/tests/") || f.contains("/e2e/") || f.ends_with(".test.ts");
            let budget = KNOWN
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, n)| *n)
                .unwrap_or(if test { 1200 } else { 900 });
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
}
