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

crate::text_enum! {
    /// How personal data appears: masked (default), in full (asked for explicitly, and the
    /// sheet says so), or the 对外公开版 (villagers' names masked too).
    pub enum Masking ("脱敏方式") {
        Masked = "masked",
        Unmasked = "unmasked",
        Public = "public",
    }
}

impl Masking {
    pub(crate) fn phone(self, p: &str) -> String {
        match self {
            Masking::Unmasked => p.to_string(),
            _ => mask_phone(p),
        }
    }
    pub(crate) fn id(self, id: &str) -> String {
        match self {
            Masking::Unmasked => id.to_string(),
            _ => mask_id(id),
        }
    }
    pub(crate) fn name(self, n: &str) -> String {
        match self {
            Masking::Public => mask_name(n),
            _ => n.to_string(),
        }
    }
    /// Whether personal data appears in full (the sheet then says so on every page).
    pub fn unmasked(self) -> bool {
        self == Masking::Unmasked
    }
    /// [`Masking::note`] for a sheet whose only personal data are names and phones (no ID
    /// numbers): it must not speak of a column it does not have.
    pub fn note_phones(self) -> &'static str {
        match self {
            Masking::Masked => "说明：本表中的联系电话已按规定脱敏。",
            Masking::Public => "对外公开版：群众姓名、联系电话均已脱敏。",
            Masking::Unmasked => self.note(),
        }
    }
    /// The line the sheet prints about its personal data.
    pub(crate) fn note(self) -> &'static str {
        match self {
            Masking::Masked => "说明：本表中的联系电话、公民身份号码已按规定脱敏。",
            Masking::Unmasked => "注意：本表含未脱敏的个人信息（联系电话），系经办人明确要求导出，仅限工作使用，请妥善保管，不得外传、不得公开。",
            Masking::Public => "对外公开版：群众姓名、联系电话、公民身份号码均已脱敏。",
        }
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
