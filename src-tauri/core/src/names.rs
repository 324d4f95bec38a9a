//! Pinyin keys for Chinese names: initials for search (张三 → `zs`), full pinyin for sorting
//! the way Excel sorts (张三 → `zhangsan`).

use pinyin::ToPinyin;

/// Surnames whose everyday reading differs from the character's first dictionary reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('区', "ou"),
    ('查', "zha"),
    ('解', "xie"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('瞿', "qu"),
    ('柏', "bai"),
    ('秘', "bi"),
    ('折', "she"),
    ('员', "yun"),
    ('召', "shao"),
    ('种', "chong"),
    ('重', "chong"),
    ('薄', "bo"),
    ('能', "nai"),
    ('隗', "wei"),
    ('黑', "he"),
    ('尉', "yu"),
    ('句', "gou"),
    ('长', "chang"),
    ('沈', "shen"),
    ('祭', "zhai"),
    ('阚', "kan"),
    ('繁', "po"),
    ('万', "wan"),
    ('都', "du"),
    ('藏', "zang"),
    ('宿', "su"),
    ('卜', "bu"),
];

/// The pinyin syllables of a name, one per character; non-Chinese letters and digits pass
/// through lower-cased, punctuation such as `·` is dropped.
fn syllables(name: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(name.chars().count());
    for (i, (c, py)) in name.chars().zip(name.to_pinyin()).enumerate() {
        if i == 0 {
            if let Some(&(_, reading)) = SURNAME_READINGS.iter().find(|(s, _)| *s == c) {
                out.push(reading.to_string());
                continue;
            }
        }
        match py {
            Some(p) => out.push(p.plain().to_string()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase().to_string()),
            None => {}
        }
    }
    out
}

/// `张三` → `zs`; `单雄信` → `sxx`.
pub fn initials(name: &str) -> String {
    syllables(name)
        .iter()
        .filter_map(|s| s.chars().next())
        .collect()
}

/// `张三` → `zhangsan`; the sort key of names.
pub fn full_pinyin(name: &str) -> String {
    syllables(name).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_common_names() {
        assert_eq!(initials("张三"), "zs");
        assert_eq!(initials("王小明"), "wxm");
        assert_eq!(initials("买买提·艾力"), "mmtal");
        assert_eq!(initials("李A"), "la");
    }

    #[test]
    fn polyphonic_surnames_use_the_surname_reading() {
        assert_eq!(initials("单田芳"), "stf");
        assert_eq!(full_pinyin("曾国藩"), "zengguofan");
        assert_eq!(initials("仇英"), "qy");
        assert_eq!(initials("解缙"), "xj");
    }

    #[test]
    fn sort_key_orders_like_a_dictionary() {
        let mut names = vec!["赵六", "张三", "李四", "王五", "阿甘"];
        names.sort_by_key(|n| full_pinyin(n));
        assert_eq!(names, ["阿甘", "李四", "王五", "张三", "赵六"]);
    }
}
