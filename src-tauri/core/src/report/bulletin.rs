//! 情况通报: the paper a coordinator brings to each 通报会 — drafted from the period's figures,
//! edited in the app, saved as a Word document in the official layout.
//!
//! The draft is a list of paragraphs with stable keys (`visits`, `requests`, …). A paragraph the
//! coordinator has not edited is drafted again from the data every time, so its figures follow
//! the diary and the ledger; one they edited is kept (table `bulletin_edits`, by period and key)
//! and no longer changes. Putting a paragraph back to the draft deletes its edit.
//!
//! The rankings use the reports' own rules: villages by 走访覆盖率 (as the 走访情况统计表
//! computes it), units by the 办实事竞赛情况表's 名次, cadres by the 干部走访考核表's 名次; the
//! open problems are the 督办通报's red items.

use super::district::period_label;
use super::word::{self, Para};
use crate::cases::{list_cases, Case};
use crate::error::{Error, Result};
use crate::register::township::{self, Township};
use crate::stats::district::{
    cadre_assessment, overdue_list, request_summary, visit_stats, CoverageRow, OverdueRow, Scope,
};
use crate::stats::projects::{project_contest, ContestRow};
use crate::Store;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use ts_rs::TS;

crate::text_enum! {
    /// How a paragraph is set on paper.
    pub enum PartStyle ("段落样式") {
        Title = "标题",
        Plain = "顶格",
        Body = "正文",
        Heading = "一级标题",
        Right = "落款",
    }
}

/// One paragraph of the 通报.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BulletinPart {
    /// Stable across drafts: title, salutation, visits, requests, …
    pub key: String,
    pub style: PartStyle,
    /// What is printed: the coordinator's edit, or else the draft.
    pub text: String,
    /// The text as drafted from today's data.
    pub drafted: String,
    /// True when the coordinator's own wording is kept (the figures no longer follow the data).
    pub edited: bool,
}

/// A period's 情况通报.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Bulletin {
    pub scope: Scope,
    /// 2026年第四季度
    pub period: String,
    /// The day its figures are taken on (overdue counts) and that it is dated.
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    pub parts: Vec<BulletinPart>,
    /// The whole text, a paragraph a line (what 复制全文 puts on the clipboard).
    pub text: String,
    /// The file name the office would give it.
    pub file_name: String,
}

/// A paragraph's new wording, as the app sends it.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PartEdit {
    pub key: String,
    pub text: String,
}

/// "93.5%"; None when nothing to divide.
fn pct(r: Option<f64>) -> Option<String> {
    r.map(|r| format!("{:.1}%", r * 100.0))
}

fn pct_or(r: Option<f64>, none: &str) -> String {
    pct(r).unwrap_or_else(|| none.to_string())
}

fn date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Up to `n` items joined with 、, and "等 N 个" when more were left out.
fn listed(items: &[String], n: usize, unit: &str) -> String {
    listed_by(items, n, unit, "、")
}

/// [`listed`] with another separator (；between sentences).
fn listed_by(items: &[String], n: usize, unit: &str, sep: &str) -> String {
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(sep);
    if items.len() > n {
        format!("{shown}等{}{unit}", items.len())
    } else {
        shown
    }
}

/// The best and the lagging of a list already in order (best first): up to three each, never
/// the same line twice, and no lagging half unless there are at least two lines.
fn ends<T>(rows: &[T]) -> (&[T], &[T]) {
    let k = 3.min(rows.len() / 2).max(rows.len().min(1));
    let best = &rows[..k.min(rows.len())];
    let lag_k = 3.min(rows.len() - best.len()).min(rows.len() / 2);
    (best, &rows[rows.len() - lag_k..])
}

fn signer(town: &Township) -> String {
    if !town.reporting_unit.trim().is_empty() {
        town.reporting_unit.trim().to_string()
    } else {
        format!("{}“{}”活动办公室", town.name, super::campaign(town))
    }
}

struct Facts {
    town: Township,
    visits: crate::stats::district::VisitStats,
    requests: crate::stats::district::RequestSummary,
    red: Vec<OverdueRow>,
    contest: crate::stats::projects::ProjectContest,
    cadres: Vec<CoverageRow>,
    cases: Vec<Case>,
}

