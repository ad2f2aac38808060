//! `out/pack/`: `cpp.zip`, what the partnership receives (never a document
//! holding personal data), and `archive.zip`, every output with the
//! inspection's own files, for the records system. Entries are sorted and
//! dated 1 January 1980, so the same inputs give the same bytes.

use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

pub const CPP: &str = "pack/cpp.zip";
pub const ARCHIVE: &str = "pack/archive.zip";

/// Whether an output (path relative to `out/`) holds personal data: the
/// records-request letters (which carry the protective marking) and the lists
/// of sampled children.
pub fn marked(rel: &str) -> bool {
    rel.starts_with("requests/") || rel.starts_with("sample/")
}

/// Whether the partnership receives this output.
fn for_cpp(rel: &str) -> bool {
    let folders = ["notice/", "briefing/", "position-statements/", "report/"];
    folders.iter().any(|f| rel.starts_with(f))
        || rel == "action-plan/action-plan.pdf"
        || rel == "action-plan/action-plan.xlsx"
}

/// A zip of `files` (name in the zip, bytes), sorted by name.
fn zip(mut files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let fail = |e: String| Error::new(crate::error::ErrorKind::Io, format!("could not make a pack: {e}"));
    for (name, bytes) in files {
        w.start_file(name, options).map_err(|e| fail(e.to_string()))?;
        w.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
    }
    Ok(w.finish().map_err(|e| fail(e.to_string()))?.into_inner())
}

/// The two packs from the outputs in `stage` (relative path, bytes) and the
/// inspection folder `root`'s own files.
pub fn packs(outputs: &[(String, Vec<u8>)], root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let cpp: Vec<(String, Vec<u8>)> = outputs.iter().filter(|(rel, _)| for_cpp(rel)).cloned().collect();
    // The partnership's pack can never hold personal data, whatever the rules above say.
    if let Some((rel, _)) = cpp.iter().find(|(rel, _)| marked(rel)) {
        return Err(Error::new(
            crate::error::ErrorKind::InvalidInput,
            format!("{rel} holds personal data and cannot go in {CPP}"),
        ));
    }
    let mut archive: Vec<(String, Vec<u8>)> = outputs
        .iter()
        .map(|(rel, b)| (format!("out/{rel}"), b.clone()))
        .collect();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(root, "read", e.into()))?;
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let own = matches!(
            first.as_deref(),
            Some("inspection.toml" | "contacts.csv" | "population.csv" | "findings" | "templates" | "action-plan.toml")
        );
        if own && entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), "read", e))?;
            archive.push((format!("inspection/{}", crate::build::slashed(rel)), bytes));
        }
    }
    Ok(vec![(CPP.into(), zip(cpp)?), (ARCHIVE.into(), zip(archive)?)])
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
        let a = zip(vec![("b".into(), b"2".to_vec()), ("a".into(), b"1".to_vec())]).unwrap();
        let b = zip(vec![("a".into(), b"1".to_vec()), ("b".into(), b"2".to_vec())]).unwrap();
        assert_eq!(a, b);
    }
}
