//! Translation checks: the English mirrors the Chinese file for file,
//! paragraph for paragraph and box item for box item, and each English
//! paragraph carries the Chinese paragraph's numbers, citations and glossary
//! terms. Where the English legitimately differs, an `exceptions:` entry in
//! its front matter waives one finding, with a reason.

use std::collections::BTreeSet;
use std::path::Path;

use crate::content::{Document, Exception, Section, Site, Term};
use crate::diagnostic::Diagnostic;
use crate::markdown::{plain_blocks, BlockKind};
use crate::references::Registry;

/// Counts for the report.
#[derive(Debug, Default)]
pub struct Stats {
    pub paragraphs: usize,
    pub numbers: usize,
    pub citations: usize,
    pub terms: usize,
    pub exceptions: usize,
    /// Units of partial translations not translated yet.
    pub untranslated: usize,
}

/// A number as the Chinese writes it, and the values the English may show.
#[derive(Debug, Clone, PartialEq)]
struct ZhNumber {
    written: String,
    /// Acceptable values (the number itself; for 万/亿 the full amount).
    value: f64,
    /// The number is a month (N月): an English month name also counts.
    month: bool,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn zh_numbers(text: &str) -> Vec<ZhNumber> {
    let chars: Vec<char> = text.chars().collect();
    numerals(&chars, &['.'])
        .into_iter()
        .map(|(end, written, value)| {
            let next = chars.get(end).copied();
            let (shown, value) = match next {
                Some('万') => (format!("{written}万"), value * 1e4),
                Some('亿') => (format!("{written}亿"), value * 1e8),
                _ => (written, value),
            };
            ZhNumber {
                written: shown,
                month: next == Some('月') && (1.0..=12.0).contains(&value) && value.fract() == 0.0,
                value,
            }
        })
        .collect()
}

/// Numeric values in English text: `1,517`, `93.38`, `RMB 204 million`,
/// `14.54 million`, `3+2` (each digit run), `1st`.
fn en_values(text: &str) -> Vec<f64> {
    let chars: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = Vec::new();
    for (end, _, v) in numerals(&chars, &['.', ',']) {
        out.push(v);
        let rest: String = chars[end..].iter().take(10).collect();
        for (word, mult) in [
            (" million", 1e6),
            (" billion", 1e9),
            (" thousand", 1e3),
            ("-million", 1e6),
        ] {
            if rest.starts_with(word) {
                out.push(v * mult);
            }
        }
    }
    out
}

/// Runs of ASCII digits, with a separator from `separators` taken into the
/// run when a digit follows it (`93.38`, `1,200`): for each, the position
/// after it, its digits as written without `,`, and its value.
fn numerals(chars: &[char], separators: &[char]) -> Vec<(usize, String, f64)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (separators.contains(&chars[i])
                    && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            i += 1;
        }
        let written: String = chars[start..i].iter().filter(|c| **c != ',').collect();
        if let Ok(value) = written.parse::<f64>() {
            out.push((i, written, value));
        }
    }
    out
}

fn has_value(values: &[f64], v: f64) -> bool {
    values
        .iter()
        .any(|x| (x - v).abs() < 1e-6 * v.abs().max(1.0))
}

/// Reference ids cited in a text.
fn cited(registry: &Registry, text: &str, english: bool) -> BTreeSet<String> {
    let found = if english {
        registry.find_en(text, None)
    } else {
        registry.find(text)
    };
    found.into_iter().filter_map(|c| c.reference).collect()
}

fn waived(exceptions: &[Exception], paragraph: &str, check: &str, value: &str) -> bool {
    exceptions.iter().any(|e| {
        e.paragraph == paragraph && e.check == check && (e.value.is_empty() || e.value == value)
    })
}

/// What one pair of texts (a paragraph, a heading, a box item) lacks: a
/// number, a citation or a glossary term of the Chinese that the English
/// does not carry. `check` reports each one at its file and line;
/// `translate import` at its segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `number`, `citation` or `glossary` (the `check:` of an exception).
    pub check: &'static str,
    /// What is missing (the number as written, the reference id, the term):
    /// the `value:` of an exception.
    pub value: String,
    /// What is wrong, without the paragraph's name.
    pub message: String,
    pub hint: String,
}

/// Counts of what a pair carried over.
#[derive(Debug, Default, Clone, Copy)]
pub struct Matched {
    pub numbers: usize,
    pub citations: usize,
    pub terms: usize,
}

