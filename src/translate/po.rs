//! gettext PO: written for a document's segments, read back from what a
//! PO editor saved. `msgctxt` is the unit's id, `msgid` the Chinese,
//! `msgstr` the translation; `#.` comments give the context and the
//! source hash (`source-sha256: …`), `#:` the Chinese file and line,
//! `#, fuzzy` marks a translation to review, and a `#` translator comment
//! names a translation-memory match.

use super::{Returned, ReturnedFile, Segment, State};
use crate::content::Document;
use crate::diagnostic::{Diagnostic, Result};

/// A PO string literal (without the quotes).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// `keyword "text"`, or for a text of several lines `keyword ""` and one
/// string per line.
fn field(keyword: &str, text: &str) -> String {
    if !text.contains('\n') {
        return format!("{keyword} \"{}\"\n", escape(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    for piece in text.split_inclusive('\n') {
        out.push_str(&format!("\"{}\"\n", escape(piece)));
    }
    out
}

/// One line of a comment: a newline in it would end the comment.
fn comment_line(s: &str) -> String {
    s.replace('\n', " ")
}

pub fn write(doc: &Document, segments: &[Segment], lang: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {} ({}): the published Chinese text and its translation ({lang}).\n\
         # The Chinese is the authority; the translation is unofficial.\n\
         # msgctxt is the unit's id; a translation of a paragraph is Markdown.\n",
        comment_line(&doc.meta.title),
        doc.id
    ));
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for h in [
        format!("Project-Id-Version: {}\\n", doc.id),
        format!("Language: {lang}\\n"),
        "MIME-Version: 1.0\\n".to_string(),
        "Content-Type: text/plain; charset=UTF-8\\n".to_string(),
        "Content-Transfer-Encoding: 8bit\\n".to_string(),
        "X-Generator: gongkai\\n".to_string(),
        format!("X-Gongkai-Document: {}\\n", doc.id),
    ] {
        out.push_str(&format!("\"{h}\"\n"));
    }
    for s in segments {
        out.push('\n');
        if let Some(m) = &s.matched {
            out.push_str(&format!("# exact match from {m}: review it\n"));
        }
        for n in &s.notes {
            out.push_str(&format!("#. {}\n", comment_line(n)));
        }
        out.push_str(&format!("#. source-sha256: {}\n", s.hash));
        if s.line > 0 {
            out.push_str(&format!("#: {}:{}\n", s.file, s.line));
        } else {
            out.push_str(&format!("#: {}\n", s.file));
        }
        if s.state == State::NeedsReview {
            out.push_str("#, fuzzy\n");
        }
        out.push_str(&field("msgctxt", &s.id));
        out.push_str(&field("msgid", &s.source));
        out.push_str(&field("msgstr", s.target.as_deref().unwrap_or("")));
    }
    out
}

/// Undoes `escape`; `None` for an unknown escape.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'a' => out.push('\u{7}'),
            _ => return None,
        }
    }
    Some(out)
}

/// The string of a `"…"` literal line.
fn literal(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.strip_prefix('"')?.strip_suffix('"')?;
    unescape(inner)
}

#[derive(Default)]
struct Entry {
    ctxt: Option<String>,
    id: Option<String>,
    str: Option<String>,
    fuzzy: bool,
    hash: Option<String>,
    line: usize,
}

