//! The body of a document: the covering notice, then the main text with its
//! numbered headings, paragraphs and 专栏 boxes.

use std::path::Path;

use crate::content::docnum::{self, Date};
use crate::content::{Column, ColumnItem};
use crate::diagnostic::Diagnostic;
use crate::markdown::escape_text;

/// A body line with its 1-based line number in the input.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

/// The covering notice (通知) of GB/T 9704.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Notice {
    pub title: String,
    pub doc_number: Option<String>,
    pub addressees: Option<String>,
    pub paragraphs: Vec<String>,
    pub signature: Option<String>,
    pub date: Option<String>,
    pub note: Option<String>,
}

/// Heading styles, from the highest level down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    /// 第一章
    Zhang,
    /// 一、
    Dun,
    /// (一) or （一）
    Paren,
    /// 1. / 1、
    Arabic,
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

/// The main text: title, preamble, units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MainText {
    pub label: Option<String>,
    pub title: Option<String>,
    pub preamble: Vec<String>,
    pub units: Vec<Unit>,
}

pub fn cn_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
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

pub fn cn_numeral(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[(n - 10) as usize]),
        _ if n % 10 == 0 && n < 100 => format!("{}十", D[(n / 10) as usize]),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], D[(n % 10) as usize]),
        _ => n.to_string(),
    }
}

fn format_number(style: Style, n: u32, paren: (char, char)) -> String {
    match style {
        Style::Zhang => format!("第{}章", cn_numeral(n)),
        Style::Dun => format!("{}、", cn_numeral(n)),
        Style::Paren => format!("{}{}{}", paren.0, cn_numeral(n), paren.1),
        Style::Arabic => format!("{n}."),
    }
}

/// A heading line: style, value, number text.
fn heading(line: &str) -> Option<(Style, u32, String)> {
    let len = line.chars().count();
    // Headings are short, and a 。 may only end them.
    let inner_stop = line.trim_end_matches('。').contains('。');
    if len > 50 || inner_stop {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    if chars.first() == Some(&'第') {
        if let Some(end) = chars.iter().position(|&c| c == '章') {
            let num: String = chars[1..end].iter().collect();
            if let Some(n) = cn_number(&num) {
                return Some((Style::Zhang, n, chars[..=end].iter().collect()));
            }
        }
    }
    if let Some(end) = chars.iter().position(|&c| c == '、') {
        let num: String = chars[..end].iter().collect();
        if let Some(n) = cn_number(&num) {
            return Some((Style::Dun, n, chars[..=end].iter().collect()));
        }
        if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) && end + 1 < chars.len() {
            return Some((
                Style::Arabic,
                num.parse().ok()?,
                chars[..=end].iter().collect(),
            ));
        }
    }
    if matches!(chars.first(), Some('(') | Some('（')) {
        if let Some(end) = chars.iter().position(|&c| c == ')' || c == '）') {
            let num: String = chars[1..end].iter().collect();
            if let Some(n) = cn_number(&num) {
                return Some((Style::Paren, n, chars[..=end].iter().collect()));
            }
        }
    }
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0
        && matches!(chars.get(digits), Some('.') | Some('．'))
        && chars.get(digits + 1).is_some_and(|c| !c.is_ascii_digit())
    {
        let num: String = chars[..digits].iter().collect();
        return Some((
            Style::Arabic,
            num.parse().ok()?,
            chars[..=digits].iter().collect(),
        ));
    }
    None
}

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

fn is_date_line(s: &str) -> bool {
    let s = s.trim();
    if Date::parse(s).is_some() && s.ends_with('日') {
        return true;
    }
    // 二〇二三年一月十日
    s.ends_with('日')
        && s.contains('年')
        && s.contains('月')
        && s.chars().count() <= 12
        && s.chars()
            .all(|c| "〇零一二三四五六七八九十年月日".contains(c))
}

fn is_parenthesized(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with('(') && s.ends_with(')')) || (s.starts_with('（') && s.ends_with('）'))
}

fn is_title_like(s: &str) -> bool {
    let n = s.chars().count();
    n > 0 && n <= 80 && !s.ends_with('。') && heading(s).is_none() && column_heading(s).is_none()
}

