//! QR symbols for the payment codes: byte mode, error correction level M,
//! versions 1 to 27 (ISO/IEC 18004), drawn on 128-bit rows.
//!
//! The EPC QR code and the Swiss QR Code both prescribe byte mode and level
//! M, and neither needs a version above 25, so this is all the encoder there
//! is: no other modes, levels, segments or ECI, no version past one row of
//! 128 modules. A general encoder (qrcodegen) took 18 KB of the storefront
//! module for it; this one draws the same symbols, module for module, with
//! the same version and the same mask (its tests compare every version with
//! qrcodegen, which stays as the oracle).
//!
//! The symbol is drawn once without a mask. The eight masked symbols are
//! derived from it a 128-bit row at a time (the data modules XOR the mask
//! pattern, the format bits redrawn), each is scored a run at a time, and
//! the lowest penalty wins (§7.8.3). The score is qrcodegen's to the point,
//! its finder-pattern rule included, so the choice is the one qrcodegen
//! makes: scoring module by module was most of the time a payment code
//! took with qrcodegen (measured: 352 µs of a 365 µs code).

// No std: the storefront module links none (see the plug-in's lib.rs).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;

/// The highest version drawn: its 125 modules are the widest that fit a
/// row in one `u128` (version 28 has 129).
pub const MAX_VERSION: u8 = 27;

/// A row of one `u128` holds 128 modules; version 27's 125 are the most
/// that fit.
const MAX_SIZE: usize = 128;

type Row = u128;
type Rows = [Row; MAX_SIZE];

/// Error correction level M in the format information (L 1, M 0, Q 3, H 2).
const LEVEL_M_FORMAT_BITS: u32 = 0;

/// Error correction codewords per block at level M, by version (index 0
/// unused; ISO/IEC 18004 table 9, as in qrcodegen).
const ECC_PER_BLOCK: [u8; 28] = [
    0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
    28, 28, 28, 28,
];

/// Error correction blocks at level M, by version (index 0 unused).
const BLOCKS: [u8; 28] = [
    0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25,
];

/// Byte mode indicator (ISO/IEC 18004 table 2).
const BYTE_MODE: u32 = 0b0100;

const PENALTY_N1: i32 = 3;
const PENALTY_N2: i32 = 3;
const PENALTY_N3: i32 = 40;
const PENALTY_N4: i32 = 10;

/// The QR symbol of `data` in byte mode at level M: the smallest version
/// up to `max_version` (at most [`MAX_VERSION`]) that holds it, with the
/// mask of lowest penalty. `None` when no such version holds it.
pub fn encode(data: &[u8], max_version: u8) -> Option<Masked> {
    let version = (1..=usize::from(max_version.min(MAX_VERSION)))
        .find(|&version| fits(data.len(), version))?;
    let symbol = Symbol::draw(version, &codewords(data, version)?);
    let mut best: Option<(i32, u8, Rows)> = None;
    for mask in 0..8u8 {
        let rows = symbol.with_mask(mask);
        let penalty = penalty(&rows, symbol.size);
        if best
            .as_ref()
            .map_or(true, |(lowest, _, _)| penalty < *lowest)
        {
            best = Some((penalty, mask, rows));
        }
    }
    let (_, mask, rows) = best?;
    Some(Masked {
        size: symbol.size,
        version: version as u8,
        mask,
        rows: Box::new(rows),
    })
}

/// A symbol as rows of modules.
pub struct Masked {
    size: usize,
    version: u8,
    mask: u8,
    rows: Box<Rows>,
}

impl Masked {
    /// Modules per side (qrcodegen's `size`).
    pub fn size(&self) -> i32 {
        i32::try_from(self.size).unwrap_or(0)
    }

    /// The version (1 to 27).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Whether module (x, y) is dark; outside the symbol it is light (as in qrcodegen).
    pub fn get_module(&self, x: i32, y: i32) -> bool {
        match (usize::try_from(x), usize::try_from(y)) {
            (Ok(x), Ok(y)) if x < self.size => {
                self.rows.get(y).is_some_and(|row| row & bit(x) != 0)
            }
            _ => false,
        }
    }

