//! The mask choice of ISO/IEC 18004 (§7.8.3): eight masks scored, the lowest
//! penalty wins.
//!
//! qrcodegen applies each mask to its symbol and scores it module by module,
//! which is most of the time a payment code takes (perf-notes: 352 µs of
//! 365). Here the symbol is drawn once with mask 0, the other seven are
//! derived from it on 128-bit rows (data modules XOR the difference of two
//! mask patterns, format bits redrawn) and each is scored a run at a time.
//! The score is qrcodegen's to the point, its finder-pattern rule included,
//! so the choice, and with it every symbol, is the one qrcodegen makes
//! (tested against it module by module). `best_masked` hands back the
//! chosen symbol itself, so that qrcodegen need not draw it a second time.

// No std: the storefront module links none (see the plug-in's lib.rs).
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::vec::Vec;
use qrcodegen::{Mask, QrCode};

/// Symbols up to 128 modules (version 27) fit a row in one `u128`; the
/// codes drawn here stop at version 25.
const MAX_SIZE: usize = 128;

type Row = u128;
type Rows = [Row; MAX_SIZE];

/// Error correction level M in the format information (L 1, M 0, Q 3, H 2):
/// both payment standards prescribe M.
const LEVEL_M_FORMAT_BITS: u32 = 0;

const PENALTY_N1: i32 = 3;
const PENALTY_N2: i32 = 3;
const PENALTY_N3: i32 = 40;
const PENALTY_N4: i32 = 10;

/// The mask qrcodegen would choose for `drawn` (a symbol at level M drawn
/// with mask 0); `None` for symbols wider than 128 modules.
pub fn best_mask(drawn: &QrCode) -> Option<Mask> {
    best(drawn).map(|(mask, _)| Mask::new(mask))
}

/// `drawn` (a symbol at level M drawn with mask 0) with the mask qrcodegen
/// would choose: module for module the symbol qrcodegen draws, without
/// drawing it again. `None` for symbols wider than 128 modules.
pub fn best_masked(drawn: &QrCode) -> Option<Masked> {
    let size = usize::try_from(drawn.size()).ok()?;
    best(drawn).map(|(mask, rows)| Masked { size, mask, rows })
}

/// A symbol as rows of modules.
pub struct Masked {
    size: usize,
    mask: u8,
    rows: Box<Rows>,
}

impl Masked {
    /// Modules per side (qrcodegen's `size`).
    pub fn size(&self) -> i32 {
        i32::try_from(self.size).unwrap_or(0)
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

fn best(drawn: &QrCode) -> Option<(u8, Box<Rows>)> {
    let size = usize::try_from(drawn.size()).ok()?;
    if size > MAX_SIZE || drawn.mask().value() != 0 {
        return None;
    }
    let symbol = Symbol::read(drawn, size);
    let mut best = (i32::MAX, 0u8, Box::new([0; MAX_SIZE]));
    for mask in 0..8u8 {
        let rows = symbol.with_mask(mask);
        let penalty = penalty(&rows, size);
        if penalty < best.0 {
            best = (penalty, mask, Box::new(rows));
        }
    }
    Some((best.1, best.2))
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

/// The 15 format modules of each copy in qrcodegen's order: (x, y, bit).
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

/// Alignment pattern centres on each axis, as qrcodegen places them.
fn alignment_positions(version: usize, size: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// The modules no mask touches: finder, separator, timing, alignment,
/// format and version modules.
fn function_modules(version: usize, size: usize) -> Rows {
    let mut rows = [0; MAX_SIZE];
    for i in 0..size {
        set(&mut rows, 6, i);
        set(&mut rows, i, 6);
    }
    // Finder patterns with their separators: 9 × 9 around each centre, clipped.
    for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
        for y in cy.saturating_sub(4)..=(cy + 4).min(size - 1) {
            for x in cx.saturating_sub(4)..=(cx + 4).min(size - 1) {
                set(&mut rows, x, y);
            }
        }
    }
    let centres = alignment_positions(version, size);
    let last = centres.len().saturating_sub(1);
    for (i, &cx) in centres.iter().enumerate() {
        for (j, &cy) in centres.iter().enumerate() {
            if (i, j) == (0, 0) || (i, j) == (0, last) || (i, j) == (last, 0) {
                continue;
            }
            for y in cy - 2..=cy + 2 {
                for x in cx - 2..=cx + 2 {
                    set(&mut rows, x, y);
                }
            }
        }
    }
    for (x, y, _) in format_modules(size) {
        set(&mut rows, x, y);
    }
    set(&mut rows, 8, size - 8); // the dark module
    if version >= 7 {
        for i in 0..18 {
            let (a, b) = (size - 11 + i % 3, i / 3);
            set(&mut rows, a, b);
            set(&mut rows, b, a);
        }
    }
    rows
}

/// A symbol drawn with mask 0, ready to be re-masked.
struct Symbol {
    size: usize,
    drawn: Rows,
    /// The modules a mask inverts (all but the function modules).
    data: Rows,
    /// Rows `y % 12` of each mask pattern.
    patterns: [[Row; PATTERN_PERIOD]; 8],
}

impl Symbol {
    fn read(code: &QrCode, size: usize) -> Symbol {
        let mut drawn = [0; MAX_SIZE];
        for (y, row) in drawn.iter_mut().enumerate().take(size) {
            for x in 0..size {
                if code.get_module(x as i32, y as i32) {
                    *row |= bit(x);
                }
            }
        }
        let version = usize::from(code.version().value());
        let functions = function_modules(version, size);
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
            drawn,
            data,
            patterns,
        }
    }

    /// The symbol as qrcodegen draws it with `mask`.
    fn with_mask(&self, mask: u8) -> Rows {
        let mut rows = [0; MAX_SIZE];
        let (Some(zero), Some(chosen)) =
            (self.patterns.first(), self.patterns.get(usize::from(mask)))
        else {
            return rows;
        };
        for (y, row) in rows.iter_mut().enumerate().take(self.size) {
            let phase = y % PATTERN_PERIOD;
            let change =
                zero.get(phase).copied().unwrap_or(0) ^ chosen.get(phase).copied().unwrap_or(0);
            let drawn = self.drawn.get(y).copied().unwrap_or(0);
            *row = drawn ^ (change & self.data.get(y).copied().unwrap_or(0));
        }
        let bits = format_bits(mask);
        for (x, y, i) in format_modules(self.size) {
            if let Some(row) = rows.get_mut(y) {
                *row &= !bit(x);
                if bits >> i & 1 == 1 {
                    *row |= bit(x);
                }
            }
        }
        rows
    }
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
    use qrcodegen::{QrCodeEcc, QrSegment, Version};

    fn encode(payload: &[u8], mask: Option<Mask>) -> QrCode {
        QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(payload)],
            QrCodeEcc::Medium,
            Version::MIN,
            Version::new(27),
            mask,
            false,
        )
        .unwrap()
    }

