//! Normalising one value of a roster: phones without spaces, dashes or +86; "3组" = "三组" =
//! "第三村民小组"; "黄河" = "黄河村"; "3人" → 3; tags split on 、，,;/ and spaces; Excel
//! serial dates. Pure functions, fuzzed by proptest in tests/portable/roster_props.rs.

use chrono::NaiveDate;

/// Excel serial day (1900 system, with Excel's phantom 1900-02-29) → date.
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(if days < 60 {
        days + 1
    } else {
        days
    }))
}

/// Digits only, with +86 / 0086 and separators removed. Several numbers in one cell: the
/// first one.
pub fn normalize_phone(raw: &str) -> String {
    let half = crate::validate::halfwidth(raw);
    let first = half
        .split(['、', ',', '，', ';', '；', '/', '\n'])
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("");
    let mut s: String = first
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '（' | '）' | '\t'))
        .collect();
    if let Some(rest) = s.strip_prefix("+86") {
        s = rest.to_string();
    } else if let Some(rest) = s.strip_prefix("0086") {
        s = rest.to_string();
    } else if s.len() == 13 && s.starts_with("86") && s.as_bytes()[2] == b'1' {
        s = s[2..].to_string();
    }
    s
}

/// 一…九十九 (and 〇/零, 两) → number.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// The number a group is known by: "3", "03", "3组", "第3组", "三组", "第三村民小组", "3队".
pub fn group_number(raw: &str) -> Option<u32> {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.strip_prefix('第').unwrap_or(&s);
    let core = [
        "村民小组",
        "居民小组",
        "小组",
        "村民组",
        "生产队",
        "组",
        "队",
    ]
    .iter()
    .find_map(|suf| s.strip_suffix(suf))
    .unwrap_or(s);
    if core.is_empty() {
        return None;
    }
    if core.chars().all(|c| c.is_ascii_digit()) {
        return core.parse().ok().filter(|&n| n > 0 && n < 1000);
    }
    chinese_number(core).filter(|&n| n > 0)
}

