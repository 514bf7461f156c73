//! Replays the fuzz corpus (fuzz/corpus/<target>/*) through the same entry points the
//! cargo-fuzz targets use, so every finding stays fixed on stable `cargo test`.

// A test that cannot read its corpus should stop loudly.
#![allow(clippy::unwrap_used)]

use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Run every input of `target`'s corpus (at least ten) through `check`; none may panic.
fn replay(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let files = corpus(target);
    assert!(
        files.len() >= 10,
        "the {target} corpus has only {} files",
        files.len()
    );
    for (name, data) in files {
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(
            result.is_ok(),
            "{target} broken by fuzz/corpus/{target}/{name}"
        );
    }
}

#[test]
fn fuzz_corpus_loader_never_panics() {
    replay("loader", aiinfra::fuzzing::loader);
}

#[test]
fn fuzz_corpus_sql_guard_holds() {
    replay("sql_guard", |data| {
        aiinfra::fuzzing::sql_guard(&String::from_utf8_lossy(data))
    });
}
