//! Text analysis shared, rule for rule, with `themes/default/static/search.js`.
//!
//! Everything here exists twice, once in Rust (to build the index and to test
//! it) and once in JavaScript (to read the query in the browser). The rules are
//! therefore kept few and mechanical, so that the two copies can be compared
//! line by line and are compared by a test that runs the JS under node.
//!
//! * **Folding**: NFKC of the whole string, then Unicode lower case
//!   (`str::to_lowercase` = JS `toLowerCase`). Full-width digits and letters
//!   become ASCII, compatibility ideographs become unified ones, `Ｘ` = `x`.
//! * **Han**: a fixed list of code-point ranges ([`is_han`]), not the Unicode
//!   Script property, because the two languages' Unicode tables differ in
//!   version and a fixed list cannot drift.
//! * **Words**: runs of letters, digits and marks that are not Han. One of
//!   `. + ' ’ &` *between* two word characters joins, so `1+x`, `2.04`,
//!   `93.38`, `r&d` and `people's` are single tokens; anything else splits.
//! * **Stream**: the word tokens and the single Han characters of a text, in
//!   order. It is the unit of phrase adjacency and of paragraph length.
//! * **Stemming**: Harman's "S" stemmer plus the possessive `'s`: small enough
//!   to be identical in both languages, and it conflates exactly the forms a
//!   reader does not think of as different words (school/schools/school's).
//!   Prefix matching of the last query word covers the rest while typing.

use unicode_normalization::UnicodeNormalization;

/// NFKC, then lower case, then every bracket of a 文号's year (〔〕, 【】,
/// 〖〗, (), []) as `[` `]`: one character for one, so that
/// `集政办发[2023]1号` and `集政办发(2023)1号` find `集政办发〔2023〕1号`.
pub fn fold(s: &str) -> String {
    // Most text is already NFKC; the quick check is far cheaper than NFKC.
    let lower = match unicode_normalization::is_nfkc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_lowercase(),
        _ => s.nfkc().collect::<String>().to_lowercase(),
    };
    if lower.contains(is_bracket) {
        lower.chars().map(bracket).collect()
    } else {
        lower
    }
}

fn is_bracket(c: char) -> bool {
    matches!(c, '〔' | '〕' | '【' | '】' | '〖' | '〗' | '(' | ')')
}

/// The folded form of one bracket (anything else unchanged).
pub fn bracket(c: char) -> char {
    match c {
        '〔' | '【' | '〖' | '(' => '[',
        '〕' | '】' | '〗' | ')' => ']',
        c => c,
    }
}

/// Han code-point ranges (inclusive). Same list as `HAN` in search.js.
const HAN: &[(u32, u32)] = &[
    (0x3005, 0x3005),
    (0x3007, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
    (0x30000, 0x323AF),
];

pub fn is_han(c: char) -> bool {
    let c = c as u32;
    HAN.iter().any(|&(a, b)| c >= a && c <= b)
}

/// A letter, digit or mark that is not Han.
pub fn is_word(c: char) -> bool {
    !is_han(c) && (c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c))
}

/// Characters that join two word characters into one token.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '+' | '\'' | '\u{2019}' | '&')
}

/// One item of the stream: a word token or a single Han character, with its
/// byte span in the (folded) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub han: bool,
}