/// Compares one Chinese text with its English: every number, citation and
/// glossary term of the Chinese must be in the English.
pub fn findings(site: &Site, zh: &str, en: &str) -> (Vec<Finding>, Matched) {
    let mut out = Vec::new();
    let mut matched = Matched::default();
    let values = en_values(en);
    let lower = en.to_lowercase();
    for n in zh_numbers(zh) {
        let ok = has_value(&values, n.value)
            || (n.month && lower.contains(MONTHS[n.value as usize - 1]));
        if ok {
            matched.numbers += 1;
        } else {
            out.push(Finding {
                check: "number",
                message: format!(
                    "the number {} of the Chinese is missing from the English",
                    n.written
                ),
                value: n.written,
                hint:
                    "carry every number over (万/亿 amounts converted: 2.04亿元 → RMB 204 million)"
                        .into(),
            });
        }
    }
    let en_refs = cited(&site.references, en, true);
    for id in cited(&site.references, zh, false) {
        if en_refs.contains(&id) {
            matched.citations += 1;
        } else {
            let title = site
                .references
                .get(&id)
                .map(|r| r.title_en.clone())
                .unwrap_or_default();
            out.push(Finding {
                check: "citation",
                message: format!("the Chinese cites `{id}` but the English does not"),
                value: id,
                hint: format!("use the registry's English title \"{title}\" (or an alias_en) or the document number"),
            });
        }
    }
    for term in site.glossary.iter().filter(|t| t.scope.is_empty()) {
        if !zh.contains(&term.zh) {
            continue;
        }
        if term_present(term, &lower) {
            matched.terms += 1;
        } else {
            out.push(Finding {
                check: "glossary",
                message: format!(
                    "glossary term {} should appear as \"{}\" in the English",
                    term.zh, term.en
                ),
                value: term.zh.clone(),
                hint: "use the glossary's rendering (content/glossary.yaml)".into(),
            });
        }
    }
    (out, matched)
}

/// Whether an `exceptions:` entry waives `finding` for `place`.
pub fn is_waived(exceptions: &[Exception], place: &str, finding: &Finding) -> bool {
    waived(exceptions, place, finding.check, &finding.value)
}

/// Checks one pair of texts (a paragraph, or a box item); `place` names it
/// for exceptions (`3`, `box-4/2`).
#[allow(clippy::too_many_arguments)]
fn check_pair(
    site: &Site,
    zh: &str,
    en: &str,
    place: &str,
    en_section: &Section,
    line: usize,
    stats: &mut Stats,
    errors: &mut Vec<Diagnostic>,
) {
    let ex = &en_section.front.exceptions;
    stats.paragraphs += 1;
    let (found, matched) = findings(site, zh, en);
    stats.numbers += matched.numbers;
    stats.citations += matched.citations;
    stats.terms += matched.terms;
    for f in found.into_iter().filter(|f| !is_waived(ex, place, f)) {
        errors.push(
            Diagnostic::error(format!("paragraph {place}: {}", f.message))
                .in_file(&en_section.file)
                .at(line, 1)
                .hint(format!("{}; or, if the English rightly differs, add to the front matter: exceptions: [{{paragraph: \"{place}\", check: …, value: …, reason: …}}]", f.hint)),
        );
    }
}

fn term_present(term: &Term, lower: &str) -> bool {
    std::iter::once(&term.en)
        .chain(&term.variants)
        .any(|v| lower.contains(&v.to_lowercase()))
}

/// Runs the translation checks for one document: for every translation,
/// file for file, paragraph for paragraph and box item for box item; for
/// the English one also its numbers, citations and glossary terms (the
/// glossary and the registry's titles are English, and so are the number
/// forms the check reads).
pub fn check(site: &Site, doc: &Document, stats: &mut Stats) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (code, t) in &doc.translations {
        let Some(lang) = site.config.languages.iter().find(|l| &l.code == code) else {
            continue;
        };
        errors.extend(check_translation(site, doc, &t.text, lang, stats));
    }
    errors
}

fn check_translation(
    site: &Site,
    doc: &Document,
    en: &crate::content::Text,
    lang: &crate::content::LanguageConfig,
    stats: &mut Stats,
) -> Vec<Diagnostic> {
    let english = lang.code == "en";
    let mut errors = Vec::new();
    let file_name = |s: &Section| s.file.file_name().map(|n| n.to_owned());
    for s in &doc.original.sections {
        if !en.sections.iter().any(|e| file_name(e) == file_name(s)) {
            if lang.partial {
                // Shown in Chinese, marked untranslated.
                stats.untranslated += 1;
                continue;
            }
            errors.push(
                Diagnostic::error(format!(
                    "{} has no {} counterpart",
                    s.file.display(),
                    lang.name
                ))
                .in_file(&s.file)
                .hint(format!(
                    "translate it into {}, or mark the language `partial: true` in site.yaml",
                    doc.dir
                        .join(&lang.code)
                        .join(s.file.file_name().unwrap_or_default())
                        .display()
                )),
            );
        }
    }
    for e in &en.sections {
        let Some(zh) = doc
            .original
            .sections
            .iter()
            .find(|s| file_name(s) == file_name(e))
        else {
            errors.push(
                Diagnostic::error(format!("{} has no Chinese counterpart", e.file.display()))
                    .in_file(&e.file)
                    .hint(format!(
                        "{} files mirror the Chinese files one for one: rename or remove it",
                        lang.name
                    )),
            );
            continue;
        };
        stats.exceptions += e.front.exceptions.len();
        for x in &e.front.exceptions {
            if x.reason.trim().is_empty() {
                errors.push(
                    Diagnostic::error(format!(
                        "exception for paragraph {} has no reason",
                        x.paragraph
                    ))
                    .in_file(&e.file),
                );
            }
        }
        check_section(site, zh, e, english, stats, &mut errors);
    }
    errors
}