    /// The most bytes version 27 holds at level M (1128 data codewords, 20
    /// bits of mode and length).
    const V27_M_BYTES: usize = 1125;

    fn rows_of(code: &QrCode) -> Vec<Row> {
        let size = code.size() as usize;
        Symbol::read(code, size).drawn[..size].to_vec()
    }

    /// Payloads of every length up to version 27 at level M, random bytes.
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
    fn every_derived_mask_is_the_symbol_qrcodegen_draws_with_it() {
        let mut versions = std::collections::BTreeSet::new();
        for payload in payloads().step_by(4) {
            let zero = encode(&payload, Some(Mask::new(0)));
            let size = zero.size() as usize;
            versions.insert(zero.version().value());
            let symbol = Symbol::read(&zero, size);
            for mask in 0..8u8 {
                let expected = rows_of(&encode(&payload, Some(Mask::new(mask))));
                assert_eq!(
                    symbol.with_mask(mask)[..size],
                    expected[..],
                    "version {}, mask {mask}",
                    zero.version().value()
                );
            }
        }
        assert_eq!(versions.len(), 27, "every version 1..=27: {versions:?}");
    }

    #[test]
    fn the_chosen_mask_is_qrcodegens_for_every_version() {
        let mut differing_from_zero = 0;
        for payload in payloads() {
            let automatic = encode(&payload, None);
            let chosen = best_mask(&encode(&payload, Some(Mask::new(0)))).unwrap();
            assert_eq!(
                chosen.value(),
                automatic.mask().value(),
                "{} bytes, version {}",
                payload.len(),
                automatic.version().value()
            );
            differing_from_zero += usize::from(chosen.value() != 0);
            let masked = best_masked(&encode(&payload, Some(Mask::new(0)))).unwrap();
            assert_eq!(masked.mask(), chosen.value());
            for y in 0..masked.size() {
                let from_runs: Vec<i32> = masked.dark_runs(y).flat_map(|(a, b)| a..b).collect();
                let from_modules: Vec<i32> = (0..masked.size())
                    .filter(|&x| masked.get_module(x, y))
                    .collect();
                assert_eq!(from_runs, from_modules, "{} bytes, row {y}", payload.len());
            }
            assert_eq!(masked.size(), automatic.size());
            for y in -1..=automatic.size() {
                for x in -1..=automatic.size() {
                    assert_eq!(
                        masked.get_module(x, y),
                        automatic.get_module(x, y),
                        "{} bytes, ({x}, {y})",
                        payload.len()
                    );
                }
            }
        }
        assert!(
            differing_from_zero > 100,
            "the masks vary: {differing_from_zero}"
        );
    }

    #[test]
    fn symbols_wider_than_a_row_are_left_to_qrcodegen() {
        let wide = QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(&[b'x'; 1500])],
            QrCodeEcc::Medium,
            Version::new(28),
            Version::new(40),
            Some(Mask::new(0)),
            false,
        )
        .unwrap();
        assert!(best_mask(&wide).is_none());
        assert!(best_mask(&encode(b"masked", Some(Mask::new(3)))).is_none());
    }
}
