//! 典型案例汇编: the period's 先进典型 as a Word document (a contents page, then one case a
//! page, in the official layout) and as an Excel list with the 推荐名单 — the nominations for a
//! selection: the cadres whose visits or raised requests were marked for it, in the order of the
//! 干部走访考核表, and the units whose 实事项目 were, in the order of the 办实事竞赛情况表.

use super::district::{info_line, period_label};
use super::word::{self, Para};
use super::{closing, report_sheet, xlsx_error, Style};
use crate::cases::{list_cases, Case, CaseKind};
use crate::error::Result;
use crate::register::township;
use crate::stats::district::{cadre_assessment, Scope};
use crate::stats::projects::project_contest;
use crate::Store;
use chrono::NaiveDate;
use rusqlite::params;
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use ts_rs::TS;

/// One line of the 推荐名单.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Nominee {
    /// 干部 or 单位.
    pub kind: String,
    pub name: String,
    /// The cadre's unit (empty for a unit).
    pub unit: String,
    /// 名次 in the 干部走访考核表 (cadres) or the 办实事竞赛情况表 (units) of the period.
    pub rank: u32,
    /// 走访率 (cadres) — None without a plan.
    pub visit_rate: Option<f64>,
    /// 竞赛得分 (units).
    pub score: Option<f64>,
    /// The marked cases of the selection behind the nomination.
    pub cases: i64,
    /// Their titles, 、-joined.
    pub titles: String,
}

/// The nominations for `category` (every selection when None) in `scope`: cadres first, by
/// their place in the assessment, then units by their place in the contest.
pub fn nominations(store: &Store, scope: &Scope, category: Option<&str>) -> Result<Vec<Nominee>> {
    let cases = list_cases(store, Some(scope.from), Some(scope.to), category)?;
    store.read(|c| {
        scope.check(c)?;
        let titles: HashMap<i64, &Case> = cases.iter().map(|k| (k.id, k)).collect();
        // Cases by cadre, counted as the assessment counts them.
        let by_cadre =
            crate::cases::case_ids_by_cadre(c, scope.from, scope.to, &scope.villages, category)?;
        let mut by_unit: HashMap<i64, Vec<i64>> = HashMap::new();
        let mut st = c.prepare(
            "SELECT p.unit_id, k.id FROM cases k JOIN projects p ON p.id = k.project_id
             WHERE k.marked_on BETWEEN ?1 AND ?2 AND (?3 IS NULL OR k.category = ?3)
             ORDER BY k.marked_on, k.id",
        )?;
        let mut rows = st.query(params![scope.from, scope.to, category])?;
        while let Some(r) = rows.next()? {
            by_unit.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        let names = |ids: &[i64]| {
            ids.iter()
                .filter_map(|i| titles.get(i).map(|k| k.title.clone()))
                .collect::<Vec<_>>()
                .join("、")
        };
        let mut out = Vec::new();
        let (cadres, _) = cadre_assessment(c, scope)?;
        for r in &cadres {
            if let Some(ids) = by_cadre.get(&r.id) {
                out.push(Nominee {
                    kind: "干部".into(),
                    name: r.name.clone(),
                    unit: r.unit.clone(),
                    rank: r.rank,
                    visit_rate: r.visit_rate,
                    score: None,
                    cases: ids.len() as i64,
                    titles: names(ids),
                });
            }
        }
        let contest = project_contest(c, scope)?;
        for r in &contest.rows {
            if let Some(ids) = by_unit.get(&r.unit_id) {
                out.push(Nominee {
                    kind: "单位".into(),
                    name: r.unit.clone(),
                    unit: String::new(),
                    rank: r.rank,
                    visit_rate: None,
                    score: Some(r.score),
                    cases: ids.len() as i64,
                    titles: names(ids),
                });
            }
        }
        Ok(out)
    })
}

/// The file name the office gives the 汇编: 宿迁市宿城区龙河镇_先进典型案例汇编_双十双百_2026年.docx
/// (the list beside it takes the same name with .xlsx).
pub fn file_name(store: &Store, scope: &Scope, category: Option<&str>) -> Result<String> {
    let town = store.read(township::read)?;
    Ok(super::safe_file_name(&format!(
        "{}{}_先进典型案例汇编{}_{}.docx",
        town.district,
        town.name,
        category.map(|c| format!("_{c}")).unwrap_or_default(),
        period_label(scope.from, scope.to)
    )))
}

/// What `write_casebook` wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CasebookDone {
    /// The Word document.
    pub path: String,
    /// The Excel list beside it (same name, .xlsx).
    pub list_path: String,
    pub period: String,
    pub cases: usize,
    pub nominees: usize,
}

