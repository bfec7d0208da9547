//! The block's code as a PNG image, for HTML e-mails.
//!
//! Gmail, Outlook and most webmail clients drop inline SVG and `data:`
//! images, so an e-mail's payment block refers to its code by `cid:` (an
//! image attached to the message) or by an https URL; this draws that image.
//! A 1-bit grayscale PNG, compressed here: one fixed-Huffman deflate block
//! in which a pixel row that repeats the one above is a single back
//! reference, and a run of equal bytes within a row is one too. A code's PNG
//! is 1-4 KB; a general deflate implementation would add more to the module
//! than it saves on such images.

use super::{epc, swiss, Scheme, Symbol};
use crate::block::PaymentBlock;
use crate::error::{BillPayError, ErrorCode, Result};
use crate::money::Currency;
use crate::prelude::*;

/// The least width in pixels of the EPC image (quiet zone included) and of
/// the Swiss code without its margin: sharp at twice the size the e-mail
/// shows them (`IMG_SIZE_EPC`: 2 × 159 px; `IMG_SIZE_SWISS`: 2 × 212 px of
/// which 46/56 are the code).
const MIN_PIXELS_EPC: i32 = 320;
const MIN_PIXELS_SWISS_CODE: i32 = 349;

/// Width and height of the `<img>` in CSS pixels (the attributes between
/// its `src` and `alt`): the inline SVG's 42 mm (EPC, quiet zone included)
/// and 56 mm (the Swiss QR Code's 46 mm and its 5 mm margin), at 96 pixels
/// per inch.
pub const IMG_SIZE_EPC: &str = "\" width=\"159\" height=\"159\" alt=\"";
pub const IMG_SIZE_SWISS: &str = "\" width=\"212\" height=\"212\" alt=\"";

/// The code of a block as the HTML block draws it, as PNG bytes.
pub fn block_code(block: &PaymentBlock) -> Result<Vec<u8>> {
    Ok(match super::scheme_for(block) {
        Some(Scheme::Epc) => epc_image(&epc::symbol(block)?.1),
        Some(Scheme::Swiss) => {
            let bill = swiss::SwissBill::from_block(block, swiss::Address::default())?;
            swiss_image(&bill.symbol()?.1)
        }
        None => return Err(no_code(block)),
    })
}

/// Why a block has no code, in the words of the payload that does not fit it.
fn no_code(block: &PaymentBlock) -> BillPayError {
    let reason = match block.currency {
        Currency::Chf => swiss::payload(block, swiss::Address::default()).err(),
        Currency::Eur => epc::payload(block).err(),
    };
    reason.unwrap_or_else(|| {
        BillPayError::new(
            ErrorCode::QrNotApplicable,
            "this block has no scannable code",
        )
    })
}

/// `data:image/png;base64,…`: what an e-mail library attaches (nodemailer's
/// `path` takes it as it is) and what an `<img>` of a page can show.
pub fn data_uri(png: &[u8]) -> String {
    const PREFIX: &str = "data:image/png;base64,";
    let mut out = String::with_capacity(PREFIX.len() + png.len().div_ceil(3) * 4);
    out.push_str(PREFIX);
    base64_into(&mut out, png);
    out
}

fn base64_into(out: &mut String, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32, shift: u32| {
        let index = ((n >> shift) & 63) as usize;
        char::from(ALPHABET.get(index).copied().unwrap_or(b'A'))
    };
    for chunk in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
}

/// Pixels per module for `modules` to be at least `least` pixels wide.
fn module_pixels(modules: i32, least: i32) -> i32 {
    let modules = modules.max(1);
    ((least + modules - 1) / modules).max(2)
}

/// The EPC QR code with the 4-module quiet zone QR codes need.
fn epc_image(qr: &Symbol) -> Vec<u8> {
    let modules = qr.size() + 8;
    let pixels = module_pixels(modules, MIN_PIXELS_EPC);
    png(modules * pixels, &|x, y| {
        qr.get_module(x / pixels - 4, y / pixels - 4)
    })
}

