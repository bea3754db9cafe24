//! Reading hand-edited YAML with errors that point at the line.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;

/// Parses `text` (the whole of `file`, or a part of it starting at
/// `line_offset` lines into the file) into `T`.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    line_offset: usize,
    whole_file: &str,
) -> Result<T, Diagnostic> {
    serde_yaml_ng::from_str::<T>(text).map_err(|e| to_diagnostic(&e, file, line_offset, whole_file))
}

fn to_diagnostic(
    e: &serde_yaml_ng::Error,
    file: &Path,
    line_offset: usize,
    whole_file: &str,
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml_ng appends " at line L column C"; the position is shown separately.
    let message = raw
        .split(" at line ")
        .next()
        .unwrap_or(&raw)
        .trim()
        .to_string();
    let mut d = Diagnostic::error(format!("invalid YAML: {message}")).in_file(file);
    let mut hint = None;
    if let Some(unknown) = between(&message, "unknown field `", "`") {
        // The location serde gives for an unknown field is often the start of
        // the mapping; find the key's own line instead.
        if let Some(line) = line_of_key(whole_file, unknown) {
            d = d.at_line_of(whole_file, line, 1);
        }
        let expected: Vec<&str> = message
            .split("expected ")
            .nth(1)
            .map(|rest| rest.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        hint = Some(match closest(unknown, &expected) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("allowed keys: {}", expected.join(", ")),
        });
    } else if let Some(loc) = e.location() {
        d = d.at_line_of(whole_file, loc.line() + line_offset, loc.column());
    }
    if let Some(missing) = between(&message, "missing field `", "`") {
        hint = Some(format!(
            "add `{missing}:` (write `{missing}: \"\"` if the value is not known)"
        ));
    }
    d.hint(hint.unwrap_or_else(|| {
        "check indentation and quoting; a value containing `: ` or starting with a special \
         character needs quotes"
            .to_string()
    }))
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let len = s[from..].find(end)?;
    Some(&s[from..from + len])
}

/// 1-based line where `key:` starts a line (any indentation).
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The candidate closest to `word` by edit distance, if it is close.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 2).max(1))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Splits a Markdown file into its YAML front matter and body. Returns the
/// front matter, the body, and the 1-based line where the front matter's
/// YAML starts and where the body starts.
pub fn split_front_matter<'a>(
    text: &'a str,
    file: &Path,
) -> Result<(&'a str, &'a str, usize), Diagnostic> {
    let rest = text.strip_prefix("---\n").ok_or_else(|| {
        Diagnostic::error("missing front matter: the file must start with a line `---`")
            .in_file(file)
            .at_line_of(text, 1, 1)
            .hint("start the file with `---`, the YAML fields (kind: section, …), then `---`")
    })?;
    let end = if rest.starts_with("---\n") || rest == "---" {
        Some(0)
    } else {
        rest.find("\n---\n")
            .map(|i| i + 1)
            .or_else(|| rest.strip_suffix("\n---").map(|r| r.len() + 1))
    };
    let end = end.ok_or_else(|| {
        Diagnostic::error("front matter is not closed: no line `---` after it")
            .in_file(file)
            .at_line_of(text, 1, 1)
            .hint("add a line `---` after the YAML fields")
    })?;
    let yaml = &rest[..end];
    let body = rest[end..].strip_prefix("---").unwrap_or("");
    let body = body.strip_prefix('\n').unwrap_or(body);
    let body_line = 1 + 1 + yaml.matches('\n').count() + 1;
    Ok((yaml, body, body_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_closest_key() {
        assert_eq!(
            closest("发文机构", &["发文机关", "发文字号", "标题"]),
            Some("发文机关")
        );
        assert_eq!(closest("zzzz", &["标题"]), None);
    }

    #[test]
    fn front_matter_split() {
        let (y, b, line) =
            split_front_matter("---\na: 1\nb: 2\n---\nbody\n", Path::new("x")).unwrap();
        assert_eq!((y, b, line), ("a: 1\nb: 2\n", "body\n", 5));
        assert!(split_front_matter("a: 1\n", Path::new("x")).is_err());
        assert!(split_front_matter("---\na: 1\n", Path::new("x")).is_err());
    }
}
