//! A raster picture larger than a page or a screen needs, made smaller before
//! it is published: decoded once (a row at a time where the file allows it,
//! and never with more memory than [`DECODE_BYTES`]), averaged down to at most
//! [`MAX_SIDE`] pixels on its long side, and encoded again, which also leaves
//! its metadata behind. The same bytes in give the same bytes out.

use std::io::Cursor;

/// The longest side a published picture keeps, in pixels: a full-width
/// picture on an A4 page at 300 dots an inch, and more than a screen shows.
pub const MAX_SIDE: u32 = 2400;

/// The most memory decoding one picture may take: enough for a picture of the
/// largest size allowed ([`super::MAX_PIXELS`]) at four bytes a pixel.
pub const DECODE_BYTES: u64 = 160 << 20;
const _: () = assert!(super::MAX_PIXELS * 4 <= DECODE_BYTES);

/// How well a JPEG is encoded again (of 100): no difference a reader sees.
const JPEG_QUALITY: u8 = 90;

/// A picture made smaller.
pub struct Scaled {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The size a picture of `width` × `height` pixels is published at: itself,
/// or at most [`MAX_SIDE`] on its long side with its proportions kept.
pub fn fitted(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_SIDE {
        return (width, height);
    }
    let side = |v: u32| ((u64::from(v) * u64::from(MAX_SIDE) + u64::from(long) / 2) / u64::from(long)).max(1) as u32;
    (side(width), side(height))
}

/// A PNG made smaller. Rows are read one at a time; an interlaced PNG (its
/// rows arrive in seven passes) is read whole, within the budget.
pub fn png(bytes: &[u8]) -> Result<Scaled, String> {
    let damaged = |e: png::DecodingError| match e {
        png::DecodingError::LimitsExceeded => too_big(),
        e => format!("it is damaged ({e})"),
    };
    let limits = png::Limits {
        bytes: DECODE_BYTES as usize,
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    // Palettes and small depths become 8-bit samples, 16-bit samples 8-bit ones.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let (width, height, interlaced) = (reader.info().width, reader.info().height, reader.info().interlaced);
    let colours = colour_space(reader.info());
    let (color, _) = reader.output_color_type();
    let alpha = matches!(color, png::ColorType::GrayscaleAlpha | png::ColorType::Rgba);
    let (w, h) = fitted(width, height);
    let mut shrink = Shrink::new((width, height), (w, h), color.samples(), alpha);
    if interlaced {
        let size = reader.output_buffer_size().ok_or_else(too_big)?;
        if size as u64 > DECODE_BYTES {
            return Err(too_big());
        }
        let mut frame = vec![0; size];
        let info = reader.next_frame(&mut frame).map_err(damaged)?;
        for row in frame.chunks_exact(info.line_size).take(height as usize) {
            shrink.push(row);
        }
    } else {
        while let Some(row) = reader.next_row().map_err(damaged)? {
            shrink.push(row.data());
        }
    }
    let pixels = shrink.finish()?;
    encode_png(&pixels, (w, h), color, colours)
}

/// How a PNG says what its colours mean (an ICC profile, sRGB, gamma and
/// primaries): kept, so that a picture made smaller looks the same.
fn colour_space(source: &png::Info) -> png::Info<'static> {
    let mut info = png::Info::default();
    info.icc_profile = source.icc_profile.as_ref().map(|p| p.to_vec().into());
    info.srgb = source.srgb;
    info.source_gamma = source.source_gamma;
    info.source_chromaticities = source.source_chromaticities;
    info
}

/// A JPEG made smaller: decoded whole (JPEG has no rows to read one at a
/// time) within `image`'s limits, and encoded as a JPEG again.
pub fn jpeg(bytes: &[u8]) -> Result<Scaled, String> {
    use image::ImageDecoder;
    let failed = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => too_big(),
        e => format!("it is damaged ({e})"),
    };
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes)).map_err(failed)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_BYTES);
    decoder.set_limits(limits.clone()).map_err(failed)?;
    // The decoded pixels, and a progressive JPEG's coefficients, held at once.
    limits.reserve(decoder.total_bytes()).map_err(failed)?;
    let progressive = progressive_bytes(bytes);
    if limits.reserve(progressive).is_err() {
        return Err(format!(
            "it is a progressive JPEG, which needs {} MiB of memory to read (more than the {} MiB allowed): \
             save it as a standard (baseline) JPEG, or at most {} pixels on its long side",
            (decoder.total_bytes() + progressive) >> 20,
            DECODE_BYTES >> 20,
            crate::base::text::thousands(MAX_SIDE as usize)
        ));
    }
    let (width, height) = decoder.dimensions();
    let channels = usize::from(decoder.color_type().channel_count());
    // Its colour profile, kept (it says what its colours mean).
    let icc = decoder.icc_profile().ok().flatten();
    let mut decoded = vec![0; decoder.total_bytes() as usize];
    decoder.read_image(&mut decoded).map_err(failed)?;
    let (w, h) = fitted(width, height);
    let mut shrink = Shrink::new((width, height), (w, h), channels, channels % 2 == 0);
    for row in decoded.chunks_exact(width as usize * channels) {
        shrink.push(row);
    }
    drop(decoded);
    let pixels = shrink.finish()?;
    let color = match channels {
        1 => image::ExtendedColorType::L8,
        3 => image::ExtendedColorType::Rgb8,
        // A JPEG with transparency (rare) keeps it as a PNG.
        alpha => {
            let mut info = png::Info::default();
            info.icc_profile = icc.map(Into::into);
            let color = match alpha {
                2 => png::ColorType::GrayscaleAlpha,
                _ => png::ColorType::Rgba,
            };
            return encode_png(&pixels, (w, h), color, info);
        }
    };
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    if let Some(icc) = icc {
        // A profile the encoder cannot write is left out, as a browser would ignore it.
        let _ = image::ImageEncoder::set_icc_profile(&mut encoder, icc);
    }
    encoder
        .encode(&pixels, w, h, color)
        .map_err(|e| format!("it could not be made smaller ({e})"))?;
    Ok(Scaled {
        bytes: out,
        mime: "image/jpeg",
        width: w,
        height: h,
    })
}

