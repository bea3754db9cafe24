//! 发文字号 (document numbers) and dates, as GB/T 9704-2012 writes them.

/// How a document number is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberForm {
    /// `机关代字〔YYYY〕N号`, the form GB/T 9704 §7.2.4 prescribes.
    Standard,
    /// `国令第N号`, a decree.
    Decree,
    /// `吉教办[2020]168号` or `(2020)`: not the standard, but real sites
    /// publish it, so it is accepted with a warning.
    NonStandard,
}

/// A parsed document number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    pub issuer: String,
    pub year: Option<u32>,
    pub serial: u32,
    pub form: NumberForm,
}

/// A number with its brackets made one form (`〔〕` for `[]`, `()`, `【】`,
/// `﹝﹞`) and spaces taken out: how two writings of one number compare.
pub fn normalize(n: &str) -> String {
    n.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '(' | '（' | '［' | '【' | '﹝' => '〔',
            ']' | ')' | '）' | '］' | '】' | '﹞' => '〕',
            c => c,
        })
        .collect()
}

/// Parses a whole string as a document number.
pub fn parse(s: &str) -> Option<DocNumber> {
    let s = s.trim();
    let (found, start, end) = find_in(s).into_iter().next()?;
    (start == 0 && end == s.len()).then_some(found)
}

/// Finds every document number in running text: (number, byte start, byte end).
pub fn find_in(text: &str) -> Vec<(DocNumber, usize, usize)> {
    let mut out = Vec::new();
    // Most paragraphs cite nothing: skip them without decoding every char.
    // Every form ends in 号, which running text seldom has otherwise.
    if !text.contains('号')
        || !text.contains(['〔', '[', '(', '（', '［', '【']) && !text.contains("令第")
    {
        return out;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        let close = match c {
            '〔' => '〕',
            '[' => ']',
            '(' => ')',
            '（' => '）',
            '［' => '］',
            '【' => '】',
            _ => {
                if c == '令' && chars.get(i + 1).map(|x| x.1) == Some('第') {
                    if let Some(found) = decree_at(text, &chars, i) {
                        out.push(found);
                    }
                }
                i += 1;
                continue;
            }
        };
        // 〔YYYY〕N号 with an issuer abbreviation of Han characters before it.
        let year: String = chars[i + 1..].iter().take(4).map(|x| x.1).collect();
        let after_year = i + 5;
        if year.len() == 4
            && year.chars().all(|d| d.is_ascii_digit())
            && chars.get(after_year).map(|x| x.1) == Some(close)
        {
            let mut j = after_year + 1;
            let mut serial = String::new();
            while let Some(&(_, d)) = chars.get(j) {
                if d.is_ascii_digit() {
                    serial.push(d);
                    j += 1;
                } else {
                    break;
                }
            }
            if !serial.is_empty() && chars.get(j).map(|x| x.1) == Some('号') {
                let mut k = i;
                while k > 0 && is_han(chars[k - 1].1) && i - k < 12 {
                    k -= 1;
                }
                if k < i {
                    let issuer: String = chars[k..i].iter().map(|x| x.1).collect();
                    let end = chars.get(j + 1).map_or(text.len(), |x| x.0);
                    out.push((
                        DocNumber {
                            issuer,
                            year: year.parse().ok(),
                            serial: serial.parse().unwrap_or(0),
                            form: if c == '〔' {
                                NumberForm::Standard
                            } else {
                                NumberForm::NonStandard
                            },
                        },
                        chars[k].0,
                        end,
                    ));
                    i = j + 1;
                    continue;
                }
            }
        }
        let _ = pos;
        i += 1;
    }
    out
}

fn decree_at(text: &str, chars: &[(usize, char)], i: usize) -> Option<(DocNumber, usize, usize)> {
    // The issuer before 令: the longest plausible one among the Han
    // characters before it (`中华人民共和国国务院`, `教育部`), not the words
    // of the sentence (`根据`, `以`).
    let mut k = i;
    while k > 0 && is_han(chars[k - 1].1) && i - k < 16 {
        k -= 1;
    }
    let k = (k..i).find(|&s| {
        let issuer: String = chars[s..i].iter().map(|x| x.1).collect();
        plausible_decree_issuer(&issuer)
    })?;
    let mut j = i + 2;
    let mut serial = String::new();
    while let Some(&(_, d)) = chars.get(j) {
        if d.is_ascii_digit() {
            serial.push(d);
            j += 1;
        } else {
            break;
        }
    }
    if serial.is_empty() || chars.get(j).map(|x| x.1) != Some('号') {
        return None;
    }
    let end = chars.get(j + 1).map_or(text.len(), |x| x.0);
    Some((
        DocNumber {
            issuer: chars[k..=i].iter().map(|x| x.1).collect(),
            year: None,
            serial: serial.parse().ok()?,
            form: NumberForm::Decree,
        },
        chars[k].0,
        end,
    ))
}

