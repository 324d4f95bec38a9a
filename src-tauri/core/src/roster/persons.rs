//! 人口花名册: a roster with a row per person, as the 户籍 and 网格 systems print it — a
//! 与户主关系 column (户主, 配偶, 长子, 孙女 …) and often a 户号 the rows of one family share.
//! Only the 户主 rows are households. The other members count into the household's 家庭人口
//! and lend it their tags (a member with a disability makes it a 残疾人家庭), and the phone
//! or address its 户主's row lacks. A member whose family has no 户主 row is a problem: nobody
//! can tell in whose name the household is registered.
//!
//! Families are told apart by 户号 when the file has one, otherwise by order: a 户主 row
//! starts a family and the member rows under it belong to it (the 户籍 print's layout).

use super::fields::Field;
use super::run::{Ctx, Problem};
use super::values::split_list;
use super::Cell;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use ts_rs::TS;

/// What the import made of a per-person roster, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PersonRoster {
    /// Rows of people under the header.
    pub people: u32,
    /// Families with one 户主 row: the households the import takes.
    pub families: u32,
    /// Members counted into their family's household (not households themselves).
    pub members: u32,
    /// 按户号 or 按行的顺序（户主行开始一户）.
    pub grouped_by: String,
    /// The file has no 与户主关系 column: the first row of each 户号 was taken as the 户主.
    pub head_by_order: bool,
}

/// The families of a per-person roster.
pub(crate) struct Families {
    /// The 户主 rows in the file's order: the rows imported as households.
    pub heads: Vec<usize>,
    /// (row, field) → the value a 户主 row gets from its family.
    pub derived: HashMap<(usize, Field), Cell>,
    pub derived_fields: BTreeSet<Field>,
    pub problems: Vec<Problem>,
    pub summary: PersonRoster,
}

/// Whether a 与户主关系 value names the 户主 (`None` when the cell is empty).
pub fn relation_is_head(raw: &str) -> Option<bool> {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && !"()（）[]【】".contains(*c))
        .collect();
    if s.is_empty() {
        return None;
    }
    Some(matches!(
        s.as_str(),
        "户主" | "本人" | "户主本人" | "本人户主"
    ))
}

/// A cell as a key: a whole number in all its digits (户号 320113000123, not 3.20113E+11).
fn key_text(c: &Cell) -> String {
    match c {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        c => c.text(),
    }
}

struct Family {
    /// The 户号 (empty when grouped by order).
    no: String,
    rows: Vec<usize>,
    heads: Vec<usize>,
}