    /// The mask applied (0 to 7).
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// The runs of dark modules in row `y`, left to right, as (first, end)
    /// columns: a writer of run-length paths reads a row at a time instead of
    /// module by module.
    pub fn dark_runs(&self, y: i32) -> impl Iterator<Item = (i32, i32)> {
        let all = bit(self.size).wrapping_sub(1);
        let mut row = usize::try_from(y)
            .ok()
            .and_then(|y| self.rows.get(y))
            .map_or(0, |row| row & all);
        core::iter::from_fn(move || {
            if row == 0 {
                return None;
            }
            // Adding the lowest set bit clears the lowest run and sets the
            // bit after it.
            let after = row.wrapping_add(row & row.wrapping_neg());
            let start = row.trailing_zeros();
            let end = (after & !row).trailing_zeros();
            row &= after;
            Some((start as i32, end as i32))
        })
    }
}

fn table(table: &[u8; 28], version: usize) -> usize {
    usize::from(table.get(version).copied().unwrap_or(0))
}

/// Modules left for codewords once the function patterns are drawn
/// (qrcodegen's `get_num_raw_data_modules`).
fn raw_data_modules(version: usize) -> usize {
    let mut modules = (16 * version + 128) * version + 64;
    if version >= 2 {
        let alignment = version / 7 + 2;
        modules -= (25 * alignment - 10) * alignment - 55;
        if version >= 7 {
            modules -= 36; // the two copies of the version information
        }
    }
    modules
}

fn data_codewords(version: usize) -> usize {
    raw_data_modules(version) / 8 - table(&ECC_PER_BLOCK, version) * table(&BLOCKS, version)
}

/// Bits of the character count: 8 up to version 9, 16 above.
fn count_bits(version: usize) -> u32 {
    if version <= 9 {
        8
    } else {
        16
    }
}

fn fits(len: usize, version: usize) -> bool {
    let count_bits = count_bits(version);
    // Checked: a payload of 512 MiB would wrap `8 * len` on wasm32.
    let needed = len
        .checked_mul(8)
        .and_then(|bits| bits.checked_add(4 + count_bits as usize));
    len >> count_bits == 0 && needed.is_some_and(|bits| bits <= data_codewords(version) * 8)
}

/// The data codewords (mode, count, data, terminator, padding), then each
/// block's error correction codewords, interleaved as the symbol holds them.
fn codewords(data: &[u8], version: usize) -> Option<Vec<u8>> {
    let capacity = data_codewords(version);
    let mut bits = Bits::with_capacity(raw_data_modules(version) / 8);
    bits.push(BYTE_MODE, 4);
    bits.push(u32::try_from(data.len()).ok()?, count_bits(version));
    for &byte in data {
        bits.push(u32::from(byte), 8);
    }
    // The terminator: 4 bits since `fits` (mode and count take 12 or 20
    // bits, so they end half-way into a byte and 4 zero bits end it).
    bits.push(0, 4);
    let mut data_codewords = bits.bytes;
    for pad in [0xEC, 0x11].into_iter().cycle() {
        if data_codewords.len() >= capacity {
            break;
        }
        data_codewords.push(pad);
    }
    Some(interleave(&data_codewords, version))
}

/// A bit writer, most significant bit first.
struct Bits {
    bytes: Vec<u8>,
    pending: u32,
    pending_bits: u32,
}

impl Bits {
    fn with_capacity(bytes: usize) -> Bits {
        Bits {
            bytes: Vec::with_capacity(bytes),
            pending: 0,
            pending_bits: 0,
        }
    }

    /// The low `count` (at most 16) bits of `value`.
    fn push(&mut self, value: u32, count: u32) {
        self.pending = (self.pending << count) | (value & ((1 << count) - 1));
        self.pending_bits += count;
        while self.pending_bits >= 8 {
            self.pending_bits -= 8;
            self.bytes.push((self.pending >> self.pending_bits) as u8);
        }
        self.pending &= (1 << self.pending_bits) - 1;
    }
}