fn facts(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<Facts> {
    let cases = list_cases(store, Some(scope.from), Some(scope.to), None)?;
    store.read(|c| {
        scope.check(c)?;
        Ok(Facts {
            town: township::read(c)?,
            visits: visit_stats(c, scope)?,
            requests: request_summary(c, scope, as_of)?,
            red: overdue_list(c, scope, as_of)?
                .into_iter()
                .filter(|r| r.colour == crate::requests::Colour::Red)
                .collect(),
            contest: project_contest(c, scope)?,
            cadres: cadre_assessment(c, scope)?.0,
            cases,
        })
    })
}

/// The drafted paragraphs, in order: (key, style, text).
fn draft_parts(
    f: &Facts,
    scope: &Scope,
    as_of: NaiveDate,
) -> Vec<(&'static str, PartStyle, String)> {
    let period = period_label(scope.from, scope.to);
    let campaign = super::campaign(&f.town);
    let mut out: Vec<(&'static str, PartStyle, String)> = Vec::new();
    let mut push = |k: &'static str, s: PartStyle, t: String| out.push((k, s, t));
    push(
        "title",
        PartStyle::Title,
        format!("关于{period}“{campaign}”活动开展情况的通报"),
    );
    push(
        "salutation",
        PartStyle::Plain,
        "各村（社区）、镇各部门：".into(),
    );
    push(
        "intro",
        PartStyle::Body,
        format!(
            "现将{period}{}“{campaign}”活动开展情况通报如下。",
            f.town.name
        ),
    );

    push("h-overall", PartStyle::Heading, "一、总体情况".into());
    let v = &f.visits.village_total;
    let active = f.visits.by_cadre.iter().filter(|r| r.visits > 0).count();
    push(
        "visits",
        PartStyle::Body,
        if v.visits == 0 {
            format!(
                "{period}，全镇尚无走访记录。在册农户{}户，其中重点户{}户。",
                v.should, v.key_should
            )
        } else {
            format!(
                "{period}，全镇{active}名干部走访农户{}户、{}户次，在册农户{}户，走访覆盖率{}。重点户{}户，已按期走访{}户，重点户按期走访率{}。",
                v.visited,
                v.visits,
                v.should,
                pct_or(v.visit_rate, "—"),
                v.key_should,
                v.key_visited,
                pct_or(v.key_rate, "—"),
            )
        },
    );
    let t = &f.requests.total;
    let mut req = if t.rates.received == 0 {
        "本期没有收集到群众诉求。".to_string()
    } else {
        format!(
            "收集群众诉求{}件，已办结{}件，办结率{}；及时响应率{}，问题解决率{}，群众满意率{}。",
            t.rates.received,
            t.rates.closed,
            pct_or(
                (t.rates.received > 0).then(|| t.rates.closed as f64 / t.rates.received as f64),
                "—"
            ),
            pct_or(t.rates.response_rate, "—"),
            pct_or(t.rates.solve_rate, "—"),
            pct_or(t.rates.satisfaction_rate, "尚无评价"),
        )
    };
    if f.red.is_empty() {
        req.push_str(&format!("截至{}，没有超期未办结的诉求。", date_cn(as_of)));
    } else {
        let mut by_unit: Vec<(String, i64)> = Vec::new();
        for r in &f.red {
            let u = unit_of(r);
            match by_unit.iter_mut().find(|(n, _)| n == u) {
                Some(e) => e.1 += 1,
                None => by_unit.push((u.to_string(), 1)),
            }
        }
        by_unit.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let parts: Vec<String> = by_unit.iter().map(|(u, n)| format!("{u}{n}件")).collect();
        req.push_str(&format!(
            "截至{}，超期未办结{}件，其中{}。",
            date_cn(as_of),
            f.red.len(),
            listed(&parts, 6, "个单位")
        ));
    }
    push("requests", PartStyle::Body, req);
    let p = &f.contest.total;
    push(
        "projects",
        PartStyle::Body,
        if p.projects == 0 {
            "本期没有在办的实事项目。".into()
        } else {
            let mut s = format!(
                "在办实事项目{}个，已完成{}个、实施中{}个、计划{}个、已终止{}个，落实资金{}万元",
                p.projects,
                p.done,
                p.underway,
                p.planned,
                p.stopped,
                funds_text(p.funds)
            );
            if p.due > 0 {
                s.push_str(&format!(
                    "；到期项目{}个，按期完成{}个，按期完成率{}。",
                    p.due,
                    p.on_time,
                    pct_or(p.on_time_rate, "—")
                ));
            } else {
                s.push_str("；尚无到期项目。");
            }
            s
        },
    );

    push("h-compare", PartStyle::Heading, "二、比学赶超情况".into());
    // Villages by 走访覆盖率, then 已访户数 (the 统计表's figures).
    let mut villages: Vec<&CoverageRow> = f
        .visits
        .by_village
        .iter()
        .filter(|r| r.should > 0)
        .collect();
    villages.sort_by(|a, b| {
        b.visit_rate
            .unwrap_or(0.0)
            .partial_cmp(&a.visit_rate.unwrap_or(0.0))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.visited.cmp(&a.visited))
            .then(a.id.cmp(&b.id))
    });
    let vname = |r: &&CoverageRow| format!("{}（{}）", r.name, pct_or(r.visit_rate, "0.0%"));
    let (best, lag) = ends(&villages);
    push(
        "villages",
        PartStyle::Body,
        if villages.is_empty() {
            "（一）村（社区）。尚无在册农户。".into()
        } else if lag.is_empty() {
            format!(
                "（一）村（社区）。走访覆盖率为{}。",
                best.iter().map(vname).collect::<Vec<_>>().join("、")
            )
        } else {
            format!(
                "（一）村（社区）。走访覆盖率较高的是{}；较低的是{}，请加快走访进度。",
                best.iter().map(vname).collect::<Vec<_>>().join("、"),
                lag.iter().map(vname).collect::<Vec<_>>().join("、")
            )
        },
    );
    let units: Vec<&ContestRow> = f.contest.rows.iter().collect();
    let uname = |r: &&ContestRow| format!("{}（{}分）", r.unit, score_text(r.score));
    let (best, lag) = ends(&units);
    push(
        "units",
        PartStyle::Body,
        if units.is_empty() {
            "（二）部门。本期没有参加办实事竞赛的单位。".into()
        } else if lag.is_empty() {
            format!(
                "（二）部门。办实事竞赛：{}。",
                best.iter().map(uname).collect::<Vec<_>>().join("、")
            )
        } else {
            format!(
                "（二）部门。办实事竞赛得分居前的是{}；居后的是{}。",
                best.iter().map(uname).collect::<Vec<_>>().join("、"),
                lag.iter().map(uname).collect::<Vec<_>>().join("、")
            )
        },
    );
    let cadres: Vec<&CoverageRow> = f.cadres.iter().filter(|r| r.visits > 0).collect();
    let idle: Vec<String> = f
        .cadres
        .iter()
        .filter(|r| r.visits == 0)
        .map(|r| r.name.clone())
        .collect();
    let cname = |r: &&CoverageRow| match r.visit_rate {
        Some(x) => format!("{}（走访率{}）", r.name, pct_or(Some(x), "")),
        None => format!("{}（走访{}户）", r.name, r.visited),
    };
    let (best, lag) = ends(&cadres);
    let mut cad = if cadres.is_empty() {
        "（三）干部。本期尚无干部走访记录。".to_string()
    } else if lag.is_empty() {
        format!(
            "（三）干部。走访考核：{}。",
            best.iter().map(cname).collect::<Vec<_>>().join("、")
        )
    } else {
        format!(
            "（三）干部。走访考核排名居前的是{}；居后的是{}。",
            best.iter().map(cname).collect::<Vec<_>>().join("、"),
            lag.iter().map(cname).collect::<Vec<_>>().join("、")
        )
    };
    if !idle.is_empty() && !cadres.is_empty() {
        cad.push_str(&format!(
            "尚有{}名干部本期没有走访记录：{}。",
            idle.len(),
            listed(&idle, 10, "人")
        ));
    }
    push("cadres", PartStyle::Body, cad);

    push("h-problems", PartStyle::Heading, "三、存在问题".into());
    let mut prob = Vec::new();
    if !f.red.is_empty() {
        let items: Vec<String> = f
            .red
            .iter()
            .map(|r| {
                let what: String = r.content.chars().take(20).collect();
                let what = what.trim_end_matches(['。', '，', '；', '！', '？', '.', ',', ' ']);
                let unit = unit_of(r);
                format!(
                    "{} {}（{}，超期{}个工作日）",
                    r.number, what, unit, r.days_over
                )
            })
            .collect();
        prob.push(format!(
            "超期未办结诉求{}件：{}。",
            f.red.len(),
            listed_by(&items, 8, "件", "；")
        ));
    }
    let key_left = v.key_should - v.key_visited;
    if v.key_should > 0 && key_left > 0 {
        prob.push(format!("重点户尚有{key_left}户未按期走访。"));
    }
    if p.due > p.on_time {
        prob.push(format!(
            "到期实事项目中有{}个未按期完成。",
            p.due - p.on_time
        ));
    }
    push(
        "problems",
        PartStyle::Body,
        if prob.is_empty() {
            "本期没有超期未办结的诉求，重点户均已按期走访。".into()
        } else {
            prob.join("")
        },
    );

    push("h-cases", PartStyle::Heading, "四、先进典型".into());
    push(
        "cases",
        PartStyle::Body,
        if f.cases.is_empty() {
            "本期暂无标记的先进典型。".into()
        } else {
            f.cases
                .iter()
                .map(|k| {
                    let mut s = format!("{}（{}）：{}", k.title, k.category, k.story.trim());
                    if !k.quote.trim().is_empty() {
                        s.push_str(&format!("群众说：“{}”", k.quote.trim()));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );

    push("h-next", PartStyle::Heading, "五、下步工作要求".into());
    push(
        "demands",
        PartStyle::Body,
        "各村（社区）、各部门要对照本通报查找差距，抓紧办理超期诉求，做到事事有回音、件件有结果；走访覆盖率较低的村要加快进度，确保重点户按期走访到位；各承担单位要按计划推进实事项目，确保按期完成。".into(),
    );
    push("signer", PartStyle::Right, signer(&f.town));
    push("date", PartStyle::Right, date_cn(as_of));
    out
}

/// A red item's unit, or 未交办 when it has none yet.
fn unit_of(r: &OverdueRow) -> &str {
    if r.unit.is_empty() {
        "未交办"
    } else {
        &r.unit
    }
}

fn funds_text(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn score_text(x: f64) -> String {
    format!("{x:.1}")
}

fn edits(c: &Connection, scope: &Scope) -> Result<HashMap<String, String>> {
    let rows = c
        .prepare("SELECT part, text FROM bulletin_edits WHERE period_from = ?1 AND period_to = ?2")?
        .query_map(params![scope.from, scope.to], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn town_scope(scope: &Scope) -> Result<Scope> {
    if !scope.villages.is_empty() {
        return Err(Error::invalid(
            "villages",
            "情况通报是全镇的，请不要选择村（社区）。",
        ));
    }
    Ok(scope.clone())
}

/// The period's 通报: drafted from the data, with the coordinator's kept edits.
pub fn draft(store: &Store, scope: &Scope, as_of: NaiveDate) -> Result<Bulletin> {
    let scope = town_scope(scope)?;
    let f = facts(store, &scope, as_of)?;
    let kept = store.read(|c| edits(c, &scope))?;
    let parts: Vec<BulletinPart> = draft_parts(&f, &scope, as_of)
        .into_iter()
        .map(|(key, style, drafted)| {
            let own = kept.get(key).filter(|t| **t != drafted);
            BulletinPart {
                key: key.to_string(),
                style,
                text: own.cloned().unwrap_or_else(|| drafted.clone()),
                edited: own.is_some(),
                drafted,
            }
        })
        .collect();
    let text = parts
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let period = period_label(scope.from, scope.to);
    let file_name = super::safe_file_name(&format!(
        "{}{}_{}_情况通报_{period}.docx",
        f.town.district,
        f.town.name,
        super::campaign(&f.town)
    ));
    Ok(Bulletin {
        scope,
        period,
        as_of,
        parts,
        text,
        file_name,
    })
}

/// Keeps the coordinator's wording of the paragraphs sent: a text equal to today's draft (or
/// empty) puts the paragraph back to the draft. Returns the 通报 as it now reads.
pub fn save_edits(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    changes: &[PartEdit],
) -> Result<Bulletin> {
    let current = draft(store, scope, as_of)?;
    for ch in changes {
        if !current.parts.iter().any(|p| p.key == ch.key) {
            return Err(Error::invalid(
                "key",
                format!("通报中没有“{}”这一段，请刷新后重试。", ch.key),
            ));
        }
        if ch.text.chars().count() > 20_000 {
            return Err(Error::invalid(
                "text",
                "这一段太长了（超过 20000 字），请分段或删减。",
            ));
        }
    }
    let now = crate::now_text();
    store.write(|tx| {
        for ch in changes {
            let part = current.parts.iter().find(|p| p.key == ch.key).expect("checked");
            let text = ch.text.trim_end().to_string();
            if text.trim().is_empty() || text == part.drafted {
                tx.execute(
                    "DELETE FROM bulletin_edits WHERE period_from = ?1 AND period_to = ?2 AND part = ?3",
                    params![scope.from, scope.to, ch.key],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO bulletin_edits (period_from, period_to, part, text, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (period_from, period_to, part) DO UPDATE SET text = ?4, updated_at = ?5",
                    params![scope.from, scope.to, ch.key, text, now],
                )?;
            }
        }
        Ok(())
    })?;
    draft(store, scope, as_of)
}

/// Puts every paragraph of the period back to the draft.
pub fn reset(store: &Store, scope: &Scope) -> Result<()> {
    store.write(|tx| {
        tx.execute(
            "DELETE FROM bulletin_edits WHERE period_from = ?1 AND period_to = ?2",
            params![scope.from, scope.to],
        )?;
        Ok(())
    })
}

/// What `write_docx` wrote.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct BulletinDone {
    pub path: String,
    pub period: String,
    /// Paragraphs printed (a paragraph of several lines counts once).
    pub parts: usize,
    /// Paragraphs in the coordinator's own wording.
    pub edited: usize,
}

/// The paragraphs on paper.
fn paper(b: &Bulletin) -> Vec<Para> {
    let mut out = Vec::new();
    let mut signed = false;
    for p in &b.parts {
        match p.style {
            PartStyle::Title => out.push(Para::Title(p.text.trim().to_string())),
            PartStyle::Plain => out.push(Para::Plain(p.text.trim().to_string())),
            PartStyle::Heading => out.push(Para::Heading(p.text.trim().to_string())),
            PartStyle::Body => out.extend(word::body_lines(&p.text)),
            PartStyle::Right => {
                if !signed {
                    // The 落款 never stands alone on a page: the last paragraph goes with it.
                    if let Some(Para::Body(t)) = out.last().cloned() {
                        *out.last_mut().expect("just read") = Para::BodyKeep(t);
                    }
                    // Two blank lines before the 落款, as offices leave room for the seal.
                    out.push(Para::Blank);
                    out.push(Para::Blank);
                    signed = true;
                }
                out.push(Para::Right(p.text.trim().to_string()))
            }
        }
    }
    out
}

/// Writes the 通报 as it now reads (`draft` with the kept edits) to `target` as .docx.
pub fn write_docx(
    store: &Store,
    scope: &Scope,
    as_of: NaiveDate,
    target: &Path,
) -> Result<BulletinDone> {
    let b = draft(store, scope, as_of)?;
    let path = word::save(word::document(&paper(&b)), target)?;
    Ok(BulletinDone {
        path: path.display().to_string(),
        period: b.period.clone(),
        parts: b.parts.len(),
        edited: b.parts.iter().filter(|p| p.edited).count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_and_lagging_never_overlap() {
        let r: Vec<i32> = (1..=9).collect();
        assert_eq!(ends(&r), (&[1, 2, 3][..], &[7, 8, 9][..]));
        let r = [1, 2, 3, 4];
        assert_eq!(ends(&r), (&[1, 2][..], &[3, 4][..]));
        let r = [1, 2, 3];
        assert_eq!(ends(&r), (&[1][..], &[3][..]));
        let r = [1];
        assert_eq!(ends(&r), (&[1][..], &[][..]));
        let r: [i32; 0] = [];
        assert_eq!(ends(&r), (&[][..], &[][..]));
    }

    #[test]
    fn long_lists_say_how_many() {
        let names: Vec<String> = ["甲", "乙", "丙"].iter().map(|s| s.to_string()).collect();
        assert_eq!(listed(&names, 2, "人"), "甲、乙等3人");
        assert_eq!(listed(&names, 3, "人"), "甲、乙、丙");
        assert_eq!(funds_text(12.5), "12.5");
        assert_eq!(funds_text(3.0), "3");
    }
}