/// The families of `data` when the table is a per-person roster: it has a 与户主关系 column,
/// or rows sharing a 户号. `None` for a roster of households.
pub(crate) fn group(ctx: &Ctx<'_>, data: &[usize]) -> Option<Families> {
    let by_no = ctx.cols.contains_key(&Field::HouseholdNo);
    let by_relation = ctx.cols.contains_key(&Field::Relation);
    let no = |r: usize| key_text(ctx.cell(r, Field::HouseholdNo));
    let relation = |r: usize| ctx.cell(r, Field::Relation).text();
    let is_head = |r: usize| relation_is_head(&relation(r));
    if !by_relation {
        // A 户号 column alone makes a per-person roster only when families share it.
        let mut seen = std::collections::HashSet::new();
        let shared = by_no
            && data.iter().any(|&r| {
                let n = no(r);
                !n.is_empty() && !seen.insert((ctx.cell(r, Field::Village).text(), n))
            });
        if !shared {
            return None;
        }
    }
    let mut problems = Vec::new();
    let mut families: Vec<Family> = Vec::new();
    if by_no {
        let mut at: HashMap<(String, String), usize> = HashMap::new();
        for &r in data {
            let n = no(r);
            if n.is_empty() {
                if by_relation && is_head(r) == Some(true) {
                    families.push(Family {
                        no: String::new(),
                        rows: vec![r],
                        heads: vec![r],
                    });
                } else {
                    problems.push(ctx.problem(
                        r,
                        Some(Field::HouseholdNo),
                        "这一行没有户号，不知道是哪一户的家庭成员。请在原表中补上户号。",
                    ));
                }
                continue;
            }
            let key = (ctx.cell(r, Field::Village).text(), n.clone());
            let i = *at.entry(key).or_insert_with(|| {
                families.push(Family {
                    no: n,
                    rows: Vec::new(),
                    heads: Vec::new(),
                });
                families.len() - 1
            });
            families[i].rows.push(r);
            if by_relation && is_head(r) == Some(true) {
                families[i].heads.push(r);
            }
        }
        if !by_relation {
            for f in &mut families {
                f.heads.push(f.rows[0]);
            }
        }
    } else {
        for &r in data {
            if is_head(r) == Some(true) {
                families.push(Family {
                    no: String::new(),
                    rows: vec![r],
                    heads: vec![r],
                });
            } else if let Some(f) = families.last_mut() {
                f.rows.push(r);
            } else {
                problems.push(ctx.problem(
                    r,
                    Some(Field::Relation),
                    format!(
                        "这一行是家庭成员（与户主关系：{}），上面没有户主行，不知道是哪一户的。请把这一户的户主行放在它的上面，或补上户主行。",
                        shown(&relation(r))
                    ),
                ));
            }
        }
    }

    let mut heads = Vec::new();
    let mut derived = HashMap::new();
    let mut derived_fields = BTreeSet::new();
    let mut members = 0u32;
    for f in &families {
        match f.heads.as_slice() {
            [] => {
                for &r in &f.rows {
                    problems.push(ctx.problem(
                        r,
                        Some(Field::Relation),
                        format!(
                            "这一行是家庭成员（与户主关系：{}），同一户（户号 {}）没有户主行，不知道这一户登记在谁名下。请在原表中补上户主那一行，或把户主的“与户主关系”写成“户主”。",
                            shown(&relation(r)),
                            f.no
                        ),
                    ));
                }
            }
            [head] => {
                let head = *head;
                heads.push(head);
                members += f.rows.len() as u32 - 1;
                family_values(ctx, head, &f.rows, &mut derived, &mut derived_fields);
            }
            many => {
                let rows: Vec<String> = many.iter().map(|r| (r + 1).to_string()).collect();
                for &r in many {
                    problems.push(ctx.problem(
                        r,
                        Some(Field::Relation),
                        format!(
                            "户号 {} 有 {} 行户主（第 {} 行），一户只能有一个户主。请在原表中改正后再导入这一户。",
                            f.no,
                            many.len(),
                            rows.join("、")
                        ),
                    ));
                }
            }
        }
    }
    heads.sort_unstable();
    Some(Families {
        summary: PersonRoster {
            people: data.len() as u32,
            families: heads.len() as u32,
            members,
            grouped_by: if by_no {
                "按户号".into()
            } else {
                "按行的顺序（户主行开始一户）".into()
            },
            head_by_order: !by_relation,
        },
        heads,
        derived,
        derived_fields,
        problems,
    })
}

fn shown(relation: &str) -> &str {
    if relation.is_empty() {
        "未填"
    } else {
        relation
    }
}

/// What the 户主 row takes from the family: 家庭人口 (the rows, unless the row states it),
/// every member's tags, and a phone or address where its own cell is empty.
fn family_values(
    ctx: &Ctx<'_>,
    head: usize,
    rows: &[usize],
    derived: &mut HashMap<(usize, Field), Cell>,
    fields: &mut BTreeSet<Field>,
) {
    let mut put = |f: Field, c: Cell| {
        derived.insert((head, f), c);
        fields.insert(f);
    };
    if ctx.cell(head, Field::Size).is_empty() {
        put(Field::Size, Cell::Number(rows.len() as f64));
    }
    if ctx.has(Field::Tags) {
        let mut tags: Vec<String> = Vec::new();
        for &r in rows {
            for t in split_list(&ctx.cell(r, Field::Tags).text()) {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        if !tags.is_empty() && tags != split_list(&ctx.cell(head, Field::Tags).text()) {
            put(Field::Tags, Cell::Text(tags.join("、")));
        }
    }
    for f in [Field::Phone, Field::Address] {
        if ctx.has(f) && ctx.cell(head, f).is_empty() {
            if let Some(c) = rows.iter().map(|&r| ctx.cell(r, f)).find(|c| !c.is_empty()) {
                put(f, c.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_named_as_the_registers_print_it() {
        for h in ["户主", " 户主 ", "本人", "户主（本人）", "本人(户主)"] {
            assert_eq!(relation_is_head(h), Some(true), "{h}");
        }
        for m in ["配偶", "长子", "孙女", "户主之子", "妻"] {
            assert_eq!(relation_is_head(m), Some(false), "{m}");
        }
        assert_eq!(relation_is_head("  "), None);
    }
}