fn case_paper(k: &Case, n: usize) -> Vec<Para> {
    let mut out = vec![
        Para::Title(format!("{n}. {}", k.title)),
        Para::Centered(format!(
            "{}　{}　{}",
            k.category,
            k.kind,
            if k.village.is_empty() {
                k.marked_on.to_string()
            } else {
                format!("{}　{}", k.village, k.marked_on)
            }
        )),
    ];
    if !k.who.is_empty() {
        let label = if k.kind == CaseKind::Project {
            "承担单位"
        } else {
            "走访干部"
        };
        out.push(Para::Plain(format!("{label}：{}", k.who)));
    }
    out.extend(word::body_lines(&k.story));
    if !k.quote.trim().is_empty() {
        out.push(Para::SubHeading(format!("群众说：“{}”", k.quote.trim())));
    }
    out
}

/// Writes the 典型案例汇编 of `scope` (of one selection when `category` is given) to `target`
/// (.docx) and its list with the 推荐名单 beside it (.xlsx).
pub fn write_casebook(
    store: &Store,
    scope: &Scope,
    category: Option<&str>,
    target: &Path,
    today: NaiveDate,
) -> Result<CasebookDone> {
    let cases = list_cases(store, Some(scope.from), Some(scope.to), category)?;
    let nominees = nominations(store, scope, category)?;
    let (town, villages) = store.read(|c| Ok((township::read(c)?, scope.village_names(c)?)))?;
    let period = period_label(scope.from, scope.to);
    let campaign = super::campaign(&town);
    let what = category.map(|c| format!("（{c}）")).unwrap_or_default();
    let title = format!("{}“{campaign}”先进典型案例汇编{what}", town.name);

    // The Word document: the title and contents, then a case a page.
    let mut paper = vec![Para::Title(title.clone()), Para::Centered(period.clone())];
    if cases.is_empty() {
        paper.push(Para::Body("统计时段内没有标记的先进典型。".into()));
    } else {
        paper.push(Para::Heading("目　录".into()));
        for (i, k) in cases.iter().enumerate() {
            paper.push(Para::Body(format!(
                "{}. {}（{}）",
                i + 1,
                k.title,
                k.category
            )));
        }
        for (i, k) in cases.iter().enumerate() {
            paper.push(Para::PageBreak);
            paper.extend(case_paper(k, i + 1));
        }
    }
    let doc_bytes = word::bytes(word::document(&paper))?;

    // The Excel list.
    let s = Style::new();
    let mut wb = Workbook::new();
    let info = info_line(&town, scope, &villages, today);
    let ws = wb.add_worksheet();
    ws.set_name("典型案例").map_err(xlsx_error)?;
    let first = report_sheet(
        ws,
        &s,
        &format!("{title}（{period}）"),
        &info,
        &[
            ("序号", 5.5),
            ("评选", 9.0),
            ("类型", 7.0),
            ("典型", 22.0),
            ("村（社区）", 9.0),
            ("干部或单位", 12.0),
            ("日期", 10.5),
            ("典型事迹", 40.0),
            ("群众的话", 20.0),
        ],
    )
    .map_err(xlsx_error)?;
    let mut row = first;
    for (i, k) in cases.iter().enumerate() {
        let h = super::fit_row_height(
            &[(&k.title, 22.0), (&k.story, 40.0), (&k.quote, 20.0)],
            20.0,
        )
        .min(409.0);
        ws.set_row_height(row, h).map_err(xlsx_error)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)
            .map_err(xlsx_error)?;
        let cells = [
            (k.category.clone(), &s.cell_center),
            (k.kind.to_string(), &s.cell_center),
            (k.title.clone(), &s.cell),
            (k.village.clone(), &s.cell),
            (k.who.clone(), &s.cell),
            (k.marked_on.to_string(), &s.cell_center),
            (k.story.clone(), &s.cell),
            (k.quote.clone(), &s.cell),
        ];
        for (c, (t, f)) in cells.iter().enumerate() {
            ws.write_string_with_format(row, c as u16 + 1, t, f)
                .map_err(xlsx_error)?;
        }
        row += 1;
    }
    if cases.is_empty() {
        ws.merge_range(
            row,
            0,
            row,
            8,
            "统计时段内没有标记的先进典型。",
            &s.cell_center,
        )
        .map_err(xlsx_error)?;
        row += 1;
    }
    closing(ws, &s, &town, row + 1, 8, None).map_err(xlsx_error)?;

    let ws = wb.add_worksheet();
    ws.set_name("推荐名单").map_err(xlsx_error)?;
    let first = report_sheet(
        ws,
        &s,
        &format!(
            "{}“{campaign}”先进典型推荐名单{what}（{period}）",
            town.name
        ),
        &info,
        &[
            ("序号", 5.5),
            ("类别", 6.0),
            ("姓名或单位", 12.0),
            ("所在单位", 14.0),
            ("考核或竞赛名次", 12.0),
            ("走访率", 8.0),
            ("竞赛得分", 8.0),
            ("典型数", 7.0),
            ("典型", 40.0),
        ],
    )
    .map_err(xlsx_error)?;
    let pct = s.num.clone().set_num_format("0.0%");
    let mut row = first;
    for (i, n) in nominees.iter().enumerate() {
        // Narrower than the column: LibreOffice's scaled page wraps a little sooner.
        let h = super::fit_row_height(&[(&n.titles, 36.0)], 20.0).min(409.0);
        ws.set_row_height(row, h).map_err(xlsx_error)?;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &s.cell_center)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(row, 1, &n.kind, &s.cell_center)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(row, 2, &n.name, &s.cell)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(row, 3, &n.unit, &s.cell)
            .map_err(xlsx_error)?;
        ws.write_number_with_format(row, 4, n.rank as f64, &s.cell_center)
            .map_err(xlsx_error)?;
        match n.visit_rate {
            Some(r) => ws.write_number_with_format(row, 5, r, &pct),
            None => ws.write_string_with_format(row, 5, "—", &s.cell_center),
        }
        .map_err(xlsx_error)?;
        match n.score {
            Some(x) => ws.write_number_with_format(row, 6, x, &s.num.clone().set_num_format("0.0")),
            None => ws.write_string_with_format(row, 6, "—", &s.cell_center),
        }
        .map_err(xlsx_error)?;
        ws.write_number_with_format(row, 7, n.cases as f64, &s.num)
            .map_err(xlsx_error)?;
        ws.write_string_with_format(row, 8, &n.titles, &s.cell)
            .map_err(xlsx_error)?;
        row += 1;
    }
    if nominees.is_empty() {
        ws.merge_range(
            row,
            0,
            row,
            8,
            "统计时段内没有可推荐的干部或单位。",
            &s.cell_center,
        )
        .map_err(xlsx_error)?;
        row += 1;
    }
    ws.merge_range(
        row,
        0,
        row,
        8,
        "推荐名单：所选评选中有先进典型的干部（按干部走访考核表名次）和单位（按办实事竞赛情况表名次）。",
        &s.note,
    )
    .map_err(xlsx_error)?;
    closing(ws, &s, &town, row + 1, 8, None).map_err(xlsx_error)?;
    // Both files are made before either is written; when the list cannot be saved, the
    // document just written goes too, so the two never disagree.
    wb.set_zip_compression_level(3);
    let list_bytes = wb.save_to_buffer().map_err(xlsx_error)?;
    let doc_path = super::save_bytes(
        &doc_bytes,
        &target.with_extension("docx"),
        "docx",
        "典型案例汇编.docx",
    )?;
    let list_path = match super::save_bytes(
        &list_bytes,
        &doc_path.with_extension("xlsx"),
        "xlsx",
        "典型案例汇编.xlsx",
    ) {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_file(&doc_path);
            return Err(e);
        }
    };
    Ok(CasebookDone {
        path: doc_path.display().to_string(),
        list_path: list_path.display().to_string(),
        period,
        cases: cases.len(),
        nominees: nominees.len(),
    })
}
