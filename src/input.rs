//! Reading an input file (a seed, the report): it must be a regular file of bounded
//! size, read whole. A FIFO or a device would block or never end, and a huge file would
//! fill memory. Also the digest files are recognised by. A leaf (std and sha2), which
//! the build script uses too.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

/// Why an input file cannot be read, phrased for a message after its name.
pub fn kind_name(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// Read a regular file of at most `max` bytes, following links; the error says why
/// not (missing, not a regular file, too large) after the file's name.
pub fn read(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(format!(
            "it is {}, not a regular file",
            kind_name(&meta.file_type())
        ));
    }
    if meta.len() > max {
        return Err(format!(
            "it is {} bytes; the most aiinfra reads is {max}",
            meta.len()
        ));
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!(
            "it is larger than {max} bytes, the most aiinfra reads"
        ));
    }
    Ok(bytes)
}

/// The SHA-256 of some bytes, as 64 lowercase hex digits (as `sha256sum` prints it).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::text::hex(&sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_bounded_size() {
        let dir = std::env::temp_dir();
        assert!(read(&dir, 10).unwrap_err().contains("a directory"));
        #[cfg(unix)]
        assert!(
            read(Path::new("/dev/zero"), 10)
                .unwrap_err()
                .contains("a character device")
        );
        let file = dir.join(format!("aiinfra-input-test-{}", std::process::id()));
        fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read(&file, 10).unwrap().len(), 10);
        assert!(read(&file, 9).unwrap_err().contains("10 bytes"));
        fs::remove_file(&file).unwrap();
    }
}
