//! Pictures the writers place in the report: checked from their header before
//! anything is decoded, and published as pixels only. Metadata (EXIF, XMP,
//! comments, PNG text chunks) is taken out, and given to the disclosure
//! guard; a picture larger than a page needs is made smaller ([`scale`]),
//! which encodes it again without any. An SVG's text and attributes are given
//! to the guard too, and an SVG may not refer to anything outside itself.
//!
//! Each picture is cleaned once per content: the result is kept by the
//! SHA-256 of the file, so a picture used many times, in several documents or
//! after every save under `watch` is decoded and scaled once.

pub mod scale;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::Bytes;

pub use scale::MAX_SIDE;

/// The largest picture file read.
pub const MAX_BYTES: u64 = 20 << 20;
/// The most pixels a picture may have (read from its header).
pub const MAX_PIXELS: u64 = 40_000_000;

/// A picture ready to publish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picture {
    /// The file as published: without its metadata, made smaller if it was
    /// larger than [`MAX_SIDE`].
    pub bytes: Vec<u8>,
    /// What the file said besides its pixels, for the guard.
    pub texts: Vec<String>,
    pub mime: &'static str,
    /// Its size as published, in pixels (an SVG's own units).
    pub width: u32,
    pub height: u32,
}

/// Checks and cleans a picture's bytes; the error says what is wrong in words.
/// The same bytes give the same picture, cleaned only the first time.
pub fn clean(bytes: &[u8]) -> Result<Arc<Picture>, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("it is larger than {} MiB", MAX_BYTES >> 20));
    }
    let key: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(bytes).into();
    if let Some(done) = CACHE.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return done;
    }
    // One picture is decoded at a time: two documents typeset at once wait
    // for the same picture rather than decode it twice, and memory holds one
    // decoding at most.
    let _one = DECODING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(done) = CACHE.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return done;
    }
    let done = cleaned(bytes).map(Arc::new);
    CACHE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .put(key, done.clone());
    done
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    entries: BTreeMap::new(),
    bytes: 0,
    clock: 0,
});
static DECODING: Mutex<()> = Mutex::new(());

/// How many bytes of cleaned pictures are kept for the next use: far more
/// than a report's pictures once made smaller.
const CACHE_BYTES: usize = 64 << 20;

/// A picture cleaned, or why it cannot be used.
type Cleaned = Result<Arc<Picture>, String>;

/// Cleaned pictures by the SHA-256 of their file, the least recently used
/// forgotten first once they hold more than [`CACHE_BYTES`].
struct Cache {
    /// Each picture's outcome and when it was last used.
    entries: BTreeMap<[u8; 32], (Cleaned, u64)>,
    bytes: usize,
    clock: u64,
}

impl Cache {
    fn get(&mut self, key: &[u8; 32]) -> Option<Cleaned> {
        self.clock += 1;
        let (done, used) = self.entries.get_mut(key)?;
        *used = self.clock;
        Some(done.clone())
    }

    fn put(&mut self, key: [u8; 32], done: Cleaned) {
        self.clock += 1;
        self.bytes += size(&done);
        if let Some((old, _)) = self.entries.insert(key, (done, self.clock)) {
            self.bytes -= size(&old);
        }
        while self.bytes > CACHE_BYTES && self.entries.len() > 1 {
            let oldest = *self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k)
                .expect("not empty");
            let (gone, _) = self.entries.remove(&oldest).expect("there");
            self.bytes -= size(&gone);
        }
    }
}

fn size(done: &Cleaned) -> usize {
    match done {
        Ok(p) => p.bytes.len() + p.texts.iter().map(String::len).sum::<usize>(),
        Err(why) => why.len(),
    }
}

