//! Validation of what users type or import: 公民身份号码 (GB 11643-1999), phones, names, dates.
//!
//! Every check returns the normalized value or an [`Error::Invalid`] whose Chinese message
//! names the field, repeats the value and says what to do.

use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// Full-width ASCII (Ａ１，…) to half-width and the ideographic space to a space — what
/// Chinese input methods and WPS produce.
pub fn halfwidth(s: &str) -> String {
    if s.is_ascii() {
        // Nothing to change (every full-width form is outside ASCII).
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Full-width digits and Latin letters (０１Ａｂ) to half-width and the ideographic space to a
/// space; Chinese punctuation（，。：）stays as typed. For names and free text.
pub fn halfwidth_alnum(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// Trim, half-width, drop inner whitespace, `x` → `X`.
pub fn normalize_id(raw: &str) -> String {
    halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    Some(ID_CHECK[(sum % 11) as usize])
}

/// The birth date encoded in positions 7–14 of an 18-character ID, if it is a real date.
pub fn id_birth_date(id: &str) -> Option<NaiveDate> {
    let s = id.get(6..14)?;
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

fn looks_scientific(s: &str) -> bool {
    let u = s.to_ascii_uppercase();
    u.contains('E')
        && u.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'E' | '+' | '-'))
}

/// Checks a 公民身份号码 and returns it normalized (half-width, upper-case X).
pub fn check_id_number(raw: &str, today: NaiveDate) -> Result<String> {
    const F: &str = "idNumber";
    let id = normalize_id(raw);
    if id.is_empty() {
        return Err(Error::invalid(F, "请填写公民身份号码（18 位）。"));
    }
    if looks_scientific(&id) {
        return Err(Error::invalid(
            F,
            format!(
                "公民身份号码“{id}”是科学计数法，说明它在 Excel 里被存成了数字，后几位已经丢失，无法还原。\
                 请把该列设为“文本”格式后重新录入号码，不要猜测后几位。"
            ),
        ));
    }
    let n = id.chars().count();
    if n == 15 && id.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            F,
            format!(
                "公民身份号码“{id}”是 15 位的旧号码。请向户主索取现在使用的 18 位号码后再填写。"
            ),
        ));
    }
    if n != 18 {
        return Err(Error::invalid(
            F,
            format!("公民身份号码“{id}”有 {n} 位，应为 18 位。请对照身份证核对，看是否多录或漏录了数字。"),
        ));
    }
    if let Some((pos, c)) = id
        .chars()
        .enumerate()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 17 && c == 'X')))
    {
        return Err(Error::invalid(
            F,
            format!(
                "公民身份号码“{id}”的第 {} 位“{c}”不对：前 17 位只能是数字，最后一位是数字或 X。",
                pos + 1
            ),
        ));
    }
    let (y, m, d) = (&id[6..10], &id[10..12], &id[12..14]);
    let Some(birth) = id_birth_date(&id) else {
        return Err(Error::invalid(
            F,
            format!("公民身份号码“{id}”中的出生日期 {y}年{m}月{d}日 不存在。请核对第 7–14 位。"),
        ));
    };
    if birth > today {
        return Err(Error::invalid(
            F,
            format!("公民身份号码“{id}”中的出生日期 {y}年{m}月{d}日 晚于今天。请核对第 7–14 位。"),
        ));
    }
    if birth.year() < 1900 {
        return Err(Error::invalid(
            F,
            format!("公民身份号码“{id}”中的出生年份 {y} 不合理。请核对第 7–10 位。"),
        ));
    }
    let expected = id_check_char(&id[..17]).expect("17 ascii digits checked above");
    if id.ends_with(expected) {
        Ok(id)
    } else {
        Err(Error::invalid(
            F,
            format!(
                "公民身份号码“{id}”的校验位（最后一位）对不上，说明有数字录错了。请对照身份证逐位核对。"
            ),
        ))
    }
}

/// What a phone number turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
}

fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// `0\d{2,3}-?\d{7,8}`, returned with one dash between area code and number.
fn as_landline(s: &str) -> Option<String> {
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    if let Some((area, num)) = s.split_once('-') {
        let ok = area.starts_with('0')
            && (3..=4).contains(&area.len())
            && all_digits(area)
            && (7..=8).contains(&num.len())
            && all_digits(num);
        return ok.then(|| format!("{area}-{num}"));
    }
    if !s.starts_with('0') || !all_digits(s) {
        return None;
    }
    // 010 and 02X are the three-digit area codes; every other one has four digits.
    let area_len = if s.starts_with("010") || s.starts_with("02") {
        3
    } else {
        4
    };
    let num = &s[area_len.min(s.len())..];
    ((7..=8).contains(&num.len())).then(|| format!("{}-{}", &s[..area_len], num))
}

