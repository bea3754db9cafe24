//! The text of a document, from its lines: the covering notice (GB/T 9704:
//! title, 发文字号, 主送机关, body, 署名, date, 附注; a title may be wrapped
//! over several lines, the 文号 may stand above or below it), the
//! attachments after it (each a unit with its own title), and inside each
//! the numbered structure: chapters and sections (第一章 / 一、 / (一) /
//! 1.), articles (第N条, or 一、 used as article numbers), 专栏 boxes and
//! tables. A numbered line is a heading only when it reads like one; a
//! heading run into its paragraph (`（一）重大意义。党的十八大以来…`) is
//! split into the two without losing a character; numbered items that are
//! sentences stay paragraphs.

use std::ops::Range;
use std::path::Path;

use crate::content::docnum::{self, Date};
use crate::content::{Column, ColumnItem};
use crate::diagnostic::Diagnostic;
use crate::markdown::escape_text;
use crate::text::squeeze;
pub use crate::text::{cn_number, cn_numeral};

/// Title lines as one title: joined, with the letter-spacing of a line
/// set to fill its width (`国 家 粮 食 应 急 预 案 的 函`: single characters
/// with spaces between) taken out; a space between words
/// (`教育部 工商总局`, joint issuers) stays.
fn join_title(lines: &[Line]) -> String {
    let joined: String = lines.iter().map(|l| l.text.trim()).collect();
    let tokens: Vec<&str> = joined.split_whitespace().collect();
    let single = |t: &str| t.chars().count() == 1 && t.chars().all(crate::text::is_cjk);
    // Single characters in runs of three or more are letter-spaced.
    let mut spaced = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len() && single(tokens[j]) {
            j += 1;
        }
        if j - i >= 3 {
            spaced[i..j].iter_mut().for_each(|s| *s = true);
        }
        i = j.max(i + 1);
    }
    let mut out = String::with_capacity(joined.len());
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 && !spaced[k] && !spaced[k - 1] {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// A line of the document with its 1-based line in the source.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
    /// Never a heading (the items of a notice's 附件 list).
    pub plain: bool,
    /// A table's rows (`text` then holds its cells).
    pub table: Option<&'a [Vec<String>]>,
    /// Set centred in the page (HTML): how titles are set.
    pub centered: bool,
}

impl<'a> Line<'a> {
    pub fn text(no: usize, text: &'a str) -> Self {
        Line {
            no,
            text,
            plain: false,
            table: None,
            centered: false,
        }
    }
}

/// The covering notice (通知) of GB/T 9704.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Notice {
    /// The title, its lines joined.
    pub title: String,
    pub title_line: usize,
    pub doc_number: Option<String>,
    /// Whether the 文号 stands above the title (the 版头 of GB/T 9704).
    pub doc_number_first: bool,
    pub addressees: Option<String>,
    pub body: Body,
    /// Lines after the body's last unit that are the notice's own (its
    /// 附件 list), not text of that unit.
    pub postscript: Vec<String>,
    /// The 署名, one line per issuing office.
    pub signature: Option<String>,
    pub signature_line: usize,
    pub date: Option<String>,
    pub date_line: usize,
    pub note: Option<String>,
}

/// An attachment (附件) or the main text: label, title, body.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Attachment {
    pub label: Option<String>,
    pub title: Option<String>,
    pub body: Body,
    /// Its own 署名 and date at its end (a forwarded report's), if any.
    pub signature: Option<String>,
    pub date: Option<String>,
}

/// Text with its numbered structure.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Body {
    /// Markdown blocks before the first unit.
    pub preamble: Vec<String>,
    pub units: Vec<Unit>,
    /// How its articles are numbered, when it has articles.
    pub articles: Option<&'static str>,
}

/// A document: the notice, then the attachments (or, without a notice,
/// the main text as the one attachment).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub notice: Option<Notice>,
    pub attachments: Vec<Attachment>,
    /// Lines (indexes) before the notice's head: the page, not the document.
    pub before: Vec<usize>,
}

/// Heading styles, from the highest level down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    /// 第一章
    Zhang,
    /// 第一节
    Jie,
    /// 一、
    Dun,
    /// (一) or （一）
    Paren,
    /// 1. / 1、 / 1．
    Arabic,
    /// (1) or （1）
    ArabicParen,
    /// `1　总则`: an outline number and a space (emergency plans).
    Decimal1,
    /// `1.1　编制目的`.
    Decimal2,
    /// `1.1.1　…` and deeper.
    Decimal3,
}

/// A chapter or section of the main text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    pub chapter: u32,
    /// 0 for a chapter's own unit.
    pub section: u32,
    /// The heading line as published; `None` when the source has none.
    pub heading: Option<String>,
    /// The heading's number (一、 / (三)), inferred when `heading` is None.
    pub number: String,
    /// Markdown blocks (escaped published text).
    pub blocks: Vec<String>,
    pub columns: Vec<Column>,
    /// 1-based input line where the unit starts.
    pub line: usize,
    /// Block counts after which a box was followed by more text: places
    /// where a section heading may be missing.
    splits: Vec<usize>,
}

fn format_number(style: Style, n: u32, paren: (char, char)) -> String {
    match style {
        Style::Zhang => format!("第{}章", cn_numeral(n)),
        Style::Jie => format!("第{}节", cn_numeral(n)),
        Style::Dun => format!("{}、", cn_numeral(n)),
        Style::Paren => format!("{}{}{}", paren.0, cn_numeral(n), paren.1),
        Style::Arabic => format!("{n}."),
        Style::ArabicParen => format!("{}{n}{}", paren.0, paren.1),
        Style::Decimal1 => format!("{n}"),
        Style::Decimal2 | Style::Decimal3 => format!(".{n}"),
    }
}

/// How a numbered line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A heading of its own.
    Heading,
    /// A heading run into its paragraph: the paragraph starts at this byte.
    RunIn(usize),
    /// A numbered item that is a sentence: a paragraph.
    Paragraph,
}