/// Splits the data codewords into blocks (the short ones first), adds each
/// block's Reed-Solomon codewords, and interleaves: the n-th data codeword
/// of every block, then the n-th error correction codeword of every block.
fn interleave(data: &[u8], version: usize) -> Vec<u8> {
    let blocks = table(&BLOCKS, version).max(1);
    let ecc_len = table(&ECC_PER_BLOCK, version);
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_data = raw / blocks - ecc_len;
    let field = Field::new();
    let divisor = field.divisor(ecc_len);
    let mut out = alloc::vec![0u8; raw];
    let mut start = 0;
    for block in 0..blocks {
        let len = short_data + usize::from(block >= short_blocks);
        let Some(codewords) = data.get(start..start + len) else {
            break;
        };
        start += len;
        for (i, &codeword) in codewords.iter().enumerate() {
            // A long block's last codeword comes after every short block's.
            let at = if i < short_data {
                i * blocks + block
            } else {
                short_data * blocks + block - short_blocks
            };
            if let Some(slot) = out.get_mut(at) {
                *slot = codeword;
            }
        }
        for (i, ecc) in field.remainder(codewords, &divisor).into_iter().enumerate() {
            if let Some(slot) = out.get_mut(data.len() + i * blocks + block) {
                *slot = ecc;
            }
        }
    }
    out
}

/// GF(256) with the QR code's polynomial x^8 + x^4 + x^3 + x^2 + 1, as
/// logarithm tables.
struct Field {
    exp: [u8; 256],
    log: [u8; 256],
}

impl Field {
    fn new() -> Field {
        let mut field = Field {
            exp: [0; 256],
            log: [0; 256],
        };
        let mut x: u8 = 1;
        for power in 0..255u8 {
            if let Some(slot) = field.exp.get_mut(usize::from(power)) {
                *slot = x;
            }
            if let Some(slot) = field.log.get_mut(usize::from(x)) {
                *slot = power;
            }
            x = (x << 1) ^ if x & 0x80 != 0 { 0x1D } else { 0 };
        }
        field
    }

    fn multiply(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            return 0;
        }
        let log = |x: u8| usize::from(self.log.get(usize::from(x)).copied().unwrap_or(0));
        self.exp.get((log(a) + log(b)) % 255).copied().unwrap_or(0)
    }

    /// The generator polynomial of degree `degree`, (x - α^0)…(x - α^(degree-1)),
    /// coefficients from the highest power down, its leading 1 left out
    /// (qrcodegen's `reed_solomon_compute_divisor`).
    fn divisor(&self, degree: usize) -> Vec<u8> {
        let mut divisor = alloc::vec![0u8; degree];
        if let Some(last) = divisor.last_mut() {
            *last = 1;
        }
        let mut root: u8 = 1;
        for _ in 0..degree {
            for j in 0..degree {
                let next = divisor.get(j + 1).copied().unwrap_or(0);
                if let Some(coefficient) = divisor.get_mut(j) {
                    *coefficient = self.multiply(*coefficient, root) ^ next;
                }
            }
            root = self.multiply(root, 0x02);
        }
        divisor
    }

    /// The remainder of `data` × x^degree divided by the generator: the
    /// block's error correction codewords.
    fn remainder(&self, data: &[u8], divisor: &[u8]) -> Vec<u8> {
        let mut remainder = alloc::vec![0u8; divisor.len()];
        for &byte in data {
            let factor = byte ^ remainder.first().copied().unwrap_or(0);
            remainder.rotate_left(1);
            if let Some(last) = remainder.last_mut() {
                *last = 0;
            }
            if factor != 0 {
                for (r, &d) in remainder.iter_mut().zip(divisor) {
                    *r ^= self.multiply(d, factor);
                }
            }
        }
        remainder
    }
}

/// Module `x` of a row. From a 64-bit shift: a u128 shift by a variable
/// amount is a library call in wasm (a seventh of the time a code took).
fn bit(x: usize) -> Row {
    match u32::try_from(x) {
        Ok(x @ 0..=63) => Row::from(1u64 << x),
        Ok(x @ 64..=127) => Row::from(1u64 << (x - 64)) << 64,
        _ => 0,
    }
}

fn set(rows: &mut Rows, x: usize, y: usize) {
    if let Some(row) = rows.get_mut(y) {
        *row |= bit(x);
    }
}

fn put(rows: &mut Rows, x: usize, y: usize, dark: bool) {
    if let Some(row) = rows.get_mut(y) {
        *row = (*row & !bit(x)) | if dark { bit(x) } else { 0 };
    }
}