/// Reads the covering notice at the start of `lines`, if there is one:
/// a title followed by a 文号 or by the 标题 from the metadata.
pub fn parse_notice(lines: &[Line], meta_title: &str) -> Option<(Notice, usize)> {
    let first = lines.first()?;
    let second = lines.get(1);
    let has_number = second.is_some_and(|l| docnum::parse(l.text).is_some());
    if !is_title_like(first.text)
        || !(has_number || (!meta_title.is_empty() && first.text == meta_title))
    {
        return None;
    }
    // A notice ends with 署名 + date; without them it is not a notice. The
    // 署名 comes after the title and the 文号.
    let body_start = if has_number { 2 } else { 1 };
    let sig = (body_start..lines.len().saturating_sub(1)).find(|&j| {
        let s = lines[j].text;
        s.chars().count() <= 30
            && !s.ends_with('。')
            && !s.ends_with('：')
            && is_date_line(lines[j + 1].text)
    })?;
    let mut notice = Notice {
        title: first.text.to_string(),
        ..Notice::default()
    };
    let mut i = body_start;
    if has_number {
        notice.doc_number = Some(lines[1].text.to_string());
    }
    if i < sig
        && (lines[i].text.ends_with('：') || lines[i].text.ends_with(':'))
        && lines[i].text.chars().count() <= 120
    {
        notice.addressees = Some(lines[i].text.to_string());
        i += 1;
    }
    notice.paragraphs = lines[i..sig].iter().map(|l| escape_text(l.text)).collect();
    notice.signature = Some(lines[sig].text.to_string());
    notice.date = Some(lines[sig + 1].text.to_string());
    let mut end = sig + 2;
    if lines
        .get(end)
        .is_some_and(|l| is_parenthesized(l.text) && l.text.chars().count() <= 30)
    {
        notice.note = Some(lines[end].text.to_string());
        end += 1;
    }
    Some((notice, end))
}