/// A numbered line: style, value, the number as written, where the text
/// after it starts (byte), and how it reads.
fn numbered(line: &str) -> Option<(Style, u32, String, Shape)> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|x| x.1);
    let byte = |k: usize| chars.get(k).map_or(line.len(), |x| x.0);
    let cn_run = |from: usize| -> usize {
        (from..chars.len())
            .take_while(|&k| "〇零一二三四五六七八九十百两".contains(chars[k].1))
            .count()
    };
    let digits = |from: usize| -> usize {
        (from..chars.len())
            .take_while(|&k| chars[k].1.is_ascii_digit())
            .count()
    };
    let (style, n, end) = if at(0) == Some('第') {
        let k = cn_run(1);
        let n = cn_number(&line[byte(1)..byte(1 + k)])?;
        match at(1 + k)? {
            '章' => (Style::Zhang, n, 2 + k),
            '节' => (Style::Jie, n, 2 + k),
            _ => return None,
        }
    } else if matches!(at(0), Some('(') | Some('（')) {
        let k = cn_run(1);
        if k > 0 && matches!(at(1 + k), Some(')') | Some('）')) {
            (Style::Paren, cn_number(&line[byte(1)..byte(1 + k)])?, 2 + k)
        } else {
            let d = digits(1);
            if d == 0 || d > 3 || !matches!(at(1 + d), Some(')') | Some('）')) {
                return None;
            }
            (
                Style::ArabicParen,
                line[byte(1)..byte(1 + d)].parse().ok()?,
                2 + d,
            )
        }
    } else {
        let k = cn_run(0);
        if k > 0 && at(k) == Some('、') {
            (Style::Dun, cn_number(&line[..byte(k)])?, k + 1)
        } else {
            let d = digits(0);
            if d == 0 || d > 3 {
                return None;
            }
            let space = |c: Option<char>| matches!(c, Some(' ') | Some('\u{3000}'));
            match at(d) {
                // `1.` / `1、` / `1．`, not `2.04亿元`.
                Some('.') | Some('．') | Some('、')
                    if at(d + 1).is_some_and(|c| !c.is_ascii_digit()) =>
                {
                    (Style::Arabic, line[..byte(d)].parse().ok()?, d + 1)
                }
                // `1.1　编制目的`, `1.1.1 …`: an outline number, then a space.
                Some('.') | Some('．') => {
                    let mut k = d;
                    let mut depth = 1;
                    let mut last = 0;
                    while matches!(at(k), Some('.') | Some('．'))
                        && at(k + 1).is_some_and(|c| c.is_ascii_digit())
                    {
                        let e = digits(k + 1);
                        last = line[byte(k + 1)..byte(k + 1 + e)].parse().ok()?;
                        k += 1 + e;
                        depth += 1;
                    }
                    if !space(at(k)) || line[byte(k)..].trim().is_empty() {
                        return None;
                    }
                    let style = if depth == 2 {
                        Style::Decimal2
                    } else {
                        Style::Decimal3
                    };
                    (style, last, k)
                }
                // `1　总则`.
                c if space(c) && at(d + 1).is_some_and(|c| !c.is_ascii_digit()) => {
                    (Style::Decimal1, line[..byte(d)].parse().ok()?, d)
                }
                _ => return None,
            }
        }
    };
    let number = line[..byte(end)].to_string();
    Some((style, n, number, shape(line, style, byte(end))))
}

/// 应 as a modal verb (`应尽快办理`), not in 应用, 应急, 对应, 供应….
fn modal_ying(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        c == '应'
            && !chars
                .get(i + 1)
                .is_some_and(|n| "用急届邀聘答变对".contains(*n))
            && !(i > 0 && "对供响适相回反感答报".contains(chars[i - 1]))
    })
}

fn shape(line: &str, style: Style, body_at: usize) -> Shape {
    let total = line.chars().count();
    let rest = &line[body_at..];
    let inner_stop = line.trim_end_matches('。').contains('。');
    let list_item = line.ends_with('；') || line.ends_with(';');
    let minor = matches!(
        style,
        Style::Arabic | Style::ArabicParen | Style::Decimal2 | Style::Decimal3
    );
    // A sentence (clauses with commas or semicolons) is no heading,
    // however short.
    let clauses = (total > 25 && line.contains(['，', ',']))
        || line.trim_end_matches(['；', ';']).contains(['；', ';']);
    if !inner_stop && !list_item && !clauses {
        let short = if minor {
            total <= 30 && !line.ends_with('。')
        } else {
            total <= 50
        };
        if short {
            return Shape::Heading;
        }
    }
    // `（一）重大意义。党的十八大以来…`: a short title ending in 。, then
    // text. A title names a topic (`带量采购，以量换价`); a head with a modal
    // verb (`…的建设要尽量避开…`) is the first sentence of a paragraph.
    if let Some(p) = rest.find('。') {
        let head = &rest[..p];
        let after = &rest[p + '。'.len_utf8()..];
        let n = head.chars().count();
        let commas = head.matches(['，', ',']).count();
        let modal = ["要", "须", "不得", "可以", "能够", "已经", "将"]
            .iter()
            .any(|m| head.contains(m))
            || modal_ying(head);
        if n > 0
            && n <= 30
            && (commas == 0 || (commas == 1 && n <= 16))
            && !head.contains(['；', ';', '：', ':'])
            && !modal
            && !after.trim().is_empty()
        {
            return Shape::RunIn(body_at + p + '。'.len_utf8());
        }
    }
    Shape::Paragraph
}

pub use crate::text::article_number as article;

/// `专栏N 标题 …`: number, title, and items written on the same line.
fn column_heading(line: &str) -> Option<(u32, String, Option<String>)> {
    let rest = line.strip_prefix("专栏")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number: u32 = digits.parse().ok()?;
    // The box is stored as `专栏{number}{title}`: a number written another
    // way (０１, 01) would not read back as published, so it stays text, and
    // a colon after the number stays in the title.
    if number.to_string() != digits {
        return None;
    }
    let rest = rest[digits.len()..].trim();
    let piped = rest.ends_with('|');
    let rest = rest.trim_end_matches('|').trim();
    let mut parts = rest.splitn(2, [' ', '\u{3000}']);
    let title = parts.next().unwrap_or("").trim().to_string();
    let inline = parts.next().map(str::trim).filter(|s| !s.is_empty());
    match inline {
        // With a `|` the whole rest is the title (it may contain spaces).
        Some(_) if piped => Some((number, rest.to_string(), None)),
        Some(items) => Some((number, title, Some(items.to_string()))),
        None => Some((number, title, None)),
    }
}

/// Splits a box's item line: items separated by spaces, each `名称。说明`.
pub fn column_items(line: &str) -> Vec<ColumnItem> {
    line.trim()
        .trim_end_matches('|')
        .split([' ', '\u{3000}'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "|")
        .map(|item| match item.split_once('。') {
            Some((name, text))
                if !name.is_empty()
                    && name.chars().count() <= 40
                    && !name.contains([',', '，', ';', '；'])
                    && !text.is_empty() =>
            {
                ColumnItem {
                    name: name.to_string(),
                    text: text.to_string(),
                }
            }
            _ => ColumnItem {
                name: String::new(),
                text: item.to_string(),
            },
        })
        .collect()
}

/// A date as a notice's closing writes it: `2023年1月10日`,
/// `二〇二三年一月十日` (also with ○ for 〇).
pub fn is_date_line(s: &str) -> bool {
    date_of_line(s).is_some()
}

/// The date a closing date line gives.
pub fn date_of_line(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some(d) = Date::parse(s).filter(|_| s.ends_with('日')) {
        return Some(d);
    }
    Date::parse_chinese(s)
}

fn is_parenthesized(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with('(') && s.ends_with(')')) || (s.starts_with('（') && s.ends_with('）'))
}

/// A line that can be (part of) a title: short, no sentence, not a
/// number, date, heading or 主送机关.
fn title_like(l: &Line) -> bool {
    let s = l.text;
    let n = s.chars().count();
    l.table.is_none()
        && n > 0
        && n <= 60
        && !s.contains(['。', '；', ';'])
        && !s.ends_with(['：', ':', '，', ','])
        && docnum::parse(s).is_none()
        && !broken_number(s)
        && !is_date_line(s)
        && numbered(s).is_none()
        && article(s).is_none()
        && column_heading(s).is_none()
        && !is_parenthesized(s)
        && !is_attachment_label(s)
        && squeeze(s) != "目录"
}