/// A name as compared: half-width, without any white space.
pub(crate) fn squeeze(raw: &str) -> String {
    crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A village's name without its kind, for tolerant matching ("黄河村" / "黄河" / "黄河村委会").
pub fn village_core(raw: &str) -> String {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for suf in [
        "村民委员会",
        "居民委员会",
        "村委会",
        "居委会",
        "社区居委会",
        "社区",
        "村",
        "居",
    ] {
        if let Some(core) = s.strip_suffix(suf) {
            if !core.is_empty() {
                return core.to_string();
            }
        }
    }
    s
}

/// Whether a typed or imported village name means the registered village `name`: the same
/// text, or the same core ("黄河" = "黄河村" = "黄河村委会"). The import and the CLI match by
/// this one rule.
pub fn same_village(name: &str, raw: &str) -> bool {
    let t = raw.trim();
    name == t || village_core(name) == village_core(t)
}

/// Whether a typed or imported group name means the registered group `name`: the same text,
/// or the same number ("1组" = "一组" = "第一村民小组").
pub fn same_group(name: &str, raw: &str) -> bool {
    let t = raw.trim();
    name == t || group_number(t).is_some_and(|n| group_number(name) == Some(n))
}

/// The village's name as the register keeps it: 村委会 / 村民委员会 and 居委会 / 居民委员会
/// are the committee, not the village ("黄河村委会" → "黄河村", "新河社区居委会" → "新河社区",
/// "东关居委会" → "东关社区").
pub fn village_name(raw: &str) -> String {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (suffix, kind) in [
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ] {
        if let Some(core) = s.strip_suffix(suffix) {
            if !core.is_empty() {
                return format!("{core}{kind}");
            }
        }
    }
    s
}

/// 家庭人口: a number cell, "3", "3人", "3口", "三口人".
pub fn parse_size(raw: &str) -> Option<i64> {
    let s: String = crate::validate::halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let core = s
        .trim_end_matches('人')
        .trim_end_matches('口')
        .trim_end_matches('人');
    if core.is_empty() {
        return None;
    }
    if let Ok(n) = core.parse::<i64>() {
        return Some(n);
    }
    if let Ok(f) = core.parse::<f64>() {
        if f.fract() == 0.0 && f.abs() < 1e6 {
            return Some(f as i64);
        }
        return None;
    }
    chinese_number(core).map(i64::from)
}

/// Tags as listed in one cell: "低保户、残疾人家庭" / "低保户,独居老人" / "低保户 / 五保户".
pub fn split_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = raw
        .split([
            '、', '，', ',', ';', '；', '/', '／', '|', '\n', ' ', '\u{3000}', '\t',
        ])
        .map(|t| crate::validate::halfwidth_alnum(t).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    out.dedup();
    out
}

/// A name the register knows, matched without spaces and, for villages, by its core name.
pub(crate) struct Names {
    pub list: Vec<(i64, String)>,
}

impl Names {
    pub fn load(c: &rusqlite::Connection, sql: &str) -> crate::error::Result<Names> {
        Ok(Names {
            list: c
                .prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?,
        })
    }
    pub fn find(&self, raw: &str, village: bool) -> Option<i64> {
        let t = squeeze(raw);
        self.list
            .iter()
            .find(|(_, n)| squeeze(n) == t)
            .or_else(|| {
                village
                    .then(|| {
                        self.list
                            .iter()
                            .find(|(_, n)| village_core(n) == village_core(&t))
                    })
                    .flatten()
            })
            .map(|(id, _)| *id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_known_by_their_number() {
        for s in [
            "3",
            "03",
            "3组",
            "第3组",
            "三组",
            "第三组",
            "第三村民小组",
            "3队",
            "三村民小组",
            "３组",
        ] {
            assert_eq!(group_number(s), Some(3), "{s}");
        }
        assert_eq!(group_number("十二组"), Some(12));
        assert_eq!(group_number("二十组"), Some(20));
        assert_eq!(group_number("东组"), None);
        assert_eq!(group_number("组"), None);
    }

    #[test]
    fn phones_lose_their_decoration() {
        assert_eq!(normalize_phone("+86 138-0000-1234"), "13800001234");
        assert_eq!(normalize_phone("8613800001234"), "13800001234");
        assert_eq!(
            normalize_phone("138 0000 1234、139 0000 1234"),
            "13800001234"
        );
        assert_eq!(normalize_phone("0527-8888 1234"), "052788881234");
    }

    #[test]
    fn villages_match_without_their_kind() {
        assert_eq!(village_core("黄河村"), "黄河");
        assert_eq!(village_core("黄河"), "黄河");
        assert_eq!(village_core("黄河村委会"), "黄河");
        assert_eq!(village_name("黄河村委会"), "黄河村");
        assert_eq!(village_name("黄河村民委员会"), "黄河村");
        assert_eq!(village_name("新河社区居委会"), "新河社区");
        assert_eq!(village_name("东关居委会"), "东关社区");
        assert_eq!(village_name("黄河"), "黄河");
        assert_eq!(village_name("黄河村"), "黄河村");
        assert_eq!(village_core("幸福社区"), "幸福");
    }

    #[test]
    fn sizes_and_dates_read_as_people_write_them() {
        assert_eq!(parse_size("3人"), Some(3));
        assert_eq!(parse_size("三口人"), Some(3));
        assert_eq!(parse_size("4.0"), Some(4));
        assert_eq!(parse_size("三四口"), None);
        assert_eq!(parse_size("不详"), None);
        assert_eq!(serial_date(46355.0), NaiveDate::from_ymd_opt(2026, 11, 29));
        assert_eq!(
            split_list("低保户、残疾人家庭,  独居老人"),
            vec!["低保户", "残疾人家庭", "独居老人"]
        );
    }
}
