//! Writing the site atomically: everything goes into a fresh folder beside
//! the output, which replaces the output only when the build succeeded. A
//! failed or killed build leaves the previous site as it was.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, IoContext, Result};

/// Writes `files` (paths relative to the site root) as the new `out`.
pub fn write_atomically(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
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
    let stamp = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp-{stamp}"));
    let old = parent.join(format!(".{name}.old-{stamp}"));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_path("remove", &tmp)?;
    }
    let result = (|| {
        for (rel, bytes) in files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).with_path("create", dir)?;
            }
            std::fs::write(&path, bytes).with_path("write", &path)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &old).with_path("move aside", out)?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the previous site back.
        let _ = std::fs::rename(&old, out);
        return Err(crate::diagnostic::Error::Io {
            action: "replace",
            path: out.to_path_buf(),
            source: e,
        });
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).with_path("remove", &old)?;
    }
    // Leftovers of builds that were killed midway.
    if let Ok(rd) = std::fs::read_dir(&parent) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with(&format!(".{name}.tmp-")) || n.starts_with(&format!(".{name}.old-")) {
                let pid = n.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|p| !process_alive(p)) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
    Ok(())
}

fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