fn check_section(
    site: &Site,
    zh: &Section,
    en: &Section,
    english: bool,
    stats: &mut Stats,
    errors: &mut Vec<Diagnostic>,
) {
    let zb: Vec<_> = plain_blocks(&zh.body)
        .into_iter()
        .filter(|b| b.kind != BlockKind::Code)
        .collect();
    let eb: Vec<_> = plain_blocks(&en.body)
        .into_iter()
        .filter(|b| b.kind != BlockKind::Code)
        .collect();
    if zb.len() != eb.len() {
        errors.push(
            Diagnostic::error(format!(
                "{} has {} paragraphs but its Chinese counterpart has {}",
                en.file.display(),
                eb.len(),
                zb.len()
            ))
            .in_file(&en.file)
            .hint("translate paragraph for paragraph: one English paragraph per Chinese paragraph, in the same order"),
        );
    } else if english {
        for (i, (z, e)) in zb.iter().zip(&eb).enumerate() {
            check_pair(
                site,
                &z.text,
                &e.text,
                &(i + 1).to_string(),
                en,
                en.body_line + e.line,
                stats,
                errors,
            );
        }
    }
    // Headings and the notice's fields carry numbers too.
    let pairs = [
        (&zh.front.heading, &en.front.heading, "heading"),
        (&zh.front.title, &en.front.title, "title"),
        (&zh.front.date, &en.front.date, "date"),
    ];
    for (z, e, place) in pairs.into_iter().filter(|_| english) {
        if let (Some(z), Some(e)) = (z, e) {
            check_pair(site, z, e, place, en, 1, stats, errors);
        }
    }
    for zc in &zh.front.columns {
        let Some(ec) = en.front.columns.iter().find(|c| c.number == zc.number) else {
            errors.push(
                Diagnostic::error(format!(
                    "专栏{} has no English box in {}",
                    zc.number,
                    en.file.display()
                ))
                .in_file(&en.file)
                .hint(format!(
                    "add `columns: - number: {}` with its title and items",
                    zc.number
                )),
            );
            continue;
        };
        if zc.items.len() != ec.items.len() {
            errors.push(
                Diagnostic::error(format!(
                    "Box {} has {} items in English but 专栏{} has {}",
                    zc.number,
                    ec.items.len(),
                    zc.number,
                    zc.items.len()
                ))
                .in_file(&en.file)
                .hint("translate item for item"),
            );
            continue;
        }
        for (k, (zi, ei)) in zc
            .items
            .iter()
            .zip(&ec.items)
            .enumerate()
            .filter(|_| english)
        {
            let place = format!("box-{}/{}", zc.number, k + 1);
            let en_text = format!("{} {}", ei.name, ei.text);
            check_pair(
                site,
                &zi.source_text(),
                &en_text,
                &place,
                en,
                1,
                stats,
                errors,
            );
        }
    }
}

/// Whether `path` is under an `en/` folder.
pub fn is_english(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "en")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        let n = zh_numbers("共投入教育资金2.04亿元,其中1454万元用于93.38%的学校,9月份完成。");
        let v: Vec<(String, f64, bool)> = n
            .into_iter()
            .map(|n| (n.written, n.value, n.month))
            .collect();
        assert_eq!(
            v,
            vec![
                ("2.04亿".to_string(), 204_000_000.0, false),
                ("1454万".to_string(), 14_540_000.0, false),
                ("93.38".to_string(), 93.38, false),
                ("9".to_string(), 9.0, true),
            ]
        );
    }

    #[test]
    fn english_values() {
        let v = en_values(
            "RMB 204 million and RMB 14.54 million, 1,517 graduates, 93.38%, the 1st meeting",
        );
        for x in [204e6, 14.54e6, 1517.0, 93.38, 1.0] {
            assert!(has_value(&v, x), "{x} in {v:?}");
        }
        assert!(!has_value(&v, 2.04));
    }
}
