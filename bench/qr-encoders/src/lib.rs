//! Throw-away: the same job (EPC payload -> QR at level M -> one-path SVG) with
//! four encoders, for size (wasm) and speed (native).

fn path(size: usize, dark: impl Fn(usize, usize) -> bool) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<svg><path d=\"");
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            let s = x;
            while x < size && dark(x, y) {
                x += 1;
            }
            out.push_str(&format!("M{} {}h{}", s, y, x - s));
        }
    }
    out.push_str("\"/></svg>");
    out
}

#[cfg(feature = "use_qrcodegen")]
pub fn svg(data: &str) -> String {
    use qrcodegen::*;
    let qr = QrCode::encode_segments_advanced(
        &[QrSegment::make_bytes(data.as_bytes())],
        QrCodeEcc::Medium,
        Version::MIN,
        Version::new(13),
        None,
        false,
    )
    .unwrap();
    path(qr.size() as usize, |x, y| qr.get_module(x as i32, y as i32))
}

#[cfg(feature = "use_qrcode")]
pub fn svg(data: &str) -> String {
    let qr =
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).unwrap();
    let w = qr.width();
    let colors = qr.to_colors();
    path(w, |x, y| colors[y * w + x] == qrcode::Color::Dark)
}

#[cfg(feature = "use_fastqr")]
pub fn svg(data: &str) -> String {
    let qr = fast_qr::QRBuilder::new(data.as_bytes())
        .ecl(fast_qr::ECL::M)
        .mode(fast_qr::Mode::Byte)
        .build()
        .unwrap();
    let n = qr.size;
    path(n, |x, y| qr.data[y * n + x].value())
}

#[cfg(feature = "use_billpay")]
pub fn svg(data: &str) -> String {
    let qr = billpay_qr_symbol::encode(data.as_bytes(), 13).unwrap();
    path(qr.size() as usize, |x, y| qr.get_module(x as i32, y as i32))
}

#[cfg(not(any(
    feature = "use_qrcodegen",
    feature = "use_qrcode",
    feature = "use_fastqr",
    feature = "use_billpay"
)))]
pub fn svg(data: &str) -> String {
    path(data.len() % 7, |x, y| (x + y) % 2 == 0)
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn epc_svg(data: &str) -> String {
    svg(data)
}
