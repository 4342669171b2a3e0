//! Whether an image file carried a GPS position: in its EXIF data (JPEG APP1, PNG
//! eXIf, WebP EXIF chunk, read with kamadak-exif) or in an XMP packet (the
//! `exif:GPSLatitude` property, found as text). Only the answer is kept; the published
//! copies are re-encoded from pixels and carry no metadata at all.

use exif::{In, Reader, Tag};

/// True when the file's metadata holds a latitude or a longitude.
pub fn carried(bytes: &[u8]) -> bool {
    in_exif(bytes) || in_xmp(bytes)
}

fn in_exif(bytes: &[u8]) -> bool {
    let mut cursor = std::io::Cursor::new(bytes);
    match Reader::new().read_from_container(&mut cursor) {
        Ok(exif) => exif.fields().any(|f| {
            f.ifd_num == In::PRIMARY && matches!(f.tag, Tag::GPSLatitude | Tag::GPSLongitude)
        }),
        Err(_) => false,
    }
}

fn in_xmp(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"GPSLatitude").is_some()
        || memchr::memmem::find(bytes, b"GPSLongitude").is_some()
}