/// Reads the main text: optional 附件 label and title, preamble, and the
/// numbered structure. Gaps in the numbering become warnings; where the
/// 专栏 boxes show where a missing section heading stood, the section is
/// split there with an inferred number.
pub fn parse_main(
    lines: &[Line],
    file: &Path,
    source: &str,
    warnings: &mut Vec<Diagnostic>,
) -> MainText {
    let mut main = MainText::default();
    let mut i = 0;
    if let Some(l) = lines.first() {
        let t = l.text.trim();
        if t == "附件"
            || ((t.starts_with("附件：") || t.starts_with("附件:") || t.starts_with("附件"))
                && t.chars().count() <= 6)
        {
            main.label = Some(t.to_string());
            i = 1;
        }
    }
    if let Some(l) = lines.get(i) {
        if is_title_like(l.text) && l.text.chars().count() <= 60 {
            main.title = Some(l.text.to_string());
            i += 1;
        }
    }
    // Which styles are chapters and sections: the two highest present.
    let mut styles: Vec<Style> = lines[i..]
        .iter()
        .filter_map(|l| heading(l.text).map(|h| h.0))
        .collect();
    styles.sort();
    styles.dedup();
    let chapter_style = styles.first().copied();
    let section_style = styles.get(1).copied();
    let at = |no: usize| {
        Diagnostic::warning("")
            .in_file(file)
            .at_line_of(source, no, 1)
    };

    let mut units: Vec<Unit> = Vec::new();
    let mut paren = ('(', ')');
    // Section-number gaps: (unit index of the section before the gap, missing count).
    let mut gaps: Vec<(usize, u32)> = Vec::new();
    while i < lines.len() {
        let l = lines[i];
        let text = l.text.trim();
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
                if column_heading(next.text).is_none() && heading(next.text).is_none() {
                    column.items = column_items(next.text);
                    i += 1;
                }
            }
            if column.items.is_empty() {
                let mut d = at(l.no);
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
        match heading(text) {
            Some((style, n, number))
                if Some(style) == chapter_style && units.last().is_none_or(|u| n > u.chapter) =>
            {
                let prev = units
                    .iter()
                    .rev()
                    .find(|u| u.section == 0)
                    .map_or(0, |u| u.chapter);
                if n != prev + 1 {
                    let mut d = at(l.no);
                    d.message =
                        format!("chapter numbering jumps from {} to {} at `{text}`", prev, n);
                    warnings.push(d);
                }
                units.push(Unit {
                    chapter: n,
                    heading: Some(text.to_string()),
                    number,
                    line: l.no,
                    ..Unit::default()
                });
            }
            Some((style, n, number))
                if Some(style) == section_style && section_target(&units, n).is_some() =>
            {
                if style == Style::Paren {
                    let first = number.chars().next().unwrap_or('(');
                    paren = if first == '（' {
                        ('（', '）')
                    } else {
                        ('(', ')')
                    };
                }
                let prev = units.last().map_or(0, |u| u.section);
                let (chapter_no, restart) = section_target(&units, n).expect("checked above");
                if restart {
                    // Numbering restarts without a chapter heading: one is missing.
                    let cnum =
                        format_number(chapter_style.unwrap_or(Style::Dun), chapter_no, paren);
                    let mut d = at(l.no);
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
                } else if n > prev + 1 {
                    let chapter_heading = units
                        .iter()
                        .rev()
                        .find(|u| u.section == 0)
                        .and_then(|u| u.heading.clone())
                        .unwrap_or_default();
                    let mut d = at(l.no);
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
                units.push(Unit {
                    chapter: chapter_no,
                    section: n,
                    heading: Some(text.to_string()),
                    number,
                    line: l.no,
                    ..Unit::default()
                });
            }
            Some((style, _, _)) if !units.is_empty() => {
                if Some(style) == chapter_style || Some(style) == section_style {
                    // A repeated or backward number: as a section of its own it
                    // would overwrite or reorder the text.
                    let mut d = at(l.no);
                    d.message = format!(
                        "`{text}` does not continue the numbering; kept as a subheading of the section before it"
                    );
                    warnings.push(d);
                }
                // A lower-level heading inside a section.
                let level = if section_style.is_some() { "###" } else { "##" };
                units
                    .last_mut()
                    .expect("non-empty")
                    .blocks
                    .push(format!("{level} {}", escape_text(text)));
            }
            _ => {
                let u = match units.last_mut() {
                    Some(u) => u,
                    None => {
                        main.preamble.push(escape_text(text));
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
    main.units = split_at_boxes(units, &gaps, paren, section_style, file, source, warnings);
    main
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
    file: &Path,
    source: &str,
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
            let line = source_line_of(source, unit.line, &unit.blocks, from);
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
            .in_file(file)
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
            .map(|(i, t)| Line { no: i + 1, text: t })
            .collect()
    }

    #[test]
    fn numerals() {
        for n in 1..=99 {
            assert_eq!(cn_number(&cn_numeral(n)), Some(n), "{n}");
        }
    }

    #[test]
    fn heading_forms() {
        assert_eq!(
            heading("一、规划背景").map(|h| (h.0, h.1)),
            Some((Style::Dun, 1))
        );
        assert_eq!(
            heading("(十二)发展基础。").map(|h| (h.0, h.1)),
            Some((Style::Paren, 12))
        );
        assert_eq!(
            heading("（三）发展目标").map(|h| (h.0, h.1)),
            Some((Style::Paren, 3))
        );
        assert_eq!(
            heading("第十章 附则").map(|h| (h.0, h.1)),
            Some((Style::Zhang, 10))
        );
        assert_eq!(
            heading("2. 加强管理").map(|h| (h.0, h.1)),
            Some((Style::Arabic, 2))
        );
        assert_eq!(heading("(一)发展基础。这是正文。还有更多。"), None);
        assert_eq!(heading("2.04亿元用于建设"), None);
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
    fn notice_is_recognised() {
        let src = "关于印发某规划的通知\n集政办发〔2023〕1号\n各单位:\n现印发给你们。\n某市人民政府办公室\n2023年1月10日\n(此件公开发布)\n某规划\n一、总则";
        let (n, end) = parse_notice(&lines(src), "").unwrap();
        assert_eq!(n.doc_number.as_deref(), Some("集政办发〔2023〕1号"));
        assert_eq!(n.addressees.as_deref(), Some("各单位:"));
        assert_eq!(n.signature.as_deref(), Some("某市人民政府办公室"));
        assert_eq!(n.note.as_deref(), Some("(此件公开发布)"));
        assert_eq!(end, 7);
    }

    #[test]
    fn gaps_are_filled_where_boxes_show_them() {
        let src = "规划\n一、甲\n(一)子一。\n段一。\n(二)子二。\n段二。\n专栏1 框 |\n项。文。 |\n段三。\n专栏2 框 |\n项。文。 |\n(四)子四。\n段五。\n专栏3 框 |\n项。文。 |\n段六。\n(一)新章。\n段七。";
        let mut w = Vec::new();
        let main = parse_main(&lines(src), Path::new("x"), src, &mut w);
        let shape: Vec<(u32, u32, Option<&str>, &str)> = main
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
        assert_eq!(main.units[3].blocks, vec!["段三。"]);
        assert_eq!(main.units[5].blocks, vec!["段六。"]);
        assert_eq!(main.units[2].columns[0].number, 1);
        assert_eq!(main.units[3].columns[0].number, 2);
        assert!(w.iter().any(|d| d.message.contains("numbering gap")));
        assert!(w
            .iter()
            .any(|d| d.message.contains("no heading for chapter 二、")));
    }
}