/// Whether mask `mask` inverts module (x, y) (ISO/IEC 18004 table 10).
fn inverts(mask: u8, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (x / 3 + y / 2) % 2 == 0,
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3) % 2 == 0,
        _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
    }
}

/// Every mask pattern repeats every 12 rows (periods 2, 3, 4 and 6).
const PATTERN_PERIOD: usize = 12;

/// The 15 format modules of each copy with the bit each one shows, as
/// qrcodegen places them: (x, y, bit).
fn format_modules(size: usize) -> impl Iterator<Item = (usize, usize, u32)> {
    let first = (0..6u32)
        .map(|i| (8, i as usize, i))
        .chain([(8, 7, 6), (8, 8, 7), (7, 8, 8)])
        .chain((9..15u32).map(|i| (14 - i as usize, 8, i)));
    let second = (0..8u32)
        .map(move |i| (size - 1 - i as usize, 8, i))
        .chain((8..15u32).map(move |i| (8, size - 15 + i as usize, i)));
    first.chain(second)
}

fn format_bits(mask: u8) -> u32 {
    let data = LEVEL_M_FORMAT_BITS << 3 | u32::from(mask);
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    (data << 10 | rem) ^ 0x5412
}

/// The centres of the alignment patterns, as qrcodegen places them: every
/// pair of positions on the axes but the three at the finder patterns.
fn alignment_centres(version: usize, size: usize) -> impl Iterator<Item = (usize, usize)> {
    // Version 1 has none; the step is table E.1's spacing (version 32, the
    // one exception to the formula, is past MAX_VERSION).
    let count = if version == 1 { 0 } else { version / 7 + 2 };
    let step = (version * 4 + count * 2 + 1) / (count * 2).saturating_sub(2).max(1) * 2;
    // Positions from the first (6) to the last (size - 7).
    let position = move |i: usize| {
        if i == 0 {
            6
        } else {
            size - 7 - (count - 1 - i) * step
        }
    };
    let last = count.saturating_sub(1);
    (0..count).flat_map(move |i| {
        (0..count)
            .filter(move |&j| !(i == 0 && (j == 0 || j == last)) && !(i == last && j == 0))
            .map(move |j| (position(i), position(j)))
    })
}

/// The function patterns as qrcodegen draws them: which modules they take
/// (no mask touches those) and which of them are dark.
struct Functions {
    taken: Rows,
    dark: Rows,
}

impl Functions {
    /// Timing, finders with their separators, alignment, the format
    /// modules (light here: each mask draws its own), the dark module and
    /// the version information.
    fn draw(version: usize, size: usize) -> Functions {
        let mut functions = Functions {
            taken: [0; MAX_SIZE],
            dark: [0; MAX_SIZE],
        };
        for i in 0..size {
            functions.put(6, i, i % 2 == 0);
            functions.put(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for y in cy.saturating_sub(4)..=(cy + 4).min(size - 1) {
                for x in cx.saturating_sub(4)..=(cx + 4).min(size - 1) {
                    let distance = x.abs_diff(cx).max(y.abs_diff(cy));
                    functions.put(x, y, distance != 2 && distance != 4);
                }
            }
        }
        for (cx, cy) in alignment_centres(version, size) {
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    functions.put(x, y, x.abs_diff(cx).max(y.abs_diff(cy)) != 1);
                }
            }
        }
        for (x, y, _) in format_modules(size) {
            functions.put(x, y, false);
        }
        functions.put(8, size - 8, true);
        if version >= 7 {
            let bits = version_bits(version as u32);
            for i in 0..18 {
                let dark = bits >> i & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                functions.put(a, b, dark);
                functions.put(b, a, dark);
            }
        }
        functions
    }

    fn put(&mut self, x: usize, y: usize, dark: bool) {
        set(&mut self.taken, x, y);
        put(&mut self.dark, x, y, dark);
    }
}

/// A symbol drawn without a mask, ready to be masked.
struct Symbol {
    size: usize,
    /// Function patterns and codeword bits, no mask, no format bits.
    unmasked: Rows,
    /// The modules a mask inverts (all but the function modules).
    data: Rows,
    /// Rows `y % 12` of each mask pattern.
    patterns: [[Row; PATTERN_PERIOD]; 8],
}

