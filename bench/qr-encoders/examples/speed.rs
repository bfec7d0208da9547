fn main() {
    let payload = "BCD\n002\n1\nSCT\nBELADEBEXXX\nBillPay GmbH\nDE53100500000740123456\nEUR1234.5\n\n\nBP1001/4441";
    let n = 3000;
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += qrcmp::svg(payload).len();
    }
    let el = t.elapsed();
    println!("{:.0} ops/s ({total})", n as f64 / el.as_secs_f64());
}
