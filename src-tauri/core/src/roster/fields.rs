//! What a roster column can mean, and the synonym dictionary that recognises it from the
//! header a village actually typed ("户主姓名（必填）", "身份证号码", "村（社区）", "联系方式/手机").

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which list a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum ImportKind {
    Households,
    Cadres,
}

impl ImportKind {
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Households => "农户花名册",
            ImportKind::Cadres => "干部名单",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Households => "households",
            ImportKind::Cadres => "cadres",
        }
    }
    pub fn fields(self) -> &'static [Field] {
        match self {
            ImportKind::Households => &[
                Field::Village,
                Field::Group,
                Field::HeadName,
                Field::IdNumber,
                Field::Phone,
                Field::Size,
                Field::Address,
                Field::Tags,
                Field::Note,
                Field::Relation,
                Field::HouseholdNo,
            ],
            ImportKind::Cadres => &[
                Field::Name,
                Field::Unit,
                Field::Title,
                Field::Phone,
                Field::Villages,
                Field::Level,
                Field::Note,
            ],
        }
    }
}

/// A field of the register a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    HeadName,
    IdNumber,
    Phone,
    Village,
    Group,
    Size,
    Address,
    Tags,
    Note,
    Name,
    Unit,
    Title,
    Villages,
    Level,
    /// 与户主关系: a 人口花名册 has a row per person; only the 户主 rows are households.
    Relation,
    /// 户号: the rows of one family share it in a 人口花名册.
    HouseholdNo,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::HeadName => "headName",
            Field::IdNumber => "idNumber",
            Field::Phone => "phone",
            Field::Village => "village",
            Field::Group => "group",
            Field::Size => "size",
            Field::Address => "address",
            Field::Tags => "tags",
            Field::Note => "note",
            Field::Name => "name",
            Field::Unit => "unit",
            Field::Title => "title",
            Field::Villages => "villages",
            Field::Level => "level",
            Field::Relation => "relation",
            Field::HouseholdNo => "householdNo",
        }
    }

    /// The header the template writes and the screen shows.
    pub fn label(self) -> &'static str {
        match self {
            Field::HeadName => "户主姓名",
            Field::IdNumber => "公民身份号码",
            Field::Phone => "联系电话",
            Field::Village => "村（社区）",
            Field::Group => "村民小组",
            Field::Size => "家庭人口",
            Field::Address => "地址/门牌",
            Field::Tags => "类别",
            Field::Note => "备注",
            Field::Name => "姓名",
            Field::Unit => "单位",
            Field::Title => "职务",
            Field::Villages => "挂钩村",
            Field::Level => "干部类别",
            Field::Relation => "与户主关系",
            Field::HouseholdNo => "户号",
        }
    }

    /// Whether the import template has this column: a template is a roster of households, so
    /// the columns that only a per-person roster has are left out.
    pub fn in_template(self) -> bool {
        !matches!(self, Field::Relation | Field::HouseholdNo)
    }

    pub fn required(self, kind: ImportKind) -> bool {
        match kind {
            ImportKind::Households => matches!(
                self,
                Field::HeadName | Field::IdNumber | Field::Village | Field::Group
            ),
            ImportKind::Cadres => matches!(self, Field::Name | Field::Unit),
        }
    }

    /// Headers that mean this field, already in [`normalize_header`] form, best first.
    fn synonyms(self, kind: ImportKind) -> &'static [&'static str] {
        match (kind, self) {
            (ImportKind::Households, Field::HeadName) => &[
                "户主姓名",
                "户主",
                "姓名",
                "户主名",
                "户主名字",
                "户名",
                "名字",
                "户主姓名称",
            ],
            (_, Field::IdNumber) => &[
                "公民身份号码",
                "身份证号",
                "身份证号码",
                "证件号码",
                "身份证",
                "户主身份证号",
                "户主身份证号码",
                "身份证件号码",
                "证件号",
                "户主公民身份号码",
                "身份号码",
            ],
            (_, Field::Phone) => &[
                "联系电话",
                "手机",
                "手机号码",
                "电话",
                "手机号",
                "联系方式",
                "电话号码",
                "移动电话",
                "联系手机",
                "户主电话",
                "户主联系电话",
                "座机",
                "固定电话",
            ],
            (_, Field::Village) => &[
                "村",
                "村社区",
                "所在村",
                "行政村",
                "村委会",
                "村名",
                "村居",
                "社区",
                "所属村",
                "村别",
                "村居委会",
                "所在村社区",
                "村民委员会",
                "所属村居",
            ],
            (_, Field::Group) => &[
                "组",
                "村民小组",
                "组别",
                "小组",
                "所在组",
                "组名",
                "居民小组",
                "所属组",
                "生产队",
                "队",
                "村民组",
            ],
            (_, Field::Size) => &[
                "家庭人口",
                "人口数",
                "家庭人数",
                "人口",
                "家庭成员数",
                "户人口数",
                "人数",
                "家庭人口数",
                "户籍人口",
            ],
            (_, Field::Address) => &[
                "地址",
                "住址",
                "门牌号",
                "家庭住址",
                "详细地址",
                "门牌",
                "家庭地址",
                "居住地址",
                "现住址",
            ],
            (_, Field::Tags) => &[
                "类别",
                "户类别",
                "人员类别",
                "标签",
                "户类型",
                "类型",
                "重点户类别",
                "户属性",
                "重点人群类别",
                "困难类别",
                "家庭类别",
            ],
            (_, Field::Note) => &["备注", "说明", "备注说明"],
            (ImportKind::Cadres, Field::Name) => &["姓名", "干部姓名", "名字", "走访干部"],
            (_, Field::Unit) => &[
                "单位",
                "工作单位",
                "所在单位",
                "部门",
                "派出单位",
                "单位名称",
            ],
            (_, Field::Title) => &["职务", "职位", "职务职级", "现任职务"],
            (_, Field::Villages) => &[
                "挂钩村",
                "联系村",
                "包挂村",
                "挂钩村居",
                "挂钩村社区",
                "走访村",
                "挂钩联系村",
                "联系村居",
            ],
            (_, Field::Level) => &["干部类别", "层级", "级别", "干部层级", "类别"],
            (ImportKind::Households, Field::Relation) => &[
                "与户主关系",
                "与户主的关系",
                "与户主关系名称",
                "家庭关系",
                "关系",
                "成员关系",
                "家庭成员关系",
            ],
            (ImportKind::Households, Field::HouseholdNo) => &[
                "户号",
                "户编号",
                "户籍编号",
                "家庭编号",
                "户编码",
                "户代码",
                "户籍号",
            ],
            _ => &[],
        }
    }
}

