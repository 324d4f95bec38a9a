//! 情况通报 and 典型案例汇编: every figure of the draft recomputed from the raw rows; the
//! rankings as the district's own workbooks print them; an edited paragraph kept while the
//! others follow the data; both documents read back by python-docx (a second reader) and
//! printed through LibreOffice; the 推荐名单 recomputed by plain loops.

use crate::common;
use crate::common::book::{num, read_back, read_docx, row_of, sheet, text};
use crate::common::{minqing, printed_pages};
use chrono::NaiveDate;
use minqing_core::cases::{list_cases, mark_case, CaseInput};
use minqing_core::demo::{activity::activity, generate, DemoOptions};
use minqing_core::privacy::Masking;
use minqing_core::report::bulletin::{draft, save_edits, write_docx, Bulletin, PartEdit};
use minqing_core::report::casebook::write_casebook;
use minqing_core::report::district::{export_report, ReportKind};
use minqing_core::stats::district::Scope;
use minqing_core::Store;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const TODAY: &str = "2026-11-20";

fn quarter() -> Scope {
    Scope {
        from: d("2026-10-01"),
        to: d("2026-12-31"),
        villages: vec![],
    }
}

fn township(path: Option<&Path>, seed: u64) -> Store {
    let store = match path {
        Some(p) => Store::open(p).unwrap(),
        None => Store::open_in_memory().unwrap(),
    };
    generate(
        &store,
        &DemoOptions {
            households: 500,
            seed,
            township: "龙河镇".into(),
        },
        d("2026-08-01"),
        |_, _| true,
    )
    .unwrap();
    activity(&store, d("2026-08-15"), d(TODAY), 0.9, seed, d(TODAY)).unwrap();
    store
}

fn part<'a>(b: &'a Bulletin, key: &str) -> &'a str {
    &b.parts
        .iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("no part {key}"))
        .text
}

fn pct(a: i64, b: i64) -> String {
    format!("{:.1}%", a as f64 * 100.0 / b as f64)
}

fn q1(store: &Store, sql: &str) -> i64 {
    let s = quarter();
    store
        .read(|c| Ok(c.query_row(sql, rusqlite::params![s.from, s.to], |r| r.get(0))?))
        .unwrap()
}

fn texts(doc: &Value) -> Vec<String> {
    doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_string())
        .collect()
}

fn export(store: &Store, kind: ReportKind, s: &Scope, dir: &Path) -> PathBuf {
    let p = dir.join(format!("{}.xlsx", kind.title()));
    export_report(store, kind, s, Masking::Masked, &p, d(TODAY)).unwrap();
    p
}

/// The names of a sheet's data lines in column `col` from `first`, in order, until `stop`.
fn names_down(sh: &Value, col: &str, first: u32, stop: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut r = first;
    loop {
        let t = text(sh, &format!("{col}{r}"));
        if t.is_empty() || t == stop {
            return out;
        }
        out.push(t);
        r += 1;
    }
}