/// The stream of a folded text: word tokens and Han characters, in order.
pub fn stream(s: &str) -> Vec<Item<'_>> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_han(c) {
            let end = start + c.len_utf8();
            out.push(Item {
                text: &s[start..end],
                start,
                end,
                han: true,
            });
            i += 1;
        } else if is_word(c) {
            let mut j = i + 1;
            while j < chars.len() {
                let c = chars[j].1;
                if is_word(c) {
                    j += 1;
                } else if is_joiner(c) && j + 1 < chars.len() && is_word(chars[j + 1].1) {
                    j += 2;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(s.len(), |p| p.0);
            out.push(Item {
                text: &s[start..end],
                start,
                end,
                han: false,
            });
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The word tokens of a folded text.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    stream(s).into_iter().filter(|i| !i.han).map(|i| i.text)
}

/// Maximal runs of Han characters of a folded text.
pub fn han_runs(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (is_han(c), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push(&s[a..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push(&s[a..]);
    }
    out
}

/// The index keys of one Han run: every overlapping bigram, or the single
/// character of a one-character run. (Single characters of longer runs are
/// indexed too, by [`han_grams`], so that one-character queries are exact.)
pub fn run_bigrams(run: &str) -> Vec<&str> {
    let idx: Vec<usize> = run.char_indices().map(|p| p.0).chain([run.len()]).collect();
    if idx.len() <= 2 {
        return vec![run];
    }
    (0..idx.len() - 2)
        .map(|k| &run[idx[k]..idx[k + 2]])
        .collect()
}

/// Every Han key of a folded text, with repetition (for term frequency):
/// each character, and each overlapping bigram inside a Han run.
pub fn han_grams(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for run in han_runs(s) {
        let idx: Vec<usize> = run.char_indices().map(|p| p.0).chain([run.len()]).collect();
        for k in 0..idx.len() - 1 {
            out.push(&run[idx[k]..idx[k + 1]]);
            if k + 2 < idx.len() {
                out.push(&run[idx[k]..idx[k + 2]]);
            }
        }
    }
    out
}

/// Harman's S stemmer after removing a possessive `'s`. Only ASCII suffixes
/// are touched; `ies`→`y`, `es`→`e`, `s`→`` with the usual exceptions.
pub fn stem(w: &str) -> String {
    let mut w = w;
    for p in ["'s", "\u{2019}s"] {
        if w.len() > p.len() && w.ends_with(p) {
            w = &w[..w.len() - p.len()];
            break;
        }
    }
    let n = w.chars().count();
    if n >= 4 && w.ends_with("ies") && !w.ends_with("eies") && !w.ends_with("aies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if n >= 3
        && w.ends_with("es")
        && !w.ends_with("aes")
        && !w.ends_with("ees")
        && !w.ends_with("oes")
    {
        return w[..w.len() - 1].to_string();
    }
    if n >= 3 && w.ends_with('s') && !w.ends_with("us") && !w.ends_with("ss") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Every word whose stem is `s` starts with this, so a sorted vocabulary
/// finds them all with one prefix range.
pub fn stem_base(s: &str) -> &str {
    s.strip_suffix('y').unwrap_or(s)
}

/// Sentences of a folded text, for the proximity bonus: split after
/// `。 ! ? ;` and after a `.` that is followed by white space.
pub fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let cut = match c {
            '。' | '!' | '?' | ';' => true,
            '.' => it.peek().is_none_or(|&(_, n)| n.is_whitespace()),
            _ => false,
        };
        if cut {
            let end = i + c.len_utf8();
            out.push(&s[start..end]);
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Number of items in the stream: the length used by BM25.
pub fn stream_len(s: &str) -> usize {
    stream(s).len()
}

/// Compares strings by UTF-16 code units, the order of JS `<`.
pub fn cmp_utf16(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_joined_forms() {
        let s = fold("推进“1+X”证书，达到93.38%，2.04亿元；Ji'an R&D high-quality");
        let w: Vec<&str> = words(&s).collect();
        assert_eq!(
            w,
            ["1+x", "93.38", "2.04", "ji'an", "r&d", "high", "quality"]
        );
        assert_eq!(han_runs("ab教育发展c学"), ["教育发展", "学"]);
        assert_eq!(run_bigrams("教育发展"), ["教育", "育发", "发展"]);
        assert_eq!(run_bigrams("学"), ["学"]);
        assert_eq!(han_grams("教育发"), ["教", "教育", "育", "育发", "发"]);
    }

    #[test]
    fn stemmer() {
        for (w, s) in [
            ("schools", "school"),
            ("studies", "study"),
            ("classes", "classe"),
            ("class", "class"),
            ("people's", "people"),
            ("bus", "bus"),
            ("is", "is"),
            ("series", "sery"),
        ] {
            assert_eq!(stem(w), s, "{w}");
            assert!(w.starts_with(stem_base(&stem(w))));
        }
    }

    #[test]
    fn fold_is_nfkc_lower() {
        assert_eq!(fold("ＡＢＣ１２３（一）"), "abc123[一]");
        assert_eq!(fold("集政办发〔2023〕1号"), fold("集政办发(2023)1号"));
        assert_eq!(fold("集政办发【2023】1号"), "集政办发[2023]1号");
    }
}