impl Symbol {
    /// The function patterns, then the codewords in the two-column zigzag
    /// from the bottom right.
    fn draw(version: usize, codewords: &[u8]) -> Symbol {
        let size = version * 4 + 17;
        let Functions {
            taken: functions,
            dark: mut unmasked,
        } = Functions::draw(version, size);
        let mut bits = codewords
            .iter()
            .flat_map(|&byte| (0..8).rev().map(move |i| byte >> i & 1 == 1));
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5; // the vertical timing pattern is skipped
            }
            let upward = (right + 1) & 2 == 0;
            for vertical in 0..size {
                let y = if upward {
                    size - 1 - vertical
                } else {
                    vertical
                };
                let function = functions.get(y).copied().unwrap_or(0);
                for x in [right, right - 1] {
                    // Remainder bits past the last codeword stay light.
                    if function & bit(x) == 0 && bits.next() == Some(true) {
                        set(&mut unmasked, x, y);
                    }
                }
            }
            if right < 3 {
                break;
            }
            right -= 2;
        }

        let all = bit(size).wrapping_sub(1);
        let mut data = [0; MAX_SIZE];
        for (row, function) in data.iter_mut().zip(functions.iter()).take(size) {
            *row = all & !function;
        }
        let mut patterns = [[0; PATTERN_PERIOD]; 8];
        for (mask, rows) in (0u8..).zip(patterns.iter_mut()) {
            for (y, row) in rows.iter_mut().enumerate() {
                for x in 0..size {
                    if inverts(mask, x, y) {
                        *row |= bit(x);
                    }
                }
            }
        }
        Symbol {
            size,
            unmasked,
            data,
            patterns,
        }
    }

    /// The symbol as qrcodegen draws it with `mask`.
    fn with_mask(&self, mask: u8) -> Rows {
        let mut rows = [0; MAX_SIZE];
        let Some(pattern) = self.patterns.get(usize::from(mask)) else {
            return rows;
        };
        for (y, row) in rows.iter_mut().enumerate().take(self.size) {
            let inverted = pattern.get(y % PATTERN_PERIOD).copied().unwrap_or(0)
                & self.data.get(y).copied().unwrap_or(0);
            *row = self.unmasked.get(y).copied().unwrap_or(0) ^ inverted;
        }
        let bits = format_bits(mask);
        for (x, y, i) in format_modules(self.size) {
            put(&mut rows, x, y, bits >> i & 1 == 1);
        }
        rows
    }
}

/// The version information: 6 bits of version, 12 of BCH code (§7.10).
fn version_bits(version: u32) -> u32 {
    let mut rem = version;
    for _ in 0..12 {
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
    }
    version << 12 | rem
}

/// qrcodegen's penalty score (its `get_penalty_score`), on rows.
fn penalty(rows: &Rows, size: usize) -> i32 {
    let all = bit(size).wrapping_sub(1);
    let mut columns = [0; MAX_SIZE];
    for (y, &row) in rows.iter().enumerate().take(size) {
        let mut rest = row & all;
        while rest != 0 {
            let x = rest.trailing_zeros() as usize;
            set(&mut columns, y, x);
            rest &= rest - 1;
        }
    }
    let lines = |rows: &Rows| -> i32 {
        rows.iter()
            .take(size)
            .map(|&line| line_penalty(line & all, size))
            .sum()
    };
    let mut result = lines(rows) + lines(&columns);
    // 2 × 2 blocks of one colour.
    let pairs = all >> 1;
    for (&a, &b) in rows
        .iter()
        .zip(rows.iter().skip(1))
        .take(size.saturating_sub(1))
    {
        let vertical = !(a ^ b);
        let horizontal = !(a ^ (a >> 1));
        let blocks = vertical & (vertical >> 1) & horizontal & pairs;
        result += PENALTY_N2 * blocks.count_ones() as i32;
    }
    // Balance of dark and light modules.
    let dark: i32 = rows
        .iter()
        .take(size)
        .map(|row| (row & all).count_ones() as i32)
        .sum();
    let total = (size * size) as i32;
    let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
    result + k * PENALTY_N4
}

