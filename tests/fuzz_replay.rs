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

#[test]
fn fuzz_corpus_loader_never_panics() {
    let files = corpus("loader");
    assert!(
        files.len() >= 10,
        "the loader corpus has only {} files",
        files.len()
    );
    for (name, data) in files {
        let result = std::panic::catch_unwind(|| aiinfra::fuzzing::loader(&data));
        assert!(
            result.is_ok(),
            "loader panicked on fuzz/corpus/loader/{name}"
        );
    }
}

#[test]
fn fuzz_corpus_sql_guard_holds() {
    let files = corpus("sql_guard");
    assert!(
        files.len() >= 10,
        "the sql_guard corpus has only {} files",
        files.len()
    );
    for (name, data) in files {
        let sql = String::from_utf8_lossy(&data);
        let result = std::panic::catch_unwind(|| aiinfra::fuzzing::sql_guard(&sql));
        assert!(
            result.is_ok(),
            "sql guard broken by fuzz/corpus/sql_guard/{name}"
        );
    }
}
