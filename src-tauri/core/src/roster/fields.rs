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
    /// A township's own 民情诉求台账 kept in Excel before 民情通.
    Requests,
    /// A 走访记录 (民情日记) kept in Excel: a visit per row.
    Diary,
}

impl ImportKind {
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Households => "农户花名册",
            ImportKind::Cadres => "干部名单",
            ImportKind::Requests => "民情诉求台账",
            ImportKind::Diary => "走访记录",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Households => "households",
            ImportKind::Cadres => "cadres",
            ImportKind::Requests => "requests",
            ImportKind::Diary => "diary",
        }
    }
    /// Whether each row lives in one village (a 村 column, or one village for all rows).
    pub fn has_village(self) -> bool {
        self.fields().contains(&Field::Village)
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
            ImportKind::Requests => &[
                Field::RequestNo,
                Field::ReceivedOn,
                Field::Source,
                Field::Village,
                Field::Requester,
                Field::Phone,
                Field::Kind,
                Field::Category,
                Field::Urgency,
                Field::Content,
                Field::Unit,
                Field::Handler,
                Field::FirstResponse,
                Field::Status,
                Field::Result,
                Field::Reply,
                Field::ClosedOn,
                Field::Outcome,
                Field::Satisfaction,
            ],
            ImportKind::Diary => &[
                Field::VisitDate,
                Field::Cadres,
                Field::Village,
                Field::Group,
                Field::HeadName,
                Field::IdNumber,
                Field::IdTail,
                Field::VisitResult,
                Field::Learned,
                Field::Satisfaction,
                Field::Content,
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
    // A 民情诉求台账's columns.
    RequestNo,
    ReceivedOn,
    Requester,
    Source,
    Kind,
    Category,
    Urgency,
    Content,
    Handler,
    Status,
    Result,
    Reply,
    ClosedOn,
    Outcome,
    Satisfaction,
    /// 交办日期: the first response (the 及时响应率 counts from it).
    FirstResponse,
    // A 走访记录's columns.
    VisitDate,
    /// 走访干部: one or several names.
    Cadres,
    /// 身份证后四位: with the head's name, finds the household.
    IdTail,
    VisitResult,
    Learned,
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
            Field::RequestNo => "requestNo",
            Field::ReceivedOn => "receivedOn",
            Field::Requester => "requester",
            Field::Source => "source",
            Field::Kind => "kind",
            Field::Category => "category",
            Field::Urgency => "urgency",
            Field::Content => "content",
            Field::Handler => "handler",
            Field::Status => "status",
            Field::Result => "result",
            Field::Reply => "reply",
            Field::ClosedOn => "closedOn",
            Field::Outcome => "outcome",
            Field::Satisfaction => "satisfaction",
            Field::FirstResponse => "firstResponse",
            Field::VisitDate => "visitDate",
            Field::Cadres => "cadres",
            Field::IdTail => "idTail",
            Field::VisitResult => "visitResult",
            Field::Learned => "learned",
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
            Field::RequestNo => "诉求编号",
            Field::ReceivedOn => "受理日期",
            Field::Requester => "诉求人",
            Field::Source => "来源",
            Field::Kind => "诉求类型",
            Field::Category => "诉求类别",
            Field::Urgency => "缓急程度",
            Field::Content => "诉求内容",
            Field::Handler => "责任人",
            Field::Status => "办理状态",
            Field::Result => "办理结果",
            Field::Reply => "答复群众",
            Field::ClosedOn => "办结日期",
            Field::Outcome => "办结结果",
            Field::Satisfaction => "满意度",
            Field::FirstResponse => "交办日期",
            Field::VisitDate => "走访日期",
            Field::Cadres => "走访干部",
            Field::IdTail => "身份证后四位",
            Field::VisitResult => "走访结果",
            Field::Learned => "了解到的情况",
        }
    }

    /// The label in a list of `kind`: a ledger's 单位 is the 责任单位.
    pub fn label_in(self, kind: ImportKind) -> &'static str {
        match (kind, self) {
            (ImportKind::Requests, Field::Unit) => "责任单位",
            (ImportKind::Diary, Field::Satisfaction) => "群众评价",
            (ImportKind::Diary, Field::Content) => "群众诉求",
            (ImportKind::Diary, Field::HeadName) => "户主",
            _ => self.label(),
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
            ImportKind::Requests => matches!(
                self,
                Field::ReceivedOn | Field::Requester | Field::Content | Field::Village
            ),
            ImportKind::Diary => matches!(self, Field::VisitDate | Field::Cadres | Field::HeadName),
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
            (ImportKind::Diary, Field::HeadName) => &[
                "户主",
                "户主姓名",
                "走访对象",
                "被走访人",
                "走访户",
                "农户姓名",
                "群众姓名",
                "姓名",
                "户名",
            ],
            (ImportKind::Diary, Field::Content) => &[
                "群众诉求",
                "诉求",
                "反映问题",
                "诉求内容",
                "群众反映问题",
                "反映的问题",
                "困难诉求",
            ],
            (ImportKind::Diary, Field::Satisfaction) => {
                &["群众评价", "评价", "满意度", "群众满意度", "是否满意"]
            }
            (_, Field::VisitDate) => &[
                "走访日期",
                "走访时间",
                "日期",
                "时间",
                "入户日期",
                "入户时间",
            ],
            (_, Field::Cadres) => &[
                "走访干部",
                "走访人",
                "走访人员",
                "干部姓名",
                "走访干部姓名",
                "干部",
                "走访责任人",
            ],
            (_, Field::IdTail) => &[
                "身份证后四位",
                "身份证号后四位",
                "证件后四位",
                "后四位",
                "身份证尾号",
            ],
            (_, Field::VisitResult) => &[
                "走访结果",
                "走访情况",
                "是否见面",
                "见面情况",
                "走访方式",
                "入户情况",
            ],
            (_, Field::Learned) => &[
                "了解到的情况",
                "了解情况",
                "走访内容",
                "情况记录",
                "民情记录",
                "走访记录",
                "家庭情况",
                "主要情况",
                "记录",
            ],
            (ImportKind::Requests, Field::Unit) => &[
                "责任单位",
                "承办单位",
                "交办单位",
                "办理单位",
                "承办部门",
                "责任部门",
                "牵头单位",
                "单位",
            ],
            (_, Field::RequestNo) => &[
                "诉求编号",
                "编号",
                "工单号",
                "工单编号",
                "台账编号",
                "登记编号",
                "受理编号",
            ],
            (_, Field::ReceivedOn) => &[
                "受理日期",
                "登记日期",
                "受理时间",
                "来电时间",
                "登记时间",
                "反映时间",
                "反映日期",
                "来访时间",
                "收集时间",
                "收集日期",
                "接收日期",
                "日期",
                "时间",
            ],
            (_, Field::Source) => &[
                "来源",
                "诉求来源",
                "问题来源",
                "渠道",
                "受理渠道",
                "反映渠道",
                "来源渠道",
            ],
            (_, Field::Requester) => &[
                "诉求人",
                "反映人",
                "来电人",
                "来访人",
                "诉求人姓名",
                "反映人姓名",
                "群众姓名",
                "当事人",
                "姓名",
                "联系人",
            ],
            (_, Field::Kind) => &["诉求类型", "类型", "问题类型", "诉求性质", "性质"],
            (_, Field::Category) => &[
                "诉求类别",
                "类别",
                "问题类别",
                "问题分类",
                "分类",
                "业务类别",
            ],
            (_, Field::Urgency) => &["缓急程度", "缓急", "紧急程度", "轻重缓急"],
            (_, Field::Content) => &[
                "诉求内容",
                "反映问题",
                "问题描述",
                "反映内容",
                "主要诉求",
                "诉求事项",
                "问题内容",
                "具体诉求",
                "反映事项",
                "主要问题",
                "内容",
                "诉求",
            ],
            (_, Field::Handler) => &["责任人", "承办人", "经办人", "办理人"],
            (_, Field::Status) => &[
                "办理状态",
                "状态",
                "处理状态",
                "办结情况",
                "进展情况",
                "办理进度",
            ],
            (_, Field::Result) => &[
                "办理结果",
                "处理结果",
                "办理情况",
                "处理情况",
                "处理意见",
                "办理意见",
            ],
            (_, Field::Reply) => &[
                "答复群众",
                "答复情况",
                "回复内容",
                "答复内容",
                "反馈情况",
                "回复情况",
                "答复意见",
                "群众答复",
            ],
            (_, Field::ClosedOn) => &[
                "办结日期",
                "办结时间",
                "完成时间",
                "完成日期",
                "办理完成时间",
            ],
            (_, Field::Outcome) => &["办结结果", "解决情况", "是否解决", "解决程度"],
            (_, Field::Satisfaction) => &[
                "满意度",
                "群众评价",
                "评价",
                "回访评价",
                "群众满意度",
                "是否满意",
                "回访结果",
            ],
            (_, Field::FirstResponse) => &[
                "交办日期",
                "交办时间",
                "首次响应",
                "首次响应日期",
                "首次响应时间",
                "响应时间",
                "响应日期",
                "转办日期",
                "转办时间",
            ],
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
