//! Which folder a build may replace. A build swaps its output folder out
//! whole and deletes the old one, so pointing `--out` at the wrong place
//! (the content folder, the site itself, a folder of the user's own files)
//! would lose data. The rules: the output is new, empty, or a folder that
//! gongkai wrote (it carries [`MARKER`], which lists what the build put
//! there, and holds nothing else at its top level); it is never a file,
//! never read-only, never the site, its content or its theme, nor a folder
//! that holds or lies inside them. A symlink is followed and its target
//! judged by the same rules; the target is then what gets replaced.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Result};

/// The file every build writes at the top of its output folder.
pub const MARKER: &str = ".gongkai-output";

const MARKER_HEAD: &str =
    "# Written by `gongkai build`, which replaces this folder whole at every\n\
# build. Do not keep other files here: a build refuses to replace a\n\
# folder that holds anything not listed below.\n";

/// A folder the build must neither replace nor write into.
#[derive(Debug, Clone, Copy)]
pub struct Protected<'a> {
    pub path: &'a Path,
    /// What it is, for the message: "the site folder", "the content folder".
    pub what: &'static str,
    /// Whether an output inside it is also refused (true for content and
    /// themes, which the next build would read; false for the site folder,
    /// where `public/` normally lives).
    pub inside_refused: bool,
}

/// The marker's text for the top-level names a build wrote.
pub fn marker_text(names: &BTreeSet<String>) -> String {
    let mut s = String::from(MARKER_HEAD);
    for n in names {
        s.push_str(n);
        s.push('\n');
    }
    s
}

/// The names a marker lists, or None when `dir` has no marker.
fn marker_names(dir: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

fn refuse(_out: &Path, message: String, hint: &str) -> crate::diagnostic::Error {
    Diagnostic::error(message).hint(hint.to_string()).into()
}

/// A path as the user would write it: `./public` as `public`, `./.` as `.`.
fn display(p: &Path) -> String {
    let cleaned: PathBuf = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        ".".into()
    } else {
        cleaned.display().to_string()
    }
}

fn count_entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

/// Makes `p` absolute without touching the file system (for a path that
/// does not exist yet), dropping `.` and resolving `..` textually.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Canonical form of a path whose last parts may not exist yet: the
/// longest existing ancestor canonicalized (symlinks resolved), the rest
/// appended.
fn canonical(p: &Path) -> PathBuf {
    let abs = absolute(p);
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Checks that a build may replace `out`; returns the folder to replace
/// (the target when `out` is a symlink).
pub fn check_output(out: &Path, protected: &[Protected]) -> Result<PathBuf> {
    let shown = display(out);
    let target = match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => match out.canonicalize() {
            Ok(t) => t,
            Err(_) => {
                return Err(refuse(
                    out,
                    format!("output folder {shown} is a symlink to a folder that does not exist"),
                    "create the folder it points to, or remove the symlink and build again",
                ))
            }
        },
        _ => canonical(out),
    };
    // Where the output is a symlink, name both in the messages.
    let named = if target.as_path() != absolute(out)
        && std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink())
    {
        format!("{shown} (a symlink to {})", target.display())
    } else {
        shown.clone()
    };
    for p in protected {
        let Ok(pc) = p.path.canonicalize() else {
            continue;
        };
        if target == pc {
            return Err(refuse(
                out,
                format!("output folder {named} is {}: a build replaces its output folder whole and would delete it", p.what),
                "build into a folder of its own, e.g. `--out public`",
            ));
        }
        if pc.starts_with(&target) {
            return Err(refuse(
                out,
                format!(
                    "output folder {named} holds {} ({}): a build replaces its output folder whole and would delete it",
                    p.what,
                    pc.display()
                ),
                "build into a folder of its own, e.g. `--out public`",
            ));
        }
        if p.inside_refused && target.starts_with(&pc) {
            return Err(refuse(
                out,
                format!(
                    "output folder {named} lies inside {} ({}): the pages would be read back as input",
                    p.what,
                    pc.display()
                ),
                "build into a folder outside content/ and themes/, e.g. `--out public`",
            ));
        }
    }
    match std::fs::metadata(&target) {
        Err(_) => {
            // A new folder: its parent must be writable.
            let parent = target.parent().unwrap_or(Path::new("/"));
            if parent.exists() && !writable(parent) {
                return Err(refuse(
                    out,
                    format!(
                        "cannot create output folder {named}: {} is read-only",
                        parent.display()
                    ),
                    "choose an --out in a folder you can write to",
                ));
            }
            Ok(target)
        }
        Ok(m) if !m.is_dir() => Err(refuse(
            out,
            format!("output folder {named} is a file, not a folder"),
            "a build never replaces a file: choose another --out, or move the file away",
        )),
        Ok(_) => {
            let entries: Vec<String> = match std::fs::read_dir(&target) {
                Ok(rd) => rd
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect(),
                Err(e) => {
                    return Err(refuse(
                        out,
                        format!("cannot read output folder {named}: {e}"),
                        "make it readable, or choose another --out",
                    ))
                }
            };
            if !entries.is_empty() {
                let Some(listed) = marker_names(&target) else {
                    return Err(refuse(
                        out,
                        format!(
                            "output folder {named} is not empty and was not written by gongkai (it has no {MARKER}): a build would delete what it holds ({})",
                            count_entries(entries.len())
                        ),
                        "choose an empty or new folder for --out; if this is the output of an older gongkai, delete it and build again",
                    ));
                };
                let mut foreign: Vec<&String> = entries
                    .iter()
                    .filter(|n| n.as_str() != MARKER && !listed.contains(n.as_str()))
                    .collect();
                if !foreign.is_empty() {
                    foreign.sort();
                    let shown: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
                    return Err(refuse(
                        out,
                        format!(
                            "output folder {named} holds files that gongkai did not write: {}{}",
                            shown.join(", "),
                            if foreign.len() > 5 { ", …" } else { "" }
                        ),
                        "a build replaces the folder whole and would delete them: move them elsewhere, or choose another --out",
                    ));
                }
            }
            let parent = target.parent().unwrap_or(Path::new("/"));
            if !writable(&target) || !writable(parent) {
                let which = if writable(&target) {
                    parent
                } else {
                    target.as_path()
                };
                return Err(refuse(
                    out,
                    format!(
                        "output folder {named} cannot be replaced: {} is read-only",
                        which.display()
                    ),
                    "make it writable (chmod u+w), or choose another --out",
                ));
            }
            Ok(target)
        }
    }
}

/// Whether a folder may be written to: its owner-write bit is set (so a
/// folder a user made read-only counts as such even for root) and the
/// system grants write access (a read-only mount).
fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::PermissionsExt;
        let Ok(m) = std::fs::metadata(dir) else {
            return false;
        };
        if m.permissions().mode() & 0o200 == 0 {
            return false;
        }
        let Ok(c) = CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `c` is a valid NUL-terminated path for the call.
        unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
    }
}
