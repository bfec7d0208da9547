//! Profiling aid (not a test): one block parsed, checked and rendered N times,
//! `N=20000 valgrind --tool=callgrind target/release/examples/profile_block`.
fn main() {
    let block = r#"{"method":"invoice","amount":"1234.50","currency":"EUR","bankAccount":{"accountHolder":"BillPay GmbH","iban":"DE53100500000740123456","bic":"BELADEBEXXX","bankName":"Berliner Sparkasse","invoiceReference":"BP1001/4441","dueDate":"2026-12-28","activated":true}}"#;
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut total = 0;
    for _ in 0..n {
        total += billpay::exports::boundary::render_payment_block(block, r#"{"qr":"none"}"#)
            .map(|s| s.len())
            .unwrap_or(0);
        total += billpay::exports::boundary::check_iban(Some("DE89 3704 0044 0532 0130 00"))
            .map(|s| s.len())
            .unwrap_or(0);
    }
    println!("{total}");
}
