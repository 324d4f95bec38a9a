//! A workbook as openpyxl (the second, independent reader) sees it: `tests/readback.py` dumps
//! sheets, cached values, merged ranges and print settings as JSON.
#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;

pub fn read_back(path: &Path) -> Value {
    second_reader("readback.py", "openpyxl", path)
}

/// A Word document as python-docx sees it: `tests/readdocx.py` dumps paragraphs, runs' fonts
/// and sizes, page breaks, page size, margins and the footer as JSON.
pub fn read_docx(path: &Path) -> Value {
    second_reader("readdocx.py", "python-docx", path)
}

fn second_reader(script: &str, reader: &str, path: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let out = std::process::Command::new(super::python_with_openpyxl())
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{reader} could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn sheet<'a>(book: &'a Value, name: &str) -> &'a Value {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

pub fn sheet_names(book: &Value) -> Vec<String> {
    book["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

pub fn cell<'a>(s: &'a Value, at: &str) -> &'a Value {
    &s["cells"][at]
}

pub fn num(s: &Value, at: &str) -> f64 {
    cell(s, at)
        .as_f64()
        .unwrap_or_else(|| panic!("{at} of {} is not a number: {}", s["name"], cell(s, at)))
}

pub fn text(s: &Value, at: &str) -> String {
    cell(s, at).as_str().unwrap_or_default().to_string()
}

/// Every text of a sheet, joined: what a reader of the printout sees.
pub fn all_text(s: &Value) -> String {
    s["cells"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| match v {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The row (1-based) whose text in column `col` is `name`.
pub fn row_of(s: &Value, col: &str, name: &str) -> Option<u32> {
    s["cells"].as_object().unwrap().iter().find_map(|(k, v)| {
        let (c, r) = k.split_at(k.find(|ch: char| ch.is_ascii_digit())?);
        (c == col && v.as_str() == Some(name)).then(|| r.parse().unwrap())
    })
}
