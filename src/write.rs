//! The one way aiinfra writes: standard output, one file, several files together, or a
//! directory of files. Every `--output`, `db build`, `--datasette`, `db export` and
//! `man DIR` goes through here, so the same rules hold everywhere:
//!
//! - all or nothing: a temporary file (or directory) beside the target, synced, then
//!   renamed over it; several files are all made before any is renamed;
//! - never over a file its owner does not recognise: each owner (the database, the
//!   workbook, the export folder) tells the writer how to recognise its own files;
//!   a text output replaces only text; `--force` overrides;
//! - never through a link, never into a device, a FIFO or a folder; `-` and
//!   `/dev/stdout` mean standard output;
//! - never over an input (the `--db` file, a seed, the report), however it is spelt;
//! - temporary files are registered, so an interrupt (SIGINT, SIGTERM) or the
//!   watchdog removes them, and a stale one left by a killed run is removed by the
//!   next write to the same place; messages name the target, never a temporary file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow};

use crate::error::UsageError;

/// What an output is, which decides what an existing file it replaces must be.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// csv, tsv, json, jsonl, markdown, a table, SVG, a manual page, SQL: it replaces a
    /// text file, as `> FILE` would, never a binary one.
    Text,
    /// A shell script (the Datasette launcher), made executable, which it replaces only
    /// when its owner recognises it as its own and unchanged.
    Script(Recognise),
    /// A file its owner recognises (a database by its application id, a workbook by
    /// its digest): it replaces only one its owner says is its own and unchanged.
    Owned(Recognise),
}

/// How an owner tells an existing file is its own and unchanged, from its path and its
/// first 8 KiB; if not, what it is instead ("another program's SQLite database").
pub type Recognise = fn(&Path, &[u8]) -> Result<(), &'static str>;

/// How an owner tells an existing folder is an earlier output of its own that may be
/// replaced whole, given the names of the files about to be written.
pub type RecogniseFolder = fn(&Path, &[&str]) -> Result<Folder>;

/// What an existing folder is to the output that would replace it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// Empty, or the owner's own, unchanged: it may be replaced.
    Ours,
    /// Not the owner's, or changed since (why): `--force` replaces it.
    NotOurs(String),
    /// Never replaced, even with `--force` (why): a tree of folders, a home folder.
    Never(String),
}

/// The rules a write follows: what it must never replace, and whether `--force` lets
/// it replace a file aiinfra did not write.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub inputs: Vec<PathBuf>,
    pub force: bool,
}

/// Where output goes: `None`, `-` and `/dev/stdout` are standard output.
pub fn to_stdout(path: Option<&Path>) -> bool {
    match path {
        None => true,
        Some(p) => {
            let s = p.as_os_str();
            s == "-" || s == "/dev/stdout" || s == "/dev/fd/1" || s == "/proc/self/fd/1"
        }
    }
}

/// Whether standard output was closed when aiinfra started, as `main` found it before
/// the Rust runtime opened /dev/null in its place (which would make the output vanish
/// without a word). /dev/null opened on purpose, read-only or read-write, is not closed.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Say that standard output was closed when the process started (`main` knows).
pub fn stdout_closed_at_start(closed: bool) {
    STDOUT_CLOSED.store(closed, Ordering::Relaxed);
}

fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Write to standard output through `fill`. A closed standard output is an error (the
/// output would be lost); a closed pipe is reported as such and ends the run quietly.
pub fn stdout(fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    if stdout_was_closed() {
        return Err(anyhow!(
            "standard output is closed; redirect it to a file or a pipe (or give --output FILE)"
        ));
    }
    #[cfg(unix)]
    let file = {
        use std::os::fd::AsFd;
        let fd = io::stdout().as_fd().try_clone_to_owned().map_err(|e| {
            anyhow!("standard output is closed ({e}); redirect it to a file or a pipe")
        })?;
        File::from(fd)
    };
    #[cfg(unix)]
    let mut w = BufWriter::with_capacity(64 * 1024, file);
    #[cfg(not(unix))]
    let mut w = BufWriter::new(io::stdout().lock());
    fill(&mut w).and_then(|()| Ok(w.flush()?)).map_err(|e| {
        // A full disk behind a redirect names standard output; a closed pipe stays
        // what it is (the reader stopped early: not an error).
        if crate::error::is_broken_pipe(&e) {
            e
        } else {
            writing(e, "standard output")
        }
    })
}

/// A failure while output was made, as the reader should hear it: a failed write
/// names where it was writing (`cannot write x.csv: no space left on device`); any
/// other cause met on the way (rows that could not be read, a column that is not
/// there, while rows are written as they are read) is said as it is.
fn writing(e: anyhow::Error, target: &str) -> anyhow::Error {
    match e.downcast_ref::<io::Error>() {
        Some(_) => e.context(format!("cannot write {target}")),
        None => e,
    }
}

/// Write one file whole, or nothing.
pub fn file(
    path: &Path,
    kind: Kind,
    rules: &Rules,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let before = check(path, kind, rules)?;
    let mut temp = Temp::beside(path, kind)?;
    {
        let mut w = BufWriter::new(temp.file()?);
        fill(&mut w).map_err(|e| writing(e, &path.display().to_string()))?;
        w.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    temp.finish(path, before.as_ref())
}

/// What an existing target was when it was checked: a file made or changed at its
/// place while the output was being written is never replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    id: (u64, u64),
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl Seen {
    fn of(meta: &fs::Metadata) -> Seen {
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let id = (0, 0);
        Seen {
            id,
            modified: meta.modified().ok(),
            len: meta.len(),
        }
    }
}

/// The target as it is now, if there is one.
fn seen_now(target: &Path) -> Option<Seen> {
    fs::symlink_metadata(target).ok().map(|m| Seen::of(&m))
}

/// Put `from` at `to` only if `to` is still what it was (`before`; `None`: nothing
/// was there): a new file appearing meanwhile is never replaced (a hard link fails if
/// the name is taken), a file changed meanwhile neither.
fn move_into(from: &Path, to: &Path, before: Option<&Seen>) -> Result<()> {
    let reason = |e: &io::Error| crate::error::io_reason(e);
    match before {
        None => match fs::hard_link(from, to) {
            Ok(()) => {
                let _ = fs::remove_file(from);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(UsageError(format!(
                "{} appeared while aiinfra was writing it; it was left as it is and nothing was written (run again to replace it, by the same rules)",
                to.display()
            ))
            .into()),
            // A file system without hard links: as near as a rename comes.
            Err(_) if seen_now(to).is_none() => fs::rename(from, to)
                .map_err(|e| anyhow!("cannot write {}: {}", to.display(), reason(&e))),
            Err(e) => Err(anyhow!("cannot write {}: {}", to.display(), reason(&e))),
        },
        Some(seen) => {
            if seen_now(to).as_ref() != Some(seen) {
                return Err(UsageError(format!(
                    "{} changed while aiinfra was writing it; it was left as it is and nothing was written",
                    to.display()
                ))
                .into());
            }
            fs::rename(from, to).map_err(|e| anyhow!("cannot write {}: {}", to.display(), reason(&e)))
        }
    }
}

/// Write several files together (a database and its metadata): all are checked and
/// written before any is put in place; if putting one in place fails, those already
/// put back are restored.
pub fn files(list: Vec<(PathBuf, Kind, Vec<u8>)>, rules: &Rules) -> Result<()> {
    let mut before = Vec::new();
    for (path, kind, _) in &list {
        before.push(check(path, *kind, rules)?);
    }
    let mut temps = Vec::new();
    for (path, kind, bytes) in &list {
        let mut temp = Temp::beside(path, *kind)?;
        temp.file()?
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        temp.sync(path)?;
        temps.push((temp, path));
    }
    // Move aside what is replaced, so that a failure can put it back; an interrupt
    // waits until every file is in place (see `settle`).
    let _swapping = SWAP.lock();
    let mut done: Vec<(&PathBuf, Option<PathBuf>)> = Vec::new();
    for ((temp, path), seen) in temps.iter_mut().zip(&before) {
        let path: &PathBuf = path;
        // A target changed since it was checked is left as it is, and so is every
        // other; another run may set the same target aside between a check and the
        // rename: a target that is gone by then has nothing to put back.
        if let Some(seen) = seen
            && seen_now(path).as_ref().is_some_and(|now| now != seen)
        {
            for (p, aside) in done.into_iter().rev() {
                let _ = fs::remove_file(p);
                if let Some(aside) = aside {
                    let _ = fs::rename(aside, p);
                }
            }
            return Err(UsageError(format!(
                "{} changed while aiinfra was writing it; it was left as it is and nothing was written",
                path.display()
            ))
            .into());
        }
        let aside = temp.path.with_extension("old");
        let old = match fs::rename(path, &aside) {
            Ok(()) => Some(aside),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot replace {}", path.display()));
            }
        };
        if let Err(e) = temp.rename_to(path, None) {
            if let Some(aside) = &old {
                let _ = fs::rename(aside, path);
            }
            for (p, aside) in done.into_iter().rev() {
                let _ = fs::remove_file(p);
                if let Some(aside) = aside {
                    let _ = fs::rename(aside, p);
                }
            }
            return Err(e);
        }
        done.push((path, old));
    }
    for (_, aside) in done {
        if let Some(aside) = aside {
            let _ = fs::remove_file(aside);
        }
    }
    Ok(())
}

/// Write a directory of files whole: into a temporary directory beside `dir`, then
/// moved into place. `dir` must be new, empty, or an earlier export (only the files an
/// export writes, its README first line intact); `--force` overrides.
pub fn directory(
    dir: &Path,
    files: Vec<(String, Vec<u8>)>,
    rules: &Rules,
    recognise: RecogniseFolder,
) -> Result<()> {
    let shown = dir.display();
    for (name, _) in &files {
        refuse_inputs(&dir.join(name), rules)?;
    }
    refuse_inputs(dir, rules)?;
    // The folder is replaced whole: nothing the command reads may be inside it.
    if let Ok(folder) = dir.canonicalize() {
        if let Some(input) = rules
            .inputs
            .iter()
            .find(|i| i.canonicalize().is_ok_and(|i| i.starts_with(&folder)))
        {
            return Err(UsageError(format!(
                "{shown} holds an input of this command ({}); write the export to another folder",
                input.display()
            ))
            .into());
        }
        if std::env::current_dir()
            .and_then(|d| d.canonicalize())
            .is_ok_and(|d| d == folder)
        {
            return Err(UsageError(format!(
                "{shown} is the current folder, which cannot be replaced while in use: name it from its parent (cd ..; aiinfra db export NAME)"
            ))
            .into());
        }
    }
    match fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(UsageError(format!(
                "{shown} is a symbolic link; aiinfra does not write through links: give the folder it points to"
            ))
            .into());
        }
        Ok(m) if !m.is_dir() => {
            return Err(UsageError(format!("{shown} is not a folder")).into());
        }
        Ok(_) => {
            let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
            let refusal = match recognise(dir, &names)? {
                Folder::Ours => None,
                Folder::NotOurs(_) if rules.force => None,
                Folder::NotOurs(why) => Some(format!("{why} (--force writes anyway)")),
                Folder::Never(why) => Some(format!(
                    "{why}, which even --force never replaces: give a new or empty folder"
                )),
            };
            if let Some(why) = refusal {
                return Err(UsageError(format!(
                    "{shown} {why}; db export writes into a new or empty folder, or over its own earlier export, unchanged"
                ))
                .into());
            }
        }
        _ => {}
    }
    let (parent, temp) = temp_beside(dir);
    let temp = temp.with_extension("tmpdir");
    let result = (|| -> Result<()> {
        make(Some(&temp), || fs::create_dir(&temp)).with_context(|| {
            format!(
                "cannot write {shown}: cannot create a folder in {}",
                parent.display()
            )
        })?;
        for (file, bytes) in &files {
            let path = temp.join(file);
            let mut f = make(None, || File::create(&path))
                .with_context(|| format!("cannot write {}", dir.join(file).display()))?;
            f.write_all(bytes)
                .and_then(|()| f.sync_all())
                .with_context(|| format!("cannot write {}", dir.join(file).display()))?;
        }
        // An interrupt waits until the folder is in place (see `settle`).
        let _swapping = SWAP.lock();
        if dir.exists() {
            // An earlier export (or an empty folder): set it aside, move the new one
            // in, then remove the old; put it back if the move fails.
            let aside = temp.with_extension("old");
            register(&aside);
            fs::rename(dir, &aside).with_context(|| format!("cannot replace {shown}"))?;
            if let Err(e) = fs::rename(&temp, dir) {
                let _ = fs::rename(&aside, dir);
                unregister(&aside);
                return Err(e).with_context(|| format!("cannot write {shown}"));
            }
            PUT_IN_PLACE.store(true, Ordering::Relaxed);
            let _ = fs::remove_dir_all(&aside);
            unregister(&aside);
        } else {
            fs::rename(&temp, dir).with_context(|| format!("cannot write {shown}"))?;
            PUT_IN_PLACE.store(true, Ordering::Relaxed);
        }
        sync_dir(parent);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&temp);
    }
    unregister(&temp);
    result
}

