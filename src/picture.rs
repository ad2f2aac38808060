//! Pictures the writers place in the report: checked from their header before
//! anything is decoded, and published as pixels only. Metadata (EXIF, XMP,
//! comments, PNG text chunks) is taken out without re-encoding the pixels, and
//! given to the disclosure guard; an SVG's text and attributes are given to the
//! guard too, and an SVG may not refer to anything outside itself.

use std::io::Read;

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::Bytes;

/// The largest picture file read.
pub const MAX_BYTES: u64 = 20 << 20;
/// The most pixels a picture may have (read from its header).
pub const MAX_PIXELS: u64 = 40_000_000;

/// A picture ready to publish.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The file without its metadata.
    pub bytes: Vec<u8>,
    /// What the file said besides its pixels, for the guard.
    pub texts: Vec<String>,
    pub mime: &'static str,
}

/// Checks and cleans a picture's bytes; the error says what is wrong in words.
pub fn clean(bytes: &[u8]) -> Result<Picture, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("it is larger than {} MiB", MAX_BYTES >> 20));
    }
    if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8]) {
        let size = imagesize::blob_size(bytes).map_err(|_| "it is not a picture that can be read".to_string())?;
        let pixels = size.width as u64 * size.height as u64;
        if pixels > MAX_PIXELS {
            return Err(format!(
                "it is {} × {} pixels, more than {} megapixels: make it smaller",
                size.width,
                size.height,
                MAX_PIXELS / 1_000_000
            ));
        }
        return if bytes.starts_with(b"\x89PNG") {
            png(bytes)
        } else {
            jpeg(bytes)
        };
    }
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not a PNG, JPEG or SVG picture".to_string())?;
    if text.contains("<svg") {
        return svg(text);
    }
    Err("it is not a PNG, JPEG or SVG picture".into())
}

fn damaged(e: img_parts::Error) -> String {
    format!("it is damaged ({e})")
}

/// Keeps the segments that draw the picture (and its colours: JFIF, ICC,
/// Adobe); every other application segment and comment goes.
fn jpeg(bytes: &[u8]) -> Result<Picture, String> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).map_err(damaged)?;
    let mut texts = Vec::new();
    jpeg.segments_mut().retain(|s| {
        let m = s.marker();
        let metadata = m == markers::COM
            || ((markers::APP1..=markers::APP15).contains(&m) && m != markers::APP2 && m != markers::APP14);
        if metadata {
            texts.extend(readings(s.contents()));
        }
        !metadata
    });
    Ok(Picture {
        bytes: jpeg.encoder().bytes().to_vec(),
        texts,
        mime: "image/jpeg",
    })
}

/// Text, compressed text, international text, EXIF and time chunks go.
fn png(bytes: &[u8]) -> Result<Picture, String> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(damaged)?;
    let mut texts = Vec::new();
    png.chunks_mut().retain(|c| {
        let kind = c.kind();
        let metadata = matches!(&kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME");
        if metadata {
            let data = c.contents();
            texts.extend(readings(data));
            // Compressed text follows the keyword, its null and one method byte
            // (iTXt has a flag, a method, a language and a translated keyword first).
            if let Some(z) = data.iter().position(|&b| b == 0) {
                for start in [z + 2, z + 3] {
                    if let Some(rest) = data.get(start..) {
                        texts.extend(inflated(rest).as_deref().map(readings).into_iter().flatten());
                    }
                }
            }
        }
        !metadata
    });
    Ok(Picture {
        bytes: png.encoder().bytes().to_vec(),
        texts,
        mime: "image/png",
    })
}

/// Compressed text, at most 1 MiB of it.
fn inflated(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .take(1 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Metadata as text every way it may be written: UTF-8, and UTF-16 in both
/// byte orders (EXIF's XP fields are UTF-16).
fn readings(bytes: &[u8]) -> Vec<String> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    vec![String::from_utf8_lossy(bytes).into_owned(), utf16(true), utf16(false)]
}

/// An SVG: its text and attributes go to the guard; a reference to anything
/// outside it (a file, a web address, an embedded picture) is refused.
fn svg(text: &str) -> Result<Picture, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("it is not an SVG that can be read ({e})"))?;
    let mut reading = crate::guard::published::Reading::default();
    crate::guard::published::xml("svg", text, &mut reading);
    if !reading.turned.is_empty() {
        return Err(
            "it draws its text turned around (a direction or unicode-bidi setting): save it with plain text".into(),
        );
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if ["script", "foreignObject"].contains(&name) {
            return Err(format!("it holds a <{name}> element: save it as a plain drawing"));
        }
        for a in node.attributes() {
            let v = a.value().trim();
            let outside = (a.name() == "href" && !v.starts_with('#'))
                || v.contains("url(") && !v.replace(' ', "").contains("url(#")
                || a.name().starts_with("on");
            if outside {
                return Err(format!(
                    "it refers to something outside itself ({}=\"{}\"): save it with everything drawn inside it",
                    a.name(),
                    crate::text::cut(v)
                ));
            }
        }
        if name == "style" && node.text().is_some_and(|t| t.contains("url(") || t.contains("@import")) {
            return Err("its style sheet refers to something outside it".into());
        }
        if name == "style"
            && node
                .text()
                .is_some_and(|t| t.contains("bidi") || t.contains("direction"))
        {
            return Err("its style sheet draws text turned around: save it with plain text".into());
        }
    }
    Ok(Picture {
        bytes: text.as_bytes().to_vec(),
        texts: reading.texts.into_iter().map(|(_, t)| t).collect(),
        mime: "image/svg+xml",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG with a text chunk saying `said`.
    pub fn png_with_text(said: &str) -> Vec<u8> {
        let mut png = Png::from_bytes(Bytes::from_static(PIXEL)).unwrap();
        let mut data = b"Description\0".to_vec();
        data.extend_from_slice(said.as_bytes());
        let chunk = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from(data));
        png.chunks_mut().insert(1, chunk);
        png.encoder().bytes().to_vec()
    }

    const PIXEL: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
        0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
        0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn png_text_is_read_then_taken_out() {
        let p = clean(&png_with_text("Gemma O'Neill")).unwrap();
        assert!(p.texts.iter().any(|t| t.contains("Gemma O'Neill")));
        assert!(!String::from_utf8_lossy(&p.bytes).contains("Gemma"));
        assert!(clean(&p.bytes).unwrap().texts.is_empty());
    }

    #[test]
    fn a_huge_picture_is_refused_from_its_header() {
        let mut bytes = PIXEL.to_vec();
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(clean(&bytes).unwrap_err().contains("megapixels"));
    }

    #[test]
    fn an_svg_may_not_refer_outside_itself() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><text>Eilidh</text></svg>"#;
        assert!(clean(svg.as_bytes())
            .unwrap()
            .texts
            .iter()
            .any(|t| t.contains("Eilidh")));
        let linked = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="../../population.csv"/></svg>"#;
        assert!(clean(linked.as_bytes()).unwrap_err().contains("outside"));
    }
}