/// The Swiss QR Code as `svg::swiss_symbol` draws it (46 mm, the Swiss
/// cross of 7 mm in the middle), with its 5 mm margin (IG QR-bill §5.4).
fn swiss_image(qr: &Symbol) -> Vec<u8> {
    use super::svg::SWISS_SIZE;
    let n = qr.size().max(1);
    let pixels = module_pixels(n, MIN_PIXELS_SWISS_CODE);
    let code = n * pixels;
    // 5 mm of 46 (1800 of SWISS_SIZE units), rounded up.
    let margin = (code * 1800 + SWISS_SIZE - 1) / SWISS_SIZE;
    png(code + 2 * margin, &|x, y| {
        let (x, y) = (x - margin, y - margin);
        // The pixel's centre in the units of `svg::swiss_symbol`.
        let unit = |p: i32| (2 * p + 1) * SWISS_SIZE / (2 * code);
        let (u, v) = (unit(x), unit(y));
        let within = |lo: i32, hi: i32, c: i32| (lo..hi).contains(&c);
        if within(7020, 9540, u) && within(7020, 9540, v) {
            let black = within(7200, 9360, u) && within(7200, 9360, v);
            let arm = (within(7580, 8980, u) && within(8070, 8490, v))
                || (within(8070, 8490, u) && within(7580, 8980, v));
            return black && !arm;
        }
        x >= 0 && y >= 0 && qr.get_module(x / pixels, y / pixels)
    })
}

