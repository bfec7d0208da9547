use super::*;
use crate::cart::Cart;

fn creds() -> Credentials {
    Credentials::new(4441, 6021, "12345678")
}

#[test]
fn bpsecure_is_the_md5_of_the_key() {
    // The three digests quoted in the reference notes.
    assert_eq!(creds().bpsecure, "25d55ad283aa400af464c76d713c07ad");
    assert_eq!(
        Credentials::new(2, 3, "test4testing").bpsecure,
        "0d48732f425b6df88c58244d6882369e"
    );
    assert_eq!(
        Credentials::new(1, 1, "").bpsecure,
        "d41d8cd98f00b204e9800998ecf8427e"
    );
}

#[test]
fn invoice_created_request_has_the_documented_shape() {
    let request = Request::InvoiceCreated {
        reference: "ORDER-12345678".into(),
        amount: Amount::from_cents(2395).unwrap(),
        currency: Currency::Eur,
        delay_days: 2,
    };
    let xml = request.to_xml(Some(&creds())).unwrap();
    assert_eq!(
        xml,
        r#"<?xml version="1.0" encoding="UTF-8"?><data api_version="1.6.1"><default_params mid="4441" pid="6021" bpsecure="25d55ad283aa400af464c76d713c07ad"/><invoice_params carttotalgross="2395" currency="EUR" reference="ORDER-12345678" delayindays="2"/></data>"#
    );
    let without = request.to_xml(None).unwrap();
    assert!(!without.contains("default_params"));
}

