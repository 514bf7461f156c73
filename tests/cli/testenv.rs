//! The test environment, in the manner of fd's `tests/testenv`: a temporary working
//! folder where files are named relative to it, the binary run there with its
//! environment scrubbed and an explicit, generous deadline (so no test leans on a
//! default timeout), and assertions on what a user sees: `ok` (exit 0, stdout) and
//! `fails` (an exit code, stderr).

use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long any run may take before the test kills it and fails: generous, for a
/// debug build on a busy machine. Tests never assert speed; this only stops a hang.
pub const DEADLINE: Duration = Duration::from_secs(300);

/// A `--timeout` for commands that do real work under test (a million rows): the
/// program's own default (5 s) is for a person at a terminal, not a loaded CI runner.
pub const GENEROUS: &str = "600";

/// A run's outcome: exit code (`None` when it was killed), stdout and stderr.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// One run of the binary, to be configured then carried out.
pub struct Run {
    cmd: assert_cmd::Command,
    shown: String,
}

impl Run {
    /// `aiinfra ARGS`, with every variable that changes its behaviour removed.
    pub fn new<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
        let mut cmd = crate::aiinfra();
        cmd.args(args);
        let shown = args
            .iter()
            .map(|a| a.as_ref().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Run { cmd, shown }
    }

    /// Run `sh -c SCRIPT` in the same way (for a resource cap: `ulimit -v N && exec …`).
    pub fn shell(script: &str) -> Run {
        let mut cmd = crate::scrubbed("sh");
        cmd.args(["-c", script]);
        Run {
            cmd,
            shown: format!("sh -c {script:?}"),
        }
    }

    /// Run in this folder.
    pub fn dir(mut self, dir: &Path) -> Run {
        self.cmd.current_dir(dir);
        self
    }

    /// With this environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Run {
        self.cmd.env(key, value);
        self
    }

    /// With this on standard input.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.cmd.write_stdin(input);
        self
    }

    /// Carry it out.
    pub fn outcome(mut self) -> Outcome {
        let out = self.cmd.output().unwrap();
        Outcome {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Expect success; stdout.
    pub fn ok(self) -> String {
        self.succeeds().stdout
    }

    /// Expect success; the whole outcome.
    pub fn succeeds(self) -> Outcome {
        let shown = self.shown.clone();
        let out = self.outcome();
        assert!(
            out.code == Some(0),
            "aiinfra {shown} {}: {}",
            ended(out.code),
            out.stderr
        );
        out
    }

    /// Expect exit `code`; stderr.
    pub fn fails(self, code: i32) -> String {
        let shown = self.shown.clone();
        let out = self.outcome();
        assert!(
            out.code == Some(code),
            "aiinfra {shown} {}, not with {code}: stdout {} stderr {}",
            ended(out.code),
            out.stdout,
            out.stderr
        );
        out.stderr
    }
}

fn ended(code: Option<i32>) -> String {
    match code {
        Some(c) => format!("exited with {c}"),
        None => format!("was killed (did not end within {} s)", DEADLINE.as_secs()),
    }
}

/// A temporary working folder, its files named relative to it.
pub struct Env {
    dir: tempfile::TempDir,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A new folder holding what `args` write to `-o name`; and that file's path.
    pub fn with_output(args: &[&str], name: &str) -> (Env, PathBuf) {
        let env = Env::new();
        let mut all = args.to_vec();
        all.extend(["-o", name]);
        env.ok(&all);
        let path = env.path(name);
        (env, path)
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A path in the folder, as a string for an argument.
    pub fn arg(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }

    /// Write a file in the folder (its folder made if needed).
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// A file's text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    /// The names in the folder (or a folder in it), sorted.
    pub fn listing(&self, name: &str) -> Vec<String> {
        crate::listing(&self.path(name))
    }

    /// `aiinfra ARGS` run in the folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::new(args).dir(self.root())
    }

    /// Run in the folder; expect success; stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.run(args).ok()
    }

    /// Run in the folder; expect exit `code`; stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        self.run(args).fails(code)
    }

    /// A copy of the seeds in `name`, to change in a test.
    pub fn seeds(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::create_dir_all(&to).unwrap();
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed");
        for entry in std::fs::read_dir(seed).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
        to
    }

    /// A database written by `aiinfra db build` as `name`.
    pub fn built_db(&self, name: &str) -> PathBuf {
        self.ok(&["db", "build", name]);
        self.path(name)
    }

    /// Run `sql` on the database file `name` with SQLite itself, not aiinfra: a file
    /// edited or crafted behind aiinfra's back.
    pub fn sqlite(&self, name: &str, sql: &str) {
        let conn = rusqlite::Connection::open(self.path(name)).unwrap();
        conn.execute_batch(sql).unwrap();
    }
}
