//! Masks for personal data (个人信息保护法): lists and exports show these by default; full
//! values appear only in a household's detail form.

/// `320113199001011231` → `320113********1231`.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// `13812341234` → `138****1234`; `0527-84123456` → `0527-****3456`.
pub fn mask_phone(phone: &str) -> String {
    if phone.is_empty() {
        return String::new();
    }
    if let Some((area, num)) = phone.split_once('-') {
        let keep = num.len().saturating_sub(4);
        return format!("{area}-{}{}", "*".repeat(keep), &num[keep..]);
    }
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// `张三丰` → `张**` (对外公开版).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_the_rules_allow() {
        assert_eq!(mask_id("320113199001011231"), "320113********1231");
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0527-84123456"), "0527-****3456");
        assert_eq!(mask_phone(""), "");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("张"), "张*");
    }
}
