//! The state file (`<state dir>/persistent.conf`, the stored persistent groups): read
//! once at start, written atomically (a temporary file in the same directory, fsync,
//! rename, fsync of the directory) with mode 0600, so a crash mid-write leaves either
//! the old file or the new one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::p2p::persistent::Store;

/// The stored groups, or why the file cannot be used (the message names the file, and
/// the line for a corrupt file). A missing file is an empty store.
pub fn load(path: &Path) -> Result<Store, String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Store::default()),
        Err(e) => return Err(format!("cannot read the state file {}: {e}", path.display())),
    };
    Store::parse(&text).map_err(|e| format!("the state file {} is corrupt: {e}", path.display()))
}

/// Replaces the file's content with `text`, atomically, mode 0600 (the directory is
/// made, mode 0700, if missing).
pub fn save(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("the state file has no directory"))?;
    if !dir.exists() {
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
        // An older temporary file may have had other bits.
        f.set_permissions(fs::Permissions::from_mode(0o600))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable once the directory is.
    File::open(dir)?.sync_all()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn saved_atomically_with_mode_0600_and_read_back() {
        let dir = std::env::temp_dir().join(format!("directd-state-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("sub").join("persistent.conf");
        assert_eq!(load(&path).unwrap(), Store::default(), "a missing file is an empty store");
        let text = "network={\n\tssid=\"DIRECT-ab\"\n\tbssid=02:00:00:00:00:00\n\tpsk=\"12345678\"\n\tmode=3\n\tdisabled=2\n}\n";
        save(&path, text).unwrap();
        save(&path, text).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(load(&path).unwrap().groups().len(), 1);
        assert!(!dir.join("sub").join(".persistent.conf.tmp").exists());
        fs::write(&path, "network={\n\tmode=9\n").unwrap();
        let e = load(&path).unwrap_err();
        assert!(e.contains(&path.display().to_string()) && e.contains("line 2"), "{e}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
