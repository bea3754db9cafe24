//! Turning bytes into text. `import` is lenient (government sites publish
//! GB18030 as often as UTF-8); `content/` is strict, because it is ours.

use std::path::Path;

use crate::diagnostic::{Diagnostic, IoContext, Result};

/// Largest file gongkai reads. A disclosure document is tens of kilobytes;
/// anything this big is a wrong file, and refusing it keeps memory bounded.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// The encoding an input turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Reads a file, refusing directories and oversized files with a clear error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    // One open and one fstat: a site of 10,000 pages reads 20,000 files.
    let opened = std::fs::File::open(path).and_then(|f| f.metadata().map(|m| (f, m)));
    let (file, meta) = opened.map_err(|e| {
        let d = if e.kind() == std::io::ErrorKind::NotFound {
            Diagnostic::error(format!("file not found: {}", path.display()))
                .hint("check the path; it is relative to the current directory")
        } else {
            Diagnostic::error(format!("cannot read {}: {e}", path.display()))
        };
        d.in_file(path)
    })?;
    if meta.is_dir() {
        return Err(
            Diagnostic::error(format!("{} is a folder, not a file", path.display()))
                .in_file(path)
                .into(),
        );
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Diagnostic::error(format!(
            "{} is {} MB; gongkai reads files of at most {} MB",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_INPUT_BYTES / (1024 * 1024)
        ))
        .in_file(path)
        .hint("a disclosure document is a few hundred kilobytes at most: is this the right file?")
        .into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read still stops at the limit.
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_path("read", path)?;
    Ok(bytes)
}

/// Decodes an input for `import`: UTF-8 (with or without BOM) or GB18030
/// (which covers GBK and GB2312). CRLF and CR line ends become LF.
pub fn decode_import(bytes: &[u8], path: &Path) -> Result<(String, Encoding)> {
    let (text, enc) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest, path)?, Encoding::Utf8Bom)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_owned(), Encoding::Utf8)
    } else {
        let (cow, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
        if had_errors {
            let (line, col) = first_bad_utf8(bytes);
            return Err(Diagnostic::error(format!(
                "{} is neither UTF-8 nor GB18030 text",
                path.display()
            ))
            .in_file(path)
            .at(line, col)
            .hint("save the page's text as UTF-8 (or GB18030/GBK) plain text and import it again")
            .into());
        }
        (cow.into_owned(), Encoding::Gb18030)
    };
    let text = normalize_newlines(text);
    refuse_control_characters(
        &text,
        path,
        "a published page has no control characters: delete it from the input (it is invisible in most editors) and import again",
    )?;
    Ok((text, enc))
}

/// Reads a file under `content/`, which must be UTF-8. A BOM is dropped and
/// reported as a warning; CRLF becomes LF.
pub fn read_content(path: &Path, warnings: &mut Vec<Diagnostic>) -> Result<String> {
    let bytes = read_bytes(path)?;
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            warnings.push(
                Diagnostic::warning("file starts with a byte-order mark (BOM); it was ignored")
                    .in_file(path)
                    .at(1, 1)
                    .hint("save the file as UTF-8 without BOM"),
            );
            rest
        }
        None => &bytes[..],
    };
    let text = normalize_newlines(utf8(bytes, path)?);
    refuse_control_characters(&text, path, "it is invisible and would reach the pages: delete it (an editor that shows invisible characters helps)")?;
    Ok(text)
}

/// A control character (NUL, backspace, escape, …; tab and line ends
/// aside) is invisible in an editor and would reach the pages, their
/// `<meta>` descriptions and the search index: refused where it stands.
fn refuse_control_characters(text: &str, path: &Path, hint: &str) -> Result<()> {
    let bad = |c: char| (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c);
    // Almost every file has none: one pass over the bytes first.
    if !text
        .bytes()
        .any(|b| (b < b' ' && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2)
    {
        return Ok(());
    }
    let Some((at, c)) = text.char_indices().find(|&(_, c)| bad(c)) else {
        return Ok(());
    };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Err(Diagnostic::error(format!(
        "control character U+{:04X} in {}",
        c as u32,
        path.display()
    ))
    .in_file(path)
    .at_line_of(text, line, col)
    .hint(hint)
    .into())
}

fn utf8(bytes: &[u8], path: &Path) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => {
            let (line, col) = first_bad_utf8(bytes);
            let gb = !encoding_rs::GB18030.decode_without_bom_handling(bytes).1;
            let mut d = Diagnostic::error(format!("{} is not valid UTF-8", path.display()))
                .in_file(path)
                .at(line, col);
            d = if gb {
                d.hint(format!(
                    "the file looks like GB18030/GBK; content files must be UTF-8: \
                     convert it with `iconv -f GB18030 -t UTF-8 {0} -o {0}.utf8` and rename, \
                     or re-import the original with `gongkai import`",
                    path.display()
                ))
            } else {
                d.hint("content files must be UTF-8: re-save the file as UTF-8")
            };
            Err(d.into())
        }
    }
}

/// 1-based line and column of the first byte that is not valid UTF-8.
fn first_bad_utf8(bytes: &[u8]) -> (usize, usize) {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let good = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
    let line = good.matches('\n').count() + 1;
    let col = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub fn normalize_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("集安市教育\r\n规划");
        let (text, enc) = decode_import(&bytes, Path::new("x.txt")).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(text, "集安市教育\n规划");
    }

    #[test]
    fn bom_is_dropped() {
        let (text, enc) = decode_import("\u{feff}集安".as_bytes(), Path::new("x")).unwrap();
        assert_eq!((text.as_str(), enc), ("集安", Encoding::Utf8Bom));
    }

    #[test]
    fn garbage_is_rejected_with_position() {
        let err = decode_import(b"ok\nab\xff\xff\xff\xff", Path::new("x")).unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
    }
}
