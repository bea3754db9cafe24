//! Writing the site atomically: everything goes into a fresh folder beside
//! the output, which then takes the output's place in one step (Linux
//! `renameat2(RENAME_EXCHANGE)`; two renames elsewhere). A failed or killed
//! build leaves the previous site as it was, and a lock file makes two
//! builds of the same site take turns instead of interleaving.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::collections::BTreeSet;

use super::guard::{self, Protected, MARKER};
use crate::diagnostic::{Diagnostic, IoContext, Result};

/// How long a build waits for another build of the same site.
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// An advisory lock (flock) on the folder that holds the output, so two
/// builds swap their output in turn. The system releases it when the
/// process ends, however it ends, so a killed build leaves no stale lock.
struct Lock(#[allow(dead_code)] std::fs::File);

impl Lock {
    fn acquire(dir: &Path) -> Result<Lock> {
        let f = std::fs::File::open(dir).with_path("open", dir)?;
        let started = Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(Lock(f)),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if started.elapsed() > LOCK_WAIT {
                        return Err(Diagnostic::error(format!(
                            "another gongkai build has held the lock on {} for {} s",
                            dir.display(),
                            LOCK_WAIT.as_secs()
                        ))
                        .hint("wait for it to finish, then build again")
                        .into());
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_path("lock", dir);
                }
            }
        }
    }
}

/// Takes the lock that builds of `out` share (on the folder that holds
/// it), for a build that writes into `out` in place (`cache`).
pub(crate) fn lock_output(out: &Path) -> Result<impl Sized> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Lock::acquire(&parent)
}

/// Where rendered files go: a folder being written (`Staging`) or memory.
/// Workers put files as soon as they are rendered, so a build never holds
/// the whole site in memory.
pub trait Sink: Sync {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()>;
}