/// Reads a PO file.
pub fn read(text: &str, path: &std::path::Path) -> Result<ReturnedFile> {
    let err = |line: usize, msg: String| -> crate::diagnostic::Error {
        Diagnostic::error(msg)
            .in_file(path)
            .at_line_of(text, line, 1)
            .hint("the file must be the PO file that `gongkai translate export` wrote, as a PO editor saved it")
            .into()
    };
    let mut file = ReturnedFile::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut cur = Entry::default();
    // Which string continuation lines add to.
    let mut last: Option<&'static str> = None;
    let finish = |cur: &mut Entry, entries: &mut Vec<Entry>| {
        if cur.id.is_some() || cur.ctxt.is_some() {
            entries.push(std::mem::take(cur));
        } else {
            *cur = Entry::default();
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("#~") {
            // An obsolete entry: not part of the file's units.
            continue;
        }
        if let Some(rest) = t.strip_prefix("#,") {
            if cur.str.is_some() {
                finish(&mut cur, &mut entries);
            }
            if rest.split(',').any(|f| f.trim() == "fuzzy") {
                cur.fuzzy = true;
            }
            last = None;
            continue;
        }
        if let Some(rest) = t.strip_prefix("#.") {
            if cur.str.is_some() {
                finish(&mut cur, &mut entries);
            }
            if let Some(h) = rest.trim().strip_prefix("source-sha256:") {
                cur.hash = Some(h.trim().to_string());
            }
            last = None;
            continue;
        }
        if t.starts_with('#') {
            if cur.str.is_some() {
                finish(&mut cur, &mut entries);
            }
            last = None;
            continue;
        }
        let (keyword, rest) = match t.split_once(char::is_whitespace) {
            Some((k, r)) if !t.starts_with('"') => (k, r),
            _ => ("", t),
        };
        let value = literal(rest).ok_or_else(|| {
            err(
                n,
                "a PO string must be one \"…\" literal with \\n, \\t, \\\\ or \\\" escapes".into(),
            )
        })?;
        match keyword {
            "msgctxt" => {
                if cur.str.is_some() || cur.id.is_some() {
                    finish(&mut cur, &mut entries);
                }
                cur.line = n;
                cur.ctxt = Some(value);
                last = Some("ctxt");
            }
            "msgid" => {
                if cur.str.is_some() {
                    finish(&mut cur, &mut entries);
                }
                if cur.ctxt.is_none() {
                    cur.line = n;
                }
                cur.id = Some(value);
                last = Some("id");
            }
            "msgstr" => {
                cur.str = Some(value);
                last = Some("str");
            }
            "" => match last {
                Some("ctxt") => cur.ctxt.get_or_insert_with(String::new).push_str(&value),
                Some("id") => cur.id.get_or_insert_with(String::new).push_str(&value),
                Some("str") => cur.str.get_or_insert_with(String::new).push_str(&value),
                _ => {
                    return Err(err(
                        n,
                        "a string with no msgid, msgctxt or msgstr before it".into(),
                    ))
                }
            },
            k if k.starts_with("msgstr[") || k == "msgid_plural" => {
                return Err(err(
                    n,
                    "plural forms are not used by gongkai's files".into(),
                ))
            }
            k => return Err(err(n, format!("unknown keyword `{k}`"))),
        }
    }
    finish(&mut cur, &mut entries);
    for e in entries {
        let id = e.id.unwrap_or_default();
        if e.ctxt.is_none() && id.is_empty() {
            // The header.
            let header = e.str.unwrap_or_default();
            for l in header.lines() {
                if let Some(v) = l.strip_prefix("X-Gongkai-Document:") {
                    file.doc = Some(v.trim().to_string());
                } else if let Some(v) = l.strip_prefix("Language:") {
                    file.lang = Some(v.trim().to_string()).filter(|v| !v.is_empty());
                }
            }
            continue;
        }
        let Some(ctxt) = e.ctxt else {
            return Err(err(
                e.line,
                format!("the entry for “{id}” has no msgctxt: gongkai's entries are named by it"),
            ));
        };
        file.segments.push(Returned {
            id: ctxt,
            source: id,
            target: e.str.unwrap_or_default(),
            hash: e.hash,
            confirmed: !e.fuzzy,
            line: e.line,
            snippet: text
                .lines()
                .nth(e.line.saturating_sub(1))
                .unwrap_or("")
                .to_string(),
        });
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_what_editors_write() {
        // Rewrapped strings, flags among others, an obsolete entry, a
        // header as Poedit rewrites it.
        let po = "# comment\nmsgid \"\"\nmsgstr \"\"\n\"Language: en_US\\n\"\n\"X-Gongkai-Document: plan\\n\"\n\n\
                  #. source-sha256: 0011223344556677\n#: c1.md:3\n#, fuzzy, no-c-format\nmsgctxt \"c1-heading\"\nmsgid \"一、\"\n\"规划\"\nmsgstr \"\"\n\"I. \"\n\"Plan \\\"x\\\"\\n\"\n\n\
                  msgctxt \"c1-number\"\nmsgid \"一、\"\nmsgstr \"I.\"\n\n#~ msgctxt \"old\"\n#~ msgid \"旧\"\n#~ msgstr \"Old\"\n";
        let f = read(po, Path::new("t.po")).unwrap();
        assert_eq!(f.doc.as_deref(), Some("plan"));
        assert_eq!(f.lang.as_deref(), Some("en_US"));
        assert_eq!(f.segments.len(), 2);
        let h = &f.segments[0];
        assert_eq!(
            (h.id.as_str(), h.source.as_str(), h.target.as_str()),
            ("c1-heading", "一、规划", "I. Plan \"x\"\n")
        );
        assert!(!h.confirmed);
        assert_eq!(h.hash.as_deref(), Some("0011223344556677"));
        assert_eq!(h.line, 10);
        assert!(f.segments[1].confirmed);
        assert!(read("msgid \"a\"\nmsgstr[0] \"b\"\n", Path::new("t.po")).is_err());
        assert!(read("msgid \"a\\q\"\n", Path::new("t.po")).is_err());
    }

    #[test]
    fn strings_of_several_lines() {
        assert_eq!(field("msgstr", "a\"b"), "msgstr \"a\\\"b\"\n");
        assert_eq!(field("msgstr", "a\nb"), "msgstr \"\"\n\"a\\n\"\n\"b\"\n");
        let text = format!(
            "msgctxt \"x\"\nmsgid \"源\"\n{}",
            field("msgstr", "line one\nline two\\")
        );
        let f = read(&text, Path::new("t.po")).unwrap();
        assert_eq!(f.segments[0].target, "line one\nline two\\");
    }
}