fn too_big() -> String {
    format!(
        "it needs more than {} MiB of memory to read: save it smaller (at most {} pixels on its long side is plenty)",
        DECODE_BYTES >> 20,
        crate::base::text::thousands(MAX_SIDE as usize)
    )
}

/// `pixels` as a PNG of 8-bit samples, with the colour space of `info`.
pub(super) fn encode_png(
    pixels: &[u8],
    (w, h): (u32, u32),
    color: png::ColorType,
    mut info: png::Info<'static>,
) -> Result<Scaled, String> {
    let failed = |e: png::EncodingError| format!("it could not be made smaller ({e})");
    let mut out = Vec::new();
    (info.width, info.height, info.color_type, info.bit_depth) = (w, h, color, png::BitDepth::Eight);
    let mut encoder = png::Encoder::with_info(&mut out, info).map_err(failed)?;
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(Scaled {
        bytes: out,
        mime: "image/png",
        width: w,
        height: h,
    })
}

/// What a progressive JPEG's decoder keeps besides the pixels: two bytes for
/// every sample of every component until the last scan (a baseline JPEG is
/// decoded a row of blocks at a time: nothing). Read from its frame header.
fn progressive_bytes(bytes: &[u8]) -> u64 {
    let Some(frame) = frame_header(bytes) else { return 0 };
    let (marker, body) = frame;
    if !matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE) || body.len() < 6 {
        return 0;
    }
    let height = u64::from(u16::from_be_bytes([body[1], body[2]]));
    let width = u64::from(u16::from_be_bytes([body[3], body[4]]));
    let components: Vec<(u64, u64)> = body[6..]
        .chunks_exact(3)
        .take(usize::from(body[5]))
        .map(|c| (u64::from(c[1] >> 4).max(1), u64::from(c[1] & 15).max(1)))
        .collect();
    let h_max = components.iter().map(|c| c.0).max().unwrap_or(1);
    let v_max = components.iter().map(|c| c.1).max().unwrap_or(1);
    let mcus = width.div_ceil(8 * h_max) * height.div_ceil(8 * v_max);
    components.iter().map(|(h, v)| mcus * h * v * 64 * 2).sum()
}

/// The JPEG's frame header (SOFn): its marker and contents.
fn frame_header(bytes: &[u8]) -> Option<(u8, &[u8])> {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + len)?;
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            return Some((marker, body));
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + len;
    }
    None
}

/// Averages rows of 8-bit samples down to a smaller size: each pixel of the
/// picture falls in one pixel of the result, which is the mean of those in it
/// (colours weighted by their opacity where there is alpha, so that the colour
/// of a transparent pixel does not bleed into its neighbours). Integer
/// arithmetic throughout: the same picture always gives the same bytes.
struct Shrink {
    from: (u32, u32),
    to: (u32, u32),
    channels: usize,
    alpha: bool,
    /// Rows read so far, and the row of the result they go to.
    y: u32,
    band: u32,
    sums: Vec<u64>,
    counts: Vec<u64>,
    out: Vec<u8>,
}

impl Shrink {
    fn new(from: (u32, u32), to: (u32, u32), channels: usize, alpha: bool) -> Shrink {
        Shrink {
            from,
            to,
            channels,
            alpha,
            y: 0,
            band: 0,
            sums: vec![0; to.0 as usize * channels],
            counts: vec![0; to.0 as usize],
            out: Vec::with_capacity(to.0 as usize * to.1 as usize * channels),
        }
    }

