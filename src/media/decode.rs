//! From an image file's bytes to upright sRGB pixels, refusing what must not be decoded:
//! a format other than the file's name says, dimensions over the limits (checked from
//! the header, before any pixel memory is taken: a decompression bomb declares huge
//! dimensions in a few hundred bytes), a decoder that would allocate more than the
//! limit, and a JPEG cut short (its decoder would fill the missing part with grey).

use super::{Format, MAX_DECODE_BYTES, MAX_PIXELS, MAX_SIDE, Problem};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// Decoded pixels, 8 bits a sample, upright and in sRGB: RGB, or RGBA when the image
/// has an alpha channel.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

/// Decode `bytes`, which the file's name says are `declared`.
pub fn decode(bytes: &[u8], declared: Format) -> Result<Pixels, Problem> {
    let actual = sniff(bytes)?;
    if actual != declared {
        return Err(Problem::new(
            format!(
                "this file holds a {} image, but its name says {}",
                actual.name(),
                declared.name()
            ),
            format!(
                "rename it to end in .{}, so that it is published as what it is",
                actual.ext()
            ),
        ));
    }
    if actual == Format::Jpeg && !jpeg_complete(bytes) {
        return Err(cut_short());
    }
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(match actual {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
    });
    // The dimensions are checked below, from the header, with a message that gives
    // them; the decoder's own allocation limit is the second guard.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    let orientation = decoder.orientation().map_err(broken)?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut img = DynamicImage::from_decoder(decoder).map_err(broken)?;
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    let (width, height) = (img.width(), img.height());
    let mut data = if alpha {
        img.into_rgba8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    if let Some(icc) = icc {
        to_srgb(&icc, alpha, &mut data);
    }
    Ok(Pixels {
        width,
        height,
        alpha,
        data,
    })
}

/// The format the bytes hold, whatever the name says.
fn sniff(bytes: &[u8]) -> Result<Format, Problem> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Ok(ImageFormat::Png) => Ok(Format::Png),
        Ok(ImageFormat::WebP) => Ok(Format::Webp),
        Ok(other) => Err(Problem::new(
            format!(
                "this file holds a {} image, which casefile does not publish",
                other
                    .extensions_str()
                    .first()
                    .unwrap_or(&"other")
                    .to_uppercase()
            ),
            "convert it to JPEG, PNG or WebP",
        )),
        Err(_) => Err(Problem::new(
            "this file is not an image casefile can read (it is neither JPEG, PNG nor WebP)",
            "export the image again as JPEG, PNG or WebP; a download may have saved an \
             HTML page instead",
        )),
    }
}

fn check_size(w: u32, h: u32) -> Result<(), Problem> {
    if w == 0 || h == 0 {
        return Err(Problem::new(
            format!("the image declares {w}×{h} pixels"),
            "export the image again",
        ));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(too_large(w, h));
    }
    Ok(())
}

fn too_large(w: u32, h: u32) -> Problem {
    Problem::new(
        format!(
            "the image declares {w}×{h} pixels; the limits are {MAX_SIDE} pixels a side and \
             {} megapixels",
            MAX_PIXELS / 1_000_000
        ),
        "publish a smaller copy; a file this size may also be a decompression bomb",
    )
}

fn cut_short() -> Problem {
    Problem::new(
        "the image file is cut short (its data ends before the image does)",
        "copy or download the file again; a transfer may have stopped part-way",
    )
}

/// A decoder's error, in words for the author.
fn broken(e: image::ImageError) -> Problem {
    use image::ImageError as E;
    match e {
        E::Limits(_) => Problem::new(
            format!(
                "decoding the image would take more than the {} MiB allowed",
                MAX_DECODE_BYTES / (1024 * 1024)
            ),
            "publish a smaller copy; a file this size may also be a decompression bomb",
        ),
        E::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => cut_short(),
        other => {
            let text = other.to_string();
            if text.to_ascii_lowercase().contains("eof") || text.contains("end of") {
                cut_short()
            } else {
                Problem::new(
                    format!("the image cannot be decoded: {text}"),
                    "open it in an image editor and export it again",
                )
            }
        }
    }
}

/// A JPEG's scan data must be followed by the end-of-image marker. Inside scan data a
/// 0xFF byte is always followed by 0x00 or a restart marker, so the last start-of-scan
/// marker (0xFFDA) is the last scan's, and a whole file has 0xFFD9 after it.
pub fn jpeg_complete(bytes: &[u8]) -> bool {
    match memchr::memmem::rfind(bytes, &[0xFF, 0xDA]) {
        Some(sos) => memchr::memmem::find(&bytes[sos + 2..], &[0xFF, 0xD9]).is_some(),
        None => false,
    }
}

/// Convert pixels described by an embedded ICC profile to sRGB, in place. A profile
/// that cannot be read, or is not an RGB one, leaves the pixels as they are (and is
/// dropped with the rest of the metadata).
fn to_srgb(icc: &[u8], alpha: bool, data: &mut [u8]) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if profile.color_space != DataColorSpace::Rgb {
        return;
    }
    let srgb = ColorProfile::new_srgb();
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let src = data.to_vec();
    if transform.transform(&src, data).is_err() {
        data.copy_from_slice(&src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_end_marker_after_the_last_scan() {
        assert!(jpeg_complete(&[
            0xFF, 0xD8, 0xFF, 0xDA, 1, 2, 0xFF, 0x00, 0xFF, 0xD9
        ]));
        // An end marker only inside an earlier thumbnail does not count.
        assert!(!jpeg_complete(&[
            0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xDA, 1, 2, 3
        ]));
        assert!(!jpeg_complete(&[0xFF, 0xD8]));
    }

    #[test]
    fn pixels_described_by_an_rgb_profile_are_converted_to_srgb() {
        let p3 = moxcms::ColorProfile::new_display_p3()
            .encode()
            .unwrap_or_default();
        assert!(!p3.is_empty());
        // A saturated Display P3 red is more saturated than sRGB can say; a grey is a
        // grey in both.
        let mut data = vec![200, 30, 30, 128, 128, 128];
        to_srgb(&p3, false, &mut data);
        assert!(data[0] >= 200 && data[..3] != [200, 30, 30], "{data:?}");
        assert!(data[3..].iter().all(|v| v.abs_diff(128) <= 1), "{data:?}");
        // A profile that cannot be read leaves the pixels alone.
        let mut same = vec![200, 30, 30];
        to_srgb(b"not a profile", false, &mut same);
        assert_eq!(same, [200, 30, 30]);
    }

    #[test]
    fn sizes_over_the_limits_are_refused_before_decoding() {
        assert!(check_size(60_000, 60_000).is_err());
        assert!(check_size(10_000, 10_000).is_err());
        assert!(check_size(0, 10).is_err());
        assert!(check_size(8_000, 6_000).is_ok());
    }
}