/// A picture checked and cleaned, once per content (see [`clean`]).
fn cleaned(bytes: &[u8]) -> Result<Picture, String> {
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
        let png = bytes.starts_with(b"\x89PNG");
        let mut picture = if png { self::png(bytes)? } else { jpeg(bytes)? };
        (picture.width, picture.height) = (size.width as u32, size.height as u32);
        if picture.width.max(picture.height) > MAX_SIDE {
            // Made from the file without its metadata: the pixels are the same.
            let scaled = if png {
                scale::png(&picture.bytes)?
            } else {
                scale::jpeg(&picture.bytes)?
            };
            picture.bytes = scaled.bytes;
            picture.mime = scaled.mime;
            (picture.width, picture.height) = (scaled.width, scaled.height);
        }
        return Ok(picture);
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

/// Keeps the segments that draw the picture and its colours (APP0 only as
/// JFIF, APP2 only as an ICC profile, APP14 only as Adobe's); every other
/// application segment and comment goes, and so does anything after the
/// picture's end.
fn jpeg(bytes: &[u8]) -> Result<Picture, String> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes)).map_err(damaged)?;
    let mut texts = Vec::new();
    jpeg.segments_mut().retain(|s| {
        let m = s.marker();
        let data = s.contents();
        let keep = match m {
            markers::APP0 => data.starts_with(b"JFIF\0"),
            markers::APP2 => data.starts_with(b"ICC_PROFILE\0"),
            markers::APP14 => data.starts_with(b"Adobe"),
            markers::COM => false,
            m => !(markers::APP0..=markers::APP15).contains(&m),
        };
        if !keep {
            texts.extend(readings(data));
        }
        keep
    });
    let mut bytes = jpeg.encoder().bytes().to_vec();
    let end = picture_end(&bytes);
    if end < bytes.len() {
        texts.extend(readings(&bytes[end..]));
        bytes.truncate(end);
    }
    Ok(Picture {
        bytes,
        texts,
        mime: "image/jpeg",
        ..Picture::default()
    })
}

/// Where a JPEG's picture ends: after its end marker (EOI), found by
/// walking its segments and scans (inside a scan, 0xFF is followed by 0 or
/// a restart marker); the whole length when there is none.
fn picture_end(bytes: &[u8]) -> usize {
    let mut at = 2;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xFF {
            return bytes.len();
        }
        let m = bytes[at + 1];
        match m {
            0xFF => at += 1,
            markers::EOI => return at + 2,
            0x01 | 0xD0..=0xD7 => at += 2,
            _ => {
                let Some(len) = bytes
                    .get(at + 2..at + 4)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                else {
                    return bytes.len();
                };
                at += 2 + len;
                if m == markers::SOS {
                    while at + 1 < bytes.len()
                        && !(bytes[at] == 0xFF && bytes[at + 1] != 0 && !(0xD0..=0xD7).contains(&bytes[at + 1]))
                    {
                        at += 1;
                    }
                }
            }
        }
    }
    bytes.len()
}

/// The chunks that draw a PNG and give its colours; every other (text,
/// EXIF, time, suggested palettes, private chunks) goes.
const PNG_CHUNKS: &[&[u8; 4]] = &[
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCv",
    b"cLLi", b"bKGD", b"pHYs",
];

/// Only the chunks that draw the picture and its colours are kept; the text
/// of the others (and the name of a colour profile) is read.
fn png(bytes: &[u8]) -> Result<Picture, String> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(damaged)?;
    let mut texts = Vec::new();
    png.chunks_mut().retain(|c| {
        let kind = c.kind();
        let metadata = !PNG_CHUNKS.contains(&&kind);
        if metadata || &kind == b"iCCP" {
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
        ..Picture::default()
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
                    crate::base::text::cut(v)
                ));
            }
        }
        svg_text_shown(node)?;
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
    let (width, height) = svg_size(doc.root_element());
    Ok(Picture {
        bytes: text.as_bytes().to_vec(),
        texts: reading.texts.into_iter().map(|(_, t)| t).collect(),
        mime: "image/svg+xml",
        width,
        height,
    })
}

