//! The translation workflow: a document's units go out to a translator as
//! an exchange file and come back as the translation's files.
//!
//! ```text
//! gongkai translate export <doc> ──▶ <doc>.<lang>.xlf (or .po) + <doc>.<lang>.tbx
//!                                         │ a CAT tool, a translator
//! gongkai translate import FILE  ◀────────┘ ──▶ content/<doc>/<lang>/
//! gongkai translate status                   per document and language
//! ```
//!
//! One job per file: [`units`] finds a document's units (every piece of
//! text a translation renders, with its stable id: see there for the
//! table of ids) and what they are translated as now; [`record`] keeps
//! the hash of the Chinese each translation was confirmed against;
//! [`memory`] finds exact matches in the portal's other translations;
//! [`export`] makes the segments; [`xliff`], [`po`] and [`tbx`] write and
//! read the formats; [`import`] checks a translated file and writes the
//! translation's files through [`write`] (which edits a file in place with
//! [`edit`]); [`status`] counts.
//!
//! ## Formats
//!
//! **XLIFF 1.2**, not 2.0. Every CAT tool named for this work reads 1.2
//! with its standard filter: Trados Studio (its own SDLXLIFF is an XLIFF
//! 1.2 dialect), memoQ (an "XLIFF 1" filter, and a separate "XLIFF 2" one),
//! OmegaT (built in; XLIFF 2 only through the Okapi plugin, whose support
//! is basic), Poedit (since 2.2, reading the 1.2 `state` values), Weblate
//! (1.2 for years; XLIFF 2.0 was added in 5.15 and is marked "under
//! development") and translate-toolkit (`translate.storage.xliff`; it has
//! an `xliff2` module too). The two versions are not compatible, so one
//! had to be chosen, and 1.2 is the one every tool reads the same way.
//! What is used of it: one `<file>` per content file (`original` =
//! `<doc>/<file>`), a `<trans-unit>` per unit (`id` and `resname` = the
//! unit's id, `extradata="source-sha256:…"` = the hash of its Chinese),
//! `<source>` (the Chinese), `<target state="translated">` with
//! `approved="yes"` on the unit (the translation the portal publishes: read
//! as approved by Weblate and translate-toolkit, which take an unapproved
//! target for one to review) or `state="needs-review-translation"` (with
//! `state-qualifier="exact-match"` for a translation-memory match), no
//! target for a new unit, `<note>`s for context and a location
//! `<context-group>`.
//!
//! **PO** (gettext) for tools built around it: `msgctxt` = the unit's id,
//! `msgid` = the Chinese, `msgstr` = the translation, `#.` comments for
//! context and the source hash, `#:` the Chinese file and line, `#, fuzzy`
//! for a translation to review (and for a translation-memory match, with a
//! `#` translator comment naming where it comes from).
//!
//! **TBX** (ISO 30042, TBX-Basic, the `martif` vocabulary that
//! translate-toolkit, MultiTerm, memoQ and OmegaT read): the glossary
//! terms the document uses, one `termEntry` per term with a `langSet` for
//! the Chinese and one for the translation (the preferred rendering, then
//! the admitted variants).
//!
//! A target is Markdown where the unit is a block of a Markdown body (a
//! cited title stays in `*…*`), plain text elsewhere; the source is the
//! Chinese as a reader sees it. Files are written in reading order with
//! nothing that depends on the time or the machine: the same content makes
//! the same bytes.
//!
//! ## States
//!
//! *translated*: the translation exists and its Chinese has not changed
//! since it was confirmed; *needs review*: the Chinese changed since (the
//! record tells), or the translation was imported unconfirmed; *new*: no
//! translation. Import refuses a segment whose source is no longer the
//! Chinese, or whose id no unit has, and runs the translation checks
//! (numbers, citations, glossary terms) on every segment; with any error
//! it writes nothing, otherwise it replaces the translation's folder in
//! one step.

pub mod edit;
pub mod export;
pub mod import;
pub mod memory;
pub mod po;
pub mod record;
pub mod status;
pub mod tbx;
pub mod units;
pub mod write;
pub mod xliff;

pub use export::{export, ExportOptions, Exported};
pub use import::{import, ImportOptions, Imported};
pub use status::{status, DocStatus};

use sha2::{Digest, Sha256};

/// A unit's state in an exported file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Translated,
    NeedsReview,
    New,
}

/// One unit as it goes out: its id, the Chinese, its translation, state
/// and context.
#[derive(Debug, Clone)]
pub struct Segment {
    pub id: String,
    /// The content file it belongs to (`c1-s1.md`, `document.yaml`).
    pub file: String,
    /// 1-based line of the Chinese file (0 where there is none to give).
    pub line: usize,
    pub source: String,
    pub target: Option<String>,
    pub state: State,
    /// `source_hash(source)`.
    pub hash: String,
    pub notes: Vec<String>,
    /// A translation-memory match: where the prefilled target comes from
    /// (`<doc>:<id>`).
    pub matched: Option<String>,
}

/// One segment as a translated file brings it back.
#[derive(Debug, Clone)]
pub struct Returned {
    pub id: String,
    pub source: String,
    pub target: String,
    /// The source hash the export wrote, if the file kept it.
    pub hash: Option<String>,
    /// The translator confirmed the target (not fuzzy, not needs-…).
    pub confirmed: bool,
    /// 1-based line in the file where the segment starts, and that line.
    pub line: usize,
    pub snippet: String,
}

/// What a translated file holds.
#[derive(Debug, Clone, Default)]
pub struct ReturnedFile {
    /// The document it was exported from.
    pub doc: Option<String>,
    /// Its target language code.
    pub lang: Option<String>,
    pub segments: Vec<Returned>,
}

/// The exchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xliff,
    Po,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xliff => "xlf",
            Format::Po => "po",
        }
    }

    /// The format a file name says (`.xlf`, `.xliff`, `.po`, `.pot`).
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlf" | "xliff" => Some(Format::Xliff),
            "po" | "pot" => Some(Format::Po),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "xliff" | "xlf" => Some(Format::Xliff),
            "po" | "gettext" => Some(Format::Po),
            _ => None,
        }
    }
}

/// The hash that ties a translation to its Chinese: SHA-256 of the text
/// with its whitespace trimmed, first 16 hex digits.
pub fn source_hash(source: &str) -> String {
    Sha256::digest(source.trim().as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Text with runs of whitespace made one space and the ends trimmed: how
/// a source is compared with the Chinese (a tool may rewrap it).
pub fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