/// Files kept in memory (`serve`, `bundle`, tests).
#[derive(Default)]
pub struct Memory(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<(String, Vec<u8>)> {
        let mut files = self.0.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

impl Sink for Memory {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_relative(rel)?;
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }
}

/// A fresh folder beside the output that becomes the output on `commit`.
/// Dropped without `commit` (an error, a panic), it is removed and the
/// previous output stays as it was. Only a folder that `guard` allows is
/// ever replaced.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    tmp: PathBuf,
    committed: bool,
    /// Whether there is a previous output to compare with (a first build
    /// skips a lookup per file).
    previous: bool,
    /// The folders the output must not be, hold or lie in.
    protected: Vec<(PathBuf, &'static str, bool)>,
    /// Top-level names written, for the marker.
    names: std::sync::Mutex<BTreeSet<String>>,
}

impl Staging {
    /// Starts a build of `out`, after checking that it may be replaced
    /// (`guard::check_output`; a symlink's target is what gets replaced).
    pub fn begin(out: &Path, protected: &[Protected]) -> Result<Staging> {
        let out = guard::check_output(out, protected)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).with_path("create", &parent)?;
        let name = out
            .file_name()
            .ok_or_else(|| {
                Diagnostic::error(format!("output path {} has no folder name", out.display()))
            })?
            .to_string_lossy()
            .into_owned();
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_path("remove", &tmp)?;
        }
        std::fs::create_dir(&tmp).with_path("create", &tmp)?;
        Ok(Staging {
            previous: out.is_dir(),
            out,
            parent,
            tmp,
            committed: false,
            protected: protected
                .iter()
                .map(|p| (p.path.to_path_buf(), p.what, p.inside_refused))
                .collect(),
            names: Default::default(),
        })
    }

    /// The folder that `commit` replaces.
    pub fn target(&self) -> &Path {
        &self.out
    }

    /// Writes the marker, then swaps the written folder in for the output
    /// (checked again under the lock: another build or a user may have
    /// changed it meanwhile) and removes the previous output.
    pub fn commit(mut self) -> Result<()> {
        let names = std::mem::take(&mut *self.names.lock().unwrap_or_else(|p| p.into_inner()));
        let marker = self.tmp.join(MARKER);
        std::fs::write(&marker, guard::marker_text(&names)).with_path("write", &marker)?;
        let _lock = Lock::acquire(&self.parent)?;
        let protected: Vec<Protected> = self
            .protected
            .iter()
            .map(|(path, what, inside)| Protected {
                path,
                what,
                inside_refused: *inside,
            })
            .collect();
        guard::check_output(&self.out, &protected)?;
        // For the test of a build that dies before the swap (tests/it/
        // reliability.rs): abort as a kill -9 would, leaving the staging
        // folder behind.
        if std::env::var_os("GONGKAI_CRASH_BEFORE_SWAP").is_some() {
            std::process::abort();
        }
        swap_in(&self.tmp, &self.out)?;
        self.committed = true;
        // `tmp` now holds the previous site (or nothing).
        remove_tree(&self.tmp)?;
        let name = self.out.file_name().unwrap_or_default().to_string_lossy();
        clean_leftovers(&self.parent, &name);
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        check_relative(rel)?;
        if rel == MARKER {
            return Err(Diagnostic::error(format!(
                "`{MARKER}` is the output folder's marker; a page cannot take its name"
            ))
            .into());
        }
        let top = rel.split('/').next().unwrap_or(rel);
        {
            let mut names = self.names.lock().unwrap_or_else(|p| p.into_inner());
            if !names.contains(top) {
                names.insert(top.to_string());
            }
        }
        let path = self.tmp.join(rel);
        if let Some(dir) = path.parent() {
            // Most pages are the first file of their own folder, whose
            // parent exists: one mkdir, not create_dir_all's stat first.
            match std::fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => std::fs::create_dir_all(dir).with_path("create", dir)?,
            }
        }
        // An unchanged file is the previous one, hard-linked: it keeps its
        // modification time, so rsync-style deploys skip it.
        let previous = self.out.join(rel);
        if self.previous
            && std::fs::metadata(&previous).is_ok_and(|m| m.len() == bytes.len() as u64)
            && std::fs::read(&previous).is_ok_and(|b| b == bytes)
            && std::fs::hard_link(&previous, &path).is_ok()
        {
            return Ok(());
        }
        std::fs::write(&path, bytes).with_path("write", &path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

fn check_relative(rel: &str) -> Result<()> {
    if rel.starts_with('/')
        || rel.split('/').any(|s| s == ".." || s.is_empty())
        || rel.contains('\0')
    {
        return Err(Diagnostic::error(format!(
            "refusing to write `{rel}`: it would land outside the output folder"
        ))
        .into());
    }
    Ok(())
}

/// Removes a folder tree, its top-level entries on all cores (a previous
/// site of 20,000 files takes a while to delete).
fn remove_tree(dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.par_iter().for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
        }
    });
    std::fs::remove_dir_all(dir).with_path("remove", dir)
}

/// Writes `files` (paths relative to the site root) as the new `out`.
pub fn write_atomically(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let staging = Staging::begin(out, &[])?;
    for (rel, bytes) in files {
        staging.put(rel, bytes)?;
    }
    staging.commit()
}

/// Puts `new` at `out`; afterwards `new` holds what `out` held.
pub(crate) fn swap_in(new: &Path, out: &Path) -> Result<()> {
    if out.exists() && exchange(new, out) {
        return Ok(());
    }
    let old = new.with_extension("old");
    if out.exists() {
        std::fs::rename(out, &old).with_path("move aside", out)?;
    }
    if let Err(e) = std::fs::rename(new, out) {
        let _ = std::fs::rename(&old, out);
        return Err(crate::diagnostic::Error::Io {
            action: "replace",
            path: out.to_path_buf(),
            source: e,
        });
    }
    if old.exists() {
        std::fs::rename(&old, new).with_path("move", &old)?;
    }
    Ok(())
}

/// Atomically exchanges two directories, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(ca), Ok(cb)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both paths are valid NUL-terminated strings for the duration
    // of the call; renameat2 does not keep them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes temporary folders of builds that were killed midway.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.tmp-");
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if let Some(rest) = n.strip_prefix(&prefix) {
            let pid = rest.split('.').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !process_alive(p)) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