#[test]
fn the_draft_states_the_periods_figures_as_the_raw_rows_and_the_reports_give_them() {
    let store = township(None, 5);
    let s = quarter();
    let b = draft(&store, &s, d(TODAY)).unwrap();
    assert_eq!(b.period, "2026年第四季度");
    assert_eq!(
        part(&b, "title"),
        "关于2026年第四季度“三解三促”活动开展情况的通报"
    );

    // 走访: households in the register, visited (见到户主/家人) in the period, visits, cadres.
    let counts = "vs.outcome IN ('见到户主', '见到家人') AND vs.visit_date BETWEEN ?1 AND ?2";
    let should = q1(
        &store,
        "SELECT count(*) FROM households WHERE status = '在册' AND ?1 <= ?2",
    );
    let visited = q1(
        &store,
        &format!("SELECT count(DISTINCT vs.household_id) FROM visits vs JOIN households h ON h.id = vs.household_id WHERE h.status = '在册' AND {counts}"),
    );
    let visits = q1(
        &store,
        &format!("SELECT count(*) FROM visits vs WHERE {counts}"),
    );
    let cadres = q1(
        &store,
        &format!("SELECT count(DISTINCT vc.cadre_id) FROM visits vs JOIN visit_cadres vc ON vc.visit_id = vs.id WHERE {counts}"),
    );
    assert!(visited > 50 && visits >= visited, "{visited} {visits}");
    let v = part(&b, "visits");
    assert!(
        v.contains(&format!(
            "全镇{cadres}名干部走访农户{visited}户、{visits}户次，在册农户{should}户，走访覆盖率{}。",
            pct(visited, should)
        )),
        "{v}"
    );

    // 诉求: received in the period, closed (no longer open), the 办结率 from the two.
    let received = q1(
        &store,
        "SELECT count(*) FROM requests WHERE received_on BETWEEN ?1 AND ?2",
    );
    let closed = q1(
        &store,
        "SELECT count(*) FROM requests WHERE received_on BETWEEN ?1 AND ?2 AND is_open = 0",
    );
    let r = part(&b, "requests");
    assert!(
        r.contains(&format!(
            "收集群众诉求{received}件，已办结{closed}件，办结率{}；",
            pct(closed, received)
        )),
        "{r}"
    );

    // 超期: the red lines of the 督办通报 as the district's clerk reads the workbook.
    let dir = tempfile::tempdir().unwrap();
    let overdue = read_back(&export(&store, ReportKind::Overdue, &s, dir.path()));
    let sh = sheet(&overdue, "督办通报");
    let mut red_by_unit: BTreeMap<String, i64> = BTreeMap::new();
    let mut red = 0;
    for row in 4..5000 {
        let level = text(sh, &format!("B{row}"));
        if level.is_empty() {
            break;
        }
        if level.starts_with("红色") {
            red += 1;
            let unit = text(sh, &format!("H{row}"));
            *red_by_unit
                .entry(if unit.is_empty() {
                    "未交办".into()
                } else {
                    unit
                })
                .or_default() += 1;
        }
    }
    assert!(red > 0, "the demo has overdue requests");
    assert!(
        r.contains(&format!("截至2026年11月20日，超期未办结{red}件，其中")),
        "{r}"
    );
    for (unit, n) in red_by_unit.iter().take(3) {
        if red_by_unit.len() <= 6 {
            assert!(r.contains(&format!("{unit}{n}件")), "{unit} {n}: {r}");
        }
    }
    assert!(part(&b, "problems").starts_with(&format!("超期未办结诉求{red}件：")));

    // 实事项目: the ledger's projects and their states.
    let ledger = read_back(&export(&store, ReportKind::Projects, &s, dir.path()));
    let sh = sheet(&ledger, "实事项目台账");
    let mut by_status: HashMap<String, i64> = HashMap::new();
    let mut projects = 0;
    for row in 4..500 {
        if num_or_none(sh, &format!("A{row}")).is_none() {
            break;
        }
        projects += 1;
        *by_status.entry(text(sh, &format!("I{row}"))).or_default() += 1;
    }
    let answered: Vec<String> = (4..4 + projects)
        .map(|r| text(sh, &format!("M{r}")))
        .collect();
    let on_time = answered.iter().filter(|t| *t == "是").count();
    let late = answered.iter().filter(|t| *t == "否").count();
    let p = part(&b, "projects");
    assert!(
        p.contains(&format!(
            "到期项目{}个，按期完成{on_time}个",
            on_time + late
        )),
        "{p}"
    );
    if late > 0 {
        assert!(part(&b, "problems").contains(&format!("到期实事项目中有{late}个未按期完成。")));
    }
    // 重点户 not yet visited, as the 走访情况统计表's 合计 line gives them.
    let stats = read_back(&export(&store, ReportKind::VisitStats, &s, dir.path()));
    let sh_v = sheet(&stats, "按村统计");
    let total = row_of(sh_v, "A", "合计")
        .or_else(|| row_of(sh_v, "B", "合计"))
        .unwrap();
    let key_left = num(sh_v, &format!("G{total}")) - num(sh_v, &format!("H{total}"));
    assert!(key_left > 0.0);
    assert!(
        part(&b, "problems").contains(&format!("重点户尚有{}户未按期走访。", key_left as i64)),
        "{}",
        part(&b, "problems")
    );
    assert!(
        p.starts_with(&format!(
            "在办实事项目{projects}个，已完成{}个、实施中{}个、计划{}个、已终止{}个",
            by_status.get("已完成").copied().unwrap_or(0),
            by_status.get("实施中").copied().unwrap_or(0),
            by_status.get("计划").copied().unwrap_or(0),
            by_status.get("已终止").copied().unwrap_or(0),
        )),
        "{p} {by_status:?}"
    );

    // The best and the lagging: villages by coverage from the raw rows …
    let mut villages: Vec<(String, i64, i64)> = store
        .read(|c| {
            let mut st = c.prepare(&format!(
                "SELECT v.name,
                   (SELECT count(*) FROM households h WHERE h.village_id = v.id AND h.status = '在册'),
                   (SELECT count(DISTINCT vs.household_id) FROM visits vs JOIN households h ON h.id = vs.household_id
                     WHERE h.village_id = v.id AND h.status = '在册' AND {counts})
                 FROM villages v ORDER BY v.sort_order, v.id"
            ))?;
            let rows = st
                .query_map(rusqlite::params![s.from, s.to], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap();
    villages.retain(|v| v.1 > 0);
    villages.sort_by(|a, b| {
        (b.2 as f64 / b.1 as f64)
            .partial_cmp(&(a.2 as f64 / a.1 as f64))
            .unwrap()
            .then(b.2.cmp(&a.2))
    });
    let best: Vec<String> = villages[..3]
        .iter()
        .map(|v| format!("{}（{}）", v.0, pct(v.2, v.1)))
        .collect();
    let lag: Vec<String> = villages[villages.len() - 3..]
        .iter()
        .map(|v| format!("{}（{}）", v.0, pct(v.2, v.1)))
        .collect();
    assert_eq!(
        part(&b, "villages"),
        format!(
            "（一）村（社区）。走访覆盖率较高的是{}；较低的是{}，请加快走访进度。",
            best.join("、"),
            lag.join("、")
        )
    );
    // … units and cadres in the order their workbooks print them.
    let contest = read_back(&export(&store, ReportKind::ProjectContest, &s, dir.path()));
    let units = names_down(sheet(&contest, "按单位"), "B", 5, "合计");
    let u = part(&b, "units");
    for name in units.iter().take(3) {
        assert!(
            u.split('；').next().unwrap().contains(name.as_str()),
            "{name}: {u}"
        );
    }
    assert!(u
        .split('；')
        .nth(1)
        .unwrap()
        .contains(units.last().unwrap().as_str()));
    let assess = read_back(&export(&store, ReportKind::CadreAssessment, &s, dir.path()));
    let sh = sheet(&assess, "干部走访考核表");
    let mut ranked = Vec::new();
    for row in 5..200 {
        let name = text(sh, &format!("B{row}"));
        if name.is_empty() || name == "合计" {
            break;
        }
        if num(sh, &format!("G{row}")) > 0.0 {
            ranked.push(name);
        }
    }
    let c = part(&b, "cadres");
    let (head, tail) = c.split_once('；').unwrap();
    for name in &ranked[..3] {
        assert!(head.contains(name.as_str()), "{name}: {c}");
    }
    assert!(tail.contains(ranked.last().unwrap().as_str()), "{c}");
    assert_eq!(
        b.text.lines().count(),
        b.parts
            .iter()
            .map(|p| p.text.lines().count())
            .sum::<usize>()
    );
}

fn num_or_none(sh: &Value, at: &str) -> Option<f64> {
    sh["cells"][at].as_f64()
}

#[test]
fn an_edited_paragraph_is_kept_while_the_others_follow_the_data_and_both_print() {
    let dir = tempfile::tempdir().unwrap();
    let store = township(None, 6);
    let s = quarter();
    let before = draft(&store, &s, d(TODAY)).unwrap();
    let intro = part(&before, "intro").replace("通报如下。", "通报如下，请各单位认真对照。");
    let b = save_edits(
        &store,
        &s,
        d(TODAY),
        &[PartEdit {
            key: "intro".into(),
            text: intro.clone(),
        }],
    )
    .unwrap();
    assert_eq!(part(&b, "intro"), intro);
    let edited: Vec<&str> = b
        .parts
        .iter()
        .filter(|p| p.edited)
        .map(|p| p.key.as_str())
        .collect();
    assert_eq!(edited, vec!["intro"]);

    // The data moves on: a new 典型 in the period shows in the draft; the edit stays.
    let visit: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT id FROM visits WHERE visit_date BETWEEN '2026-10-01' AND '2026-11-20'
                   AND id NOT IN (SELECT visit_id FROM cases WHERE visit_id IS NOT NULL) ORDER BY id LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    mark_case(
        &store,
        &CaseInput {
            visit_id: Some(visit),
            category: "双十双百".into(),
            story: "帮助独居老人修好了漏雨的屋顶。".into(),
            quote: "真是贴心人。".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let after = draft(&store, &s, d(TODAY)).unwrap();
    assert_eq!(part(&after, "intro"), intro, "the edit is kept");
    assert!(part(&after, "cases").contains("帮助独居老人修好了漏雨的屋顶。群众说：“真是贴心人。”"));
    assert_ne!(part(&after, "cases"), part(&before, "cases"));

    // Sending the drafted text back (or nothing) returns the paragraph to the draft.
    let back = save_edits(
        &store,
        &s,
        d(TODAY),
        &[PartEdit {
            key: "intro".into(),
            text: String::new(),
        }],
    )
    .unwrap();
    assert!(back.parts.iter().all(|p| !p.edited));
    let again = save_edits(
        &store,
        &s,
        d(TODAY),
        &[PartEdit {
            key: "intro".into(),
            text: intro.clone(),
        }],
    )
    .unwrap();
    assert_eq!(part(&again, "intro"), intro);

    // Bad input: a paragraph that does not exist, a village scope; nothing kept.
    let e = save_edits(
        &store,
        &s,
        d(TODAY),
        &[PartEdit {
            key: "nope".into(),
            text: "x".into(),
        }],
    )
    .unwrap_err();
    assert!(e.to_string().contains("通报中没有“nope”这一段"), "{e}");
    let mut one = s.clone();
    one.villages = vec![1];
    let e = draft(&store, &one, d(TODAY)).unwrap_err();
    assert!(e.to_string().contains("情况通报是全镇的"), "{e}");

    // The Word document as python-docx reads it: the official layout and the edited words.
    let target = dir.path().join("情况通报.docx");
    let done = write_docx(&store, &s, d(TODAY), &target).unwrap();
    assert_eq!(done.edited, 1);
    let doc = read_docx(&target);
    let sec = &doc["sections"][0];
    assert_eq!(
        (sec["width_mm"].as_f64(), sec["height_mm"].as_f64()),
        (Some(210.0), Some(297.0))
    );
    assert_eq!(
        [
            &sec["top_mm"],
            &sec["bottom_mm"],
            &sec["left_mm"],
            &sec["right_mm"]
        ]
        .map(|v| v.as_f64().unwrap()),
        [37.0, 35.0, 28.0, 26.0]
    );
    assert!(sec["footerHasPageField"].as_bool().unwrap());
    let paras = doc["paragraphs"].as_array().unwrap();
    let title = &paras[0];
    assert_eq!(title["text"], part(&again, "title"));
    assert_eq!(title["runs"][0]["eastAsia"], "方正小标宋简体");
    assert_eq!(title["runs"][0]["size"], 22.0);
    assert!(title["align"].as_str().unwrap().starts_with("CENTER"));
    let body = paras
        .iter()
        .find(|p| p["text"] == intro.as_str())
        .expect("the edited intro is printed");
    assert_eq!(body["runs"][0]["eastAsia"], "仿宋");
    assert_eq!(body["runs"][0]["size"], 16.0);
    assert_eq!(body["firstLine"], 32.0, "two characters of 三号");
    assert_eq!(body["lineSpacing"], 28.0);
    let heading = paras.iter().find(|p| p["text"] == "一、总体情况").unwrap();
    assert_eq!(heading["runs"][0]["eastAsia"], "黑体");
    let all = texts(&doc);
    assert_eq!(all.last().unwrap(), "2026年11月20日");
    // Every paragraph of the app's text is on paper (a case a line).
    for line in again.text.lines() {
        let line = if line == intro { intro.as_str() } else { line };
        assert!(
            all.iter().any(|t| t == line.trim()),
            "missing on paper: {line}"
        );
    }

    // Printed: the title on page 1, the page number at the foot, the date on the last page.
    let pages: Vec<String> = printed_pages(std::slice::from_ref(&target))
        .remove(0)
        .iter()
        .map(|p| p.split_whitespace().collect())
        .collect();
    assert!(
        pages[0].starts_with("关于2026年第四季度“三解三促”活动开展情况的通报"),
        "{}",
        pages[0]
    );
    assert!(pages[0].ends_with("—1—"), "{}", pages[0]);
    let last = pages.last().unwrap();
    assert!(last.contains("2026年11月20日"));
    assert!(
        last.contains("确保按期完成。"),
        "the 落款 does not stand alone on its page: {last}"
    );
}

type CaseRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// The cadres and units with cases of `category` in the period, by plain loops.
fn nominees_by_hand(
    store: &Store,
    s: &Scope,
    category: &str,
) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
    store
        .read(|c| {
            let mut cadres: BTreeMap<String, i64> = BTreeMap::new();
            let mut units: BTreeMap<String, i64> = BTreeMap::new();
            let mut st = c.prepare(
                "SELECT id, visit_id, request_id, project_id FROM cases WHERE category = ?1 AND marked_on BETWEEN ?2 AND ?3",
            )?;
            let rows: Vec<CaseRow> = st
                .query_map(rusqlite::params![category, s.from, s.to], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (_, visit, request, project) in rows {
                let visit = match (visit, request) {
                    (Some(v), _) => Some(v),
                    (None, Some(r)) => c.query_row("SELECT visit_id FROM requests WHERE id = ?1", [r], |x| x.get(0))?,
                    _ => None,
                };
                if let Some(v) = visit {
                    let mut st = c.prepare("SELECT cd.name FROM visit_cadres vc JOIN cadres cd ON cd.id = vc.cadre_id WHERE vc.visit_id = ?1")?;
                    let names: Vec<String> = st.query_map([v], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    for n in names {
                        *cadres.entry(n).or_default() += 1;
                    }
                }
                if let Some(p) = project {
                    let unit: String = c.query_row(
                        "SELECT u.name FROM projects p JOIN units u ON u.id = p.unit_id WHERE p.id = ?1",
                        [p],
                        |r| r.get(0),
                    )?;
                    *units.entry(unit).or_default() += 1;
                }
            }
            Ok((cadres, units))
        })
        .unwrap()
}

#[test]
fn the_casebook_prints_a_case_a_page_and_nominates_by_the_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let store = township(None, 8);
    let year = Scope {
        from: d("2026-01-01"),
        to: d("2026-12-31"),
        villages: vec![],
    };
    let cases = list_cases(&store, Some(year.from), Some(year.to), None).unwrap();
    assert!(cases.len() >= 4, "the demo marks cases: {}", cases.len());
    let target = dir.path().join("典型案例汇编.docx");
    let done = write_casebook(&store, &year, None, &target, d(TODAY)).unwrap();
    assert_eq!(done.cases, cases.len());
    assert!(done.list_path.ends_with("典型案例汇编.xlsx"));

    // Word: the contents, then each case on its own page, starting with its number and title.
    let doc = read_docx(&target);
    let breaks = doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["runs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["pageBreak"] == true)
        })
        .count();
    assert_eq!(breaks, cases.len());
    let pages = printed_pages(std::slice::from_ref(&target)).remove(0);
    assert_eq!(
        pages.len(),
        cases.len() + 1,
        "a contents page and a page a case"
    );
    for (i, k) in cases.iter().enumerate() {
        let page = pages[i + 1].split_whitespace().collect::<String>();
        let head: String = k
            .title
            .split_whitespace()
            .collect::<String>()
            .chars()
            .take(8)
            .collect();
        assert!(
            page.contains(&format!("{}.{head}", i + 1)),
            "page {}: {page}",
            i + 2
        );
        let story: String = k.story.chars().take(10).collect();
        assert!(page.contains(&story), "page {} has its story", i + 2);
    }

    // Excel: the list, and the 推荐名单 for 双十双百 against the raw rows.
    let book = read_back(Path::new(&done.list_path));
    let sh = sheet(&book, "典型案例");
    for (i, k) in cases.iter().enumerate() {
        let row = 4 + i;
        assert_eq!(num(sh, &format!("A{row}")), (i + 1) as f64);
        assert_eq!(text(sh, &format!("D{row}")), k.title);
        assert_eq!(text(sh, &format!("H{row}")), k.story);
    }
    let sel = dir.path().join("双十双百.docx");
    let done = write_casebook(&store, &year, Some("双十双百"), &sel, d(TODAY)).unwrap();
    let (cadres, units) = nominees_by_hand(&store, &year, "双十双百");
    assert_eq!(done.nominees, cadres.len() + units.len());
    let book = read_back(Path::new(&done.list_path));
    let sh = sheet(&book, "推荐名单");
    let assess = read_back(&export(
        &store,
        ReportKind::CadreAssessment,
        &year,
        dir.path(),
    ));
    let order = sheet(&assess, "干部走访考核表");
    let mut last_rank = 0.0;
    for (name, n) in &cadres {
        let row = row_of(sh, "C", name).unwrap_or_else(|| panic!("{name} is nominated"));
        assert_eq!(text(sh, &format!("B{row}")), "干部");
        assert_eq!(num(sh, &format!("H{row}")), *n as f64, "{name}'s cases");
        let arow = row_of(order, "B", name).unwrap();
        assert_eq!(
            num(sh, &format!("E{row}")),
            num(order, &format!("A{arow}")),
            "{name}'s place"
        );
    }
    // In the assessment's order.
    for row in 4..4 + cadres.len() as u32 {
        let r = num(sh, &format!("E{row}"));
        assert!(r >= last_rank, "row {row}");
        last_rank = r;
    }
    for (unit, n) in &units {
        let row = row_of(sh, "C", unit).unwrap();
        assert_eq!(text(sh, &format!("B{row}")), "单位");
        assert_eq!(num(sh, &format!("H{row}")), *n as f64);
    }
}

#[test]
fn the_bulletin_and_the_casebook_are_exported_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mq.db");
    drop(township(Some(&db), 9));
    let out = dir.path().join("通报.docx");
    let out_s = out.to_str().unwrap();
    let o = minqing(
        &db,
        &[
            "--json",
            "--today",
            TODAY,
            "export",
            "bulletin",
            "--from",
            "2026-10-01",
            "--to",
            "2026-12-31",
            "--out",
            out_s,
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let j = common::json(&o);
    assert_eq!(j["period"], "2026年第四季度");
    assert_eq!(j["edited"], 0);
    let doc = read_docx(&out);
    assert_eq!(
        texts(&doc)[0],
        "关于2026年第四季度“三解三促”活动开展情况的通报"
    );

    let book = dir.path().join("汇编.docx");
    let o = minqing(
        &db,
        &[
            "--json",
            "--today",
            TODAY,
            "export",
            "cases",
            "--category",
            "双十双百",
            "--out",
            book.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let j = common::json(&o);
    assert_eq!(j["period"], "2026年", "本年 unless a period is given");
    assert!(Path::new(j["listPath"].as_str().unwrap()).exists());

    // Bad input: a village scope, a folder as the file. A clear error, no file written.
    let x = dir.path().join("x.docx");
    let village: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT name FROM villages ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let o = minqing(
        &db,
        &[
            "--today",
            TODAY,
            "export",
            "bulletin",
            "--villages",
            &village,
            "--out",
            x.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("情况通报是全镇的"),
        "{}",
        common::stderr(&o)
    );
    assert!(!x.exists());
    let o = minqing(
        &db,
        &[
            "--today",
            TODAY,
            "export",
            "bulletin",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("是一个文件夹"),
        "{}",
        common::stderr(&o)
    );
}
