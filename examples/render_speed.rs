//! Native timing of the boundary functions (not a test; a profiling aid):
//! `cargo run --release --example render_speed`.
use std::time::Instant;

fn main() {
    let block = r#"{"method":"invoice","amount":"1234.50","currency":"EUR","bankAccount":{"accountHolder":"BillPay GmbH","iban":"DE53100500000740123456","bic":"BELADEBEXXX","bankName":"Berliner Sparkasse","invoiceReference":"BP1001/4441","dueDate":"2026-12-28","activated":true}}"#;
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let t = Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += billpay::exports::boundary::render_payment_block(block, "null")
            .map(|s| s.len())
            .unwrap_or(0);
    }
    let per = t.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("render: {per:.2} µs/op ({total})");
    let t = Instant::now();
    for _ in 0..n {
        total += billpay::block::PaymentBlock::from_json(block).is_ok() as usize;
    }
    let per = t.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("parse+validate: {per:.2} µs/op");
    let t = Instant::now();
    for _ in 0..n {
        total += billpay::iban::Iban::parse("DE53100500000740123456").is_ok() as usize;
    }
    let per = t.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("iban: {per:.2} µs/op {total}");
    let parsed = billpay::block::PaymentBlock::from_json(block).unwrap();
    let options = billpay::render::RenderOptions {
        qr: billpay::render::QrMode::None,
        ..Default::default()
    };
    let t = Instant::now();
    for _ in 0..n {
        total +=
            billpay::render::render_payment_block(&parsed, options.clone()).map_or(0, |s| s.len());
    }
    let per = t.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("render only: {per:.2} µs/op {total}");
    let t = Instant::now();
    for _ in 0..n {
        total += billpay::shape::from_json::<Option<billpay::render::RenderOptionsInput>>("null")
            .is_ok() as usize;
    }
    let per = t.elapsed().as_secs_f64() / f64::from(n) * 1e6;
    println!("options: {per:.2} µs/op {total}");
}