/// Normalises and checks a phone: mobiles lose spaces, dashes and `+86`; landlines keep one
/// dash after the area code. Empty input is allowed and returns `""`.
pub fn check_phone(field: &'static str, label: &str, raw: &str) -> Result<String> {
    let s: String = halfwidth(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Ok(String::new());
    }
    if let Some(kind_value) = classify_phone(&s) {
        return Ok(kind_value.1);
    }
    Err(Error::invalid(
        field,
        format!(
            "{label}“{}”不是有效的号码：手机号是 1 开头的 11 位数字（如 13812345678），\
             座机要带区号（如 0527-84123456）。",
            raw.trim()
        ),
    ))
}

/// The kind and the normalized form of a phone number, or `None` when it is neither.
pub fn classify_phone(s: &str) -> Option<(PhoneKind, String)> {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '(' | ')'))
        .collect();
    let digits: String = compact.chars().filter(|&c| c != '-').collect();
    let digits = digits.trim_start_matches('+');
    for prefix in ["", "86", "0086"] {
        if let Some(rest) = digits.strip_prefix(prefix).filter(|r| is_mobile(r)) {
            return Some((PhoneKind::Mobile, rest.to_string()));
        }
    }
    as_landline(&compact).map(|l| (PhoneKind::Landline, l))
}

/// A person's name: required, at most 30 characters, no digits.
pub fn check_person_name(field: &'static str, label: &str, raw: &str) -> Result<String> {
    let name: String = halfwidth(raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("");
    if name.is_empty() {
        return Err(Error::invalid(field, format!("请填写{label}。")));
    }
    if name.chars().count() > 30 {
        return Err(Error::invalid(
            field,
            format!("{label}“{name}”超过 30 个字，请核对。"),
        ));
    }
    if name.chars().any(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            field,
            format!("{label}“{name}”里有数字，请核对是否录错了栏目。"),
        ));
    }
    Ok(name)
}

/// A required short text (unit, village name…): trimmed, half-width, 1..=max characters.
pub fn check_text(field: &'static str, label: &str, raw: &str, max: usize) -> Result<String> {
    let t = halfwidth_alnum(raw).trim().to_string();
    if t.is_empty() {
        return Err(Error::invalid(field, format!("请填写{label}。")));
    }
    check_optional_text(field, label, &t, max)
}

/// An optional text: trimmed, half-width, at most `max` characters.
pub fn check_optional_text(
    field: &'static str,
    label: &str,
    raw: &str,
    max: usize,
) -> Result<String> {
    let t = halfwidth_alnum(raw).trim().to_string();
    if t.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{label}太长了（超过 {max} 个字），请精简。"),
        ));
    }
    Ok(t)
}

