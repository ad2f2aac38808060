//! `out/pack/`: `cpp.zip`, what the partnership receives (never a document
//! holding personal data), and `archive.zip`, every output with the
//! inspection's own files, for the records system. Entries are sorted and
//! dated 1 January 1980, so the same inputs give the same bytes.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::base::error::{Error, Result};

pub const CPP: &str = "pack/cpp.zip";
pub const ARCHIVE: &str = "pack/archive.zip";

/// The piece in which the inspection's own files are copied into the archive.
const CHUNK: usize = 1 << 20;

/// One entry of a pack: its name in the zip and the file it is read from.
struct Entry<'a> {
    name: String,
    path: PathBuf,
    /// An output, or (none) one of the inspection's own files.
    output: Option<&'a Output>,
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
            w: ZipWriter::new(BufWriter::with_capacity(CHUNK, file)),
        })
    }

    /// Starts an entry, whose bytes are then written to `w`.
    fn start(&mut self, name: &str) -> Result<()> {
        // PDFs and workbooks are compressed inside already: they are stored as
        // they are (deflating them again cost more than a tenth of a build of
        // letters, measured with callgrind, and saved almost nothing).
        let packed = [".pdf", ".xlsx", ".zip"].iter().any(|ext| name.ends_with(ext));
        let options = SimpleFileOptions::default()
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let options = if packed {
            options.compression_method(CompressionMethod::Stored)
        } else {
            options
                .compression_method(CompressionMethod::Deflated)
                .compression_level(Some(6))
        };
        self.w.start_file(name, options).map_err(|e| self.fail(e))
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
        crate::base::error::ErrorKind::Io,
        format!("could not make the pack {}: {e}", path.display()),
    )
}

/// An output to pack: its path relative to `out/`, where the stage holds it,
/// and its SHA-256.
pub struct Output {
    pub rel: String,
    pub path: PathBuf,
    pub sha256: String,
}

/// The current OUT, whose packs a build may keep or copy entries from: its
/// files as checked against its manifest.
pub struct Previous<'a> {
    pub out: PathBuf,
    pub files: &'a crate::build::out::Verified,
}

impl Previous<'_> {
    /// The old pack `rel`, opened, when it is what its manifest says.
    fn zip(&self, rel: &str) -> Option<zip::ZipArchive<std::io::BufReader<File>>> {
        self.files.get(rel)?;
        let file = File::open(self.out.join(rel)).ok()?;
        zip::ZipArchive::new(std::io::BufReader::with_capacity(1 << 16, file)).ok()
    }

    /// Whether the old OUT held output `rel` with these bytes.
    fn held(&self, rel: &str, sha256: &str) -> bool {
        self.files.get(rel).is_some_and(|e| e.sha256 == sha256)
    }
}

/// Writes the two packs into `stage` from the outputs there (sorted) and the
/// inspection folder `root`'s own files, and gives their manifest entries. A
/// pack whose entries are those of the current OUT's is kept as it is; else an
/// entry whose bytes are unchanged is copied from the old pack without being
/// compressed again (the same bytes as compressing it: a test compares them).
/// Files are read one at a time, so memory does not grow with the letters.
pub fn write_packs(
    stage: &Path,
    outputs: &[Output],
    root: &Path,
    previous: Option<&Previous>,
) -> Result<Vec<crate::build::out::ManifestEntry>> {
    // The partnership's pack can never hold personal data, whatever the rules above say.
    if let Some(o) = outputs
        .iter()
        .find(|o| crate::docs::for_cpp(&o.rel) && crate::docs::holds_personal_data(&o.rel))
    {
        return Err(Error::new(
            crate::base::error::ErrorKind::InvalidInput,
            format!("{} holds personal data and cannot go in {CPP}", o.rel),
        ));
    }
    let mut entries: Vec<Entry> = outputs
        .iter()
        .map(|o| Entry {
            name: format!("out/{}", o.rel),
            path: o.path.clone(),
            output: Some(o),
        })
        .collect();
    let own = crate::base::files::files_below(root).map_err(|(path, e)| Error::io(&path, "read", e))?;
    for (rel, path) in own {
        // Every file of the folder's table: the inspection's own.
        let is_own = crate::model::folder::entry(&rel).is_some();
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
    let cpp: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.output.is_some_and(|o| crate::docs::for_cpp(&o.rel)))
        .collect();
    let all: Vec<&Entry> = entries.iter().collect();
    // The two packs are written at once, one on each core.
    let (cpp, archive) = std::thread::scope(|s| {
        let cpp = s.spawn(|| pack(stage, CPP, &cpp, previous, |e| e.output.map(|o| o.rel.clone())));
        let archive = pack(stage, ARCHIVE, &all, previous, |e| Some(e.name.clone()));
        (
            cpp.join().expect("the partnership's pack is made without panicking"),
            archive,
        )
    });
    Ok(vec![cpp?, archive?])
}