/// Check that `path` may be written by these rules; what was there, if anything.
pub fn check(path: &Path, kind: Kind, rules: &Rules) -> Result<Option<Seen>> {
    let Some(meta) = check_place(path, rules)? else {
        return Ok(None);
    };
    if !rules.force && meta.len() > 0 {
        owned(path, kind)?;
    }
    Ok(Some(Seen::of(&meta)))
}

/// The checks that hold whatever is written: not an input, not a link, a device, a
/// FIFO or a folder, in a folder that exists. The existing file's metadata, if there
/// is one.
pub fn check_place(path: &Path, rules: &Rules) -> Result<Option<fs::Metadata>> {
    let shown = path.display();
    refuse_inputs(path, rules)?;
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let parent = parent_of(path);
            return match fs::metadata(parent) {
                Ok(m) if m.is_dir() => Ok(None),
                Ok(_) => Err(UsageError(format!(
                    "cannot write {shown}: {} is not a folder",
                    parent.display()
                ))
                .into()),
                Err(e) => Err(UsageError(format!(
                    "cannot write {shown}: {}: {} (write into a folder that exists)",
                    parent.display(),
                    crate::error::io_reason(&e)
                ))
                .into()),
            };
        }
        Err(e) => {
            return Err(anyhow!(
                "cannot write {shown}: {}",
                crate::error::io_reason(&e)
            ));
        }
    };
    let kind_of = |t: fs::FileType| file_type_name(&t);
    if meta.file_type().is_symlink() {
        return Err(UsageError(format!(
            "{shown} is a symbolic link; aiinfra does not write through links: give the file it points to, or another name"
        ))
        .into());
    }
    if meta.is_dir() {
        return Err(UsageError(format!("cannot write {shown}: it is a directory")).into());
    }
    if !meta.is_file() {
        return Err(UsageError(format!(
            "cannot write {shown}: it is {}, not a regular file (aiinfra writes files whole; redirect standard output to write elsewhere)",
            kind_of(meta.file_type())
        ))
        .into());
    }
    Ok(Some(meta))
}