/// The kinds of document (文种) a title ends with.
const DOC_KINDS: &[&str] = &[
    "通知",
    "意见",
    "决定",
    "批复",
    "复函",
    "函",
    "办法",
    "规定",
    "条例",
    "细则",
    "方案",
    "规划",
    "计划",
    "报告",
    "通报",
    "公告",
    "通告",
    "命令",
    "令",
    "决议",
    "指示",
    "纪要",
    "指南",
    "目录",
    "公报",
    "规则",
    "章程",
    "标准",
    "要点",
    "安排",
    "请示",
    "答复",
    "纲要",
    "制度",
    "规程",
    "清单",
    "措施",
    "意见书",
    "议案",
    "说明",
    "讲话",
    "总结",
    "名单",
    "守则",
    "准则",
    "导则",
    "条件",
    "（试行）",
    "(试行)",
    "（暂行）",
    "(暂行)",
    "实施办法",
    "工作方案",
];

pub fn ends_with_doc_kind(s: &str) -> bool {
    let s = s.trim_end_matches(['》', '”', '"']);
    DOC_KINDS.iter().any(|k| s.ends_with(k))
}

/// `附件`, `附件1`, `附件2：` standing alone: the label of an attachment.
pub fn is_attachment_label(s: &str) -> bool {
    let t = s.trim();
    let Some(rest) = t.strip_prefix("附件") else {
        return false;
    };
    let rest = rest.trim().trim_end_matches(['：', ':']).trim();
    rest.is_empty()
        || (rest.chars().count() <= 3
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十-－".contains(c)))
}

/// A 署名 line: an office's name (or offices' names side by side).
fn signature_like(l: &Line) -> bool {
    let s = l.text;
    let n = s.chars().count();
    l.table.is_none()
        && (2..=40).contains(&n)
        && !s.contains(['。', '，', '；', '：', ':', ',', ';', '《'])
        && numbered(s).is_none()
        && docnum::parse(s).is_none()
        && !is_date_line(s)
        && !is_parenthesized(s)
        && !is_attachment_label(s)
}

/// A 主送机关 line: `各省、自治区、直辖市人民政府，国务院各部委、各直属机构：`.
fn addressee_like(l: &Line) -> bool {
    let s = l.text;
    let n = s.chars().count();
    l.table.is_none()
        && (s.ends_with('：') || s.ends_with(':'))
        && (3..=200).contains(&n)
        && !s.contains('。')
        && numbered(s).is_none()
        && article(s).is_none()
}

/// A 文号 as a page garbled it (`牟政办发〔201746`): an office's code, a
/// bracket and digits, on a line of its own. It stands where the 文号
/// stands; the metadata check refuses it as a 文号.
fn broken_number(t: &str) -> bool {
    let n = t.chars().count();
    let Some(open) = t.find(['〔', '[', '［', '(', '（']) else {
        return false;
    };
    (4..=25).contains(&n)
        && open > 0
        && t[..open].chars().all(crate::text::is_han)
        && t[open..]
            .chars()
            .skip(1)
            .take(4)
            .filter(|c| c.is_ascii_digit())
            .count()
            == 4
}

/// What the notice's head holds: where its title lines are, its 文号
/// line, its 主送机关 line, and where its body starts.
struct Head {
    title: Range<usize>,
    doc_number: Option<usize>,
    addressee: Option<usize>,
    body_start: usize,
}

/// A 文号 line (`国发〔2019〕5号`), or a decree's number under its title
/// (`第707号` after `中华人民共和国国务院令`).
fn doc_number_line(lines: &[Line], i: usize) -> bool {
    let t = lines[i].text;
    if docnum::parse(t).is_some() || broken_number(t) {
        return true;
    }
    let decree_number = t.starts_with('第')
        && t.ends_with('号')
        && t[3..t.len() - 3].chars().all(|c| c.is_ascii_digit())
        && t.len() > 6;
    decree_number && i > 0 && lines[i - 1].text.ends_with('令')
}

fn notice_head(lines: &[Line], title_hint: Option<&str>) -> Option<Head> {
    let window = lines.len().min(16);
    let doc_number = (0..window).find(|&i| doc_number_line(lines, i));
    let addressee = (0..window)
        .filter(|&i| doc_number.is_none_or(|d| i > d))
        .find(|&i| addressee_like(&lines[i]));
    let back = |end: usize| -> Range<usize> {
        let mut s = end;
        while s > 0 && end - s < 5 && title_like(&lines[s - 1]) {
            s -= 1;
        }
        s..end
    };
    // Forward from `start`: the shortest run of title lines that ends
    // like a title (a wrapped title's last line carries its 文种), else
    // the whole run.
    let forward = |start: usize, limit: usize| -> Range<usize> {
        let mut e = start;
        let mut joined = String::new();
        while e < limit && e - start < 5 && title_like(&lines[e]) {
            joined.push_str(&squeeze(lines[e].text));
            e += 1;
            let hint = title_hint.is_some_and(|t| !t.trim().is_empty() && joined == squeeze(t));
            if ends_with_doc_kind(&joined) || hint {
                return start..e;
            }
        }
        start..e
    };
    let title = match (doc_number, addressee) {
        (Some(d), a) => {
            let before = back(d);
            if !before.is_empty() {
                before
            } else {
                forward(d + 1, a.unwrap_or(window))
            }
        }
        (None, Some(a)) => back(a),
        (None, None) => forward(0, window),
    };
    if title.is_empty() {
        return None;
    }
    // The head is one run of lines (title, 文号, 主送机关 in either order):
    // a 主送机关 line further down is a paragraph of the body.
    let head_end = title.end.max(doc_number.map_or(0, |d| d + 1));
    let addressee = addressee.filter(|&a| a == head_end);
    let joined: String = lines[title.clone()]
        .iter()
        .map(|l| squeeze(l.text))
        .collect();
    // Issuers above a joint title are part of it: the labelled title may
    // be its end.
    let matches_hint =
        title_hint.is_some_and(|t| !t.trim().is_empty() && joined.ends_with(&squeeze(t)));
    if !(ends_with_doc_kind(&joined) || matches_hint || lines[title.start].text.ends_with('令')) {
        return None;
    }
    let body_start = [
        Some(title.end),
        doc_number.map(|d| d + 1),
        addressee.map(|a| a + 1),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(title.end);
    Some(Head {
        title,
        doc_number,
        addressee,
        body_start,
    })
}

/// The notice's closing after `from`, before `to`: 署名 lines (none for a
/// date alone), the date line, and a 附注 line.
fn closing(lines: &[Line], from: usize, to: usize) -> Option<(Range<usize>, usize, Option<usize>)> {
    let j = (from..to).find(|&j| is_date_line(lines[j].text))?;
    let mut s = j;
    while s > from && j - s < 3 && signature_like(&lines[s - 1]) {
        s -= 1;
    }
    let note = (j + 1 < lines.len()
        && is_parenthesized(lines[j + 1].text)
        && lines[j + 1].text.chars().count() <= 30)
        .then_some(j + 1);
    Some((s..j, j, note))
}

/// Where a document's lines are parsed: the file and its text, for
/// warnings that quote the line.
pub struct Ctx<'a> {
    pub file: &'a Path,
    pub source: &'a str,
    /// The source's lines can be quoted (text) or not (HTML: one source
    /// line may hold the whole body).
    pub quote: bool,
}

impl Ctx<'_> {
    fn at(&self, no: usize) -> Diagnostic {
        let d = Diagnostic::warning("").in_file(self.file);
        if self.quote {
            d.at_line_of(self.source, no, 1)
        } else {
            d.at(no, 1)
        }
    }
}

