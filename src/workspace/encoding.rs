//! The inspection folder's files are UTF-8: read as text, or the line and
//! column of the first byte that is not, with how to save the file as UTF-8.

use crate::base::error::Problem;

/// The UTF-8 byte-order mark some programs (Excel) write at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file's bytes as text: UTF-8, with a leading byte-order mark dropped.
/// Otherwise the line and column of the first byte that is not UTF-8, and
/// how to save the file as UTF-8.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Box<Problem>> {
    let bytes = match bytes.strip_prefix(BOM) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
        let (line, column) = crate::base::text::line_col(prefix, valid);
        not_utf8(name, line, column)
    })
}

/// Checks that a file read as a stream is UTF-8 (a leading byte-order mark
/// allowed), holding only a small buffer: [`decode`]'s problem if it is not.
pub fn check_utf8(name: &str, mut r: impl std::io::Read) -> std::io::Result<Result<(), Box<Problem>>> {
    let mut buf = vec![0u8; 64 * 1024];
    // The first three bytes, dropped if they are a byte-order mark.
    let mut head = 0;
    while head < BOM.len() {
        match r.read(&mut buf[head..BOM.len()])? {
            0 => break,
            n => head += n,
        }
    }
    // Bytes not yet checked (a character cut by the end of the last read), at the front.
    let mut carry = if &buf[..head] == BOM { 0 } else { head };
    let (mut line, mut chars) = (1, 0);
    loop {
        let n = r.read(&mut buf[carry..])?;
        let len = carry + n;
        let chunk = &buf[..len];
        let (valid, bad) = match std::str::from_utf8(chunk) {
            Ok(_) => (chunk.len(), false),
            // A cut character is bad only at the end of the file.
            Err(e) => (e.valid_up_to(), e.error_len().is_some() || n == 0),
        };
        for &b in &chunk[..valid] {
            if b == b'\n' {
                line += 1;
                chars = 0;
            } else if b & 0xC0 != 0x80 {
                chars += 1;
            }
        }
        if bad {
            return Ok(Err(not_utf8(name, line, chars + 1)));
        }
        if n == 0 {
            return Ok(Ok(()));
        }
        buf.copy_within(valid..len, 0);
        carry = len - valid;
    }
}

fn not_utf8(name: &str, line: usize, column: usize) -> Box<Problem> {
    let help = if name.ends_with(".csv") {
        "save it as UTF-8: in Excel, File > Save As and choose \"CSV UTF-8 (Comma delimited)\"; \
         in other programs, choose the encoding UTF-8 when saving"
    } else {
        "save it as UTF-8 (in most editors: Save As, then the encoding UTF-8)"
    };
    let message = "the file is not UTF-8 text (it was probably saved in another encoding)";
    Box::new(Problem::new(name, message).at(line, column).help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_located_and_a_bom_is_dropped() {
        assert_eq!(decode("a.csv", b"\xEF\xBB\xBFid,name\n".to_vec()).unwrap(), "id,name\n");
        // "Dùn" in Windows-1252 on line 2.
        let p = decode("contacts.csv", b"id,name\nx,D\xF9n\n".to_vec()).unwrap_err();
        assert_eq!((p.line, p.column), (Some(2), Some(4)));
        assert!(p.help.as_deref().unwrap().contains("CSV UTF-8"));
    }

    /// A reader that gives one byte at a time, so characters are cut between reads.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_stream_is_checked_as_decode_checks_the_whole_file() {
        let cases: [&[u8]; 8] = [
            b"\xEF\xBB\xBFab\xFF",
            b"\xEF\xBB",
            b"\xEF\xBB\xBFid,name\nx,D\xC3\xB9n \xE2\x80\x94 ok\n",
            b"id,name\nx,D\xF9n\n",
            b"\xEF\xBB\xBFa\nb\nc\xC3\xB9\xC3\xB9\xFF",
            b"a,\xC3\xB9\n\xC3",
            b"",
            b"\xEF\xBB\xBF",
        ];
        for bytes in cases {
            let whole = decode("p.csv", bytes.to_vec()).err().map(|p| (p.line, p.column));
            for stream in [
                check_utf8("p.csv", Trickle(bytes)).unwrap(),
                check_utf8("p.csv", bytes).unwrap(),
            ] {
                assert_eq!(stream.err().map(|p| (p.line, p.column)), whole, "{bytes:?}");
            }
        }
    }
}
