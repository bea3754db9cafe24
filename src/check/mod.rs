//! `gongkai check`: proves the content is the published text and is
//! complete. Errors make the command fail; warnings are printed.

pub mod fidelity;
pub mod translation;

use crate::content::{validate_metadata, Document, Site};
use crate::decode::read_content;
use crate::diagnostic::Diagnostic;

/// What `check` found.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Human-readable lines about what was checked.
    pub summary: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Runs every check on a loaded site.
pub fn check_site(site: &Site) -> Report {
    let mut report = Report {
        warnings: site.warnings.clone(),
        ..Report::default()
    };
    let mut stats = translation::Stats::default();
    for doc in &site.documents {
        check_document(doc, &mut report);
        report
            .errors
            .extend(translation::check(site, doc, &mut stats));
    }
    if stats.paragraphs > 0 {
        report.summary.push(format!(
            "translation: {} paragraphs and box items checked; {} numbers, {} citations and {} glossary terms matched; {} exceptions",
            stats.paragraphs, stats.numbers, stats.citations, stats.terms, stats.exceptions
        ));
    }
    if stats.untranslated > 0 {
        report.summary.push(format!(
            "translation: {} units of partial translations are not translated yet (shown in Chinese)",
            stats.untranslated
        ));
    }
    let places = crate::references::collect(site);
    let (unresolved, warnings) = crate::references::diagnose(site, &places);
    if unresolved.is_empty() {
        let resolved = places
            .iter()
            .filter(|p| p.citation.reference.is_some())
            .count();
        let mut by_level = Vec::new();
        for level in crate::references::Level::ORDER {
            let n = places
                .iter()
                .filter(|p| {
                    p.citation
                        .reference
                        .as_deref()
                        .and_then(|id| site.references.get(id))
                        .is_some_and(|r| r.level == level)
                })
                .count();
            by_level.push(format!("{} {n}", level.key()));
        }
        report.summary.push(format!(
            "citations: all {resolved} resolve to references.yaml ({})",
            by_level.join(", ")
        ));
    }
    report.errors.extend(unresolved);
    report.warnings.extend(warnings);
    // Loading already warned about what `check` now calls an error (an
    // empty required field), or warned the same way: say each thing once.
    let same = |a: &Diagnostic, b: &Diagnostic| {
        a.message == b.message && a.file == b.file && a.line == b.line
    };
    let mut warnings: Vec<Diagnostic> = Vec::new();
    for w in std::mem::take(&mut report.warnings) {
        if !report.errors.iter().any(|e| same(e, &w)) && !warnings.iter().any(|x| same(x, &w)) {
            warnings.push(w);
        }
    }
    report.warnings = warnings;
    report
}

fn check_document(doc: &Document, report: &mut Report) {
    let meta_path = doc.dir.join("document.yaml");
    let mut ignored = Vec::new();
    if let Ok(text) = read_content(&meta_path, &mut ignored) {
        let mut warnings = Vec::new();
        let errors = validate_metadata(&doc.meta, &meta_path, &text, true, &mut warnings);
        report.errors.extend(errors);
        report.warnings.extend(warnings);
    }
    let f = fidelity::check(doc);
    if f.errors.is_empty() {
        report.summary.push(format!(
            "{}: source fidelity OK ({} characters equal source.txt)",
            doc.id, f.chars
        ));
    }
    report.errors.extend(f.errors);
    check_columns(doc, report);
}

/// Boxes are numbered 1..N, each exactly once.
fn check_columns(doc: &Document, report: &mut Report) {
    let mut seen: Vec<(u32, &std::path::Path)> = Vec::new();
    for s in &doc.original.sections {
        for c in &s.front.columns {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == c.number) {
                report.errors.push(
                    Diagnostic::error(format!("专栏{} appears twice", c.number))
                        .in_file(&s.file)
                        .hint(format!("it is also in {}", first.display())),
                );
            }
            seen.push((c.number, &s.file));
            if c.items.is_empty() {
                report.warnings.push(
                    Diagnostic::warning(format!("专栏{} has no items", c.number)).in_file(&s.file),
                );
            }
        }
    }
    let max = seen.iter().map(|(n, _)| *n).max().unwrap_or(0);
    let missing: Vec<String> = (1..=max)
        .filter(|n| !seen.iter().any(|(m, _)| m == n))
        .map(|n| format!("专栏{n}"))
        .collect();
    if !missing.is_empty() {
        report.errors.push(
            Diagnostic::error(format!(
                "{}: boxes missing from the numbering: {}",
                doc.id,
                missing.join(", ")
            ))
            .in_file(&doc.dir),
        );
    } else if max > 0 {
        report
            .summary
            .push(format!("{}: 专栏1–{max} each present once", doc.id));
    }
}