/// Makes (or keeps) one pack of `entries`, each named in it by `name`.
fn pack(
    stage: &Path,
    rel: &str,
    entries: &[&Entry],
    previous: Option<&Previous>,
    name: impl Fn(&Entry) -> Option<String>,
) -> Result<crate::build::out::ManifestEntry> {
    let path = stage.join(rel);
    let inputs = pack_inputs(entries, &name)?;
    if let Some(old) = previous.and_then(|p| p.files.get(rel).map(|e| (p, e))) {
        if old.1.inputs.as_deref() == Some(inputs.as_str()) {
            crate::build::out::link_or_copy(&old.0.out.join(rel), &path)?;
            return Ok(old.1.clone());
        }
    }
    let mut zip = Pack::create(path.clone())?;
    let mut from = previous.and_then(|p| p.zip(rel));
    let mut chunk = vec![0u8; CHUNK];
    for e in entries {
        let name = name(e).expect("every entry of a pack has a name");
        if let (Some(old), Some(p)) = (from.as_mut(), previous) {
            // An output by its recorded hash; one of the folder's own files
            // (not in the manifest) by its bytes, read back from the old pack.
            let unchanged = match e.output {
                Some(o) => p.held(&o.rel, &o.sha256),
                None => same_bytes(old, &name, &e.path),
            };
            if unchanged {
                if let Ok(file) = old.by_name_raw(name.as_bytes()) {
                    zip.w.raw_copy_file(file).map_err(|err| zip.fail(err))?;
                    continue;
                }
            }
        }
        zip.start(&name)?;
        zip.copy_from(&e.path, &mut chunk)?;
    }
    zip.finish()?;
    let (size, sha256) = crate::build::out::sha256_file(&path)?;
    Ok(crate::build::out::ManifestEntry {
        path: rel.to_string(),
        size,
        sha256,
        marked: crate::docs::holds_personal_data(rel),
        inputs: Some(inputs),
    })
}

/// Whether the entry `name` of `old` holds the bytes of the file at `path`.
fn same_bytes(old: &mut zip::ZipArchive<std::io::BufReader<File>>, name: &str, path: &Path) -> bool {
    let Ok(now) = std::fs::read(path) else {
        return false;
    };
    let Ok(mut entry) = old.by_name(name) else {
        return false;
    };
    if entry.size() != now.len() as u64 {
        return false;
    }
    let mut was = Vec::with_capacity(now.len());
    entry.read_to_end(&mut was).is_ok() && was == now
}

/// What a pack is made of: each entry's name and bytes (an output's by its
/// SHA-256, the inspection's own files read), and the program's version.
fn pack_inputs(entries: &[&Entry], name: impl Fn(&Entry) -> Option<String>) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    for e in entries {
        h.update([0]);
        h.update(name(e).unwrap_or_default());
        h.update([0]);
        match e.output {
            Some(o) => h.update(&o.sha256),
            None => {
                let bytes = std::fs::read(&e.path).map_err(|err| Error::io(&e.path, "read", err))?;
                h.update(Sha256::digest(&bytes));
            }
        }
    }
    Ok(format!("{:x}", h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_never_goes_to_the_partnership() {
        assert!(
            crate::docs::holds_personal_data("requests/hv-001.pdf")
                && crate::docs::holds_personal_data("sample/sample.csv")
        );
        assert!(!crate::docs::for_cpp("requests/hv-001.pdf") && !crate::docs::for_cpp("sample/rationale.pdf"));
        assert!(crate::docs::for_cpp("report/public-report.html") && crate::docs::for_cpp("notice/x.pdf"));
        assert!(!crate::docs::for_cpp("action-plan/received.pdf"));
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
            let sha256 = crate::build::out::sha256_hex(text.as_bytes());
            outputs.push(Output {
                rel: rel.to_string(),
                path,
                sha256,
            });
        }
        let packs = |outputs: &[Output], stage: &str| {
            let stage = dir.path().join(stage);
            write_packs(&stage, outputs, &root, None).unwrap();
            [CPP, ARCHIVE].map(|p| std::fs::read(stage.join(p)).unwrap())
        };
        let a = packs(&outputs, "a");
        outputs.reverse();
        assert_eq!(a, packs(&outputs, "b"));
    }
}