/// Dates as rosters write them: `2026-11-29`, `2026/11/29`, `2026.11.29`, `2026年11月29日`,
/// `20261129`, or an Excel serial number (days since 1899-12-30).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = halfwidth(raw).trim().to_string();
    if s.is_empty() {
        return None;
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&s, "%Y%m%d").ok();
    }
    if let Ok(serial) = s.parse::<f64>() {
        if (1.0..2_958_466.0).contains(&serial) {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
            return base.checked_add_days(chrono::Days::new(serial.trunc() as u64));
        }
        return None;
    }
    let unified: String = s
        .replace(['年', '月'], "-")
        .replace('日', "")
        .replace(['/', '.'], "-");
    let mut parts = unified.split('-').map(str::trim);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn accepts_published_check_digit_vectors() {
        // The GB 11643 sample number and numbers whose check characters are X and 0.
        for id in [
            "11010519491231002X",
            "110101199003074477",
            "440524188001010014",
            "320113199001011231",
        ] {
            let first17 = &id[..17];
            assert_eq!(id_check_char(first17), id.chars().last(), "{id}");
        }
        assert_eq!(
            check_id_number("11010519491231002x", today()).unwrap(),
            "11010519491231002X"
        );
    }

    #[test]
    fn every_check_character_is_reachable() {
        let mut seen = std::collections::BTreeSet::new();
        for seq in 0..200 {
            let first17 = format!("32130219800101{seq:03}");
            seen.insert(id_check_char(&first17).unwrap());
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
    }

    #[test]
    fn wrong_check_digit_is_refused_without_revealing_a_guess() {
        let e = check_id_number("110105194912310021", today()).unwrap_err();
        assert_eq!(e.field(), Some("idNumber"));
        let msg = e.to_string();
        assert!(
            msg.contains("校验位") && msg.contains("110105194912310021"),
            "{msg}"
        );
    }

    #[test]
    fn impossible_and_future_birth_dates_are_refused() {
        let feb30 = format!(
            "32130219900230123{}",
            id_check_char("32130219900230123").unwrap()
        );
        assert!(check_id_number(&feb30, today())
            .unwrap_err()
            .to_string()
            .contains("1990年02月30日 不存在"));
        let future = format!(
            "32130220300101123{}",
            id_check_char("32130220300101123").unwrap()
        );
        assert!(check_id_number(&future, today())
            .unwrap_err()
            .to_string()
            .contains("晚于今天"));
        let leap = format!(
            "32130220000229123{}",
            id_check_char("32130220000229123").unwrap()
        );
        assert!(check_id_number(&leap, today()).is_ok());
    }

    #[test]
    fn full_width_and_spaces_are_normalized() {
        let id = "１１０１０５　１９４９１２３１００２ｘ";
        assert_eq!(check_id_number(id, today()).unwrap(), "11010519491231002X");
    }

    #[test]
    fn wrong_lengths_old_ids_and_scientific_notation_get_their_own_message() {
        assert!(check_id_number("1101051949123100", today())
            .unwrap_err()
            .to_string()
            .contains("有 16 位"));
        assert!(check_id_number("110105491231002", today())
            .unwrap_err()
            .to_string()
            .contains("15 位的旧号码"));
        let sci = check_id_number("3.20113E+17", today())
            .unwrap_err()
            .to_string();
        assert!(sci.contains("科学计数法") && sci.contains("文本"), "{sci}");
        assert!(check_id_number("11010519491231X02X", today())
            .unwrap_err()
            .to_string()
            .contains("第 15 位"));
        assert!(check_id_number("", today())
            .unwrap_err()
            .to_string()
            .contains("请填写"));
    }

    #[test]
    fn phones_are_normalized_and_checked() {
        let ok = |s: &str| check_phone("phone", "联系电话", s).unwrap();
        assert_eq!(ok("138 1234 5678"), "13812345678");
        assert_eq!(ok("+86 138-1234-5678"), "13812345678");
        assert_eq!(ok("008613812345678"), "13812345678");
        assert_eq!(ok("１３８１２３４５６７８"), "13812345678");
        assert_eq!(ok("0527-84123456"), "0527-84123456");
        assert_eq!(ok("052784123456"), "0527-84123456");
        assert_eq!(ok("01012345678"), "010-12345678");
        assert_eq!(ok(""), "");
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "abc",
            "84123456",
        ] {
            let e = check_phone("phone", "联系电话", bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{bad}: {e}");
        }
    }

    #[test]
    fn names_are_required_and_plausible() {
        assert_eq!(
            check_person_name("headName", "户主姓名", " 张 三 ").unwrap(),
            "张三"
        );
        assert_eq!(
            check_person_name("headName", "户主姓名", "买买提·艾力").unwrap(),
            "买买提·艾力"
        );
        assert!(check_person_name("headName", "户主姓名", "  ")
            .unwrap_err()
            .to_string()
            .contains("请填写户主姓名"));
        assert!(check_person_name("headName", "户主姓名", "张3").is_err());
    }

    #[test]
    fn free_text_keeps_chinese_punctuation_but_not_full_width_digits() {
        assert_eq!(
            check_text("content", "内容", " 第１件：漏水，请修（急）！ ", 100).unwrap(),
            "第1件：漏水，请修（急）！"
        );
        assert_eq!(
            check_person_name("name", "姓名", "买买提·艾力").unwrap(),
            "买买提·艾力"
        );
    }

    #[test]
    fn dates_in_every_roster_spelling() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29);
        for s in [
            "2026-11-29",
            "2026/11/29",
            "2026.11.29",
            "2026年11月29日",
            "20261129",
            "46355",
            "２０２６-１１-２９",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date(""), None);
    }
}