    fn push(&mut self, row: &[u8]) {
        let ((w, h), (to_w, to_h), ch) = (self.from, self.to, self.channels);
        let band = (u64::from(self.y) * u64::from(to_h) / u64::from(h)) as u32;
        if band != self.band {
            self.flush();
            self.band = band;
        }
        self.y += 1;
        // The first column of the next pixel of the result: ⌈(x + 1) · w / to_w⌉.
        let edge = |x: u64| ((x + 1) * u64::from(w)).div_ceil(u64::from(to_w));
        let (mut x_out, mut next) = (0usize, edge(0));
        for (x, px) in row.chunks_exact(ch).take(w as usize).enumerate() {
            if x as u64 >= next {
                x_out += 1;
                next = edge(x_out as u64);
            }
            let sums = &mut self.sums[x_out * ch..][..ch];
            if self.alpha {
                let a = u64::from(px[ch - 1]);
                for (s, &v) in sums.iter_mut().zip(&px[..ch - 1]) {
                    *s += u64::from(v) * a;
                }
                sums[ch - 1] += a;
            } else {
                for (s, &v) in sums.iter_mut().zip(px) {
                    *s += u64::from(v);
                }
            }
            self.counts[x_out] += 1;
        }
    }

    /// The row of the result the rows read since the last make.
    fn flush(&mut self) {
        let ch = self.channels;
        for (sums, &n) in self.sums.chunks_exact_mut(ch).zip(&self.counts) {
            let n = n.max(1);
            let mean = |s: u64, n: u64| ((s + n / 2) / n) as u8;
            if self.alpha {
                let a = sums[ch - 1];
                for &s in &sums[..ch - 1] {
                    self.out.push(if a == 0 { 0 } else { mean(s, a) });
                }
                self.out.push(mean(a, n));
            } else {
                self.out.extend(sums.iter().map(|&s| mean(s, n)));
            }
            sums.fill(0);
        }
        self.counts.fill(0);
    }

    /// The smaller picture, once every row has been read.
    fn finish(mut self) -> Result<Vec<u8>, String> {
        if self.y != self.from.1 {
            return Err(format!("it is damaged (it has {} of its {} rows)", self.y, self.from.1));
        }
        self.flush();
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_keeps_its_proportions_within_the_longest_side() {
        assert_eq!(fitted(7200, 5000), (2400, 1667));
        assert_eq!(fitted(5000, 7200), (1667, 2400));
        assert_eq!(fitted(2400, 10), (2400, 10));
        assert_eq!(fitted(40_000_000, 1), (2400, 1));
    }

    #[test]
    fn shrinking_averages_each_block_of_pixels() {
        // Four columns of grey, two rows, halved: 0 and 100 make 50, 200 and 250 make 225.
        let mut s = Shrink::new((4, 2), (2, 1), 1, false);
        s.push(&[0, 100, 200, 250]);
        s.push(&[100, 0, 250, 200]);
        assert_eq!(s.finish().unwrap(), vec![50, 225]);
        // A transparent red pixel does not tint an opaque white one.
        let mut s = Shrink::new((2, 1), (1, 1), 4, true);
        s.push(&[255, 0, 0, 0, 255, 255, 255, 255]);
        assert_eq!(s.finish().unwrap(), vec![255, 255, 255, 128]);
    }

    #[test]
    fn a_large_png_is_made_smaller_the_same_way_every_time() {
        let (w, h) = (4800u32, 300u32);
        let pixels: Vec<u8> = (0..w * h * 3)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let big = encode_png(&pixels, (w, h), png::ColorType::Rgb, Default::default())
            .unwrap()
            .bytes;
        let small = png(&big).unwrap();
        assert_eq!((small.width, small.height), (2400, 150));
        assert_eq!(imagesize::blob_size(&small.bytes).unwrap().width, 2400);
        assert_eq!(png(&big).unwrap().bytes, small.bytes);
    }

    #[test]
    fn a_large_jpeg_is_made_smaller_as_a_jpeg() {
        let (w, h) = (3000u32, 200u32);
        let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i % 251) as u8).collect();
        let mut big = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut big, 80)
            .encode(&pixels, w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        let small = jpeg(&big).unwrap();
        assert_eq!((small.mime, small.width, small.height), ("image/jpeg", 2400, 160));
        assert!(small.bytes.starts_with(&[0xFF, 0xD8]));
        assert_eq!(progressive_bytes(&big), 0);
    }

    #[test]
    fn a_progressive_jpeg_is_read_within_the_budget_or_refused_saying_why() {
        // The frame header of a progressive 7200 × 5000 JPEG, colour at half resolution.
        let mut header = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC2, 0x00, 0x11, 8,
        ];
        header.extend(5000u16.to_be_bytes());
        header.extend(7200u16.to_be_bytes());
        header.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        // 450 × 313 blocks of 16 × 16: four luminance blocks and two colour blocks each, two bytes a sample.
        assert_eq!(progressive_bytes(&header), 450 * 313 * 6 * 64 * 2);
        // With its 108 MB of pixels that is more than the budget.
        assert!(108_000_000 + progressive_bytes(&header) > DECODE_BYTES);
    }
}