/// Reads the lines of a document.
pub fn parse(
    lines: &[Line],
    title_hint: Option<&str>,
    ctx: &Ctx,
    warnings: &mut Vec<Diagnostic>,
) -> Parsed {
    let mut parsed = Parsed::default();
    let mut rest_from = 0;
    if let Some(head) = notice_head(lines, title_hint) {
        let first_label =
            (head.body_start..lines.len()).find(|&i| is_attachment_label(lines[i].text));
        let limit = first_label.unwrap_or(lines.len());
        let close = closing(lines, head.body_start, limit);
        if head.doc_number.is_some() || head.addressee.is_some() || close.is_some() {
            let body_end = close.as_ref().map_or(limit, |c| c.0.start);
            let title = join_title(&lines[head.title.clone()]);
            let first = head.title.start.min(head.doc_number.unwrap_or(usize::MAX));
            // Lines before the notice's head are no part of the document
            // (the page around it): the importer reports and leaves them.
            parsed.before = (0..first).collect();
            let mut notice = Notice {
                title,
                title_line: lines[head.title.start].no,
                doc_number: head.doc_number.map(|d| lines[d].text.to_string()),
                doc_number_first: head.doc_number.is_some_and(|d| d < head.title.start),
                addressees: head.addressee.map(|a| lines[a].text.to_string()),
                ..Notice::default()
            };
            let mut body_lines = lines[head.body_start..body_end].to_vec();
            mark_attachment_list(&mut body_lines);
            // The 附件 list closes the notice's body: it is the notice's, not
            // its last chapter's.
            while body_lines.last().is_some_and(|l| l.plain) {
                let l = body_lines.pop().expect("a line");
                notice.postscript.insert(0, l.text.trim().to_string());
            }
            notice.body = parse_body(&body_lines, ctx, warnings);
            if let Some((sig, date, note)) = close {
                if !sig.is_empty() {
                    notice.signature_line = lines[sig.start].no;
                    notice.signature = Some(
                        lines[sig]
                            .iter()
                            .map(|l| l.text.trim())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                }
                notice.date = Some(lines[date].text.to_string());
                notice.date_line = lines[date].no;
                notice.note = note.map(|n| lines[n].text.to_string());
                rest_from = note.unwrap_or(date) + 1;
            } else {
                rest_from = body_end;
            }
            parsed.notice = Some(notice);
        }
    }
    parsed.attachments = attachments(&lines[rest_from..], parsed.notice.as_ref(), ctx, warnings);
    parsed
}

/// The notice's list of attachments (`附件：1．某办法` and the items after
/// it) is text of the notice, not headings.
fn mark_attachment_list(lines: &mut [Line]) {
    let Some(start) = lines
        .iter()
        .position(|l| l.text.starts_with("附件：") || l.text.starts_with("附件:"))
    else {
        return;
    };
    lines[start].plain = true;
    for l in &mut lines[start + 1..] {
        if numbered(l.text).is_some_and(|(s, ..)| s == Style::Arabic) {
            l.plain = true;
        } else {
            break;
        }
    }
}

/// Names of the attachments a notice lists (`附件：1．某办法`) or cites
/// (`现将《某办法》印发给你们`), squeezed.
fn announced(notice: Option<&Notice>) -> Vec<String> {
    let Some(n) = notice else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let texts = n
        .body
        .preamble
        .iter()
        .chain(n.body.units.iter().flat_map(|u| &u.blocks))
        .chain(&n.postscript);
    for t in texts {
        let plain: String = t.chars().filter(|&c| c != '\\').collect();
        for (s, e) in crate::references::book_titles(&plain) {
            names.push(squeeze(&plain[s + '《'.len_utf8()..e - '》'.len_utf8()]));
        }
        if let Some(list) = plain.strip_prefix("附件") {
            let list = list.trim_start_matches(['：', ':']);
            let item = list
                .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '．' | '、'))
                .trim();
            names.push(squeeze(item));
        }
        let item = plain
            .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '．' | '、'));
        if item.len() < plain.len() {
            names.push(squeeze(item.trim()));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The attachments in `lines` (after the notice, or the whole text when
/// there is none): split at their labels; a text without a label is one
/// attachment (a forwarded document, a decree's regulation, a plan).
fn attachments(
    lines: &[Line],
    notice: Option<&Notice>,
    ctx: &Ctx,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Attachment> {
    let names = announced(notice);
    // Attachments start at their labels, or, unlabelled, at a title that
    // the notice announced (`现将《甲规定》和《乙规定》印发给你们`).
    let announced_at = |i: usize| -> bool {
        i > 0
            && !title_like(&lines[i - 1])
            && !is_attachment_label(lines[i - 1].text)
            && (1..=4).any(|k| {
                i + k <= lines.len()
                    && lines[i..i + k].iter().all(title_like)
                    && names.contains(
                        &lines[i..i + k]
                            .iter()
                            .map(|l| squeeze(l.text))
                            .collect::<String>(),
                    )
            })
    };
    let mut starts: Vec<usize> = (0..lines.len())
        .filter(|&i| is_attachment_label(lines[i].text) || announced_at(i))
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(lines.len());
        let chunk = &lines[s..e];
        if chunk.is_empty() {
            continue;
        }
        let mut a = Attachment::default();
        let mut i = 0;
        if is_attachment_label(chunk[0].text) {
            a.label = Some(chunk[0].text.to_string());
            i = 1;
        }
        // The title: up to four title lines that read as one.
        let mut t = i;
        while t < chunk.len() && t - i < 4 && title_like(&chunk[t]) {
            t += 1;
        }
        // Take the shortest run of lines that is an announced name, or
        // else the run that ends with a 文种 (a title may be wrapped).
        let mut title_end = None;
        for end in (i + 1..=t).rev() {
            let joined: String = chunk[i..end].iter().map(|l| squeeze(l.text)).collect();
            let all_centered = chunk[i..end].iter().all(|l| l.centered);
            let announced = names.iter().any(|n| {
                n == &joined
                    || n.strip_prefix(joined.as_str()).is_some_and(|rest| {
                        rest.starts_with(['（', '(']) && rest.ends_with(['）', ')'])
                    })
            });
            if announced || ends_with_doc_kind(&joined) || (all_centered && end == t) {
                title_end = Some(end);
                break;
            }
        }
        // The main text of a document without notice: its first line is
        // its title when nothing else is (the seed's plan title).
        if title_end.is_none() && notice.is_none() && out.is_empty() && t > i {
            title_end = Some(i + 1);
        }
        if let Some(end) = title_end {
            a.title = Some(join_title(&chunk[i..end]));
            i = end;
        }
        // Its own closing: 署名 lines and a date at its very end.
        let mut rest = &chunk[i..];
        if let Some(last) = rest.len().checked_sub(1) {
            if last > 0 && is_date_line(rest[last].text) {
                let mut s = last;
                while s > 0 && last - s < 3 && signature_like(&rest[s - 1]) {
                    s -= 1;
                }
                if s < last {
                    a.signature = Some(
                        rest[s..last]
                            .iter()
                            .map(|l| l.text.trim())
                            .collect::<Vec<_>>()
                            .join("\n"),
                    );
                    a.date = Some(rest[last].text.trim().to_string());
                    rest = &rest[..s];
                }
            }
        }
        a.body = parse_body(rest, ctx, warnings);
        out.push(a);
    }
    out
}

/// A line as a Markdown block: its escaped text, or a table.
fn block_of(l: &Line) -> String {
    match l.table {
        Some(rows) => markdown_table(rows),
        None => escape_text(l.text.trim()),
    }
}

/// A GFM table of `rows` (the first is the header row); every cell's text
/// escaped so that it reads back as written.
pub fn markdown_table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let row = |r: &Vec<String>| -> String {
        let mut cells: Vec<String> = r.iter().map(|c| escape_text(c.trim())).collect();
        cells.resize(width, String::new());
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::new();
    if let Some(first) = rows.first() {
        out.push(row(first));
        out.push(format!("|{}", " --- |".repeat(width)));
        for r in &rows[1..] {
            out.push(row(r));
        }
    }
    out.join("\n")
}

/// Reads a body: preamble, numbered units, boxes, tables. Gaps in the
/// numbering become warnings; where the 专栏 boxes show where a missing
/// section heading stood, the section is split there with an inferred
/// number.
pub fn parse_body(lines: &[Line], ctx: &Ctx, warnings: &mut Vec<Diagnostic>) -> Body {
    let mut body = Body::default();
    let mut marked;
    let lines = match contents_list(lines) {
        Some(range) => {
            marked = lines.to_vec();
            for l in &mut marked[range] {
                l.plain = true;
            }
            &marked[..]
        }
        None => lines,
    };
    let articles = lines.iter().filter(|l| article(l.text).is_some()).count() >= 2;
    // Per style: do its lines read as headings or as numbered paragraphs?
    let mut votes: std::collections::BTreeMap<Style, (usize, usize)> = Default::default();
    for l in lines.iter().filter(|l| l.table.is_none() && !l.plain) {
        if let Some((style, _, _, shape)) = numbered(l.text) {
            let v = votes.entry(style).or_default();
            match shape {
                Shape::Paragraph => v.1 += 1,
                _ => v.0 += 1,
            }
        }
    }
    let heading_style = |style: Style| -> bool {
        if articles {
            return matches!(style, Style::Zhang | Style::Jie);
        }
        votes.get(&style).is_some_and(|&(h, p)| h >= p && h > 0)
    };
    let mut styles: Vec<Style> = votes
        .keys()
        .copied()
        .filter(|&s| heading_style(s))
        .collect();
    styles.sort();
    let chapter_style = styles.first().copied();
    let section_style = styles.get(1).copied();
    // 一、 items that are sentences, with no headings of their own: the
    // document's articles.
    let dun_articles = !articles
        && chapter_style.is_none_or(|s| s != Style::Dun)
        && votes
            .get(&Style::Dun)
            .is_some_and(|&(h, p)| p >= 2 && h == 0);
    body.articles = if articles {
        Some("第N条")
    } else if dun_articles {
        Some("N、")
    } else {
        None
    };

    let mut units: Vec<Unit> = Vec::new();
    let mut paren = ('(', ')');
    // The highest section number so far (numbering may run on across chapters).
    let mut last_section = 0u32;
    // Numbers of the section style seen on items that read as sentences
    // since the last section: they are in the numbering, not missing.
    let mut seen_items = 0u32;
    // Section-number gaps: (unit index of the section before the gap, missing count).
    let mut gaps: Vec<(usize, u32)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let text = l.text.trim();
        if l.table.is_some() {
            push_block(&mut units, &mut body.preamble, block_of(&l));
            i += 1;
            continue;
        }
        if let Some((number, title, inline)) = column_heading(text) {
            let mut column = Column {
                number,
                title,
                after: None,
                items: Vec::new(),
            };
            if let Some(items) = inline {
                column.items = column_items(&items);
            } else if let Some(next) = lines.get(i + 1) {
                if column_heading(next.text).is_none() && numbered(next.text).is_none() {
                    column.items = column_items(next.text);
                    i += 1;
                }
            }
            if column.items.is_empty() {
                let mut d = ctx.at(l.no);
                d.message = format!("专栏{number} has no items");
                warnings.push(d);
            }
            if units.is_empty() {
                units.push(Unit {
                    line: l.no,
                    ..Unit::default()
                });
            }
            let u = units.last_mut().expect("a unit exists");
            column.after = Some(u.blocks.len());
            u.columns.push(column);
            i += 1;
            continue;
        }
        // A numbered line of a heading style that reads as a sentence is a
        // paragraph all the same (a document may number both).
        let heading = numbered(text).filter(|(style, _, _, shape)| {
            heading_style(*style) && !l.plain && *shape != Shape::Paragraph
        });
        match heading {
            Some((style, n, number, shape))
                if Some(style) == chapter_style && units.last().is_none_or(|u| n > u.chapter) =>
            {
                let prev = units
                    .iter()
                    .rev()
                    .find(|u| u.section == 0)
                    .map_or(0, |u| u.chapter);
                if n != prev + 1 {
                    let mut d = ctx.at(l.no);
                    d.message =
                        format!("chapter numbering jumps from {} to {} at `{text}`", prev, n);
                    warnings.push(d);
                }
                seen_items = 0;
                let (heading, first) = split_run_in(text, shape);
                units.push(Unit {
                    chapter: n,
                    heading: Some(heading),
                    number,
                    line: l.no,
                    blocks: first.into_iter().collect(),
                    ..Unit::default()
                });
            }
            Some((style, n, number, shape))
                if Some(style) == section_style && section_target(&units, n).is_some() =>
            {
                if matches!(style, Style::Paren | Style::ArabicParen) {
                    let first = number.chars().next().unwrap_or('(');
                    paren = if first == '（' {
                        ('（', '）')
                    } else {
                        ('(', ')')
                    };
                }
                let prev = units.last().map_or(0, |u| u.section).max(seen_items);
                let (chapter_no, restart) = section_target(&units, n).expect("checked above");
                let runs_on = prev == 0 && n == last_section + 1;
                if restart {
                    // Numbering restarts without a chapter heading: one is missing.
                    let cnum =
                        format_number(chapter_style.unwrap_or(Style::Dun), chapter_no, paren);
                    let mut d = ctx.at(l.no);
                    d.message = format!(
                        "no heading for chapter {cnum} before line {}: section numbering restarts at `{number}` after {}",
                        l.no,
                        format_number(style, prev, paren)
                    );
                    d.hint = Some(
                        "the chapter gets its inferred number; add its title in editorial.yaml"
                            .into(),
                    );
                    warnings.push(d);
                    units.push(Unit {
                        chapter: chapter_no,
                        number: cnum,
                        line: l.no,
                        ..Unit::default()
                    });
                } else if n > prev + 1 && !runs_on {
                    let chapter_heading = units
                        .iter()
                        .rev()
                        .find(|u| u.section == 0)
                        .and_then(|u| u.heading.clone())
                        .unwrap_or_default();
                    let mut d = ctx.at(l.no);
                    d.message = format!(
                        "numbering gap under `{chapter_heading}`: {} is followed by `{number}` at line {}; {}–{} have no heading in the source",
                        format_number(style, prev, paren),
                        l.no,
                        format_number(style, prev + 1, paren),
                        format_number(style, n - 1, paren)
                    );
                    warnings.push(d);
                    if let Some(last) = units.len().checked_sub(1) {
                        gaps.push((last, n - prev - 1));
                    }
                }
                last_section = n;
                seen_items = 0;
                let (heading, first) = split_run_in(text, shape);
                units.push(Unit {
                    chapter: chapter_no,
                    section: n,
                    heading: Some(heading),
                    number,
                    line: l.no,
                    blocks: first.into_iter().collect(),
                    ..Unit::default()
                });
            }
            Some((style, _, _, shape)) if !units.is_empty() => {
                if Some(style) == chapter_style || Some(style) == section_style {
                    // A repeated or backward number: as a section of its own it
                    // would overwrite or reorder the text.
                    let mut d = ctx.at(l.no);
                    d.message = format!(
                        "`{text}` does not continue the numbering; kept as a subheading of the section before it"
                    );
                    warnings.push(d);
                }
                // A lower-level heading inside a section.
                let level = if section_style.is_some() { "###" } else { "##" };
                let (heading, first) = split_run_in(text, shape);
                let u = units.last_mut().expect("non-empty");
                u.blocks.push(format!("{level} {}", escape_text(&heading)));
                u.blocks.extend(first);
            }
            _ => {
                if let Some((style, n, _, _)) = numbered(text) {
                    if Some(style) == section_style {
                        seen_items = n;
                        last_section = last_section.max(n);
                    }
                }
                let u = match units.last_mut() {
                    Some(u) => u,
                    None => {
                        body.preamble.push(escape_text(text));
                        i += 1;
                        continue;
                    }
                };
                if u.columns.last().and_then(|c| c.after) == Some(u.blocks.len()) {
                    u.splits.push(u.blocks.len());
                }
                u.blocks.push(escape_text(text));
            }
        }
        i += 1;
    }
    for u in &mut units {
        let n = u.blocks.len();
        for c in &mut u.columns {
            if c.after == Some(n) {
                c.after = None;
            }
        }
    }
    body.units = split_at_boxes(units, &gaps, paren, section_style, ctx, warnings);
    body
}

/// A table of contents (`目　　录` and the headings it lists): its lines,
/// which are text, not the headings themselves (those follow it).
fn contents_list(lines: &[Line]) -> Option<Range<usize>> {
    let start = lines.iter().position(|l| squeeze(l.text) == "目录")?;
    let first = lines.get(start + 1)?;
    numbered(first.text)?;
    // The list ends where its first entry stands again: the text proper.
    let again = lines[start + 2..]
        .iter()
        .position(|l| squeeze(l.text) == squeeze(first.text))?;
    Some(start + 1..start + 2 + again)
}

fn push_block(units: &mut [Unit], preamble: &mut Vec<String>, block: String) {
    match units.last_mut() {
        Some(u) => u.blocks.push(block),
        None => preamble.push(block),
    }
}

/// A heading and, for a run-in heading, the paragraph that follows it on
/// the same line.
fn split_run_in(text: &str, shape: Shape) -> (String, Option<String>) {
    match shape {
        Shape::RunIn(at) => (
            text[..at].to_string(),
            Some(escape_text(text[at..].trim_start())).filter(|s| !s.is_empty()),
        ),
        _ => (text.to_string(), None),
    }
}

/// The chapter a section numbered `n` belongs to, and whether its numbering
/// restarts (a chapter heading is missing); `None` when `n` does not move
/// the numbering forward.
fn section_target(units: &[Unit], n: u32) -> Option<(u32, bool)> {
    let (chapter, prev) = units.last().map_or((0, 0), |u| (u.chapter, u.section));
    if n == 1 && prev > 1 {
        return chapter.checked_add(1).map(|c| (c, true));
    }
    (n > prev).then_some((chapter, false))
}

/// Where every numbering gap has exactly as many box-then-text places as it
/// has missing headings, the document follows the rule "a 专栏 box closes its
/// section": split there, and likewise after the last numbered section of a
/// chapter. Otherwise only warn.
fn split_at_boxes(
    units: Vec<Unit>,
    gaps: &[(usize, u32)],
    paren: (char, char),
    section_style: Option<Style>,
    ctx: &Ctx,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Unit> {
    let rule_holds = !gaps.is_empty()
        && gaps
            .iter()
            .all(|&(u, missing)| units[u].splits.len() == missing as usize);
    if !rule_holds {
        return units;
    }
    let style = section_style.unwrap_or(Style::Paren);
    let mut out = Vec::new();
    let mut inferred = Vec::new();
    for (idx, unit) in units.iter().enumerate() {
        let last_of_chapter = unit.section > 0
            && units
                .get(idx + 1)
                .is_none_or(|n| n.chapter != unit.chapter || n.section == 0);
        let in_gap = gaps.iter().any(|&(u, _)| u == idx);
        let fits = u32::try_from(unit.splits.len())
            .ok()
            .and_then(|k| unit.section.checked_add(k))
            .is_some();
        if unit.splits.is_empty() || !(in_gap || last_of_chapter) || !fits {
            out.push(unit.clone());
            continue;
        }
        let mut cuts = unit.splits.clone();
        cuts.push(unit.blocks.len());
        let mut from = 0;
        for (k, &to) in cuts.iter().enumerate() {
            let section = unit.section + k as u32;
            let columns = unit
                .columns
                .iter()
                .filter(|c| {
                    let at = c.after.unwrap_or(unit.blocks.len());
                    (k == 0 || at > from) && at <= to
                })
                .map(|c| {
                    let mut c = c.clone();
                    let at = c.after.unwrap_or(unit.blocks.len());
                    c.after = (at < to).then(|| at - from);
                    c
                })
                .collect();
            let line = source_line_of(ctx.source, unit.line, &unit.blocks, from);
            let piece = Unit {
                chapter: unit.chapter,
                section,
                heading: if k == 0 { unit.heading.clone() } else { None },
                number: if k == 0 {
                    unit.number.clone()
                } else {
                    format_number(style, section, paren)
                },
                blocks: unit.blocks[from..to].to_vec(),
                columns,
                line,
                splits: Vec::new(),
            };
            if k > 0 {
                inferred.push((piece.number.clone(), line));
            }
            out.push(piece);
            from = to;
        }
    }
    if !inferred.is_empty() {
        let list: Vec<String> = inferred
            .iter()
            .map(|(n, l)| format!("{n} at line {l}"))
            .collect();
        warnings.push(
            Diagnostic::warning(format!(
                "inferred {} missing section heading(s) where a 专栏 box is followed by more text: {}",
                inferred.len(),
                list.join(", ")
            ))
            .in_file(ctx.file)
            .hint("their numbers are marked editorial; add titles in editorial.yaml"),
        );
    }
    out
}

/// The input line of block `from` in a unit starting at `unit_line`.
fn source_line_of(source: &str, unit_line: usize, blocks: &[String], from: usize) -> usize {
    if from == 0 {
        return unit_line;
    }
    let Some(block) = blocks.get(from) else {
        return unit_line;
    };
    let needle: String = block.chars().filter(|&c| c != '\\').take(12).collect();
    source
        .lines()
        .enumerate()
        .skip(unit_line)
        .find(|(_, l)| l.trim_start().starts_with(&needle))
        .map_or(unit_line, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line::text(i + 1, t))
            .collect()
    }

    fn ctx<'a>(src: &'a str) -> Ctx<'a> {
        Ctx {
            file: Path::new("x"),
            source: src,
            quote: true,
        }
    }

    #[test]
    fn heading_forms() {
        let h = |s: &str| numbered(s).map(|h| (h.0, h.1, h.3));
        assert_eq!(h("一、规划背景"), Some((Style::Dun, 1, Shape::Heading)));
        assert_eq!(
            h("(十二)发展基础。"),
            Some((Style::Paren, 12, Shape::Heading))
        );
        assert_eq!(h("（三）发展目标"), Some((Style::Paren, 3, Shape::Heading)));
        assert_eq!(h("第十章 附则"), Some((Style::Zhang, 10, Shape::Heading)));
        assert_eq!(h("第二节　目标"), Some((Style::Jie, 2, Shape::Heading)));
        assert_eq!(h("2. 加强管理"), Some((Style::Arabic, 2, Shape::Heading)));
        assert_eq!(
            h("（3）其他"),
            Some((Style::ArabicParen, 3, Shape::Heading))
        );
        assert_eq!(
            h("(一)发展基础。这是正文。还有更多。"),
            Some((Style::Paren, 1, Shape::RunIn("(一)发展基础。".len())))
        );
        assert_eq!(
            h("（一）借鉴北京市服务业扩大开放综合试点经验，放宽外商投资建设工程设计企业外籍技术人员的比例要求。（负责部门：商务部）"),
            Some((Style::Paren, 1, Shape::Paragraph))
        );
        assert_eq!(h("1.对党的政策和国家有关法律法规的贯彻执行情况，秘书长以上负责人的政治和有关方面情况。").map(|x| x.2), Some(Shape::Paragraph));
        assert_eq!(h("2.04亿元用于建设"), None);
        assert_eq!(
            h("1.1 编制目的"),
            Some((Style::Decimal2, 1, Shape::Heading))
        );
        assert_eq!(h("1　总则"), Some((Style::Decimal1, 1, Shape::Heading)));
        assert_eq!(
            h("4.2.3　启动程序"),
            Some((Style::Decimal3, 3, Shape::Heading))
        );
        assert_eq!(h("2.04亿元用于建设"), None);
        assert_eq!(h("1.1编制"), None);
        assert_eq!(
            article("第三条　个人所得税专项附加扣除遵循公平合理的原则。"),
            Some(3)
        );
        assert_eq!(article("第一百零二条 本条例自发布之日起施行。"), Some(102));
        assert_eq!(article("第三条例"), None);
    }

    #[test]
    fn box_forms() {
        let (n, t, inline) = column_heading("专栏1 立德树人工程 |").unwrap();
        assert_eq!((n, t.as_str(), inline), (1, "立德树人工程", None));
        let (n, t, inline) =
            column_heading("专栏7 民族教育发展推进工程 持续推进改革,实施“小班化”教学。").unwrap();
        assert_eq!((n, t.as_str()), (7, "民族教育发展推进工程"));
        let items = column_items(&inline.unwrap());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].name, "");
        let items = column_items("甲项目。做甲。 乙计划。做乙,再做丙。 |");
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[1].name.as_str(), items[1].text.as_str()),
            ("乙计划", "做乙,再做丙。")
        );
    }

    #[test]
    fn notice_with_a_wrapped_title_and_a_joint_signature() {
        let src = "国务院关于支持自由贸易试验区\n深化改革创新若干措施的通知\n国发〔2018〕38号\n各省、自治区、直辖市人民政府：\n现将有关事项通知如下：\n一、营造优良投资环境\n（一）借鉴北京市服务业扩大开放综合试点经验，放宽外商投资建设工程设计企业外籍技术人员的比例要求。\n二、提升贸易便利化水平\n（二）在有条件的自贸试验区开展汽车平行进口试点，落实好相关支持政策。\n国务院　中央军委\n2018年11月7日\n（此件公开发布）";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        let n = p.notice.unwrap();
        assert_eq!(
            n.title,
            "国务院关于支持自由贸易试验区深化改革创新若干措施的通知"
        );
        assert_eq!(n.doc_number.as_deref(), Some("国发〔2018〕38号"));
        assert_eq!(n.signature.as_deref(), Some("国务院　中央军委"));
        assert_eq!(n.note.as_deref(), Some("（此件公开发布）"));
        assert_eq!(n.body.preamble, vec!["现将有关事项通知如下："]);
        // Items numbered on across chapters are paragraphs, not a gap.
        let shape: Vec<(u32, u32, usize)> = n
            .body
            .units
            .iter()
            .map(|u| (u.chapter, u.section, u.blocks.len()))
            .collect();
        assert_eq!(shape, vec![(1, 0, 1), (2, 0, 1)]);
        assert!(w.is_empty(), "{w:?}");
        assert!(p.attachments.is_empty());
    }

    #[test]
    fn a_regulation_has_articles_and_its_items_stay_in_them() {
        let src = "某市某某管理办法\n第一章　总则\n第一条　为了规范管理，制定本办法。\n第二条　本办法适用于下列事项：\n（一）甲事项；\n（二）乙事项。\n第二章　附则\n第三条　本办法自发布之日起施行。";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        assert!(p.notice.is_none());
        let a = &p.attachments[0];
        assert_eq!(a.title.as_deref(), Some("某市某某管理办法"));
        assert_eq!(a.body.articles, Some("第N条"));
        let shape: Vec<(u32, u32, usize)> = a
            .body
            .units
            .iter()
            .map(|u| (u.chapter, u.section, u.blocks.len()))
            .collect();
        assert_eq!(shape, vec![(1, 0, 4), (2, 0, 1)]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn run_in_headings_are_split_without_losing_a_character() {
        let src = "某某意见\n一、总体要求\n（一）重大意义。党的十八大以来，各地积极推进。\n（二）总体目标。到2025年，基本建成。";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        let u = &p.attachments[0].body.units[1];
        assert_eq!(u.heading.as_deref(), Some("（一）重大意义。"));
        assert_eq!(u.blocks, vec!["党的十八大以来，各地积极推进。"]);
    }

    #[test]
    fn notice_then_labelled_attachments() {
        let src = "某县人民政府办公室关于印发\n某县甲办法和乙方案的通知\n某政办发〔2024〕3号\n各乡镇：\n现将《某县甲办法》《某县乙方案》印发给你们。\n附件：1．某县甲办法\n2．某县乙方案\n某县人民政府办公室\n2024年3月1日\n附件1\n某县甲办法\n第一条　为了甲，制定本办法。\n第二条　本办法自发布之日起施行。\n附件2\n某县乙方案\n一、目标\n完成乙。";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        let n = p.notice.unwrap();
        assert_eq!(
            n.title,
            "某县人民政府办公室关于印发某县甲办法和乙方案的通知"
        );
        assert_eq!(n.body.preamble.len(), 1, "{:?}", n.body.preamble);
        assert_eq!(n.postscript, vec!["附件：1．某县甲办法", "2．某县乙方案"]);
        assert_eq!(n.signature.as_deref(), Some("某县人民政府办公室"));
        assert_eq!(p.attachments.len(), 2);
        assert_eq!(p.attachments[0].label.as_deref(), Some("附件1"));
        assert_eq!(p.attachments[0].title.as_deref(), Some("某县甲办法"));
        assert_eq!(p.attachments[0].body.articles, Some("第N条"));
        assert_eq!(p.attachments[1].title.as_deref(), Some("某县乙方案"));
        assert_eq!(p.attachments[1].body.units.len(), 1);
    }

    #[test]
    fn a_decree_and_the_regulation_it_promulgates() {
        let src = "中华人民共和国国务院令\n第707号\n《某某条例》已经2018年12月1日国务院第10次常务会议通过，现予公布，自2019年1月1日起施行。\n总理　李克强\n2018年12月10日\n某某条例\n第一条　为了规范某某，制定本条例。\n第二条　本条例自2019年1月1日起施行。";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        let n = p.notice.unwrap();
        assert_eq!(n.title, "中华人民共和国国务院令");
        assert_eq!(n.doc_number.as_deref(), Some("第707号"));
        assert_eq!(n.signature.as_deref(), Some("总理　李克强"));
        assert_eq!(n.date.as_deref(), Some("2018年12月10日"));
        assert_eq!(p.attachments[0].title.as_deref(), Some("某某条例"));
        assert_eq!(p.attachments[0].body.articles, Some("第N条"));
        assert_eq!(p.attachments[0].body.preamble.len(), 2);
    }

    #[test]
    fn gaps_are_filled_where_boxes_show_them() {
        let src = "规划\n一、甲\n(一)子一。\n段一。\n(二)子二。\n段二。\n专栏1 框 |\n项。文。 |\n段三。\n专栏2 框 |\n项。文。 |\n(四)子四。\n段五。\n专栏3 框 |\n项。文。 |\n段六。\n(一)新章。\n段七。";
        let mut w = Vec::new();
        let ls = lines(src);
        let body = parse_body(&ls[1..], &ctx(src), &mut w);
        let shape: Vec<(u32, u32, Option<&str>, &str)> = body
            .units
            .iter()
            .map(|u| {
                (
                    u.chapter,
                    u.section,
                    u.heading.as_deref(),
                    u.number.as_str(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (1, 0, Some("一、甲"), "一、"),
                (1, 1, Some("(一)子一。"), "(一)"),
                (1, 2, Some("(二)子二。"), "(二)"),
                (1, 3, None, "(三)"),
                (1, 4, Some("(四)子四。"), "(四)"),
                (1, 5, None, "(五)"),
                (2, 0, None, "二、"),
                (2, 1, Some("(一)新章。"), "(一)"),
            ]
        );
        assert_eq!(body.units[3].blocks, vec!["段三。"]);
        assert_eq!(body.units[5].blocks, vec!["段六。"]);
        assert_eq!(body.units[2].columns[0].number, 1);
        assert_eq!(body.units[3].columns[0].number, 2);
        assert!(w.iter().any(|d| d.message.contains("numbering gap")));
        assert!(w
            .iter()
            .any(|d| d.message.contains("no heading for chapter 二、")));
    }

    #[test]
    fn headings_that_read_as_titles_and_sentences_that_do_not() {
        let h = |s: &str| numbered(s).map(|h| h.3);
        // A topic with a comma, run into its paragraph.
        assert_eq!(
            h("（一）带量采购，以量换价。在试点地区公立医疗机构报送的采购量基础上估算。"),
            Some(Shape::RunIn("（一）带量采购，以量换价。".len()))
        );
        // A first sentence with a modal verb is not a title.
        assert_eq!(
            h("四、自动气象站的建设要尽量避开军事设施。勘察定点要征求意见。"),
            Some(Shape::Paragraph)
        );
        // 应 in 应用 is no modal verb.
        assert!(matches!(
            h("一、太钢等应用反渗透膜分离技术减污节水情况。2002年太钢投资。"),
            Some(Shape::RunIn(_))
        ));
        // Clauses with semicolons make a sentence, however short.
        assert_eq!(
            h("一、同意合建3个站；与澳门合建2个站。"),
            Some(Shape::Paragraph)
        );
        // A numbered outline line ending in 。 is a provision, not a heading.
        assert_eq!(
            h("7.2　本预案由国务院办公厅负责解释。"),
            Some(Shape::Paragraph)
        );
    }

    #[test]
    fn letter_spaced_titles_are_joined_and_word_spaces_kept() {
        let ls = |t: &'static [&'static str]| -> Vec<Line<'static>> {
            t.iter().map(|x| Line::text(1, x)).collect()
        };
        assert_eq!(
            join_title(&ls(&[
                "国务院办公厅关于印发",
                "国 家 粮 食 应 急 预 案 的 函"
            ])),
            "国务院办公厅关于印发国家粮食应急预案的函"
        );
        assert_eq!(
            join_title(&ls(&["温州市推行说理性行政处罚文书的", "指  导  意  见"])),
            "温州市推行说理性行政处罚文书的指导意见"
        );
        assert_eq!(
            join_title(&ls(&[
                "关于贯彻落实《教育部 工商总局 质检总局关于校服的意见》的通知"
            ])),
            "关于贯彻落实《教育部 工商总局 质检总局关于校服的意见》的通知"
        );
    }

    #[test]
    fn an_attachment_keeps_its_own_closing() {
        let src = "关于某报告的通知\n某政发〔2024〕1号\n各单位：\n现将《关于某事的报告》转发给你们。\n某县人民政府\n2024年1月2日\n关于某事的报告\n县政府：\n一、情况\n某事进展顺利。\n某县教育局\n2023年12月20日";
        let mut w = Vec::new();
        let p = parse(&lines(src), None, &ctx(src), &mut w);
        let a = &p.attachments[0];
        assert_eq!(a.title.as_deref(), Some("关于某事的报告"));
        assert_eq!(a.signature.as_deref(), Some("某县教育局"));
        assert_eq!(a.date.as_deref(), Some("2023年12月20日"));
        assert_eq!(a.body.units[0].blocks, vec!["某事进展顺利。"]);
    }

    #[test]
    fn tables_become_markdown_tables() {
        let rows = vec![
            vec!["序号".to_string(), "名称|别名".to_string()],
            vec!["1".to_string()],
        ];
        assert_eq!(
            markdown_table(&rows),
            "| 序号 | 名称\\|别名 |\n| --- | --- |\n| 1 |  |"
        );
    }
}