/// Who issues decrees (令): the State Council, the President, a ministry
/// or commission, a government; optionally after 中华人民共和国.
fn plausible_decree_issuer(s: &str) -> bool {
    let s = s.strip_prefix("中华人民共和国").unwrap_or(s);
    if matches!(s, "国" | "国务院" | "主席" | "国家主席") {
        return true;
    }
    let first = s.chars().next();
    // The words a sentence puts before a decree's number.
    let sentence_word =
        first.is_some_and(|c| "根据依按照以由经和及与或见即为在对将把据号条款项令".contains(c));
    !sentence_word
        && (2..=12).contains(&s.chars().count())
        && ["部", "委", "局", "署", "院", "办", "厅", "会", "政府", "行"]
            .iter()
            .any(|e| s.ends_with(e))
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// A calendar date, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=days).contains(&day) && (1000..=9999).contains(&year)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Reads `2023-01-10`, `2023年01月10日`, `2023年1月10日`, `2023/1/10`,
    /// `2023.01.10`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let parts: Vec<&str> = s
            .split(|c: char| matches!(c, '-' | '/' | '.' | '年' | '月' | '日'))
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return None;
        }
        if s.contains('年') && !s.ends_with('日') {
            return None;
        }
        Date::new(
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        )
    }

    /// A date as metadata values write it, with a time or spaces after it
    /// (`2022-03-21 17:47`, `2011- 09- 01 14: 58: 15`, `2023年1月10日 10:30`):
    /// the date, or None when it is not one.
    pub fn parse_loose(s: &str) -> Option<Date> {
        let squeezed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let date_part = match squeezed.find([':', '：']) {
            Some(colon) => {
                // The hour's digits before the first colon start the time.
                let head = &squeezed[..colon];
                let hour = head
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
                    .min(2);
                let cut = head.len() - hour;
                let time = &squeezed[cut..];
                let time_ok = time.split([':', '：']).all(|p| {
                    !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit())
                });
                if !time_ok {
                    return None;
                }
                &squeezed[..cut]
            }
            None => &squeezed,
        };
        Date::parse(date_part).or_else(|| Date::parse_chinese(date_part))
    }

    /// A date in Chinese numerals, as the closing of a notice may write it:
    /// `一九九六年十一月五日`, `二〇二三年一月十日` (〇 also written ○ or 零).
    pub fn parse_chinese(s: &str) -> Option<Date> {
        let s = s.trim();
        let (y, rest) = s.split_once('年')?;
        let (m, rest) = rest.split_once('月')?;
        let d = rest.strip_suffix('日')?;
        let year: String = y
            .chars()
            .map(|c| match c {
                '〇' | '○' | '零' | 'О' | '０' => Some('0'),
                c => "〇一二三四五六七八九"
                    .chars()
                    .position(|x| x == c)
                    .and_then(|p| char::from_digit(p as u32, 10)),
            })
            .collect::<Option<String>>()?;
        if year.len() != 4 {
            return None;
        }
        Date::new(
            year.parse().ok()?,
            crate::text::cn_number(m)?,
            crate::text::cn_number(d)?,
        )
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_number() {
        let n = parse("集政办发〔2023〕1号").unwrap();
        assert_eq!(n.issuer, "集政办发");
        assert_eq!(
            (n.year, n.serial, n.form),
            (Some(2023), 1, NumberForm::Standard)
        );
    }

    #[test]
    fn nonstandard_and_decree() {
        assert_eq!(
            parse("吉教办[2020]168号").unwrap().form,
            NumberForm::NonStandard
        );
        assert_eq!(
            parse("吉教办(2020)168号").unwrap().form,
            NumberForm::NonStandard
        );
        let found = find_in("依据中华人民共和国国务院令第142号发布的条例");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.issuer, "中华人民共和国国务院令");
        let t = "根据国务院令第142号和教育部令第50号";
        let found: Vec<&str> = find_in(t).iter().map(|f| &t[f.1..f.2]).collect();
        assert_eq!(found, vec!["国务院令第142号", "教育部令第50号"]);
        let d = parse("国令第707号").unwrap();
        assert_eq!(
            (d.issuer.as_str(), d.serial, d.form),
            ("国令", 707, NumberForm::Decree)
        );
        assert!(parse("").is_none());
        assert!(parse("集政办发2023年1号").is_none());
    }

    #[test]
    fn numbers_in_text() {
        let t = "实施意见》(吉教办〔2020〕168号)和《纲要》(吉教办〔2020〕178号),";
        let found = find_in(t);
        assert_eq!(found.len(), 2);
        assert_eq!(&t[found[0].1..found[0].2], "吉教办〔2020〕168号");
        assert_eq!(&t[found[1].1..found[1].2], "吉教办〔2020〕178号");
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2023年01月10日").unwrap().iso(), "2023-01-10");
        assert_eq!(Date::parse("2023-1-12").unwrap().iso(), "2023-01-12");
        assert!(Date::parse("2023年13月40日").is_none());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert_eq!(
            Date::parse_loose("2011- 09- 01 14: 58: 15").unwrap().iso(),
            "2011-09-01"
        );
        assert_eq!(
            Date::parse_loose("2022-03-21 17:47").unwrap().iso(),
            "2022-03-21"
        );
        assert_eq!(
            Date::parse_loose("2023年1月10日 10:30").unwrap().iso(),
            "2023-01-10"
        );
        assert!(Date::parse_loose("{ 2017 6 23").is_none());
        assert!(Date::parse_loose("2020年1月1日起施行").is_none());
        assert_eq!(
            Date::parse_chinese("一九九六年十一月五日").unwrap().iso(),
            "1996-11-05"
        );
        assert_eq!(
            Date::parse_chinese("二○一一年八月九日").unwrap().iso(),
            "2011-08-09"
        );
        assert_eq!(
            Date::parse_chinese("二〇二三年一月三十一日").unwrap().iso(),
            "2023-01-31"
        );
    }
}