/// Runs of five or more, and finder-like patterns, along one row or column
/// (bit i = module i), a run at a time in qrcodegen's order of events.
fn line_penalty(line: Row, size: usize) -> i32 {
    let all = bit(size).wrapping_sub(1);
    // Bit p: module p differs from module p - 1 (the border before is light).
    let mut changes = (line ^ (line << 1)) & all;
    let mut history = FinderPenalty::new(size as i32);
    let mut result = 0;
    let mut start = 0;
    let mut dark = false;
    while changes != 0 {
        let at = changes.trailing_zeros() as usize;
        let length = (at - start) as i32;
        result += long_run(length);
        history.add_history(length);
        if !dark {
            result += history.count_patterns() * PENALTY_N3;
        }
        dark = !dark;
        start = at;
        changes &= changes - 1;
    }
    let length = (size - start) as i32;
    result + long_run(length) + history.terminate_and_count(dark, length) * PENALTY_N3
}

fn long_run(length: i32) -> i32 {
    if length >= 5 {
        PENALTY_N1 + length - 5
    } else {
        0
    }
}

/// qrcodegen's run history for the finder-like pattern rule (1:1:3:1:1 with
/// four light modules on one side), its seven run lengths packed into one
/// word (newest in the low bits): shifting an array of seven through memory
/// on every run was a third of the mask choice.
struct FinderPenalty {
    size: i32,
    history: u64,
}

/// Bits per run length: a length with the border added is at most three
/// symbol widths (384 < 512).
const FIELD: u32 = 9;
const FIELD_MASK: u64 = (1 << FIELD) - 1;
const HISTORY_MASK: u64 = (1 << (7 * FIELD)) - 1;

impl FinderPenalty {
    fn new(size: i32) -> Self {
        FinderPenalty { size, history: 0 }
    }

    fn field(&self, i: u32) -> i32 {
        ((self.history >> (FIELD * i)) & FIELD_MASK) as i32
    }

    fn add_history(&mut self, mut length: i32) {
        if self.history & FIELD_MASK == 0 {
            length += self.size; // the light border before the first run
        }
        let length = u64::try_from(length).unwrap_or(0) & FIELD_MASK;
        self.history = ((self.history << FIELD) | length) & HISTORY_MASK;
    }

    /// After a light run was added: 0, 1 or 2 finder-like patterns ended.
    fn count_patterns(&self) -> i32 {
        let n = self.field(1);
        let core = n > 0
            && self.field(2) == n
            && self.field(3) == n * 3
            && self.field(4) == n
            && self.field(5) == n;
        if !core {
            return 0;
        }
        let (h0, h6) = (self.field(0), self.field(6));
        i32::from(h0 >= n * 4 && h6 >= n) + i32::from(h6 >= n * 4 && h0 >= n)
    }

