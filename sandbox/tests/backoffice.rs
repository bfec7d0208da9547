//! The back-office over HTTP (login, list, detail, confirmed actions, escaping), the weekly
//! statement and its reconciliation with the orders, and the --help text.

mod common;
use common::*;
use serde_json::Value;

struct Browser<'a> {
    sb: &'a Sandbox,
    cookie: String,
}

impl<'a> Browser<'a> {
    fn login(sb: &'a Sandbox) -> Browser<'a> {
        let r = sb.request(
            "POST",
            "/admin/login",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            format!("mid={MID}&key={KEY}").as_bytes(),
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let cookie = r
            .header("Set-Cookie")
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        Browser { sb, cookie }
    }

    fn get(&self, path: &str) -> HttpResponse {
        self.sb
            .request("GET", path, &[("Cookie", &self.cookie)], b"")
    }

    fn post(&self, path: &str, form: &str) -> HttpResponse {
        self.sb.request(
            "POST",
            path,
            &[
                ("Cookie", &self.cookie),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            form.as_bytes(),
        )
    }

    fn csrf(&self, page: &str) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = page.find(marker).expect("csrf field") + marker.len();
        page[start..start + 32].to_string()
    }
}

fn order_id(sb: &Sandbox, reference: &str) -> i64 {
    sb.order(reference)["order"]["id"].as_i64().expect("id")
}

#[test]
fn login_order_list_filters_and_detail() {
    let sb = Sandbox::start(&["--now", "2026-03-02"]);
    // Wrong key, unknown merchant: refused; pages redirect to the login.
    let r = sb.request("POST", "/admin/login", &[], b"mid=4441&key=wrong");
    assert_eq!(r.status, 401);
    assert!(r.text().contains("wrong"));
    assert_eq!(sb.request("GET", "/admin/orders", &[], b"").status, 303);
    assert_eq!(
        sb.request("GET", "/admin/statements.csv", &[], b"").status,
        401
    );
    let login_page = sb.request("GET", "/admin", &[], b"");
    assert!(login_page.text().contains("Merchant login"));

    // An order whose customer name tries to inject markup.
    let cart = CartSpec::fixture();
    let evil = Customer {
        first: "<script>alert(1)</script>",
        last: "O'Brien & \"Sons\"",
        ..Customer::herbert()
    };
    sb.post_xml(
        "preauthorize",
        &preauthorize_xml_full(&default_params(), &evil, &cart, "EVIL-1", true, 1, 1),
    )
    .assert_ok();
    create_order(&sb, "LIST-ACT");
    activate(&sb, "LIST-ACT", 2395, 0).assert_ok();
    sb.set_clock("2026-04-25");
    create_order(&sb, "LIST-NEW");

    let b = Browser::login(&sb);
    let response = b.get("/admin/orders");
    let csp = response.header("Content-Security-Policy").unwrap_or("");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    let list = response.text();
    for r in ["EVIL-1", "LIST-ACT", "LIST-NEW"] {
        assert!(list.contains(r), "{r} in list");
    }
    assert!(!list.contains("<script>alert"), "markup is escaped");
    assert!(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let activated = b.get("/admin/orders?status=activated").text();
    assert!(activated.contains("LIST-ACT") && !activated.contains("LIST-NEW"));
    // EVIL-1 (created 2 Mar) must be activated by 2 May: 7 days left on 25 Apr.
    let expiring = b.get("/admin/orders?expiring=1").text();
    assert!(
        expiring.contains("EVIL-1")
            && !expiring.contains("LIST-NEW")
            && !expiring.contains("LIST-ACT")
    );
    let search = b.get("/admin/orders?q=list-new").text();
    assert!(search.contains("LIST-NEW") && !search.contains("EVIL-1"));
    // By the reference the customer quotes, as a payment or a question brings it.
    // (The search box repeats the query: the order's link is what is found.)
    let link = format!("/admin/orders/{}\"", order_id(&sb, "LIST-NEW"));
    let quoted = b.get("/admin/orders?q=BPLIST-NEW%2F4441").text();
    assert!(
        quoted.contains(&link) && !quoted.contains("EVIL-1"),
        "{quoted}"
    );
    assert!(!b
        .get("/admin/orders?q=BPLIST-NEW%2F9999")
        .text()
        .contains(&link));

    let detail = b
        .get(&format!("/admin/orders/{}", order_id(&sb, "EVIL-1")))
        .text();
    assert!(!detail.contains("<script>alert"));
    assert!(detail.contains("O&apos;Brien &amp; &quot;Sons&quot;"));
    let iban = sb.order("EVIL-1")["order"]["bankAccount"]["iban"]
        .as_str()
        .expect("iban")
        .to_string();
    let grouped: Vec<String> = iban
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert!(
        detail.contains(&grouped.join(" ")),
        "IBAN in groups of four"
    );
    assert!(detail.contains("BPEVIL-1/4441"));
    assert!(detail.contains("Activate by <b>2026-05-02</b>"));
    for button in [">Activate<", ">Partial cancellation<", ">Cancel order<"] {
        assert!(detail.contains(button), "{button}");
    }
    // Another merchant's session cannot see this merchant's orders.
    assert_eq!(b.get("/admin/orders/999999").status, 404);
}

#[test]
fn back_office_actions_need_confirmation_and_csrf() {
    let sb = Sandbox::start(&["--now", "2026-05-05"]);
    create_order(&sb, "BO-1");
    let id = order_id(&sb, "BO-1");
    let b = Browser::login(&sb);
    let page = b.get(&format!("/admin/orders/{id}")).text();
    let csrf = b.csrf(&page);

    // Without the CSRF token nothing happens.
    let r = b.post(
        &format!("/admin/orders/{id}/activate"),
        "delay=0&confirm=yes",
    );
    assert_eq!(r.status, 403);
    // The first POST only asks.
    let r = b.post(
        &format!("/admin/orders/{id}/activate"),
        &format!("csrf={csrf}&delay=3"),
    );
    assert_eq!(r.status, 200);
    let confirm = r.text();
    assert!(confirm.contains("Please confirm"));
    assert!(
        confirm.contains("2026-06-07"),
        "5 May + 3 + 30 days shown before confirming"
    );
    assert!(confirm.contains("name=\"expect_status\" value=\"preauthorized\""));
    assert_eq!(sb.order("BO-1")["order"]["status"], "preauthorized");
    // "Yes" activates.
    let r = b.post(
        &format!("/admin/orders/{id}/activate"),
        &format!("csrf={csrf}&delay=3&expect_total=2395&expect_status=preauthorized&confirm=yes"),
    );
    assert_eq!(r.status, 303);
    let o = sb.order("BO-1");
    assert_eq!(o["order"]["status"], "activated");
    assert_eq!(o["order"]["dueDate"], "2026-06-07");
    let after = b.get(r.header("Location").expect("location")).text();
    assert!(after.contains("Order activated."));
    // A page opened before (another tab): Activate is not asked again.
    let text = b
        .post(
            &format!("/admin/orders/{id}/activate"),
            &format!("csrf={csrf}&delay=0"),
        )
        .text();
    assert!(!text.contains("Please confirm"), "{text}");
    assert!(
        text.contains("order BO-1 is already activated: cannot activate"),
        "{text}"
    );

    // Increase/Reduce + partial cancellation: one Tea back and a 2.50 discount.
    let form = format!("csrf={csrf}&qty_0=1&qty_1=2&shipping=4.95&adjust=2.50");
    let r = b.post(&format!("/admin/orders/{id}/partial"), &form);
    let confirm = r.text();
    assert!(confirm.contains("Please confirm"));
    assert!(confirm.contains("16.45 EUR"), "23.95 - 5.00 - 2.50");
    assert_eq!(sb.order("BO-1")["order"]["totalGross"], 2395);
    let r = b.post(
        &format!("/admin/orders/{id}/partial"),
        &format!("{form}&expect_total=2395&expect_status=activated&confirm=yes"),
    );
    assert_eq!(r.status, 303);
    let o = sb.order("BO-1");
    assert_eq!(o["order"]["totalGross"], 1645);
    assert_eq!(o["order"]["cart"]["rebateGross"], 350);
    let last = o["movements"]
        .as_array()
        .and_then(|m| m.last().cloned())
        .expect("movement");
    assert_eq!(last["amount"], -750);
    // A stale confirmation (the total changed since) is refused.
    let r = b.post(
        &format!("/admin/orders/{id}/partial"),
        &format!("{form}&expect_total=2395&expect_status=activated&confirm=yes"),
    );
    assert!(r.text().contains("changed meanwhile"));
    // An increase is refused with BillPay's error and leaves the order alone.
    let form =
        format!("csrf={csrf}&adjust=-3.00&expect_total=1645&expect_status=activated&confirm=yes");
    let r = b.post(&format!("/admin/orders/{id}/partial"), &form);
    assert!(r.text().contains("error 105"), "{}", r.text());
    assert_eq!(sb.order("BO-1")["order"]["totalGross"], 1645);
    // ...and is not even offered for confirmation.
    let r = b.post(
        &format!("/admin/orders/{id}/partial"),
        &format!("csrf={csrf}&adjust=-3.00"),
    );
    let text = r.text();
    assert!(!text.contains("Please confirm"), "{text}");
    assert!(text.contains("higher than the current total"), "{text}");
    // The form sent back unchanged: nothing to confirm.
    let text = b
        .post(
            &format!("/admin/orders/{id}/partial"),
            &format!("csrf={csrf}&qty_0=1&qty_1=2&shipping=4.95"),
        )
        .text();
    assert!(!text.contains("Please confirm"), "{text}");
    assert!(
        text.contains("Nothing to change: order BO-1 stays at 16.45 EUR."),
        "{text}"
    );
    // Removing every article, or a discount of the whole amount, is a full
    // cancel (DESIGN §3): the question says so, and nothing happens before "Yes".
    for edit in ["qty_0=0&qty_1=0", "adjust=16.45"] {
        let text = b
            .post(
                &format!("/admin/orders/{id}/partial"),
                &format!("csrf={csrf}&{edit}"),
            )
            .text();
        assert!(text.contains("cancel it completely (16.45 EUR)"), "{text}");
        assert_eq!(sb.order("BO-1")["order"]["status"], "activated");
    }

    // Cancel, after confirmation.
    let r = b.post(
        &format!("/admin/orders/{id}/cancel"),
        &format!("csrf={csrf}"),
    );
    assert!(r.text().contains("Please confirm"));
    assert_eq!(sb.order("BO-1")["order"]["status"], "activated");
    let r = b.post(
        &format!("/admin/orders/{id}/cancel"),
        &format!("csrf={csrf}&expect_total=1645&expect_status=activated&confirm=yes"),
    );
    assert_eq!(r.status, 303);
    let o = sb.order("BO-1");
    assert_eq!(o["order"]["status"], "cancelled");
    let last = o["movements"]
        .as_array()
        .and_then(|m| m.last().cloned())
        .expect("movement");
    assert_eq!(last["amount"], -1645);
    let page = b.get(&format!("/admin/orders/{id}")).text();
    assert!(!page.contains(">Cancel order<") && !page.contains(">Activate<"));

    // A confirmation asked before a state change is refused, even with the
    // same total: an activation in between makes a free cancel a debit.
    create_order(&sb, "BO-2");
    let id2 = order_id(&sb, "BO-2");
    let confirm = b
        .post(
            &format!("/admin/orders/{id2}/cancel"),
            &format!("csrf={csrf}"),
        )
        .text();
    assert!(confirm.contains("name=\"expect_status\" value=\"preauthorized\""));
    b.post(
        &format!("/admin/orders/{id2}/activate"),
        &format!("csrf={csrf}&delay=0&expect_total=2395&expect_status=preauthorized&confirm=yes"),
    );
    assert_eq!(sb.order("BO-2")["order"]["status"], "activated");
    let r = b.post(
        &format!("/admin/orders/{id2}/cancel"),
        &format!("csrf={csrf}&expect_total=2395&expect_status=preauthorized&confirm=yes"),
    );
    assert!(r.text().contains("changed meanwhile"), "{}", r.text());
    assert_eq!(sb.order("BO-2")["order"]["status"], "activated");
    // "Yes" to a discount of the whole amount cancels the order in full.
    let r = b.post(
        &format!("/admin/orders/{id2}/partial"),
        &format!("csrf={csrf}&adjust=23.95&expect_total=2395&expect_status=activated&confirm=yes"),
    );
    assert_eq!(r.status, 303);
    assert!(r
        .header("Location")
        .unwrap_or("")
        .ends_with("done=cancelled"));
    let o = sb.order("BO-2");
    assert_eq!(o["order"]["status"], "cancelled");
    let last = o["movements"]
        .as_array()
        .and_then(|m| m.last().cloned())
        .expect("movement");
    assert_eq!(last["amount"], -2395);

    // Logging out ends the session.
    let r = b.post("/admin/logout", &format!("csrf={csrf}"));
    assert_eq!(r.status, 303);
    assert_eq!(b.get("/admin/orders").status, 303);
}

fn sum_by(movements: &[Value], kind: &str) -> i64 {
    movements
        .iter()
        .filter(|m| m["type"] == kind)
        .map(|m| m["amount"].as_i64().unwrap_or(0))
        .sum()
}

#[test]
fn weekly_statement_reconciles_with_the_orders() {
    // Monday 2 Feb 2026 is the start of ISO week 6.
    let sb = Sandbox::start(&["--now", "2026-02-02T08:00:00"]);
    for r in ["S-1", "S-2", "S-3", "S-4", "S-5"] {
        create_order(&sb, r);
    }
    activate(&sb, "S-1", 2395, 0).assert_ok(); // stays whole
    activate(&sb, "S-2", 2395, 0).assert_ok(); // partially credited
    sb.post_xml(
        "editCartContent",
        &edit_xml("S-2", &CartSpec::fixture().qty("A2", 1)),
    )
    .assert_ok();
    activate(&sb, "S-3", 2395, 0).assert_ok(); // cancelled after activation
    sb.post_xml("cancel", &cancel_xml("S-3", 2395)).assert_ok();
    sb.post_xml("cancel", &cancel_xml("S-4", 2395)).assert_ok(); // cancelled before: no money
                                                                 // S-5 is activated in the next week and must not appear in week 6.
    sb.set_clock("2026-02-09T10:00:00");
    activate(&sb, "S-5", 2395, 0).assert_ok();

    let st = sb.get_json("/control/statement?week=2026-W06");
    assert_eq!(st["week"], "2026-W06");
    assert_eq!(st["from"], "2026-02-02");
    assert_eq!(st["to"], "2026-02-08");
    let movements = st["movements"].as_array().expect("movements").clone();
    assert!(movements
        .iter()
        .all(|m| m["reference"] != "S-5" && m["reference"] != "S-4"));
    let fee = (2395 * 290 + 5000) / 10000; // 69 cents per activation
    assert_eq!(sum_by(&movements, "receivable"), 3 * 2395);
    assert_eq!(sum_by(&movements, "fee"), -3 * fee);
    assert_eq!(sum_by(&movements, "partial_credit"), -1000);
    assert_eq!(sum_by(&movements, "cancellation"), -2395);
    let totals = &st["totals"][0];
    assert_eq!(totals["currency"], "EUR");
    assert_eq!(totals["receivables"], 3 * 2395);
    assert_eq!(totals["payout"], 3 * 2395 - 3 * fee - 1000 - 2395);
    // Reconciliation: the claims BillPay still holds are exactly the orders' current totals.
    let held = sum_by(&movements, "receivable")
        + sum_by(&movements, "partial_credit")
        + sum_by(&movements, "cancellation");
    let orders = sb.get_json("/control/orders");
    let open_claims: i64 = orders["orders"]
        .as_array()
        .expect("orders")
        .iter()
        .filter(|o| {
            o["status"] == "activated" && o["activatedOn"].as_str().unwrap_or("") < "2026-02-09"
        })
        .map(|o| o["totalGross"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(held, open_claims);
    assert_eq!(open_claims, 2395 + 1395);

    // Week 7 holds only S-5.
    let st7 = sb.get_json("/control/statement?week=2026-02-11");
    assert_eq!(st7["week"], "2026-W07");
    let m7 = st7["movements"].as_array().expect("movements");
    assert_eq!(sum_by(m7, "receivable"), 2395);
    assert!(m7.iter().all(|m| m["reference"] == "S-5"));

    // The CSV download (back-office, HTTP Basic) has the same lines plus the payout, summing to 0.
    let basic = "Basic NDQ0MToxMjM0NTY3OA=="; // 4441:12345678
    let r = sb.request(
        "GET",
        "/admin/statements.csv?week=2026-W06",
        &[("Authorization", basic)],
        b"",
    );
    assert_eq!(r.status, 200);
    assert!(r
        .header("Content-Type")
        .unwrap_or("")
        .starts_with("text/csv"));
    assert!(r
        .header("Content-Disposition")
        .unwrap_or("")
        .contains("billpay-statement-4441-2026-W06.csv"));
    let csv = r.text();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,time,type,description,reference,invoice_reference,bptid,currency,amount_cents,amount")
    );
    let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
    assert_eq!(rows.len(), movements.len() + 1);
    let sum: i64 = rows
        .iter()
        .map(|r| r[8].parse::<i64>().expect("cents"))
        .sum();
    assert_eq!(sum, 0, "the payout carries the week's balance");
    let payout = rows.last().expect("payout");
    assert_eq!(payout[2], "payout");
    assert_eq!(payout[0], "2026-02-09");
    assert!(rows
        .iter()
        .any(|r| r[5] == "BPS-2/4441" && r[2] == "partial_credit"));
    // The JSON download equals the control view.
    let r = sb.request(
        "GET",
        "/admin/statements.json?week=2026-W06",
        &[("Authorization", basic)],
        b"",
    );
    let json: Value = serde_json::from_str(&r.text()).expect("json");
    assert_eq!(json, st);
    let wrong = "Basic NDQ0MTp3cm9uZw=="; // 4441:wrong
    assert_eq!(
        sb.request(
            "GET",
            "/admin/statements.json",
            &[("Authorization", wrong)],
            b""
        )
        .status,
        401
    );
    // The HTML statement page lists the weeks and the totals.
    let b = Browser::login(&sb);
    let page = b.get("/admin/statements?week=2026-W06").text();
    assert!(page.contains("Weekly statement 2026-W06"));
    assert!(page.contains("2026-W07"));
    assert!(page.contains("Download CSV"));
    // A week that does not exist is said to be one, as the downloads say it.
    let missing = b.get("/admin/statements?week=2025-W53");
    assert_eq!(missing.status, 400);
    assert!(missing
        .text()
        .contains("week must be YYYY-Www or YYYY-MM-DD"));
    assert_eq!(b.get("/admin/statements.csv?week=2025-W53").status, 400);

    // Three weeks later, an order whose reference starts with "-" (a
    // reference character): the CSV keeps it as it is, and the week list
    // shows the weeks with lines only (not W08 and W09).
    sb.set_clock("2026-03-04T10:00:00");
    create_order(&sb, "-R1");
    activate(&sb, "-R1", 2395, 0).assert_ok();
    let csv = sb
        .request(
            "GET",
            "/admin/statements.csv?week=2026-W10",
            &[("Authorization", basic)],
            b"",
        )
        .text();
    let rows: Vec<Vec<String>> = csv.lines().skip(1).map(split_csv).collect();
    assert!(
        rows.iter().any(|r| r[4] == "-R1" && r[5] == "BP-R1/4441"),
        "{csv}"
    );
    let page = b.get("/admin/statements?week=2026-W10").text();
    let listed = page
        .split("Weeks with movements")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("week list");
    for week in ["2026-W10", "2026-W07", "2026-W06"] {
        assert!(listed.contains(week), "{week}: {listed}");
    }
    for week in ["2026-W08", "2026-W09"] {
        assert!(!listed.contains(week), "{week}: {listed}");
    }
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[test]
fn help_documents_every_option() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_billpay-sandbox"))
        .arg("--help")
        .output()
        .expect("run --help");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--host",
        "--port",
        "--db",
        "--now",
        "--merchant",
        "--config",
        "--no-default-merchant",
        "--enable-control",
        "--quiet",
        "--help",
        "--version",
    ] {
        assert!(help.contains(option), "{option} documented");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_billpay-sandbox"))
        .arg("--bogus")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_billpay-sandbox"))
        .args(["--merchant", "1:2:k:25"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "a 25-day term is refused");
}

#[test]
fn index_and_health() {
    let sb = Sandbox::start_plain(&[]);
    assert!(sb.request("GET", "/", &[], b"").text().contains("/admin"));
    assert_eq!(sb.request("GET", "/health", &[], b"").status, 200);
    assert_eq!(sb.request("GET", "/nothing", &[], b"").status, 404);
}

#[test]
fn a_direct_debit_order_shows_the_customers_account_not_a_transfer_account() {
    let sb = Sandbox::start(&["--now", "2026-03-02"]);
    let xml = preauthorize_xml_full(
        &default_params(),
        &Customer::herbert(),
        &CartSpec::fixture(),
        "DEBIT-1",
        true,
        1,
        2,
    )
    .replace(
        "<total ",
        "<bank_account accountholder=\"Herbert &lt;Tester&gt;\" accountnumber=\"DE89370400440532013000\" sortcode=\"COBADEFFXXX\"/><total ",
    );
    sb.post_xml("preauthorize", &xml).assert_ok();
    create_order(&sb, "INVOICE-1");
    let o = sb.order("DEBIT-1");
    assert_eq!(o["order"]["paymentType"], "directDebit");
    assert_eq!(
        o["order"]["debitAccount"],
        serde_json::json!({"accountHolder": "Herbert <Tester>", "accountNumber": "DE89370400440532013000", "sortCode": "COBADEFFXXX"})
    );
    assert_eq!(sb.order("INVOICE-1")["order"]["debitAccount"], Value::Null);

    let b = Browser::login(&sb);
    let debit = b
        .get(&format!("/admin/orders/{}", order_id(&sb, "DEBIT-1")))
        .text();
    assert!(debit.contains("<h2>Direct debit</h2>"), "{debit}");
    assert!(!debit.contains("Bank data for the invoice"));
    assert!(debit.contains("Herbert &lt;Tester&gt;") && !debit.contains("<Tester>"));
    // The account's end only, never the whole IBAN, nor BillPay's account for the order.
    assert!(debit.contains("…3000") && !debit.contains("DE89"));
    let billpay = sb.order("DEBIT-1")["order"]["bankAccount"]["iban"]
        .as_str()
        .expect("iban")
        .to_string();
    assert!(!debit.contains(&billpay[..8]));
    assert!(debit.contains("COBADEFFXXX") && debit.contains("BPDEBIT-1/4441"));
    let invoice = b
        .get(&format!("/admin/orders/{}", order_id(&sb, "INVOICE-1")))
        .text();
    assert!(
        invoice.contains("Bank data for the invoice") && !invoice.contains("<h2>Direct debit</h2>")
    );
}

#[test]
fn a_business_order_shows_its_company() {
    let sb = Sandbox::start(&["--now", "2026-03-02"]);
    let business = Customer {
        group: "b",
        ..Customer::herbert()
    };
    let xml = preauthorize_xml_full(
        &default_params(),
        &business,
        &CartSpec::fixture(),
        "B2B-1",
        true,
        1,
        1,
    )
    .replace(
        "<total ",
        "<company_details name=\"Tester &amp; Söhne GmbH\" legalForm=\"gmbh\" registerNumber=\"HRB 1\" holderName=\"\" taxNumber=\"\"/><total ",
    );
    sb.post_xml("preauthorize", &xml).assert_ok();
    create_order(&sb, "PRIVATE-1");
    assert_eq!(
        sb.order("B2B-1")["order"]["customer"]["company"],
        "Tester & Söhne GmbH"
    );
    assert_eq!(sb.order("PRIVATE-1")["order"]["customer"]["company"], "");
    let b = Browser::login(&sb);
    let list = b.get("/admin/orders?q=s%C3%B6hne").text();
    assert!(
        list.contains("Herbert Tester (Tester &amp; Söhne GmbH)"),
        "{list}"
    );
    assert!(!list.contains("PRIVATE-1"));
    let detail = b
        .get(&format!("/admin/orders/{}", order_id(&sb, "B2B-1")))
        .text();
    assert!(
        detail.contains("Herbert Tester (Tester &amp; Söhne GmbH) · "),
        "{detail}"
    );
}

#[test]
fn the_oldest_orders_stay_findable_behind_five_thousand_newer_ones() {
    // The oldest orders are the ones nearest their two-month deadline: the
    // list's filters must reach them however many orders came after.
    let sb = Sandbox::start(&["--now", "2026-03-02"]);
    create_order(&sb, "OLDEST-ORDER");
    sb.set_clock("2026-04-25");
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let sb = &sb;
            scope.spawn(move || {
                for i in 0..1250 {
                    create_order(sb, &format!("NEWER-{thread}-{i}"));
                }
            });
        }
    });
    let b = Browser::login(&sb);
    let search = b.get("/admin/orders?q=oldest-order").text();
    assert!(search.contains("OLDEST-ORDER"), "found by search");
    let expiring = b.get("/admin/orders?expiring=1").text();
    assert!(expiring.contains("OLDEST-ORDER"), "in the expiring filter");
}
