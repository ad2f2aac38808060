//! `out/pack/`: `cpp.zip`, what the partnership receives (never a document
//! holding personal data), and `archive.zip`, every output with the
//! inspection's own files, for the records system. Entries are sorted and
//! dated 1 January 1980, so the same inputs give the same bytes.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

pub const CPP: &str = "pack/cpp.zip";
pub const ARCHIVE: &str = "pack/archive.zip";

/// Whether an output (path relative to `out/`) holds personal data, as its
/// document kind says.
pub fn marked(rel: &str) -> bool {
    crate::docs::audience(rel) == Some(crate::docs::Audience::Marked)
}

/// Whether the partnership receives this output: it is published, and the
/// disclosure guard reads it.
pub fn for_cpp(rel: &str) -> bool {
    crate::docs::audience(rel) == Some(crate::docs::Audience::Partnership)
}

/// The piece in which the inspection's own files are copied into the archive.
const CHUNK: usize = 1 << 20;

/// One entry of a pack: its name in the zip and the file it is read from.
struct Entry<'a> {
    name: String,
    path: PathBuf,
    /// An output (relative to `out/`), whose hash goes in the manifest.
    output: Option<&'a str>,
}

/// A zip being written straight to its file, entries in the order given.
struct Pack {
    path: PathBuf,
    w: ZipWriter<BufWriter<File>>,
}

impl Pack {
    fn create(path: PathBuf) -> Result<Pack> {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, "create", e))?;
        }
        let file = File::create(&path).map_err(|e| Error::io(&path, "create", e))?;
        Ok(Pack {
            path,
            w: ZipWriter::new(BufWriter::new(file)),
        })
    }

    /// Starts an entry, whose bytes are then written to `w`.
    fn start(&mut self, name: &str) -> Result<()> {
        // PDFs and workbooks are compressed inside already: deflating them again
        // costs a second per two thousand letters and saves almost nothing.
        let packed = [".pdf", ".xlsx", ".zip"].iter().any(|ext| name.ends_with(ext));
        let level = if packed { 1 } else { 6 };
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(level))
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        self.w.start_file(name, options).map_err(|e| self.fail(e))
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.start(name)?;
        self.w.write_all(bytes).map_err(|e| self.fail(e))
    }

    /// Copies a file into the current entry in whole chunks. The compressed
    /// bytes depend on where writes break, so the breaks depend only on the
    /// file's length, never on how the system happens to return a read.
    fn copy_from(&mut self, path: &Path, chunk: &mut [u8]) -> Result<()> {
        let mut file = File::open(path).map_err(|e| Error::io(path, "read", e))?;
        loop {
            let mut filled = 0;
            while filled < chunk.len() {
                match file.read(&mut chunk[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(Error::io(path, "read", e)),
                }
            }
            self.w.write_all(&chunk[..filled]).map_err(|e| self.fail(e))?;
            if filled < chunk.len() {
                return Ok(());
            }
        }
    }

    fn finish(self) -> Result<()> {
        let path = self.path.clone();
        let mut file = self.w.finish().map_err(|e| fail(&path, e))?;
        file.flush().map_err(|e| Error::io(&path, "write", e))
    }

    fn fail(&self, e: impl std::fmt::Display) -> Error {
        fail(&self.path, e)
    }
}

fn fail(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(
        crate::error::ErrorKind::Io,
        format!("could not make the pack {}: {e}", path.display()),
    )
}

/// Writes the two packs into `stage` from the outputs there (relative path,
/// full path; sorted) and the inspection folder `root`'s own files, reading
/// each file once and one at a time, so memory does not grow with the number
/// of letters. Gives each output's bytes to `seen` (for the manifest).
pub fn write_packs(
    stage: &Path,
    outputs: &[(String, PathBuf)],
    root: &Path,
    mut seen: impl FnMut(&str, &[u8]),
) -> Result<()> {
    // The partnership's pack can never hold personal data, whatever the rules above say.
    if let Some((rel, _)) = outputs.iter().find(|(rel, _)| for_cpp(rel) && marked(rel)) {
        return Err(Error::new(
            crate::error::ErrorKind::InvalidInput,
            format!("{rel} holds personal data and cannot go in {CPP}"),
        ));
    }
    let mut entries: Vec<Entry> = outputs
        .iter()
        .map(|(rel, path)| Entry {
            name: format!("out/{rel}"),
            path: path.clone(),
            output: Some(rel),
        })
        .collect();
    let own = crate::reading::files_below(root).map_err(|(path, e)| Error::io(&path, "read", e))?;
    for (rel, path) in own {
        let first = rel.split('/').next().unwrap_or_default();
        let is_own = matches!(
            first,
            "inspection.toml" | "contacts.csv" | "population.csv" | "findings" | "templates" | "action-plan.toml"
        );
        if is_own && path.is_file() {
            entries.push(Entry {
                name: format!("inspection/{rel}"),
                path,
                output: None,
            });
        }
    }
    // Sorted by name in the zip; the partnership's entries keep the same order.
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let mut cpp = Pack::create(stage.join(CPP))?;
    let mut archive = Pack::create(stage.join(ARCHIVE))?;
    let mut chunk = vec![0u8; CHUNK];
    for e in &entries {
        let Some(rel) = e.output else {
            // The inspection's own files (population.csv can be tens of MB) are copied across.
            archive.start(&e.name)?;
            archive.copy_from(&e.path, &mut chunk)?;
            continue;
        };
        let bytes = std::fs::read(&e.path).map_err(|err| Error::io(&e.path, "read", err))?;
        archive.add(&e.name, &bytes)?;
        if for_cpp(rel) {
            cpp.add(rel, &bytes)?;
        }
        seen(rel, &bytes);
    }
    cpp.finish()?;
    archive.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_never_goes_to_the_partnership() {
        assert!(marked("requests/hv-001.pdf") && marked("sample/sample.csv"));
        assert!(!for_cpp("requests/hv-001.pdf") && !for_cpp("sample/rationale.pdf"));
        assert!(for_cpp("report/public-report.html") && for_cpp("notice/x.pdf"));
        assert!(!for_cpp("action-plan/received.pdf"));
    }

    #[test]
    fn zips_are_the_same_bytes_whatever_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let (root, files) = (dir.path().join("root"), dir.path().join("files"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&files).unwrap();
        std::fs::write(root.join("inspection.toml"), "reference = \"x\"\n").unwrap();
        let mut outputs = Vec::new();
        for (rel, text) in [("notice/b.pdf", "2"), ("notice/a.pdf", "1")] {
            let path = files.join(rel.replace('/', "-"));
            std::fs::write(&path, text).unwrap();
            outputs.push((rel.to_string(), path));
        }
        let packs = |outputs: &[(String, PathBuf)], stage: &str| {
            let stage = dir.path().join(stage);
            write_packs(&stage, outputs, &root, |_, _| {}).unwrap();
            [CPP, ARCHIVE].map(|p| std::fs::read(stage.join(p)).unwrap())
        };
        let a = packs(&outputs, "a");
        outputs.reverse();
        assert_eq!(a, packs(&outputs, "b"));
    }
}