/// Whether an existing file may be replaced by an output of this kind; an error that
/// says what it is if not.
fn owned(path: &Path, kind: Kind) -> Result<()> {
    let head = read_head(path, 8192)?;
    let verdict = match kind {
        Kind::Owned(recognise) | Kind::Script(recognise) => recognise(path, &head),
        Kind::Text if head.contains(&0) => Err("a binary file, not text"),
        Kind::Text => Ok(()),
    };
    verdict.map_err(|what| {
        UsageError(format!(
            "{} exists and is {what}; aiinfra replaces only what it wrote (--force replaces it anyway)",
            path.display()
        ))
        .into()
    })
}

fn file_type_name(t: &fs::FileType) -> &'static str {
    crate::input::kind_name(t)
}

/// Refuse an output that is one of the inputs, however it is spelt.
fn refuse_inputs(target: &Path, rules: &Rules) -> Result<()> {
    match rules.inputs.iter().find(|input| same_file(input, target)) {
        Some(input) => Err(UsageError(format!(
            "{} is an input of this command ({}); write the output to another file",
            target.display(),
            input.display()
        ))
        .into()),
        None => Ok(()),
    }
}

/// Whether two paths name the same existing file (through links, `..` or case).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Read at most `n` bytes from the start of a regular file.
fn read_head(path: &Path, n: u64) -> Result<Vec<u8>> {
    let mut head = Vec::new();
    File::open(path)
        .and_then(|f| f.take(n).read_to_end(&mut head))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(head)
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Temporary files and folders of this run, removed on an interrupt or a timeout.
/// Once stopped (an interrupt, the watchdog), no temporary is made any more: the one
/// stopping holds the lock until the process ends.
static TEMPORARIES: Mutex<Temporaries> = Mutex::new(Temporaries {
    list: Vec::new(),
    stopped: false,
});

struct Temporaries {
    list: Vec<PathBuf>,
    stopped: bool,
}

/// Make something on disk (a temporary file or folder, a file in a temporary folder)
/// under the registry's lock, so that an interrupt never removes the temporaries while
/// another is being made: once the writer is stopped, nothing is made.
fn make<T>(register: Option<&Path>, f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    crate::guard::arm();
    let mut guard = TEMPORARIES
        .lock()
        .map_err(|_| io::Error::other("the writer is stopping"))?;
    if guard.stopped {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    if let Some(path) = register {
        guard.list.push(path.to_path_buf());
    }
    let made = f();
    if made.is_err()
        && let Some(path) = register
    {
        guard.list.retain(|p| p != path);
    }
    made
}

fn register(path: &Path) {
    crate::guard::arm();
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.list.push(path.to_path_buf());
    }
}

fn unregister(path: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.list.retain(|p| p != path);
    }
}