/// An SVG element that hides text (not displayed, hidden, clear, of no
/// size), or places a text's letters one by one, is refused: what the guard
/// reads would not be what is drawn.
fn svg_text_shown(node: roxmltree::Node) -> Result<(), String> {
    let name = node.tag_name().name();
    let has_text = || {
        node.descendants()
            .any(|d| d.is_text() && d.text().is_some_and(|t| !t.trim().is_empty()))
    };
    let mut settings: Vec<(String, String)> = node
        .attributes()
        .map(|a| (a.name().to_ascii_lowercase(), a.value().to_string()))
        .collect();
    if let Some(style) = node.attribute("style") {
        settings.extend(style.split(';').filter_map(|d| {
            let (k, v) = d.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        }));
    }
    if name == "style" {
        let sheet: String = node
            .text()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let sheet = sheet.to_ascii_lowercase();
        if ["display:none", "visibility:hidden", "opacity:0", "font-size:0"]
            .iter()
            .any(|h| sheet.contains(h))
        {
            return Err("its style sheet hides something: save it with the text it shows".into());
        }
    }
    let zero = |v: &str| {
        let n: String = v
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        n.parse::<f64>().is_ok_and(|n| n < 0.01) && !v.trim().ends_with('%') || v.trim() == "0%"
    };
    for (key, value) in &settings {
        let v = value.trim().to_ascii_lowercase();
        let hides = match key.as_str() {
            "display" => v == "none",
            "visibility" => v == "hidden" || v == "collapse",
            "opacity" | "fill-opacity" | "font-size" => zero(&v),
            _ => false,
        };
        if hides && has_text() {
            return Err(format!(
                "it hides some of its text ({key}: {value}): save it with the text it shows"
            ));
        }
        let placed = ["x", "y", "dx", "dy", "rotate"].contains(&key.as_str())
            && ["text", "tspan", "textPath"].contains(&name)
            && value.split([' ', ',']).filter(|n| !n.trim().is_empty()).count() > 1;
        if placed {
            return Err(format!(
                "it places its letters one by one ({key}=\"{}\"): save it with plain text",
                crate::base::text::cut(value)
            ));
        }
    }
    Ok(())
}

