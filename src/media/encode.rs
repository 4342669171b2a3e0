//! The published copies of decoded pixels: the widths to make, resizing (Catmull-Rom
//! convolution, each copy from the next wider one), and encoding in the file's own
//! format and in WebP. The encoders are given pixels only, so no metadata can follow.

use super::decode::Pixels;
use super::{
    Format, JPEG_QUALITY, PLACEHOLDER_WIDTH, Problem, WEBP_LOSSLESS_EFFORT, WEBP_METHOD,
    WEBP_QUALITY, WIDTHS,
};
use fast_image_resize::images::{Image as Buffer, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

/// The largest width or height a WebP file can hold.
const WEBP_MAX_SIDE: u32 = 16_383;

/// One encoded copy.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Every copy of one image.
pub struct Made {
    /// Narrowest first, the file's format, then WebP.
    pub copies: Vec<Encoded>,
    /// The blurred stand-in (JPEG).
    pub placeholder: Encoded,
}

/// The widths published for an image `width` pixels wide: each standard width below
/// it, and its own width when it is not wider than the widest.
pub fn widths(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        out.push(width);
    }
    out
}

/// The height of a copy `w` pixels wide, keeping the aspect ratio (at least 1).
pub fn height_for(p: &Pixels, w: u32) -> u32 {
    let h = (u64::from(p.height) * u64::from(w) + u64::from(p.width) / 2) / u64::from(p.width);
    h.clamp(1, u64::from(u32::MAX)) as u32
}

/// Make every copy of `p`, whose file is in `own` format.
pub fn variants(p: &Pixels, own: Format) -> Result<Made, Problem> {
    let mut sizes: Vec<Pixels> = Vec::new();
    // Widest first, each from the one before it (or the original).
    for w in widths(p.width).into_iter().rev() {
        let from = sizes.last().unwrap_or(p);
        let next = if w == p.width {
            Pixels {
                width: p.width,
                height: p.height,
                alpha: p.alpha,
                data: p.data.clone(),
            }
        } else {
            resize(from, w, height_for(p, w))?
        };
        sizes.push(next);
    }
    sizes.reverse();
    let mut copies = Vec::with_capacity(sizes.len() * 2);
    for s in &sizes {
        copies.push(encode(s, own)?);
    }
    // WebP holds at most 16,383 pixels a side: a very tall image keeps its own format.
    let fits_webp = sizes.iter().all(|s| s.width.max(s.height) <= WEBP_MAX_SIDE);
    if own != Format::Webp && fits_webp {
        for s in &sizes {
            copies.push(encode_webp(s, own == Format::Png)?);
        }
    }
    let smallest = sizes.first().unwrap_or(p);
    let tiny_w = PLACEHOLDER_WIDTH.min(p.width);
    let tiny = resize(smallest, tiny_w, height_for(p, tiny_w))?;
    let blurred = blur(&tiny);
    Ok(Made {
        copies,
        placeholder: encode_jpeg(&blurred, 60)?,
    })
}

fn resize(p: &Pixels, w: u32, h: u32) -> Result<Pixels, Problem> {
    let kind = if p.alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let failed = |e: String| {
        Problem::new(
            format!("resizing the image failed: {e}"),
            "open the image in an image editor and export it again",
        )
    };
    let src = ImageRef::new(p.width, p.height, &p.data, kind).map_err(|e| failed(e.to_string()))?;
    let mut dst = Buffer::new(w, h, kind);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| failed(e.to_string()))?;
    Ok(Pixels {
        width: w,
        height: h,
        alpha: p.alpha,
        data: dst.into_vec(),
    })
}

/// A box blur of a tiny copy, so that the stand-in shows colours and nothing else,
/// even where a stylesheet does not blur it further.
fn blur(p: &Pixels) -> Pixels {
    let rgb = rgb_of(p);
    let buffer = image::RgbImage::from_raw(p.width, p.height, rgb);
    let data = match buffer {
        Some(b) => image::imageops::blur(&b, 2.0).into_raw(),
        None => vec![128; (p.width * p.height * 3) as usize],
    };
    Pixels {
        width: p.width,
        height: p.height,
        alpha: false,
        data,
    }
}

/// RGB samples: RGBA is laid on white.
fn rgb_of(p: &Pixels) -> Vec<u8> {
    if !p.alpha {
        return p.data.clone();
    }
    p.data
        .chunks_exact(4)
        .flat_map(|px| {
            let a = u16::from(px[3]);
            let over = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
            [over(px[0]), over(px[1]), over(px[2])]
        })
        .collect()
}

fn encode(p: &Pixels, f: Format) -> Result<Encoded, Problem> {
    match f {
        Format::Jpeg => encode_jpeg(p, JPEG_QUALITY),
        Format::Png => encode_png(p),
        Format::Webp => encode_webp(p, false),
    }
}

fn encoding_failed(f: Format, e: impl std::fmt::Display) -> Problem {
    Problem::new(
        format!("encoding the {} copy failed: {e}", f.name()),
        "open the image in an image editor and export it again",
    )
}

fn encode_jpeg(p: &Pixels, quality: u8) -> Result<Encoded, Problem> {
    let mut bytes = Vec::new();
    let rgb = rgb_of(p);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode(&rgb, p.width, p.height, image::ExtendedColorType::Rgb8)
        .map_err(|e| encoding_failed(Format::Jpeg, e))?;
    Ok(Encoded {
        width: p.width,
        height: p.height,
        format: Format::Jpeg,
        bytes,
    })
}

fn encode_png(p: &Pixels) -> Result<Encoded, Problem> {
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    let kind = if p.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(&p.data, p.width, p.height, kind)
        .map_err(|e| encoding_failed(Format::Png, e))?;
    Ok(Encoded {
        width: p.width,
        height: p.height,
        format: Format::Png,
        bytes,
    })
}

/// WebP through libwebp: lossy for photographs (JPEG and WebP files), lossless for
/// PNG files, which are mostly screenshots and drawings.
fn encode_webp(p: &Pixels, lossless: bool) -> Result<Encoded, Problem> {
    let encoder = if p.alpha {
        webp::Encoder::from_rgba(&p.data, p.width, p.height)
    } else {
        webp::Encoder::from_rgb(&p.data, p.width, p.height)
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| encoding_failed(Format::Webp, "libwebp refused its settings"))?;
    config.lossless = i32::from(lossless);
    config.alpha_compression = i32::from(!lossless);
    config.quality = if lossless {
        WEBP_LOSSLESS_EFFORT
    } else {
        WEBP_QUALITY
    };
    config.method = WEBP_METHOD;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| encoding_failed(Format::Webp, format!("{e:?}")))?;
    Ok(Encoded {
        width: p.width,
        height: p.height,
        format: Format::Webp,
        bytes: memory.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_enlarge() {
        assert_eq!(widths(4000), [480, 960, 1600]);
        assert_eq!(widths(1600), [480, 960, 1600]);
        assert_eq!(widths(1000), [480, 960, 1000]);
        assert_eq!(widths(300), [300]);
    }
}