/// A header as compared with the dictionary: half-width, no spaces, without bracketed
/// remarks ("（必填）", "(社区)"), required-markers (`*`) or a trailing colon.
pub fn normalize_header(raw: &str) -> String {
    let half = crate::validate::halfwidth(raw);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in half.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '*' | '※' | ':' | '/' | '、' | '-' | '_') => {}
            c => out.push(c),
        }
    }
    out
}

/// How well a header names a field: 2 = a dictionary word exactly, 1 = the header contains a
/// dictionary word of two or more characters (the longest one counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Strength {
    pub exact: bool,
    pub len: usize,
    /// Position in the synonym list (lower is better).
    pub rank: std::cmp::Reverse<usize>,
}

pub fn match_header(kind: ImportKind, field: Field, header: &str) -> Option<Strength> {
    let h = normalize_header(header);
    if h.is_empty() {
        return None;
    }
    let syns = field.synonyms(kind);
    if let Some(i) = syns.iter().position(|s| *s == h) {
        return Some(Strength {
            exact: true,
            len: h.chars().count(),
            rank: std::cmp::Reverse(i),
        });
    }
    syns.iter()
        .enumerate()
        .filter(|(_, s)| s.chars().count() >= 2 && h.contains(*s))
        .map(|(i, s)| Strength {
            exact: false,
            len: s.chars().count(),
            rank: std::cmp::Reverse(i),
        })
        .max()
}

/// The field a header names best, if any.
pub fn best_field(kind: ImportKind, header: &str) -> Option<(Field, Strength)> {
    kind.fields()
        .iter()
        .filter_map(|&f| match_header(kind, f, header).map(|s| (f, s)))
        .max_by_key(|(_, s)| *s)
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_villages_type_them_are_recognised() {
        let k = ImportKind::Households;
        for (h, f) in [
            ("户主姓名（必填）", Field::HeadName),
            (" 户 主 ", Field::HeadName),
            ("公民身份号码", Field::IdNumber),
            ("身份证号码(18位)", Field::IdNumber),
            ("*证件号码", Field::IdNumber),
            ("手机号码", Field::Phone),
            ("村（社区）", Field::Village),
            ("所在村", Field::Village),
            ("村民小组", Field::Group),
            ("组别", Field::Group),
            ("家庭人数", Field::Size),
            ("住址", Field::Address),
            ("人员类别", Field::Tags),
            ("户主联系电话", Field::Phone),
            ("户主身份证号码", Field::IdNumber),
        ] {
            assert_eq!(best_field(k, h).map(|x| x.0), Some(f), "{h}");
        }
        assert_eq!(best_field(k, "序号"), None);
        assert_eq!(best_field(k, "出生日期"), None);
    }

    #[test]
    fn column_letters_are_excels() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