/// Held while outputs are put in place (old files set aside, new ones renamed in), so
/// that an interrupt never leaves a target missing with its old copy set aside.
static SWAP: Mutex<()> = Mutex::new(());

/// Whether this run has put an output file or folder in place.
static PUT_IN_PLACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this run has put an output file or folder in place (for the message of an
/// interrupted run).
pub fn put_in_place() -> bool {
    PUT_IN_PLACE.load(Ordering::Relaxed)
}

/// Before the process ends on an interrupt or the watchdog: wait (a few seconds at
/// most) for outputs being put in place to finish, keep any further from starting,
/// and remove every temporary file and folder. The lock is kept: the caller exits.
/// Says what the run leaves: nothing, or files already put in place whole.
pub fn settle() -> &'static str {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match SWAP.try_lock() {
            Ok(guard) => {
                // Held until the process exits: no new swap starts.
                std::mem::forget(guard);
                break;
            }
            Err(std::sync::TryLockError::Poisoned(p)) => {
                std::mem::forget(p.into_inner());
                break;
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                if std::time::Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
    remove_temporaries();
    if put_in_place() {
        "the files already written are complete, and nothing else was written"
    } else {
        "nothing was written"
    }
}

/// Stop the writer and remove every temporary file and folder this run has not
/// finished: on SIGINT, SIGTERM or the watchdog's stop. Waits (a few seconds at most)
/// for a temporary being made; the lock is then kept, so that none is made after.
pub fn remove_temporaries() {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let mut guard = loop {
        match TEMPORARIES.try_lock() {
            Ok(guard) => break guard,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                if std::time::Instant::now() > deadline {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    };
    guard.stopped = true;
    for path in &guard.list {
        let _ = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    }
    // Held until the process exits: nothing more is made.
    std::mem::forget(guard);
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// `.<name>.aiinfra-<pid>-<n>.tmp` beside the target: hidden, and naming its process
/// so that a later run can tell a stale one.
fn temp_name(dir: &Path, name: &str) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        ".{}.aiinfra-{}-{n}.tmp",
        temp_stem(name),
        std::process::id()
    ))
}

/// The target's name as its temporaries carry it: whole up to 160 bytes; a longer one
/// cut (at a character) and followed by a digest of the whole, so that a temporary's
/// name stays within the 255 bytes a file system allows and still names one target
/// (two long names that begin alike never share their temporaries).
fn temp_stem(name: &str) -> String {
    if name.len() <= 160 {
        return name.to_string();
    }
    let mut end = 140;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let digest = crate::input::sha256_hex(name.as_bytes());
    format!("{}~{}", &name[..end], &digest[..16])
}

/// The folder of `target` and a fresh temporary name beside it, after removing stale
/// temporaries of the same target.
fn temp_beside(target: &Path) -> (&Path, PathBuf) {
    let dir = parent_of(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    remove_stale(dir, &name);
    (dir, temp_name(dir, &name))
}

/// Remove temporary files beside `name` left by runs that no longer exist (killed
/// before they could clean up).
fn remove_stale(dir: &Path, name: &str) {
    let prefix = format!(".{}.aiinfra-", temp_stem(name));
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) => !alive(pid),
            None => false,
        };
        if stale {
            let path = entry.path();
            let target = dir.join(name);
            // A run killed while putting its output in place may have left the old
            // copy set aside and nothing in its place: put the old copy back.
            if file.ends_with(".old") && fs::symlink_metadata(&target).is_err() {
                let _ = fs::rename(&path, &target);
                continue;
            }
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

/// Whether a process is running (on Linux, by /proc; elsewhere assumed, to be safe).
fn alive(pid: u32) -> bool {
    if Path::new("/proc/self").exists() {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// Sync a directory after a rename, so the new name survives a crash (best effort).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A temporary file beside a target, removed unless put in place.
struct Temp {
    path: PathBuf,
    file: Option<File>,
}

impl Temp {
    fn beside(target: &Path, kind: Kind) -> Result<Temp> {
        let (dir, path) = temp_beside(target);
        let mut options = OpenOptions::new();
        // create_new: never follow a link or open something already there.
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // The umask applies, as to any new file.
            options.mode(if matches!(kind, Kind::Script(_)) {
                0o755
            } else {
                0o644
            });
        }
        let file = make(Some(&path), || options.open(&path)).map_err(|e| {
            anyhow!(
                "cannot write {}: cannot create a file in {}: {}",
                target.display(),
                dir.display(),
                crate::error::io_reason(&e)
            )
        })?;
        Ok(Temp {
            path,
            file: Some(file),
        })
    }

    fn file(&mut self) -> Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| anyhow!("the temporary file is already closed"))
    }

    fn sync(&mut self, target: &Path) -> Result<()> {
        if let Some(f) = &self.file {
            f.sync_all()
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        // Keep the permissions of the file replaced.
        if let (Some(f), Ok(meta)) = (&self.file, fs::metadata(target)) {
            let _ = f.set_permissions(meta.permissions());
        }
        Ok(())
    }

    /// Put the file at `target`, which must still be what it was (`before`); the
    /// caller holds `SWAP`, so that an interrupt waits until the file is in place and
    /// then says it is (`settle`).
    fn rename_to(&mut self, target: &Path, before: Option<&Seen>) -> Result<()> {
        self.file = None;
        move_into(&self.path, target, before)?;
        PUT_IN_PLACE.store(true, Ordering::Relaxed);
        unregister(&self.path);
        sync_dir(parent_of(target));
        Ok(())
    }

    fn finish(mut self, target: &Path, before: Option<&Seen>) -> Result<()> {
        self.sync(target)?;
        let _swapping = SWAP.lock();
        self.rename_to(target, before)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        self.file = None;
        if self.path.exists() {
            let _ = fs::remove_file(&self.path);
        }
        unregister(&self.path);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_stale_old_copy_is_put_back_when_its_target_is_missing_and_removed_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        // A run (no longer alive) killed between setting kb.db aside and putting the
        // new one in place.
        let aside = dir.path().join(".kb.db.aiinfra-4000000-0.old");
        fs::write(&aside, b"old copy").unwrap();
        remove_stale(dir.path(), "kb.db");
        assert_eq!(fs::read(dir.path().join("kb.db")).unwrap(), b"old copy");
        assert!(!aside.exists());
        // With the target there, the stale copy and a stale temporary just go.
        fs::write(&aside, b"older").unwrap();
        let temp = dir.path().join(".kb.db.aiinfra-4000000-1.tmp");
        fs::write(&temp, b"partial").unwrap();
        remove_stale(dir.path(), "kb.db");
        assert_eq!(fs::read(dir.path().join("kb.db")).unwrap(), b"old copy");
        assert!(!aside.exists() && !temp.exists());
    }

    #[test]
    fn temporaries_of_a_long_name_stay_within_255_bytes() {
        let name = "数".repeat(84); // 252 bytes
        let temp = temp_name(Path::new("."), &name);
        let file = temp.file_name().unwrap().to_str().unwrap();
        assert!(file.len() <= 255, "{}", file.len());
        assert!(file.starts_with(&format!(".{}", temp_stem(&name))));
        // Issue 16 (L7): two long names that begin alike have temporaries of their own.
        let other = format!("{}x", "数".repeat(83));
        assert_ne!(temp_stem(&name), temp_stem(&other));
        assert!(!temp_stem(&other).starts_with(&temp_stem(&name)));
    }
}
