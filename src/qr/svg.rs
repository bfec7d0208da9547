//! Drawing QR symbols as SVG: one `<path>` with a subpath per horizontal run
//! of dark modules (a fraction of the size of one rectangle per module, and
//! no seams between modules when rasterised), presentation attributes only
//! (no `style`, so inline SVG works under `style-src 'self'`).
//!
//! No floating point: coordinates are integers in the symbol's own units
//! (one module) or, for millimetre layouts, in tenths of 1/36 mm written
//! with one decimal by [`num`].

use super::Symbol;
use crate::prelude::*;

/// Writes `tenths / 10` with at most one decimal (`1397` → `139.7`).
pub fn num(out: &mut String, tenths: i32) {
    if tenths < 0 {
        out.push('-');
    }
    let abs = tenths.unsigned_abs();
    push_int(out, abs / 10);
    if abs % 10 != 0 {
        out.push('.');
        push_int(out, abs % 10);
    }
}

fn push_int(out: &mut String, value: u32) {
    let mut digits = [0u8; 10];
    let mut n = value;
    let mut len = 0;
    loop {
        if let Some(slot) = digits.get_mut(len) {
            // n % 10 < 10, so the cast cannot truncate.
            *slot = b'0' + (n % 10) as u8;
        }
        len += 1;
        n /= 10;
        if n == 0 || len == digits.len() {
            break;
        }
    }
    for d in digits.iter().take(len).rev() {
        out.push(char::from(*d));
    }
}

/// Path data for the dark modules, shifted by `quiet` modules (the quiet
/// zone), to be stroked with width 1: one horizontal line through the middle
/// of each run of dark modules, `M{x} {y}.5h{run}` for the first run of a
/// row and `m{gap} 0h{run}` (relative) for the next — a third of the size of
/// closed rectangles per run.
pub fn module_path(out: &mut String, qr: &Symbol, quiet: i32) {
    for y in 0..qr.size() {
        // End of the previous run in this row, if any.
        let mut pen: Option<i32> = None;
        for (start, x) in qr.dark_runs(y) {
            match pen {
                None => {
                    out.push('M');
                    push_int(out, (start + quiet).unsigned_abs());
                    out.push(' ');
                    push_int(out, (y + quiet).unsigned_abs());
                    out.push_str(".5h");
                }
                Some(end) => {
                    out.push('m');
                    push_int(out, (start - end).unsigned_abs());
                    out.push_str(" 0h");
                }
            }
            push_int(out, (x - start).unsigned_abs());
            pen = Some(x);
        }
    }
}

/// The EPC QR code as a standalone inline SVG with a 4-module quiet zone.
/// Hidden from assistive technology: the figure's caption says what it is.
pub fn epc_svg(out: &mut String, qr: &Symbol) {
    let n = (qr.size() + 8).unsigned_abs();
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"billpay-payment__qr-code\" width=\"42mm\" height=\"42mm\" viewBox=\"0 0 ");
    push_int(out, n);
    out.push(' ');
    push_int(out, n);
    out.push_str("\" aria-hidden=\"true\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path stroke=\"#000\" d=\"");
    module_path(out, qr, 4);
    out.push_str("\"/></svg>");
}

/// 46 mm in the 1/36 mm units of [`swiss_symbol`] (times ten).
pub const SWISS_SIZE: i32 = 46 * 360;

/// The Swiss QR Code, 46 × 46 mm with its top left corner at (`x`, `y`)
/// (tenths of 1/36 mm): the modules in a nested SVG scaled to 46 mm, then
/// the Swiss cross in the centre — a 7 mm white square holding a 6 mm black
/// square with a white cross of arms 7/6 mm wide and 35/9 mm long (in 1/36
/// mm all of these are whole numbers).
pub fn swiss_symbol(out: &mut String, qr: &Symbol, x: i32, y: i32) {
    let n = qr.size().unsigned_abs();
    out.push_str("<svg x=\"");
    num(out, x);
    out.push_str("\" y=\"");
    num(out, y);
    out.push_str("\" width=\"");
    num(out, SWISS_SIZE);
    out.push_str("\" height=\"");
    num(out, SWISS_SIZE);
    out.push_str("\" viewBox=\"0 0 ");
    push_int(out, n);
    out.push(' ');
    push_int(out, n);
    out.push_str("\" shape-rendering=\"crispEdges\"><path stroke=\"#000\" d=\"");
    module_path(out, qr, 0);
    out.push_str("\"/></svg>");
    let rect = |out: &mut String, offset: i32, size: i32, fill: &str| {
        out.push_str("<rect x=\"");
        num(out, x + offset);
        out.push_str("\" y=\"");
        num(out, y + offset);
        out.push_str("\" width=\"");
        num(out, size);
        out.push_str("\" height=\"");
        num(out, size);
        out.push_str("\" fill=\"");
        out.push_str(fill);
        out.push_str("\"/>");
    };
    // Centre 828 units (23 mm); white 252 (7 mm), black 216 (6 mm).
    rect(out, 7020, 2520, "#fff");
    rect(out, 7200, 2160, "#000");
    // Arms: 140 units (35/9 mm) long, 42 units (7/6 mm) wide, centred.
    let bar = |out: &mut String, dx: i32, dy: i32, w: i32, h: i32| {
        out.push('M');
        num(out, x + dx);
        out.push(' ');
        num(out, y + dy);
        out.push('h');
        num(out, w);
        out.push('v');
        num(out, h);
        out.push('h');
        num(out, -w);
        out.push('z');
    };
    out.push_str("<path fill=\"#fff\" d=\"");
    bar(out, 7580, 8070, 1400, 420);
    bar(out, 8070, 7580, 420, 1400);
    out.push_str("\"/>");
}

/// The Swiss QR Code alone (46 mm plus the 5 mm quiet zone the layout keeps
/// around it), for the payment block.
pub fn swiss_code_svg(out: &mut String, qr: &Symbol) {
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"billpay-payment__qr-code\" width=\"56mm\" height=\"56mm\" viewBox=\"0 0 2016 2016\" aria-hidden=\"true\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    swiss_symbol(out, qr, 1800, 1800);
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_without_floats() {
        let mut out = String::new();
        for v in [0, 5, 10, 1397, 75600, -420] {
            num(&mut out, v);
            out.push(' ');
        }
        assert_eq!(out, "0 0.5 1 139.7 7560 -42 ");
    }
}
