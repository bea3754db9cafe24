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
    if let Some(bomb) = find_bomb(text) {
        return Err(bomb_diagnostic(&bomb, file, line_offset, whole_file));
    }
    serde_yaml_ng::from_str::<T>(text).map_err(|e| to_diagnostic(&e, file, line_offset, whole_file))
}

/// Deepest nesting of sequences and mappings a YAML text may have. The
/// deepest gongkai writes is 5 (a section's `columns:`, a box, `items:`,
/// an item, its fields); 64 leaves hand-written YAML all the room it needs.
pub const MAX_DEPTH: usize = 64;

/// What makes serde_yaml_ng take time or memory out of proportion to the
/// text, and where it starts (0-based line and column, in characters).
#[derive(Debug, PartialEq, Eq)]
enum Bomb {
    Alias { line: usize, column: usize },
    Deep { line: usize, column: usize },
}

/// Finds the first alias (`*name`) or the first sequence or mapping nested
/// deeper than `MAX_DEPTH`.
///
/// Aliases are refused, all of them: serde_yaml_ng builds the anchored
/// value again for every alias, so a few kilobytes of aliases to aliases
/// make gigabytes (200,000 of them took 1.8 GB and 43 s), and content
/// gongkai writes never uses them. Deep nesting takes libyaml's scanner
/// time quadratic in the depth (it looks at every open level for every
/// token).
///
/// This reads libyaml's events (the parser serde_yaml_ng uses, so it sees
/// exactly the aliases and levels that serde would) and stops at the
/// first offence, so it never goes deeper than `MAX_DEPTH` itself; on a
/// syntax error it stops and leaves the message to serde_yaml_ng.
fn find_bomb(text: &str) -> Option<Bomb> {
    use unsafe_libyaml as sys;
    // Quick way out for the usual text: no alias without a `*`, and every
    // level starts at one of `[ { - : ?`, so there are no more levels than
    // those characters.
    let openers = text
        .bytes()
        .filter(|b| matches!(b, b'[' | b'{' | b'-' | b':' | b'?'))
        .count();
    if !text.contains('*') && openers < MAX_DEPTH {
        return None;
    }
    // SAFETY: the parser lives in a Box (libyaml keeps a pointer to it) and
    // is initialised before use; the input outlives it; every event parsed
    // is deleted and the parser is deleted before returning.
    unsafe {
        let mut storage: Box<std::mem::MaybeUninit<sys::yaml_parser_t>> = Box::new_uninit();
        let parser = storage.as_mut_ptr();
        if sys::yaml_parser_initialize(parser).fail {
            return None;
        }
        sys::yaml_parser_set_encoding(parser, sys::YAML_UTF8_ENCODING);
        sys::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let mut depth = 0usize;
        let found = loop {
            let mut event = std::mem::MaybeUninit::<sys::yaml_event_t>::uninit();
            if sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                break None;
            }
            let event = event.as_mut_ptr();
            let mark = (*event).start_mark;
            let (line, column) = (mark.line as usize, mark.column as usize);
            let found = match (*event).type_ {
                sys::YAML_ALIAS_EVENT => Some(Some(Bomb::Alias { line, column })),
                sys::YAML_SEQUENCE_START_EVENT | sys::YAML_MAPPING_START_EVENT => {
                    depth += 1;
                    (depth > MAX_DEPTH).then_some(Some(Bomb::Deep { line, column }))
                }
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => {
                    depth = depth.saturating_sub(1);
                    None
                }
                sys::YAML_STREAM_END_EVENT => Some(None),
                _ => None,
            };
            sys::yaml_event_delete(event);
            if let Some(found) = found {
                break found;
            }
        };
        sys::yaml_parser_delete(parser);
        found
    }
}

fn bomb_diagnostic(bomb: &Bomb, file: &Path, line_offset: usize, whole_file: &str) -> Diagnostic {
    let (message, hint, line, column) = match *bomb {
        Bomb::Alias { line, column } => (
            {
                let alias: String = whole_file
                    .lines()
                    .nth(line + line_offset)
                    .unwrap_or("")
                    .chars()
                    .skip(column)
                    .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                    .collect();
                format!("YAML alias `{alias}`: gongkai does not expand aliases")
            },
            "write the value out in full where the alias stands (an alias repeats the value \
             marked `&name`, and aliases of aliases can grow a small file into gigabytes)",
            line,
            column,
        ),
        Bomb::Deep { line, column } => (
            format!("YAML nested more than {MAX_DEPTH} levels deep"),
            "content needs a few levels (a box, its items, their fields); look for brackets \
             `[` or `{` that are never closed",
            line,
            column,
        ),
    };
    Diagnostic::error(message)
        .in_file(file)
        .at_line_of(whole_file, line + 1 + line_offset, column + 1)
        .hint(hint)
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
    fn aliases_are_found_and_text_that_looks_like_one_is_not() {
        for text in [
            "a: 3*4\n",
            "a: '*b'\n",
            "a: \"*b\"\n",
            "a: |\n  *b\n  - *c\n",
            "a: x # *b\n",
            "a: &anchor 1\n",
        ] {
            assert_eq!(find_bomb(text), None, "{text:?}");
        }
        assert_eq!(
            find_bomb("a: &x 1\nb: *x\n"),
            Some(Bomb::Alias { line: 1, column: 3 })
        );
        assert_eq!(
            find_bomb("a: &x [1]\nb:\n- 2\n- *x\n"),
            Some(Bomb::Alias { line: 3, column: 2 })
        );
        assert_eq!(
            find_bomb("a: &x {}\n<<: *x\n"),
            Some(Bomb::Alias { line: 1, column: 4 })
        );
    }

    #[test]
    fn nesting_is_refused_past_the_limit() {
        let flow = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        // The mapping is one level; the brackets the rest.
        assert_eq!(find_bomb(&flow(MAX_DEPTH - 1)), None);
        assert_eq!(
            find_bomb(&flow(MAX_DEPTH)),
            Some(Bomb::Deep {
                line: 0,
                column: 3 + MAX_DEPTH - 1
            })
        );
        let block: String = (0..MAX_DEPTH + 1)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>()
            + &" ".repeat(MAX_DEPTH + 1)
            + "v\n";
        assert!(matches!(
            find_bomb(&block),
            Some(Bomb::Deep { line: 64, .. })
        ));
        // Unclosed: refused as soon as the limit is passed, in time linear in
        // the text however deep it claims to go.
        assert!(find_bomb(&format!("a: {}", "[".repeat(100_000))).is_some());
        assert!(find_bomb(&"- ".repeat(100_000)).is_some());
    }

    #[test]
    fn a_syntax_error_is_left_to_serde() {
        assert_eq!(find_bomb("a: [\n*"), None);
        let e = parse::<serde_yaml_ng::Value>("a: b: c\n", Path::new("x.yaml"), 0, "a: b: c\n")
            .unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
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