    fn terminate_and_count(mut self, dark: bool, mut length: i32) -> i32 {
        if dark {
            self.add_history(length);
            length = 0;
        }
        self.add_history(length + self.size); // the light border after the last run
        self.count_patterns()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

    /// qrcodegen's symbol: byte mode, level M, versions 1 to `max_version`,
    /// the mask given or its own choice.
    fn qrcodegen(payload: &[u8], max_version: u8, mask: Option<Mask>) -> Option<QrCode> {
        QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(payload)],
            QrCodeEcc::Medium,
            Version::MIN,
            Version::new(max_version),
            mask,
            false,
        )
        .ok()
    }

    fn rows_of(code: &QrCode) -> Vec<Row> {
        let size = code.size() as usize;
        (0..size)
            .map(|y| {
                (0..size)
                    .filter(|&x| code.get_module(x as i32, y as i32))
                    .fold(0, |row, x| row | bit(x))
            })
            .collect()
    }

    /// The most bytes version 27 holds at level M (1128 data codewords, 20
    /// bits of mode and length).
    const V27_M_BYTES: usize = 1125;

    /// Payloads of every third length up to version 27's capacity at
    /// level M, and that capacity itself, random bytes.
    fn payloads() -> impl Iterator<Item = Vec<u8>> {
        let mut seed = 0x9e37_79b9_u32;
        (1..=V27_M_BYTES)
            .step_by(3)
            .chain([V27_M_BYTES])
            .map(move |len| {
                (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        (seed >> 24) as u8
                    })
                    .collect()
            })
    }

    #[test]
    fn every_symbol_is_the_one_qrcodegen_draws() {
        let mut versions = std::collections::BTreeSet::new();
        let mut masks = std::collections::BTreeSet::new();
        for payload in payloads() {
            let theirs = qrcodegen(&payload, MAX_VERSION, None).unwrap();
            let ours = encode(&payload, MAX_VERSION).unwrap();
            let len = payload.len();
            assert_eq!(ours.version(), theirs.version().value(), "{len} bytes");
            assert_eq!(ours.mask(), theirs.mask().value(), "{len} bytes");
            assert_eq!(ours.size(), theirs.size(), "{len} bytes");
            assert_eq!(ours.rows[..ours.size], rows_of(&theirs)[..], "{len} bytes");
            for y in -1..=theirs.size() {
                for x in -1..=theirs.size() {
                    assert_eq!(ours.get_module(x, y), theirs.get_module(x, y));
                }
            }
            versions.insert(ours.version());
            masks.insert(ours.mask());
        }
        assert_eq!(versions.len(), 27, "every version 1..=27: {versions:?}");
        assert_eq!(masks.len(), 8, "every mask chosen somewhere: {masks:?}");
    }

    #[test]
    fn every_mask_draws_qrcodegens_symbol_with_that_mask() {
        for payload in payloads().step_by(4) {
            let ours = encode(&payload, MAX_VERSION).unwrap();
            let version = usize::from(ours.version());
            let symbol = Symbol::draw(version, &codewords(&payload, version).unwrap());
            for mask in 0..8u8 {
                let theirs = qrcodegen(&payload, MAX_VERSION, Some(Mask::new(mask))).unwrap();
                assert_eq!(
                    symbol.with_mask(mask)[..symbol.size],
                    rows_of(&theirs)[..],
                    "version {version}, mask {mask}"
                );
            }
        }
    }

    /// At each version's capacity: the longest payload that fits is drawn
    /// at that version, one byte more is refused or takes the next one,
    /// as with qrcodegen.
    #[test]
    fn capacity_and_version_limit_are_qrcodegens() {
        for version in 1..=MAX_VERSION {
            let capacity = (1..=V27_M_BYTES)
                .rev()
                .find(|&len| fits(len, usize::from(version)))
                .unwrap();
            // Full, and with one or two pad bytes.
            for len in capacity.saturating_sub(2)..=capacity {
                assert_same_as_qrcodegen(&vec![b'a'; len], version);
            }
            let longest = encode(&vec![b'a'; capacity], version).unwrap();
            assert_eq!(longest.version(), version);
            let longer = vec![b'a'; capacity + 1];
            assert!(encode(&longer, version).is_none(), "version {version}");
            assert!(
                qrcodegen(&longer, version, None).is_none(),
                "version {version}"
            );
        }
        assert_same_as_qrcodegen(b"", 1);
        assert!(encode(&[b'a'; V27_M_BYTES + 1], 40).is_none());
        assert!(encode(b"", 0).is_none());
    }

    fn assert_same_as_qrcodegen(payload: &[u8], max_version: u8) {
        let ours = encode(payload, max_version).unwrap();
        let theirs = qrcodegen(payload, max_version, None).unwrap();
        let len = payload.len();
        assert_eq!(ours.version(), theirs.version().value(), "{len} bytes");
        assert_eq!(ours.mask(), theirs.mask().value(), "{len} bytes");
        assert_eq!(ours.rows[..ours.size], rows_of(&theirs)[..], "{len} bytes");
    }

    /// qrcodegen's `get_penalty_score` as it is written there, module by
    /// module (it is private): the oracle for the score itself, not only
    /// for the mask it picks.
    fn qrcodegen_penalty(rows: &Rows, size: usize) -> i32 {
        let module = |x: usize, y: usize| rows[y] >> x & 1 == 1;
        let size_i = size as i32;
        let mut result = 0;
        for transposed in [false, true] {
            for a in 0..size {
                let at = |b: usize| {
                    if transposed {
                        module(a, b)
                    } else {
                        module(b, a)
                    }
                };
                let (mut color, mut run) = (false, 0);
                let mut history = [0i32; 7];
                let add = |history: &mut [i32; 7], mut length: i32| {
                    if history[0] == 0 {
                        length += size_i;
                    }
                    history.copy_within(0..6, 1);
                    history[0] = length;
                };
                let count = |h: &[i32; 7]| {
                    let n = h[1];
                    let core = n > 0 && h[2] == n && h[3] == n * 3 && h[4] == n && h[5] == n;
                    i32::from(core && h[0] >= n * 4 && h[6] >= n)
                        + i32::from(core && h[6] >= n * 4 && h[0] >= n)
                };
                for b in 0..size {
                    if at(b) == color {
                        run += 1;
                        if run == 5 {
                            result += PENALTY_N1;
                        } else if run > 5 {
                            result += 1;
                        }
                    } else {
                        add(&mut history, run);
                        if !color {
                            result += count(&history) * PENALTY_N3;
                        }
                        color = at(b);
                        run = 1;
                    }
                }
                if color {
                    add(&mut history, run);
                    run = 0;
                }
                add(&mut history, run + size_i);
                result += count(&history) * PENALTY_N3;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = module(x, y);
                if c == module(x + 1, y) && c == module(x, y + 1) && c == module(x + 1, y + 1) {
                    result += PENALTY_N2;
                }
            }
        }
        let dark: i32 = (0..size)
            .flat_map(|y| (0..size).map(move |x| (x, y)))
            .map(|(x, y)| i32::from(module(x, y)))
            .sum();
        let total = size_i * size_i;
        result + (((dark * 20 - total * 10).abs() + total - 1) / total - 1) * PENALTY_N4
    }

    #[test]
    fn every_masks_penalty_is_qrcodegens_score() {
        for payload in payloads().step_by(9) {
            let version = usize::from(encode(&payload, MAX_VERSION).unwrap().version());
            let symbol = Symbol::draw(version, &codewords(&payload, version).unwrap());
            for mask in 0..8u8 {
                let rows = symbol.with_mask(mask);
                assert_eq!(
                    penalty(&rows, symbol.size),
                    qrcodegen_penalty(&rows, symbol.size),
                    "version {version}, mask {mask}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any rows at all, of any symbol width: the same score as
        /// qrcodegen's (all-light lines, finder-like runs at both borders,
        /// long runs at line ends).
        #[test]
        fn any_rows_score_as_qrcodegen_scores_them(
            version in 1..=MAX_VERSION,
            seed in proptest::num::u64::ANY,
            density in 0u32..=8,
        ) {
            let size = usize::from(version) * 4 + 17;
            let mut state = seed | 1;
            let mut rows = [0; MAX_SIZE];
            for row in rows.iter_mut().take(size) {
                for x in 0..size {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    if (state >> 40) as u32 % 8 < density {
                        *row |= bit(x);
                    }
                }
            }
            proptest::prop_assert_eq!(penalty(&rows, size), qrcodegen_penalty(&rows, size));
        }

        /// Any bytes and any version limit: the same symbol as qrcodegen,
        /// or no symbol where qrcodegen has none.
        #[test]
        fn any_payload_and_limit_is_drawn_as_qrcodegen_draws_it(
            payload in proptest::collection::vec(proptest::num::u8::ANY, 0..700),
            max_version in 1..=MAX_VERSION,
        ) {
            let ours = encode(&payload, max_version);
            let theirs = qrcodegen(&payload, max_version, None);
            proptest::prop_assert_eq!(ours.is_some(), theirs.is_some());
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                proptest::prop_assert_eq!(ours.version(), theirs.version().value());
                proptest::prop_assert_eq!(ours.mask(), theirs.mask().value());
                proptest::prop_assert_eq!(&ours.rows[..ours.size], &rows_of(&theirs)[..]);
            }
        }
    }

    /// The dark runs of a row are its dark modules.
    #[test]
    fn dark_runs_are_the_dark_modules() {
        for payload in payloads().step_by(25) {
            let symbol = encode(&payload, MAX_VERSION).unwrap();
            for y in -1..=symbol.size() {
                let from_runs: Vec<i32> = symbol.dark_runs(y).flat_map(|(a, b)| a..b).collect();
                let from_modules: Vec<i32> = (0..symbol.size())
                    .filter(|&x| symbol.get_module(x, y))
                    .collect();
                assert_eq!(from_runs, from_modules, "{} bytes, row {y}", payload.len());
            }
        }
    }
}
