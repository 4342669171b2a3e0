//! Test images made in code: plain JPEG, PNG and WebP files, the same with every kind
//! of metadata a camera or an editor writes (EXIF with a GPS position and a serial
//! number, XMP, IPTC, an ICC profile, comments), and hostile files.

/// A marker written into every piece of metadata: no published byte may hold it.
pub const SECRET: &[u8] = b"SECRET-SERIAL-4711";

/// Pixels with some structure (a gradient and a square), `w`×`h`, RGB.
pub fn pixels(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let inside = x > w / 4 && x < w / 2 && y > h / 4 && y < h / 2;
            let r = (x * 255 / w.max(1)) as u8;
            let g = (y * 255 / h.max(1)) as u8;
            let b = if inside { 30 } else { 200 };
            out.extend_from_slice(&[r, g, b]);
        }
    }
    out
}

pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode(&pixels(w, h), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels(w, h), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

pub fn webp(w: u32, h: u32) -> Vec<u8> {
    let px = pixels(w, h);
    webp::Encoder::from_rgb(&px, w, h)
        .encode_simple(false, 80.0)
        .unwrap()
        .to_vec()
}

/// A little-endian TIFF block (EXIF's body) with the camera make set to `SECRET` and a
/// GPS IFD holding a latitude.
pub fn exif_with_gps() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II\x2a\x00\x08\x00\x00\x00");
    // IFD0 at 8: Make (ASCII, at 38), GPSInfo (LONG: the GPS IFD at 58).
    let make_len = SECRET.len() as u32 + 1;
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x010F, 2, make_len, 38);
    entry(&mut t, 0x8825, 4, 1, 58);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(SECRET);
    t.push(0);
    while t.len() < 58 {
        t.push(0);
    }
    // GPS IFD at 58: GPSLatitudeRef "N" (inline), GPSLatitude (3 RATIONAL, at 88).
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut t, 0x0002, 5, 3, 88);
    t.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(13u32, 1u32), (5, 1), (1234, 100)] {
        t.extend_from_slice(&n.to_le_bytes());
        t.extend_from_slice(&d.to_le_bytes());
    }
    t
}

fn entry(t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32) {
    t.extend_from_slice(&tag.to_le_bytes());
    t.extend_from_slice(&kind.to_le_bytes());
    t.extend_from_slice(&count.to_le_bytes());
    t.extend_from_slice(&value.to_le_bytes());
}

pub fn xmp() -> Vec<u8> {
    let mut x = b"<?xpacket begin=''?><x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF \
        xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description \
        xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='13,5.12N' \
        exif:GPSLongitude='1,4.56W' exif:BodySerialNumber='"
        .to_vec();
    x.extend_from_slice(SECRET);
    x.extend_from_slice(b"'/></rdf:RDF></x:xmpmeta><?xpacket end='w'?>");
    x
}

/// An IPTC caption record, as Photoshop stores it.
pub fn iptc() -> Vec<u8> {
    let mut record = vec![0x1C, 0x02, 0x78];
    record.extend_from_slice(&(SECRET.len() as u16).to_be_bytes());
    record.extend_from_slice(SECRET);
    let mut out = b"Photoshop 3.0\0".to_vec();
    out.extend_from_slice(b"8BIM\x04\x04\0\0");
    out.extend_from_slice(&(record.len() as u32).to_be_bytes());
    out.extend_from_slice(&record);
    out
}

/// Bytes standing in for an ICC profile (not a valid one: it is dropped either way).
pub fn icc() -> Vec<u8> {
    let mut p = vec![0u8; 128];
    p[36..40].copy_from_slice(b"acsp");
    p.extend_from_slice(SECRET);
    p
}

/// `jpeg` with APP1 EXIF (GPS) and XMP, APP13 IPTC, APP2 ICC and a comment.
pub fn jpeg_with_metadata(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut segment = |marker: u8, payload: &[u8]| {
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
        out.extend_from_slice(payload);
    };
    segment(0xE1, &[b"Exif\0\0".as_slice(), &exif_with_gps()].concat());
    segment(
        0xE1,
        &[b"http://ns.adobe.com/xap/1.0/\0".as_slice(), &xmp()].concat(),
    );
    segment(0xED, &iptc());
    segment(
        0xE2,
        &[b"ICC_PROFILE\0\x01\x01".as_slice(), &icc()].concat(),
    );
    segment(0xFE, &[b"comment: ".as_slice(), SECRET].concat());
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// `png` with iCCP, eXIf (GPS), iTXt XMP, tEXt and zTXt (IPTC as ImageMagick writes
/// it) chunks.
pub fn png_with_metadata(png: &[u8]) -> Vec<u8> {
    // Signature (8) and IHDR (8 + 13 + 4) come first; iCCP must come before IDAT.
    let (head, rest) = png.split_at(33);
    let mut out = head.to_vec();
    let profile = [b"icc\0\0".as_slice(), &zlib_stored(&icc())].concat();
    chunk(&mut out, b"iCCP", &profile);
    chunk(&mut out, b"eXIf", &exif_with_gps());
    let itxt = [b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), &xmp()].concat();
    chunk(&mut out, b"iTXt", &itxt);
    chunk(
        &mut out,
        b"tEXt",
        &[b"Comment\0".as_slice(), SECRET].concat(),
    );
    let ztxt = [
        b"Raw profile type iptc\0\0".as_slice(),
        &zlib_stored(&iptc()),
    ]
    .concat();
    chunk(&mut out, b"zTXt", &ztxt);
    out.extend_from_slice(rest);
    out
}

/// `webp` (a simple lossy file) made an extended one with ICCP, EXIF (GPS) and XMP
/// chunks.
pub fn webp_with_metadata(webp: &[u8], w: u32, h: u32) -> Vec<u8> {
    let vp8 = &webp[12..];
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x20 | 0x08 | 0x04, 0, 0, 0];
    vp8x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    vp8x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    riff_chunk(&mut body, b"VP8X", &vp8x);
    riff_chunk(&mut body, b"ICCP", &icc());
    body.extend_from_slice(vp8);
    riff_chunk(&mut body, b"EXIF", &exif_with_gps());
    riff_chunk(&mut body, b"XMP ", &xmp());
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

pub fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zlib stream of one stored (uncompressed) block.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01, 0x01];
    let len = data.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A PNG that declares `w`×`h` pixels and holds almost no data: a decompression bomb.
pub fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&[0; 64]));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The markers of a JPEG's segments, up to the first scan.
pub fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        out.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    out
}

/// The chunk types of a PNG.
pub fn png_chunks(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&bytes[i + 4..i + 8]).into_owned());
        i += 12 + len;
    }
    out
}

/// The chunk ids of a WebP (RIFF) file.
pub fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 12;
    while i + 8 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[i + 4..i + 8].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&bytes[i..i + 4]).into_owned());
        i += 8 + len + len % 2;
    }
    out
}

/// `jpeg` with an EXIF block that says: turn 90° clockwise to view (orientation 6).
pub fn jpeg_rotated(jpeg: &[u8]) -> Vec<u8> {
    let mut t = b"Exif\0\0II\x2a\x00\x08\x00\x00\x00".to_vec();
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, 6);
    t.extend_from_slice(&0u32.to_le_bytes());
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&(t.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(&t);
    out.extend_from_slice(&jpeg[2..]);
    out
}
