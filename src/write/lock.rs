//! The output lock: one build writes a given output folder at a time. Two builds into
//! one folder (a terminal and a script, a CI runner reusing a workspace) would otherwise
//! trip over each other's staging folders. The lock is an advisory file lock on a small
//! file in the system's temporary folder, named after the output's canonical path, so
//! it covers the output whichever site folder the build runs from, and the spare kept
//! for that output in the cache. The lock file holds the holder's process id, for the
//! message a waiting build gives. The operating system releases the lock when the
//! holder exits, however it exits.

use crate::fsx::FsError;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a build waits for another one by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub struct OutputLock {
    _file: Option<File>,
}

/// The lock file for `output` (a canonical path).
pub fn lock_path(output: &Path) -> PathBuf {
    let hash = blake3::hash(output.to_string_lossy().as_bytes()).to_hex();
    std::env::temp_dir().join(format!("casefile-output-{}.lock", &hash[..16]))
}

/// Take the lock on `output`, waiting up to `timeout` for another build to finish;
/// `waiting` is told once, with the holder's process id when known. A file system
/// without locks lets the build go on unlocked.
pub fn acquire(
    output: &Path,
    timeout: Duration,
    waiting: &dyn Fn(Option<u32>),
) -> Result<OutputLock, FsError> {
    let path = lock_path(output);
    let open = |write: bool| {
        OpenOptions::new()
            .read(true)
            .write(write)
            .create(write)
            .truncate(false)
            .open(&path)
    };
    let mut file = match open(true).or_else(|_| open(false)) {
        Ok(f) => f,
        Err(e) => return Err(FsError::io(&path, e)),
    };
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Best effort: a lock file another user owns cannot take our id.
                let _ = file.set_len(0).and_then(|_| {
                    file.rewind()?;
                    write!(file, "{}", std::process::id())
                });
                return Ok(OutputLock { _file: Some(file) });
            }
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                if !told {
                    waiting(holder);
                    told = true;
                }
                if start.elapsed() >= timeout {
                    let who = holder.map_or("another casefile build".to_string(), |p| {
                        format!("another casefile build (process {p})")
                    });
                    return Err(FsError::refused(
                        output,
                        format!(
                            "{who} has been writing this output folder for more than {} s; \
                             wait for it to finish or stop it (lock file {})",
                            timeout.as_secs(),
                            path.display()
                        ),
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(OutputLock { _file: None });
            }
            Err(TryLockError::Error(e)) => return Err(FsError::io(&path, e)),
        }
    }
}

/// The process id written in the lock file by its holder.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
