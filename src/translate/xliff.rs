//! XLIFF 1.2 (OASIS): written for a document's segments, read back from
//! what a CAT tool saved. See the module `translate` for why 1.2.
//!
//! Reading takes each `<trans-unit>`'s id, the text of its `<source>` and
//! `<target>` (the text of inline elements a tool may have added, such as
//! the `<mrk mtype="seg">` of a segmented target, included), the target's
//! `state` and the unit's `approved`, and the `extradata` hash; `<alt-trans>`
//! proposals and `<seg-source>` are not the translation and are skipped.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Returned, ReturnedFile, Segment, State};
use crate::content::Document;
use crate::diagnostic::{Diagnostic, Result};

pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// Escapes text for element content or a double-quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The XLIFF file of `segments`: one `<file>` per content file, in the
/// order the segments come.
pub fn write(doc: &Document, segments: &[Segment], source: &str, target: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<xliff version=\"1.2\" xmlns=\"{NAMESPACE}\">\n"));
    let mut files: Vec<&str> = Vec::new();
    for s in segments {
        if !files.contains(&s.file.as_str()) {
            files.push(&s.file);
        }
    }
    for file in files {
        out.push_str(&format!(
            "  <file original=\"{}/{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\">\n",
            escape(&doc.id),
            escape(file),
            escape(source),
            escape(target)
        ));
        out.push_str("    <header>\n      <tool tool-id=\"gongkai\" tool-name=\"gongkai\"/>\n    </header>\n    <body>\n");
        for s in segments.iter().filter(|s| s.file == file) {
            let multiline =
                s.source.contains('\n') || s.target.as_deref().is_some_and(|t| t.contains('\n'));
            out.push_str(&format!(
                "      <trans-unit id=\"{0}\" resname=\"{0}\" extradata=\"source-sha256:{1}\"{2}{3}>\n",
                escape(&s.id),
                s.hash,
                if s.state == State::Translated {
                    " approved=\"yes\""
                } else {
                    ""
                },
                if multiline {
                    " xml:space=\"preserve\""
                } else {
                    ""
                }
            ));
            out.push_str(&format!("        <source>{}</source>\n", escape(&s.source)));
            if let Some(t) = &s.target {
                let state = match s.state {
                    State::Translated => "translated",
                    State::NeedsReview | State::New => "needs-review-translation",
                };
                let qualifier = if s.matched.is_some() {
                    " state-qualifier=\"exact-match\""
                } else {
                    ""
                };
                out.push_str(&format!(
                    "        <target state=\"{state}\"{qualifier}>{}</target>\n",
                    escape(t)
                ));
            }
            out.push_str("        <context-group purpose=\"location\">\n");
            out.push_str(&format!(
                "          <context context-type=\"sourcefile\">{}</context>\n",
                escape(&s.file)
            ));
            if s.line > 0 {
                out.push_str(&format!(
                    "          <context context-type=\"linenumber\">{}</context>\n",
                    s.line
                ));
            }
            out.push_str("        </context-group>\n");
            if let Some(m) = &s.matched {
                out.push_str(&format!(
                    "        <note from=\"gongkai\">exact match from {}: review it</note>\n",
                    escape(m)
                ));
            }
            for n in &s.notes {
                out.push_str(&format!(
                    "        <note from=\"gongkai\">{}</note>\n",
                    escape(n)
                ));
            }
            out.push_str("      </trans-unit>\n");
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// What is being read inside a trans-unit.
#[derive(PartialEq)]
enum Into {
    Nothing,
    Source,
    Target,
}

/// Reads an XLIFF 1.x file.
pub fn read(text: &str, path: &std::path::Path) -> Result<ReturnedFile> {
    let line_at = |pos: usize| text[..pos.min(text.len())].matches('\n').count() + 1;
    let err = |pos: usize, msg: String| -> crate::diagnostic::Error {
        let line = line_at(pos);
        Diagnostic::error(msg)
            .in_file(path)
            .at_line_of(text, line, 1)
            .hint("the file must be the XLIFF 1.2 that `gongkai translate export` wrote, as a CAT tool saved it")
            .into()
    };
    let mut reader = Reader::from_str(text);
    let mut file = ReturnedFile::default();
    let mut seen_xliff = false;
    // The element names open now (local names).
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut unit: Option<Returned> = None;
    let mut into = Into::Nothing;
    // Depth of elements inside source/target whose text is not text
    // (`ph`, `bpt`, … hold native codes).
    let mut code_depth = 0usize;
    let mut has_target = false;
    let mut target_state: Option<String> = None;
    let mut approved = false;
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            err(
                reader.error_position() as usize,
                format!("not well-formed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let name = e.local_name().as_ref().to_vec();
                let parent = stack.last().cloned().unwrap_or_default();
                match name.as_slice() {
                    b"xliff" => {
                        seen_xliff = true;
                        if let Some(v) = attr(e, b"version") {
                            if !v.starts_with('1') {
                                return Err(err(
                                    pos,
                                    format!("this is XLIFF {v}; gongkai reads XLIFF 1.2"),
                                ));
                            }
                        }
                    }
                    b"file" => {
                        if let Some(o) = attr(e, b"original") {
                            let doc = o.split('/').next().unwrap_or("").to_string();
                            if file.doc.is_none() && !doc.is_empty() {
                                file.doc = Some(doc);
                            }
                        }
                        if file.lang.is_none() {
                            file.lang = attr(e, b"target-language");
                        }
                    }
                    b"trans-unit" => {
                        let line = line_at(pos + text[pos..].find('<').unwrap_or(0));
                        unit = Some(Returned {
                            id: attr(e, b"id").unwrap_or_default(),
                            source: String::new(),
                            target: String::new(),
                            hash: attr(e, b"extradata")
                                .and_then(|x| x.strip_prefix("source-sha256:").map(str::to_string)),
                            confirmed: true,
                            line,
                            snippet: text.lines().nth(line - 1).unwrap_or("").to_string(),
                        });
                        has_target = false;
                        target_state = None;
                        approved = attr(e, b"approved").as_deref() == Some("yes");
                    }
                    b"source" if parent == b"trans-unit" && unit.is_some() => into = Into::Source,
                    b"target" if parent == b"trans-unit" && unit.is_some() => {
                        into = Into::Target;
                        has_target = true;
                        target_state = attr(e, b"state");
                    }
                    b"ph" | b"bpt" | b"ept" | b"it" | b"sub" if into != Into::Nothing => {
                        if !empty {
                            code_depth += 1;
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                } else if name.as_slice() == b"target" && parent == b"trans-unit" {
                    into = Into::Nothing;
                }
            }
            Event::End(ref e) => {
                let name = e.local_name().as_ref().to_vec();
                stack.pop();
                let parent = stack.last().cloned().unwrap_or_default();
                match name.as_slice() {
                    b"source" | b"target" if parent == b"trans-unit" => into = Into::Nothing,
                    b"ph" | b"bpt" | b"ept" | b"it" | b"sub" if into != Into::Nothing => {
                        code_depth = code_depth.saturating_sub(1);
                    }
                    b"trans-unit" => {
                        if let Some(mut u) = unit.take() {
                            let state = target_state.take().unwrap_or_default();
                            u.confirmed =
                                approved || !(state.starts_with("needs-") || state == "new");
                            if !has_target {
                                u.target.clear();
                            }
                            file.segments.push(u);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if code_depth == 0 => {
                let s = t
                    .decode()
                    .map_err(|e| err(pos, format!("text that is not UTF-8: {e}")))?;
                push_text(&mut unit, &into, &s);
            }
            Event::CData(t) if code_depth == 0 => {
                let s = String::from_utf8_lossy(&t).into_owned();
                push_text(&mut unit, &into, &s);
            }
            Event::GeneralRef(r) if code_depth == 0 => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.as_ref() {
                        b"amp" => "&".into(),
                        b"lt" => "<".into(),
                        b"gt" => ">".into(),
                        b"quot" => "\"".into(),
                        b"apos" => "'".into(),
                        other => {
                            return Err(err(
                                pos,
                                format!("unknown entity &{};", String::from_utf8_lossy(other)),
                            ))
                        }
                    },
                };
                push_text(&mut unit, &into, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_xliff {
        return Err(
            Diagnostic::error("this is not an XLIFF file: it has no <xliff> element")
                .in_file(path)
                .hint("give the .xlf file that `gongkai translate export` wrote (or a .po file)")
                .into(),
        );
    }
    Ok(file)
}

fn push_text(unit: &mut Option<Returned>, into: &Into, s: &str) {
    if let Some(u) = unit.as_mut() {
        match into {
            Into::Source => u.source.push_str(s),
            Into::Target => u.target.push_str(s),
            Into::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn reads_what_tools_write() {
        // A target segmented by a CAT tool (Trados, memoQ), an entity, a
        // character reference, CDATA, a proposal in alt-trans and an inline
        // code: the translation is the target's text.
        let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
  <file original="plan/c1-s1.md" source-language="zh-Hans" target-language="en-US" datatype="plaintext">
    <body>
      <trans-unit id="c1-s1-p1" extradata="source-sha256:0011223344556677">
        <source>甲&amp;乙</source>
        <seg-source><mrk mtype="seg" mid="1">甲&amp;乙</mrk></seg-source>
        <target state="translated"><mrk mtype="seg" mid="1">A &amp; B&#x2014;<![CDATA[<c>]]><ph id="1">{b}</ph></mrk></target>
        <alt-trans><source>甲</source><target>not this</target></alt-trans>
      </trans-unit>
      <trans-unit id="c1-s1-p2" approved="no">
        <source>丙</source>
        <target state="needs-review-translation">C</target>
      </trans-unit>
      <trans-unit id="c1-s1-p3">
        <source>丁</source>
      </trans-unit>
    </body>
  </file>
</xliff>"#;
        let f = read(x, Path::new("t.xlf")).unwrap();
        assert_eq!(f.doc.as_deref(), Some("plan"));
        assert_eq!(f.lang.as_deref(), Some("en-US"));
        let s = &f.segments;
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].id.as_str(), s[0].source.as_str()),
            ("c1-s1-p1", "甲&乙")
        );
        assert_eq!(s[0].target, "A & B—<c>");
        assert_eq!(s[0].hash.as_deref(), Some("0011223344556677"));
        assert!(s[0].confirmed);
        assert_eq!(s[0].line, 5);
        assert!(s[0].snippet.contains("c1-s1-p1"));
        assert_eq!(s[1].target, "C");
        assert!(!s[1].confirmed);
        assert_eq!(s[2].target, "");
        assert!(read("<xliff version=\"2.0\"/>", Path::new("t.xlf")).is_err());
        assert!(read("<x>", Path::new("t.xlf")).is_err());
        assert!(read("<xliff><file></xliff>", Path::new("t.xlf")).is_err());
    }
}