/// A square black-and-white picture of `side × side` pixels as PNG: 1-bit
/// grayscale (0 black, 1 white), no interlace.
fn png(side: i32, dark: &dyn Fn(i32, i32) -> bool) -> Vec<u8> {
    let width = u32::try_from(side).unwrap_or(0);
    let row_bytes = (side.max(0) as usize).div_ceil(8);
    let mut scanlines = Vec::with_capacity((row_bytes + 1) * width as usize);
    for y in 0..side {
        scanlines.push(0); // filter type None
        let start = scanlines.len();
        scanlines.resize(start + row_bytes, 0xff);
        for x in 0..side {
            if dark(x, y) {
                let (byte, bit) = ((x / 8) as usize, 7 - (x % 8));
                if let Some(b) = scanlines.get_mut(start + byte) {
                    *b &= !(1u8 << bit);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(scanlines.len() / 8 + 128);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&width.to_be_bytes());
    // Bit depth 1, grayscale, deflate, adaptive filtering, no interlace.
    header.extend_from_slice(&[1, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib(&scanlines, row_bytes + 1));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let length = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&length.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes keep the sums within u32 before the modulo (zlib's NMAX).
    for block in bytes.chunks(5552) {
        for x in block {
            a += u32::from(*x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// A zlib stream of `data`: one fixed-Huffman block whose matches are the
/// row `row` bytes above and runs of one byte.
fn zlib(data: &[u8], row: usize) -> Vec<u8> {
    let mut bits = Bits::default();
    // CMF: deflate, 32 KB window; FLG: check bits for (CMF·256 + FLG) % 31 == 0.
    bits.out.extend_from_slice(&[0x78, 0x01]);
    bits.put(1, 1); // the final block
    bits.put(1, 2); // fixed Huffman codes
    let mut i = 0;
    while i < data.len() {
        let rest = data.get(i..).unwrap_or_default();
        let above = i
            .checked_sub(row)
            .filter(|_| row <= MAX_DISTANCE)
            .and_then(|from| data.get(from..))
            .map_or(0, |above| common_prefix(rest, above));
        let run = rest
            .first()
            .map_or(0, |first| rest.iter().take_while(|b| *b == first).count());
        if above >= MIN_MATCH && above >= run {
            let len = above.min(MAX_MATCH);
            bits.copy(len, row);
            i += len;
        } else if run > MIN_MATCH {
            // The byte itself, then a copy of the one before it.
            bits.literal(rest.first().copied().unwrap_or(0));
            let len = (run - 1).min(MAX_MATCH);
            bits.copy(len, 1);
            i += 1 + len;
        } else {
            bits.literal(rest.first().copied().unwrap_or(0));
            i += 1;
        }
    }
    bits.symbol(256); // end of block
    let mut out = bits.finish();
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MAX_DISTANCE: usize = 32768;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// RFC 1951 §3.2.5: the first length of each length code 257-285 and its
/// extra bits; the same for the distance codes 0-29.
const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The code whose range holds `value`: its index, extra bits and offset.
fn code_of(bases: &[u16], extras: &[u8], value: usize) -> (u16, u8, u32) {
    let index = bases
        .iter()
        .rposition(|base| usize::from(*base) <= value)
        .unwrap_or(0);
    let base = bases.get(index).copied().unwrap_or(0);
    let extra = extras.get(index).copied().unwrap_or(0);
    let offset = u32::try_from(value.saturating_sub(usize::from(base))).unwrap_or(0);
    (u16::try_from(index).unwrap_or(0), extra, offset)
}

/// A deflate bit stream: values least significant bit first, Huffman codes
/// most significant bit first (RFC 1951 §3.1.1).
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= value << self.count;
        self.count += count;
        while self.count >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.count -= 8;
        }
    }

    fn code(&mut self, code: u32, count: u32) {
        let reversed = code.reverse_bits() >> (32 - count);
        self.put(reversed, count);
    }

    /// A literal/length symbol in the fixed code (RFC 1951 §3.2.6).
    fn symbol(&mut self, symbol: u16) {
        let s = u32::from(symbol);
        match symbol {
            0..=143 => self.code(0x30 + s, 8),
            144..=255 => self.code(0x190 + s - 144, 9),
            256..=279 => self.code(s - 256, 7),
            _ => self.code(0xc0 + s - 280, 8),
        }
    }

    fn literal(&mut self, byte: u8) {
        self.symbol(u16::from(byte));
    }

    /// Copy `len` (3-258) bytes from `distance` back.
    fn copy(&mut self, len: usize, distance: usize) {
        let (index, extra, offset) = code_of(&LENGTH_BASE, &LENGTH_EXTRA, len);
        self.symbol(257 + index);
        self.put(offset, u32::from(extra));
        let (index, extra, offset) = code_of(&DISTANCE_BASE, &DISTANCE_EXTRA, distance);
        self.code(u32::from(index), 5);
        self.put(offset, u32::from(extra));
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any bytes, any row length: what miniz_oxide inflates is what went in.
    #[test]
    fn zlib_round_trips() {
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            seed >> 16
        };
        for case in 0..300 {
            let len = (next() % 3000) as usize;
            let row = 1 + (next() % 300) as usize;
            let mut data = Vec::with_capacity(len);
            for i in 0..len {
                let byte = match next() % 4 {
                    // Repeated rows, runs and noise.
                    0 if i >= row => data[i - row],
                    1 if i >= 1 => data[i - 1],
                    2 => 0xff,
                    _ => next() as u8,
                };
                data.push(byte);
            }
            if case % 10 == 0 {
                data.fill(0);
            }
            let stream = zlib(&data, row);
            let back = miniz_oxide::inflate::decompress_to_vec_zlib(&stream)
                .unwrap_or_else(|e| panic!("case {case}: {e:?}"));
            assert_eq!(back, data, "case {case}");
        }
    }

    #[test]
    fn checksums_are_the_standard_ones() {
        // The check values of CRC-32/ISO-HDLC and Adler-32 for "123456789".
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"123456789"), 0x091e_01de);
        assert_eq!(adler32(&[]), 1);
    }

    #[test]
    fn base64_pads() {
        let encode = |bytes: &[u8]| {
            let mut s = String::new();
            base64_into(&mut s, bytes);
            s
        };
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"f"), "Zg==");
        assert_eq!(encode(b"fo"), "Zm8=");
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }
}
