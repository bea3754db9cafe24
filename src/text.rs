//! Text: character classes, escaping and normalisation, shared by every
//! stage. A leaf module: it depends on nothing else in the crate.

/// A Han character (CJK unified ideographs and their extensions, and 〇).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// A character of CJK text for line-breaking purposes: Han, kana, CJK
/// punctuation and full-width forms (a soft break between two of them is
/// no space).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Escapes text for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text with every run of whitespace (ASCII, full-width U+3000, no-break
/// U+00A0) removed: how the same words compare when one copy is padded
/// (`标　　题`) or wrapped and the other is not.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whitespace runs as one ASCII space, ends trimmed.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Chinese numerals 一…九十九 (and 百 forms up to 999) as a number.
pub fn cn_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or((c == '零').then_some(0))
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    if let Some(h) = chars.iter().position(|&c| c == '百') {
        let hundreds = match h {
            0 => 1,
            1 => digit(chars[0]).filter(|&n| n > 0)?,
            _ => return None,
        };
        let tail = match &chars[h + 1..] {
            [] => 0,
            ['零' | '〇', d] => digit(*d).filter(|&n| n > 0)?,
            // 一百五 (colloquial 150) is not how headings number.
            [_] => return None,
            rest => cn_number(&rest.iter().collect::<String>()).filter(|&n| n >= 10)?,
        };
        return Some(hundreds * 100 + tail);
    }
    match chars.as_slice() {
        [] => None,
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        [d] => digit(*d).filter(|&n| n > 0),
        _ => None,
    }
}

/// A number written in Chinese numerals, as headings write it (1 → 一,
/// 12 → 十二, 105 → 一百零五).
pub fn cn_numeral(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        _ if n % 10 == 0 && n < 100 => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        100..=999 => {
            let rest = n % 100;
            let head = format!("{}百", D[(n / 100) as usize]);
            match rest {
                0 => head,
                1..=9 => format!("{head}零{}", D[rest as usize]),
                10..=19 => format!("{head}一{}", cn_numeral(rest)),
                _ => format!("{head}{}", cn_numeral(rest)),
            }
        }
        _ => n.to_string(),
    }
}

/// `第三条` at the start of a paragraph (an article of a regulation): its
/// number. Not `第三条例` or `第三条件`.
pub fn article_number(line: &str) -> Option<u32> {
    let rest = line.strip_prefix('第')?;
    let k = rest
        .chars()
        .take_while(|c| "〇零一二三四五六七八九十百两".contains(*c))
        .count();
    let num: String = rest.chars().take(k).collect();
    let after = rest[num.len()..].strip_prefix('条')?;
    if after.starts_with(['例', '件', '款']) {
        return None;
    }
    cn_number(&num)
}

/// `三、` at the start of a paragraph: its number.
pub fn dun_number(line: &str) -> Option<u32> {
    let (num, _) = line.split_once('、')?;
    if num.is_empty() || num.chars().count() > 4 {
        return None;
    }
    cn_number(num)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_round_trip() {
        for n in 1..=999 {
            assert_eq!(cn_number(&cn_numeral(n)), Some(n), "{n} {}", cn_numeral(n));
        }
        assert_eq!(cn_number("一百一十二"), Some(112));
        assert_eq!(cn_number("甲"), None);
    }

    #[test]
    fn squeezing() {
        assert_eq!(squeeze("标　　题 x\u{a0}y"), "标题xy");
        assert_eq!(collapse_spaces(" a \u{3000} b "), "a b");
    }
}