#[test]
fn edit_cart_sends_the_complete_cart_in_cents() {
    // OMNI's preauthorize fixture cart: 1×500 + 3×500 + 495 − 100 = 2395.
    let cart = Cart::from_json(r#"{"articles":[{"articleId":"1","name":"Item <1> & \"co\"","quantity":1,"unitNet":"4.20","unitGross":"5.00"},{"articleId":"2","name":"Item 2","quantity":3,"unitNet":"4.20","unitGross":"5.00"}],"shipping":{"name":"Shipping","net":"4.16","gross":"4.95"},"rebate":{"net":"0.84","gross":"1.00"}}"#).unwrap();
    let xml = Request::EditCartContent {
        reference: "ORDER-1".into(),
        currency: Currency::Eur,
        cart,
    }
    .to_xml(Some(&creds()))
    .unwrap();
    assert!(xml.contains(r#"<total shippingname="Shipping" shippingprice="416" shippingpricegross="495" rebate="84" rebategross="100" carttotalprice="2012" carttotalpricegross="2395" currency="EUR" reference="ORDER-1"/>"#), "{xml}");
    assert!(
        xml.contains(r#"articlename="Item &lt;1&gt; &amp; &quot;co&quot;""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<article articleid="2" articlequantity="3" articlename="Item 2" articleprice="420" articlepricegross="500"/>"#));
    // Round trip through the parser: every value comes back unescaped.
    let root = parse_document(&xml).unwrap();
    let article = root.child("article_data").unwrap().children[0].clone();
    assert_eq!(article.attribute("articlename"), Some(r#"Item <1> & "co""#));
}

#[test]
fn activation_response_gives_bank_data_with_due_date() {
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<data error_code="0" customer_message="" merchant_message="">
  <invoice_bank_account account_holder="BillPay GmbH" account_number="DE07123412341234123412" bank_code="BELADEBEXXX" bank_name="Sparkasse Berlin" invoice_reference="BP555666777/9999" invoice_duedate="20150501" activation_performed="1"/>
</data>"#;
    let response = parse_response(text).unwrap();
    let account = response.bank_account().unwrap().unwrap();
    assert_eq!(account.due_date.unwrap().to_string(), "2015-05-01");
    assert!(account.activated);
    assert_eq!(account.invoice_reference, "BP555666777/9999");
    assert_eq!(account.iban.as_str(), "DE07123412341234123412");
}

#[test]
fn capture_response_without_due_date_is_not_activated() {
    let text = r#"<data error_code="0"><invoice_bank_account account_holder="BillPay GmbH" account_number="DE07123412341234123412" bank_code="BELADEBEXXX" bank_name="Sparkasse" invoice_reference="BP1/9999" invoice_duedate="" activation_performed="0"/></data>"#;
    let account = parse_response(text)
        .unwrap()
        .bank_account()
        .unwrap()
        .unwrap();
    assert!(!account.activated);
    assert_eq!(account.due_date, None);
}

#[test]
fn bank_data_that_says_it_is_not_activated_is_not_activated() {
    // A due date alone makes an answer activated only without BillPay's flag.
    let answer = |flag: &str| {
        format!(
            r#"<data error_code="0"><invoice_bank_account account_holder="BillPay GmbH" account_number="DE07123412341234123412" bank_code="BELADEBEXXX" bank_name="Sparkasse" invoice_reference="BP1/9999" invoice_duedate="20260301"{flag}/></data>"#
        )
    };
    let activated = |flag: &str| {
        parse_response(&answer(flag))
            .unwrap()
            .bank_account()
            .unwrap()
            .unwrap()
            .activated
    };
    assert!(!activated(r#" activation_performed="0""#));
    assert!(activated(r#" activation_performed="1""#));
    assert!(activated(""));
}

#[test]
fn errors_carry_code_and_both_messages() {
    let text = r#"<data status="DENIED" error_code="12345" customer_message="Bitte wählen Sie eine andere Zahlart." merchant_message="Risk check &amp; limit"/>"#;
    let e = parse_response(text).unwrap_err();
    assert_eq!(e.code, ErrorCode::PreauthorizationDenied);
    assert_eq!(e.api_code, Some(12345));
    assert_eq!(e.merchant_message.as_deref(), Some("Risk check & limit"));
    assert!(!e.retryable);
    let e = parse_response(r#"<data error_code="105" customer_message="c" merchant_message="m"/>"#)
        .unwrap_err();
    assert_eq!((e.code, e.api_code), (ErrorCode::ApiError, Some(105)));
}

#[test]
fn validation_errors_say_which_fields_to_correct() {
    // Library 1.5.14: one `error` per refused field under `validation_errors`.
    let text = r#"<data error_code="31" customer_message="Bitte prüfen Sie Ihre Angaben." merchant_message="validation failed"><validation_errors><error customer_message="Die Postleitzahl ist ungültig." merchant_message="zip: invalid"/><error customer_message="" merchant_message="phone: too long"/></validation_errors></data>"#;
    let e = parse_response(text).unwrap_err();
    assert_eq!(
        e.customer_message.as_deref(),
        Some("Bitte prüfen Sie Ihre Angaben. Die Postleitzahl ist ungültig.")
    );
    assert_eq!(
        e.merchant_message.as_deref(),
        Some("validation failed: zip: invalid; phone: too long")
    );
    assert_eq!(
        e.message,
        "BillPay answered error 31: validation failed: zip: invalid; phone: too long"
    );
    // Without a message of its own, the answer's are the fields'.
    let e = parse_response(r#"<data error_code="31" customer_message="" merchant_message=""><validation_errors><error merchant_message="zip: invalid"/></validation_errors></data>"#).unwrap_err();
    assert_eq!(e.merchant_message.as_deref(), Some("zip: invalid"));
    // A field's sentence does not change how the list goes on.
    let e = parse_response(r#"<data error_code="31" customer_message="" merchant_message="validation failed"><validation_errors><error merchant_message="zip: invalid."/><error merchant_message="phone: too long"/></validation_errors></data>"#).unwrap_err();
    assert_eq!(
        e.merchant_message.as_deref(),
        Some("validation failed: zip: invalid.; phone: too long")
    );
    assert_eq!(e.customer_message.as_deref(), Some(""));
}

#[test]
fn broken_answers_are_invalid_responses() {
    for text in [
        "",
        "   ",
        "<data",
        "<data error_code=\"0\"><x></data>",
        "<other error_code=\"0\"/>",
        "<data/>",
        "<data error_code=\"x\"/>",
        "<!DOCTYPE data [<!ENTITY a \"b\">]><data error_code=\"0\"/>",
        "<a/><b/>",
        "not xml at all",
    ] {
        let e = parse_response(text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{text:?}");
        assert!(e.retryable);
    }
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    assert_eq!(
        parse_document(&deep).unwrap_err().code,
        ErrorCode::InvalidResponse
    );
}

#[test]
fn credentials_are_injected_and_foreign_ones_dropped() {
    let request = r#"<?xml version="1.0"?><data api_version="1.6.1"><default_params mid="1" pid="1" bpsecure="evil"/><cancel_params reference="R&amp;1" carttotalgross="100" currency="EUR"/></data>"#;
    let out = inject_credentials(request, &creds()).unwrap();
    assert_eq!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8"?><data api_version="1.6.1"><default_params mid="4441" pid="6021" bpsecure="25d55ad283aa400af464c76d713c07ad"/><cancel_params reference="R&amp;1" carttotalgross="100" currency="EUR"/></data>"#
    );
    assert_eq!(
        inject_credentials("<x/>", &creds()).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        inject_credentials("garbage", &creds()).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    // The relay reads a request, not an answer.
    assert_eq!(
        inject_credentials("  ", &creds()).unwrap_err().message,
        "the request is empty"
    );
}

#[test]
fn nothing_but_white_space_comments_and_instructions_outside_the_root() {
    for text in [
        r#"<data error_code="0"/>garbage"#,
        r#"junk<data error_code="0"/>"#,
        r#"<data error_code="0"/><![CDATA[x]]>"#,
        r#"<data error_code="0"/>&amp;"#,
    ] {
        let e = parse_document(text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{text}");
    }
    let fine = "<?xml version=\"1.0\"?>\n<!-- BillPay -->\n<data error_code=\"0\"/>\r\n<?done?>\n";
    assert_eq!(parse_document(fine).unwrap().name, "data");
}

#[test]
fn tabs_and_line_breaks_keep_their_meaning_through_the_relay() {
    // Written raw, a reader would turn them into spaces.
    let request = r#"<data><update_params reference="a&#10;b&#9;c&#13;d" bptid="x"/></data>"#;
    let out = inject_credentials(request, &creds()).unwrap();
    assert!(out.contains(r#"reference="a&#10;b&#9;c&#13;d""#), "{out}");
    let again = parse_document(&out).unwrap();
    let params = again.child("update_params").unwrap();
    assert_eq!(params.attribute("reference"), Some("a\nb\tc\rd"));
    let mut plain = String::new();
    push_attribute_value(&mut plain, "<\"&'>\u{e9}\n");
    assert_eq!(plain, "&lt;&quot;&amp;&apos;&gt;\u{e9}&#10;");
}

#[test]
fn only_idempotent_services_are_repeated() {
    assert!(Service::InvoiceCreated.safe_to_repeat());
    assert!(Service::Cancel.safe_to_repeat());
    assert!(Service::EditCartContent.safe_to_repeat());
    assert!(Service::GetBillPayBankData.safe_to_repeat());
    assert!(!Service::Preauthorize.safe_to_repeat());
    assert!(!Service::Capture.safe_to_repeat());
    assert!(!Service::UpdateOrder.safe_to_repeat());
    for s in Service::ALL {
        assert_eq!(Service::parse(s.name()), Some(s));
    }
}

/// `<data error_code="0" a0="0" a1="1" …/>` with `count` attributes.
fn many_attributes(count: usize, element: &str) -> String {
    let mut text = format!(r#"<{element} error_code="0""#);
    for i in 0..count {
        let _ = write!(text, r#" a{i}="{i}""#);
    }
    text.push_str("/>");
    text
}

#[test]
fn attribute_counts_up_to_the_document_limit_are_read_in_one_pass() {
    // The issue's 5 900 attributes (58 KB, inside the relay's 64 KiB), and as
    // many as fit into the 1 MiB document limit: quick-xml's own duplicate
    // check compared each attribute with every earlier one (1.7 s at 208 KB).
    for count in [5_900, 20_000, 70_000] {
        let answer = many_attributes(count, "data");
        assert!(answer.len() <= MAX_DOCUMENT, "{}", answer.len());
        let response = parse_response(&answer).unwrap();
        assert_eq!(response.root.attributes.len(), count + 1);
        assert_eq!(
            response.attribute(&format!("a{}", count - 1)),
            Some(&*(count - 1).to_string())
        );
        let request = format!("<data>{}</data>", many_attributes(count, "cancel_params"));
        let out = inject_credentials(&request, &creds()).unwrap();
        assert!(out.contains(&format!(r#" a{}="{}""#, count - 1, count - 1)));
    }
}

#[test]
fn duplicate_attributes_are_refused() {
    let late = format!(
        "{}/>",
        many_attributes(5_000, "data")
            .trim_end_matches("/>")
            .to_owned()
            + r#" a4999="x""#
    );
    for text in [
        r#"<data error_code="0" error_code="1"/>"#,
        r#"<data error_code="0"><invoice_bank_account account_number="DE1" account_number="DE2"/></data>"#,
        late.as_str(),
    ] {
        let e = parse_response(text).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{text:.80}");
        assert!(e.message.contains("appears twice"), "{}", e.message);
        let e = inject_credentials(text, &creds()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }
    // The same name on different elements is fine.
    assert!(parse_response(r#"<data error_code="0"><a x="1"/><b x="2"/></data>"#).is_ok());
}

fn preauthorize(payment: Payment) -> Request {
    let cart = Cart::from_json(r#"{"articles":[{"articleId":"1","name":"Item","quantity":2,"unitNet":"4.20","unitGross":"5.00"}],"shipping":{"name":"DHL","net":"4.16","gross":"4.95"},"rebate":{"net":"0.00","gross":"0.00"}}"#).unwrap();
    Request::Preauthorize {
        notify_url: None,
        redirect_url: None,
        auto_capture: true,
        payment,
        customer: Box::new(Customer {
            customer_id: String::new(),
            customer_type: 'g',
            salutation: "Frau".into(),
            title: String::new(),
            first_name: "Erika".into(),
            last_name: "Mustermann".into(),
            street: "Heidestraße".into(),
            street_no: "17".into(),
            address_addition: String::new(),
            zip: "51147".into(),
            city: "Köln".into(),
            country: Country::De,
            email: "erika@example.com".into(),
            phone: String::new(),
            birthday: Date::parse_iso_at("1985-09-11", "birthday").ok(),
            language: "de".into(),
            ip: String::new(),
            group: 'p',
            company: None,
        }),
        shipping: None,
        cart,
        currency: Currency::Eur,
        reference: "1001".into(),
    }
}

#[test]
fn an_invoice_preauthorization_is_paymenttype_1_without_an_account() {
    let xml = preauthorize(Payment::Invoice)
        .to_xml(Some(&creds()))
        .unwrap();
    assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><data api_version="1.6.1" tcaccepted="1" expecteddaystillshipping="0" capturerequestnecessary="0" paymenttype="1"><default_params "#), "{xml}");
    assert!(!xml.contains("bank_account"), "{xml}");
}

#[test]
fn a_direct_debit_sends_paymenttype_2_and_the_customers_account() {
    // As BillPay's clients sent it: the IBAN in `accountnumber`, the BIC in
    // `sortcode` (empty without one, like Omnipay's fixture), after the
    // shipping details and before the cart (the library's order).
    let account = |holder: &str, iban: &str, bic: Option<&str>| {
        Payment::DirectDebit(DebitAccount {
            holder: holder.into(),
            iban: Iban::parse(iban).unwrap(),
            bic: bic.map(|b| Bic::parse(b).unwrap()),
        })
    };
    let xml = preauthorize(account(
        "Erika Mustermann & \"Söhne\"",
        "de89 3704 0044 0532 0130 00",
        Some("cobadeffxxx"),
    ))
    .to_xml(Some(&creds()))
    .unwrap();
    assert!(xml.contains(r#" paymenttype="2">"#), "{xml}");
    let expected = r#"<shipping_details useBillingAddress="1"/><bank_account accountholder="Erika Mustermann &amp; &quot;Söhne&quot;" accountnumber="DE89370400440532013000" sortcode="COBADEFFXXX"/><total "#;
    assert!(xml.contains(expected), "{xml}");
    let root = parse_document(&xml).unwrap();
    let element = root.child("bank_account").unwrap();
    assert_eq!(
        element.attribute("accountholder"),
        Some(r#"Erika Mustermann & "Söhne""#)
    );
    let without_bic = preauthorize(account("Anna Huber", "DE89370400440532013000", None))
        .to_xml(None)
        .unwrap();
    assert!(without_bic.contains(r#"<bank_account accountholder="Anna Huber" accountnumber="DE89370400440532013000" sortcode=""/>"#), "{without_bic}");
}

// The asynchronous capture callback (reference §2.13), shaped as BillPay's
// modules document it (MS `billpayBase::ParseCallback`).
const APPROVED_CALLBACK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<data bptid="2e482026-4fde-4a13-a2bd-07d254494762" customer_message="" error_code="0" merchant_message="" reference="33" status="APPROVED">
    <default_params bpsecure="" mid="" pid=""/>
    <corrected_address city="" country="" street="" streetNo="" zip=""/>
    <invoice_bank_account account_holder="BillPay GmbH" account_number="DE89370400440532013000" activation_performed="0"
        bank_code="COBADEFFXXX" bank_name="Commerzbank" invoice_duedate="" invoice_reference="BP33/4441"/>
</data>"#;

#[test]
fn an_approved_callback_gives_the_order_and_its_bank_data() {
    let callback = parse_capture_callback(APPROVED_CALLBACK, None).unwrap();
    assert_eq!(callback.status, CallbackStatus::Approved);
    assert_eq!(callback.reference, "33");
    assert_eq!(callback.api_code, 0);
    assert_eq!(callback.customer_message, None);
    let account = callback.bank_account.unwrap();
    assert_eq!(account.invoice_reference, "BP33/4441");
    assert!(!account.activated);
    assert_eq!(account.due_date, None);
}

#[test]
fn without_an_invoice_reference_the_customer_quotes_bp_order_merchant() {
    let body = APPROVED_CALLBACK.replace(r#" invoice_reference="BP33/4441""#, "");
    let callback = parse_capture_callback(&body, Some(4441)).unwrap();
    assert_eq!(
        callback.bank_account.unwrap().invoice_reference,
        "BP33/4441"
    );
    let error = parse_capture_callback(&body, None).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidResponse);
    assert!(error.message.contains("merchant id"), "{}", error.message);
}

#[test]
fn a_denial_or_an_error_code_is_denied_with_both_messages() {
    let denied = r#"<data error_code="0" status="DENIED" reference="34" customer_message="Bitte wählen Sie eine andere Zahlart." merchant_message="score too low"/>"#;
    let callback = parse_capture_callback(denied, Some(4441)).unwrap();
    assert_eq!(callback.status, CallbackStatus::Denied);
    assert_eq!(callback.bank_account, None);
    assert_eq!(
        callback.customer_message.as_deref(),
        Some("Bitte wählen Sie eine andere Zahlart.")
    );
    assert_eq!(callback.merchant_message.as_deref(), Some("score too low"));
    // An error code is no approval, whatever the status says.
    let failed = r#"<data error_code="12" status="APPROVED" reference="35" merchant_message="timeout">
        <invoice_bank_account account_holder="BillPay GmbH" account_number="DE89370400440532013000" bank_code="COBADEFFXXX" bank_name="Commerzbank" invoice_reference="BP35/4441"/></data>"#;
    let callback = parse_capture_callback(failed, Some(4441)).unwrap();
    assert_eq!(callback.status, CallbackStatus::Denied);
    assert_eq!(callback.api_code, 12);
    assert_eq!(callback.bank_account, None);
}

#[test]
fn a_callback_that_is_not_one_is_refused_for_good() {
    for (body, words) in [
        ("", "the callback is empty"),
        ("<html><body>hi</body></html>", "expected a <data> callback"),
        (
            r#"<data status="APPROVED" reference="1"/>"#,
            "no error_code",
        ),
        (
            r#"<data error_code="x" status="APPROVED" reference="1"/>"#,
            "is not a number",
        ),
        (
            r#"<data error_code="0" status="APPROVED"/>"#,
            "names no order",
        ),
        (
            r#"<data error_code="0" status="PRE_APPROVED" reference="1"/>"#,
            "\"APPROVED\" or \"DENIED\"",
        ),
        (
            r#"<data error_code="0" status="APPROVED" reference="1"><invoice_bank_account account_holder="x" account_number="DE00" bank_code="" bank_name="" invoice_reference="BP1/2"/></data>"#,
            "bank data is not usable",
        ),
        (
            r#"<data error_code="0" status="APPROVED" reference="1"/>trailing"#,
            "text outside the root",
        ),
        (
            r#"<data error_code="0" status="APPROVED" reference="a b&lt;c&gt;"/>"#,
            "the callback's reference is no order number: an order number may contain only",
        ),
    ] {
        let error = parse_capture_callback(body, Some(4441)).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidResponse, "{body}");
        assert!(!error.retryable, "{body}");
        assert!(error.message.contains(words), "{body}: {}", error.message);
    }
}

#[test]
fn the_relay_passes_on_the_urls_of_an_async_capture_request() {
    // BillPay's library writes them as CDATA text (`set_async_capture`).
    let request = r#"<data api_version="1.6.1"><preauthorize_params requestedpaymenttype="1"/><async_capture_request><redirect_url><![CDATA[https://shop.example/back?o=1&t=2]]></redirect_url><notify_url><![CDATA[https://shop.example/billpay?token=s3cret]]></notify_url></async_capture_request></data>"#;
    let out = inject_credentials(request, &creds()).unwrap();
    assert!(
        out.ends_with(r#"<async_capture_request><redirect_url><![CDATA[https://shop.example/back?o=1&t=2]]></redirect_url><notify_url><![CDATA[https://shop.example/billpay?token=s3cret]]></notify_url></async_capture_request></data>"#),
        "{out}"
    );
    // Text written with references, and CDATA that holds "]]>", read back the same.
    let request = r#"<data><x>a&amp;b&#65;&lt;</x><y><![CDATA[1]]]]><![CDATA[>2]]></y><z>
    </z></data>"#;
    let out = inject_credentials(request, &creds()).unwrap();
    assert!(out.contains("<x><![CDATA[a&bA<]]></x>"), "{out}");
    assert!(
        out.contains("<y><![CDATA[1]]]]><![CDATA[>2]]></y>"),
        "{out}"
    );
    // White space alone is layout, not a value.
    assert!(out.contains("<z/>"), "{out}");
    let again = parse_document(&out).unwrap();
    assert_eq!(again.child("y").and_then(Element::text), Some("1]]>2"));
    assert_eq!(again.child("x").and_then(Element::text), Some("a&bA<"));
}

#[test]
fn text_with_what_xml_cannot_carry_or_unknown_entities_is_refused() {
    let e = inject_credentials("<data><x>&#1;</x></data>", &creds()).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert_eq!(
        e.message,
        "the request contains U+0001, which XML cannot carry"
    );
    let e = parse_document("<data error_code=\"0\"><x>&nbsp;</x></data>").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidResponse);
    assert_eq!(e.message, "malformed XML: unknown entity &nbsp;");
}

#[test]
fn answers_are_utf8_or_declared_iso_8859_1() {
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><data error_code=\"0\" customer_message=\"\" merchant_message=\"\"><invoice_bank_account account_holder=\"BillPay GmbH Z\xfcrich\"/></data>";
    let text = answer_text(latin1);
    assert!(
        text.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#),
        "{text}"
    );
    let response = parse_response(&text).unwrap();
    assert_eq!(
        response
            .root
            .child("invoice_bank_account")
            .unwrap()
            .attribute("account_holder"),
        Some("BillPay GmbH Zürich")
    );
    // The same bytes declared (or taken) as UTF-8 are damaged: refused, not stored.
    for bytes in [
        latin1.replace_ascii("ISO-8859-1", "UTF-8"),
        latin1.replace_ascii("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", ""),
    ] {
        let e = parse_response(&answer_text(&bytes)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse);
        assert!(!e.retryable);
        assert!(e.message.contains("not UTF-8"), "{}", e.message);
    }
    // Read as browsers read the label: windows-1252's euro sign and quotes.
    // ISO-8859-15: Latin-1 but for the euro sign and seven letters.
    let latin9 = answer_text(b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><data error_code=\"0\" customer_message=\"\xa4 5 \xbcuvre \xa6koda Z\xfcrich\" merchant_message=\"\"/>");
    assert_eq!(
        latin9,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><data error_code=\"0\" customer_message=\"€ 5 Œuvre Škoda Zürich\" merchant_message=\"\"/>"
    );
    let euro = answer_text(b"<?xml version='1.0' encoding = 'iso-8859-1' ?><data error_code=\"0\" customer_message=\"\x80 5 \x84Gutschein\x93\" merchant_message=\"\"/>");
    assert_eq!(
        parse_response(&euro).unwrap().attribute("customer_message"),
        Some("€ 5 „Gutschein“")
    );
    // Only the declaration's own encoding attribute counts.
    for other in [
        &b"<?xml version=\"1.0\" xencoding=\"ISO-8859-1\"?><data/>"[..],
        b"<?xml-stylesheet encoding=\"ISO-8859-1\"?><data/>",
        b"<?xml version=\"1.0\"?><data encoding=\"ISO-8859-1\"/>",
    ] {
        assert_eq!(
            answer_text(other),
            String::from_utf8_lossy(other),
            "{}",
            String::from_utf8_lossy(other)
        );
    }
    // A byte-order mark is dropped; UTF-8 stays as it is.
    let utf8 = "\u{feff}<data error_code=\"0\" customer_message=\"Zahlung über BillPay\" merchant_message=\"\"/>";
    assert_eq!(
        parse_response(&answer_text(utf8.as_bytes()))
            .unwrap()
            .attribute("customer_message"),
        Some("Zahlung über BillPay")
    );
}

#[test]
fn error_codes_are_digits() {
    for code in ["+0", "-0", "0x0", " 0 0"] {
        let e = parse_response(&format!(
            r#"<data error_code="{code}" customer_message="" merchant_message=""/>"#
        ))
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{code}");
    }
    assert!(
        parse_response(r#"<data error_code=" 0 " customer_message="" merchant_message=""/>"#)
            .is_ok()
    );
}

/// `replace` on bytes, for the tests' ASCII edits.
trait ReplaceAscii {
    fn replace_ascii(&self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceAscii for [u8] {
    fn replace_ascii(&self, from: &str, to: &str) -> Vec<u8> {
        let at = self
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap();
        [&self[..at], to.as_bytes(), &self[at + from.len()..]].concat()
    }
}

#[test]
fn an_html_page_is_named_as_one() {
    for page in [
        "<!DOCTYPE html><html><body>Login</body></html>",
        "\n  <html lang=\"de\"><head><title>502</title></head></html>",
        "<!doctype HTML>",
    ] {
        let e = parse_response(page).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidResponse);
        assert!(
            e.message.starts_with("the answer is an HTML page"),
            "{}",
            e.message
        );
    }
}
