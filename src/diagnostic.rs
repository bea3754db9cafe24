//! Errors and warnings, shaped like a compiler's: what is wrong, where
//! (file:line:column), the offending line, and what to do about it.
//!
//! Every stage reports through [`Diagnostic`]; the CLI is the one place that
//! prints them.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about the input, with enough context to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// The offending line, as it stands in the file.
    pub snippet: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            snippet: None,
            hint: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Points at `line` (1-based) of `text`, quoting it.
    pub fn at_line_of(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.snippet = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self
    }

    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(file) = &self.file {
            write!(f, "  --> {}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            writeln!(f)?;
        }
        if let Some(snippet) = &self.snippet {
            let num = self.line.map(|l| l.to_string()).unwrap_or_default();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad} |")?;
            // Control characters shown as their pictures (␀, ␛), never sent
            // to the terminal.
            let shown: String = snippet
                .chars()
                .take(120)
                .map(|c| match c {
                    '\t' => ' ',
                    c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
                    '\u{7f}' => '␡',
                    c if ('\u{80}'..='\u{9f}').contains(&c) => '?',
                    c => c,
                })
                .collect();
            let ellipsis = if snippet.chars().count() > 120 {
                "…"
            } else {
                ""
            };
            writeln!(f, "{num} | {shown}{ellipsis}")?;
            if let Some(col) = self.column {
                if col <= 120 {
                    // CJK characters take two terminal cells.
                    let width: usize = snippet
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| if c.is_ascii() { 1 } else { 2 })
                        .sum();
                    writeln!(f, "{pad} | {}^", " ".repeat(width))?;
                }
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The library's error type. Most failures are [`Diagnostic`]s about the
/// user's input; the rest are I/O on a named path.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Input(Box<Diagnostic>),
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Diagnostic>),
    #[error("error: {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The diagnostics this error carries (an I/O error becomes one).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Input(d) => vec![(**d).clone()],
            Error::Many(ds) => ds.clone(),
            Error::Io {
                action,
                path,
                source,
            } => vec![
                Diagnostic::error(format!("cannot {action} {}: {source}", path.display()))
                    .in_file(path),
            ],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps an I/O result with the path and what was being done to it.
pub trait IoContext<T> {
    fn with_path(self, action: &'static str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn with_path(self, action: &'static str, path: &Path) -> Result<T> {
        self.map_err(|source| Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Collects warnings as a stage runs, for the CLI to print.
#[derive(Debug, Default, Clone)]
pub struct Warnings(pub Vec<Diagnostic>);

impl Warnings {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(Diagnostic {
            severity: Severity::Warning,
            ..d
        });
    }
}