/// An SVG's size in its own units: its view box, else its width and height,
/// else what a browser gives a drawing of no size (300 × 150).
fn svg_size(root: roxmltree::Node) -> (u32, u32) {
    let number = |v: &str| v.trim().trim_end_matches("px").trim().parse::<f64>().ok();
    let view: Vec<f64> = root
        .attribute("viewBox")
        .map(|v| v.split([' ', ',']).filter_map(number).collect())
        .unwrap_or_default();
    let (w, h) = match view[..] {
        [_, _, w, h] => (Some(w), Some(h)),
        _ => (
            root.attribute("width").and_then(number),
            root.attribute("height").and_then(number),
        ),
    };
    let side = |v: Option<f64>, default: u32| match v {
        Some(v) if v.is_finite() && v >= 1.0 => v.min(f64::from(u16::MAX)).round() as u32,
        _ => default,
    };
    (side(w, 300), side(h, 150))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG with a text chunk saying `said`.
    pub(super) fn png_with_text(said: &str) -> Vec<u8> {
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

    fn holds(bytes: &[u8], said: &[u8]) -> bool {
        bytes.windows(said.len()).any(|w| w == said)
    }

    #[test]
    fn a_png_keeps_only_the_chunks_that_draw_it_and_its_colours() {
        let mut png = Png::from_bytes(Bytes::from_static(PIXEL)).unwrap();
        for kind in [*b"prIv", *b"sPLT", *b"zzZz"] {
            let data = Bytes::from(format!("x\0Hamish Docherty in {}", String::from_utf8_lossy(&kind)));
            png.chunks_mut().insert(1, img_parts::png::PngChunk::new(kind, data));
        }
        let gamma = img_parts::png::PngChunk::new(*b"gAMA", Bytes::from_static(&[0, 0, 0xB1, 0x8F]));
        png.chunks_mut().insert(1, gamma);
        let p = clean(&png.encoder().bytes()).unwrap();
        assert!(!holds(&p.bytes, b"Hamish"), "no words are left in the picture");
        assert!(holds(&p.bytes, b"gAMA"), "its colours are kept");
        for kind in ["prIv", "sPLT", "zzZz"] {
            assert!(p
                .texts
                .iter()
                .any(|t| t.contains(&format!("Hamish Docherty in {kind}"))));
        }
    }

    #[test]
    fn a_jpeg_keeps_only_its_picture_and_colours_and_nothing_after_its_end() {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode(&[0u8, 64, 128, 255], 2, 2, image::ExtendedColorType::L8)
            .unwrap();
        assert!(holds(&out, b"JFIF"));
        // An APP0 that is not JFIF, just after the start, and words after the end.
        let said = b"JFXX\0Hamish Docherty";
        let mut bytes = out[..2].to_vec();
        bytes.extend([0xFF, markers::APP0]);
        bytes.extend(u16::try_from(said.len() + 2).unwrap().to_be_bytes());
        bytes.extend(said);
        bytes.extend(&out[2..]);
        bytes.extend(b"Ben Baird was here");
        let p = clean(&bytes).unwrap();
        assert!(p.bytes.ends_with(&[0xFF, markers::EOI]));
        assert!(holds(&p.bytes, b"JFIF") && !holds(&p.bytes, b"Hamish") && !holds(&p.bytes, b"Ben Baird"));
        assert!(p.texts.iter().any(|t| t.contains("Hamish Docherty")));
        assert!(p.texts.iter().any(|t| t.contains("Ben Baird was here")));
    }

    #[test]
    fn an_svg_that_hides_text_or_places_letters_one_by_one_is_refused() {
        let svg = |inner: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"><text x="0" y="15">{inner}</text></svg>"#
            )
        };
        for hidden in [
            r#"Ham<tspan display="none">zz</tspan>ish Docherty"#,
            r#"Ham<tspan style="opacity: 0">zz</tspan>ish Docherty"#,
            r#"Ham<tspan visibility="hidden">zz</tspan>ish Docherty"#,
            r#"Ham<tspan font-size="0">zz</tspan>ish Docherty"#,
            r#"<tspan x="40 0 8 16 24 32">sHami</tspan>"#,
        ] {
            assert!(clean(svg(hidden).as_bytes()).is_err(), "{hidden}");
        }
        assert!(clean(svg(r#"<tspan x="4">A</tspan> <tspan fill-opacity="0.5">chart</tspan>"#).as_bytes()).is_ok());
    }

    #[test]
    fn png_text_is_read_then_taken_out() {
        let p = clean(&png_with_text("Gemma O'Neill")).unwrap();
        assert!(p.texts.iter().any(|t| t.contains("Gemma O'Neill")));
        assert!(!String::from_utf8_lossy(&p.bytes).contains("Gemma"));
        assert!(clean(&p.bytes).unwrap().texts.is_empty());
    }

    #[test]
    fn a_large_picture_is_made_smaller_once_and_its_metadata_still_read() {
        let (w, h) = (3000u32, 40u32);
        let pixels: Vec<u8> = (0..w * h).map(|i| (i % 256) as u8).collect();
        let mut colours = png::Info::default();
        colours.srgb = Some(png::SrgbRenderingIntent::Perceptual);
        let plain = scale::encode_png(&pixels, (w, h), png::ColorType::Grayscale, colours)
            .unwrap()
            .bytes;
        let mut big = Png::from_bytes(Bytes::from(plain)).unwrap();
        let chunk = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"Author\0Morag Kerr"));
        big.chunks_mut().insert(1, chunk);
        let big = big.encoder().bytes().to_vec();
        let p = clean(&big).unwrap();
        assert_eq!((p.width, p.height, p.mime), (MAX_SIDE, 32, "image/png"));
        assert!(p.texts.iter().any(|t| t.contains("Morag Kerr")));
        assert!(!String::from_utf8_lossy(&p.bytes).contains("Morag"));
        // What its colours mean is kept.
        assert!(p.bytes.windows(4).any(|c| c == b"sRGB"));
        // The second use is the first one's result.
        assert!(Arc::ptr_eq(&p, &clean(&big).unwrap()));
    }

    #[test]
    fn an_svg_has_the_size_it_says() {
        let sized = |svg: &str| {
            let p = clean(svg.as_bytes()).unwrap();
            (p.width, p.height)
        };
        let ns = r#"xmlns="http://www.w3.org/2000/svg""#;
        assert_eq!(sized(&format!(r#"<svg {ns} viewBox="0 0 640 480"/>"#)), (640, 480));
        assert_eq!(sized(&format!(r#"<svg {ns} width="120px" height="60"/>"#)), (120, 60));
        assert_eq!(sized(&format!(r#"<svg {ns} width="50%"/>"#)), (300, 150));
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
