//! Texts and number/date formats for de, en, fr, it, nl.
//!
//! Formatting is done here, not with `Intl`, so the same input gives the same
//! bytes in every browser and in Node (ICU data differs between engines and
//! versions; an invoice must not change with the reader's browser).

use crate::date::Date;
use crate::error::ErrorCode;
use crate::money::{Amount, Currency};
use crate::prelude::*;

crate::string_enum! {
    pub enum Locale => "Locale", ErrorCode::UnsupportedLocale,
        "locale is one of \"de\", \"en\", \"fr\", \"it\", \"nl\"," {
        De = "de",
        En = "en",
        Fr = "fr",
        It = "it",
        Nl = "nl",
    }
}

impl Locale {
    pub fn tag(self) -> &'static str {
        self.as_str()
    }

    /// The language BillPay's customers in `country` read when nothing else
    /// is said: Dutch in NL, German in DE, AT and CH (BillPay's Swiss
    /// documents are German).
    pub fn of_country(country: crate::block::Country) -> Locale {
        match country {
            crate::block::Country::Nl => Locale::Nl,
            _ => Locale::De,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::De => &DE,
            Locale::En => &EN,
            Locale::Fr => &FR,
            Locale::It => &IT,
            Locale::Nl => &NL,
        }
    }
}

/// No-break space: keeps "1 234,56 EUR" on one line.
const NBSP: char = '\u{a0}';

/// Formats an amount with its currency code.
///
/// EUR follows the locale's own convention; CHF amounts use the Swiss
/// convention (CLDR de-CH: U+2019 apostrophe grouping, decimal point) in every
/// language, as Swiss customers read them on every Swiss invoice.
pub fn format_amount(amount: Amount, currency: Currency, locale: Locale) -> String {
    let (units, cents) = amount.split();
    // (code before?, grouping, decimal separator)
    let (code_first, grouping, decimal) = match (currency, locale) {
        (Currency::Chf, _) => (true, '\u{2019}', '.'),
        (Currency::Eur, Locale::De | Locale::It) => (false, '.', ','),
        (Currency::Eur, Locale::Fr) => (false, NBSP, ','),
        (Currency::Eur, Locale::Nl) => (true, '.', ','),
        (Currency::Eur, Locale::En) => (true, ',', '.'),
    };
    let mut out = String::with_capacity(24);
    if code_first {
        out.push_str(currency.code());
        out.push(NBSP);
    }
    push_grouped(&mut out, units, Some(grouping));
    out.push(decimal);
    push_two_digits(&mut out, cents);
    if !code_first {
        out.push(NBSP);
        out.push_str(currency.code());
    }
    out
}

/// Appends a non-negative integer, with a separator every three digits if given.
fn push_grouped(out: &mut String, units: i64, separator: Option<char>) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = units.unsigned_abs();
    loop {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (rest % 10) as u8;
        }
        len += 1;
        rest /= 10;
        if rest == 0 || len == digits.len() {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits.get(i).copied().unwrap_or(b'0')));
        if let (true, Some(separator)) = (i > 0 && i % 3 == 0, separator) {
            out.push(separator);
        }
    }
}

fn push_two_digits(out: &mut String, value: impl Into<i64>) {
    let value = value.into().rem_euclid(100);
    out.push(char::from(b'0' + (value / 10) as u8));
    out.push(char::from(b'0' + (value % 10) as u8));
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a date the way each language writes dates on invoices.
pub fn format_date(date: Date, locale: Locale) -> String {
    let Date { year, month, day } = date;
    let mut out = String::with_capacity(20);
    let numeric = |out: &mut String, separator: char| {
        push_two_digits(out, day);
        out.push(separator);
        push_two_digits(out, month);
        out.push(separator);
        push_grouped(out, i64::from(year), None);
    };
    match locale {
        Locale::De => numeric(&mut out, '.'),
        Locale::Fr | Locale::It => numeric(&mut out, '/'),
        Locale::Nl => numeric(&mut out, '-'),
        // Day-month-year with the month's name: "03/04/2026" is read two ways
        // by English speakers.
        Locale::En => {
            if day >= 10 {
                out.push(char::from(b'0' + day / 10));
            }
            out.push(char::from(b'0' + day % 10));
            out.push(' ');
            out.push_str(
                EN_MONTHS
                    .get(usize::from(month).saturating_sub(1))
                    .copied()
                    .unwrap_or(""),
            );
            out.push(' ');
            push_grouped(&mut out, i64::from(year), None);
        }
    }
    out
}

/// Every sentence and label the block and the checkout notice print.
/// `{amount}` and `{date}` are placeholders.
#[cfg_attr(test, derive(Debug))]
pub struct Texts {
    pub caption: &'static str,
    pub thanks_invoice: &'static str,
    pub thanks_direct_debit: &'static str,
    pub thanks_paylater: &'static str,
    pub thanks_transaction_credit: &'static str,
    pub pay_until: &'static str,
    pub pay_within_term: &'static str,
    pub not_activated: &'static str,
    pub post_office_ch: &'static str,
    pub direct_debit: &'static str,
    pub paylater: &'static str,
    pub transaction_credit: &'static str,
    pub transaction_credit_transfer: &'static str,
    pub label_payee: &'static str,
    pub label_iban: &'static str,
    pub label_bic: &'static str,
    pub label_bank: &'static str,
    pub label_amount: &'static str,
    pub label_reference: &'static str,
    pub label_due_date: &'static str,
    pub notice_consent: &'static str,
    pub notice_terms: &'static str,
    pub notice_privacy: &'static str,
    pub notice_links: &'static str,
    /// Direct debit: the consent, the SEPA mandate (Austria: with net-m
    /// privatbank 1891 AG, as BillPay's module had it), the creditor
    /// identifiers and the refund right.
    pub notice_consent_debit: &'static str,
    pub notice_mandate: &'static str,
    pub notice_mandate_at: &'static str,
    pub notice_creditor: &'static str,
    pub notice_creditor_at: &'static str,
    pub notice_refund: &'static str,
    pub qr_caption_epc: &'static str,
    pub qr_caption_swiss: &'static str,
    /// The EPC QR code's name: an e-mail's `<img alt>` (shown where images are blocked).
    pub qr_name_epc: &'static str,
}

pub static DE: Texts = Texts {
    caption: "Bankverbindung für Ihre Zahlung",
    thanks_invoice: "Vielen Dank, dass Sie sich für den Kauf auf Rechnung mit BillPay entschieden haben.",
    thanks_direct_debit: "Vielen Dank, dass Sie sich für die Zahlung per Lastschrift mit BillPay entschieden haben.",
    thanks_paylater: "Vielen Dank, dass Sie sich für die Zahlung mit BillPay PayLater entschieden haben.",
    thanks_transaction_credit: "Vielen Dank, dass Sie sich für den Ratenkauf mit BillPay entschieden haben.",
    pay_until: "Bitte überweisen Sie den Betrag von {amount} bis zum {date} unter Angabe des Verwendungszwecks auf das folgende Konto:",
    pay_within_term: "Bitte überweisen Sie den Betrag von {amount} innerhalb der Zahlungsfrist unter Angabe des Verwendungszwecks auf das folgende Konto:",
    not_activated: "Hinweis: Die Bestellung ist bei BillPay noch nicht aktiviert. Die Zahlungsfrist hat noch nicht begonnen, daher steht noch kein Fälligkeitsdatum fest.",
    post_office_ch: "Bei Einzahlung am Postschalter fallen zusätzliche Gebühren an. Bitte überweisen Sie in diesem Fall zusätzlich {amount}.",
    direct_debit: "Der Betrag von {amount} wird in den nächsten Tagen von der BillPay GmbH von dem bei der Bestellung angegebenen Konto abgebucht. BillPay teilt Ihnen das Datum der Abbuchung per E-Mail mit.",
    paylater: "Der Gesamtbetrag von {amount} (inklusive der PayLater-Gebühr) wird in monatlichen Raten von Ihrem Konto abgebucht. Ihren Ratenplan erhalten Sie von BillPay per E-Mail.",
    transaction_credit: "Die Raten für den Betrag von {amount} werden monatlich von Ihrem Konto abgebucht. Ihren Ratenplan erhalten Sie von BillPay per E-Mail.",
    transaction_credit_transfer: "Bitte überweisen Sie die monatlichen Raten nach Ihrem Ratenplan unter Angabe des Verwendungszwecks auf das folgende Konto. Ihren Ratenplan erhalten Sie von BillPay per E-Mail.",
    label_payee: "Zahlungsempfänger",
    label_iban: "IBAN",
    label_bic: "BIC",
    label_bank: "Kreditinstitut",
    label_amount: "Betrag",
    label_reference: "Verwendungszweck",
    label_due_date: "Zahlungsziel",
    notice_consent: "Mit der Übermittlung der für die Abwicklung des Kaufs auf Rechnung und einer Identitäts- und Bonitätsprüfung erforderlichen Daten an die BillPay GmbH bin ich einverstanden.",
    notice_terms: "Allgemeinen Geschäftsbedingungen",
    notice_privacy: "Datenschutzbestimmungen",
    notice_links: "Es gelten die {terms} und die {privacy} der BillPay GmbH.",
    notice_consent_debit: "Mit der Übermittlung der für die Abwicklung der Zahlung und einer Identitäts- und Bonitätsprüfung erforderlichen Daten an die BillPay GmbH bin ich einverstanden.",
    notice_mandate: "Ich erteile BillPay ein SEPA-Lastschriftmandat zur Einziehung fälliger Zahlungen und weise mein Geldinstitut an, die Lastschriften einzulösen.",
    notice_mandate_at: "Ich erteile BillPay und der net-m privatbank 1891 AG ein SEPA-Lastschriftmandat zur Einziehung fälliger Zahlungen und weise mein Geldinstitut an, die Lastschriften einzulösen.",
    notice_creditor: "Die Gläubiger-Identifikationsnummer von BillPay ist DE19ZZZ00000237180. Die Mandatsreferenz erhalte ich später per E-Mail.",
    notice_creditor_at: "Die Gläubiger-Identifikationsnummer von BillPay ist DE19ZZZ00000237180, die der net-m privatbank 1891 AG DE62ZZZ00000009232. Die Mandatsreferenz und eine Vorlage für ein schriftliches Mandat, das ich unterschreibe und an BillPay sende, erhalte ich später per E-Mail.",
    notice_refund: "Hinweis: Ich kann innerhalb von acht Wochen, beginnend mit dem Belastungsdatum, die Erstattung des belasteten Betrages verlangen. Es gelten dabei die mit meinem Geldinstitut vereinbarten Bedingungen.",
    qr_caption_epc: "Mit der Banking-App scannen, um die Überweisung auszufüllen",
    qr_caption_swiss: "QR-Rechnung",
    qr_name_epc: "EPC-QR-Code",
};

pub static EN: Texts = Texts {
    caption: "Bank details for your payment",
    thanks_invoice: "Thank you for choosing to pay by invoice with BillPay.",
    thanks_direct_debit: "Thank you for choosing to pay by direct debit with BillPay.",
    thanks_paylater: "Thank you for choosing to pay with BillPay PayLater.",
    thanks_transaction_credit: "Thank you for choosing to pay in instalments with BillPay.",
    pay_until: "Please transfer {amount} by {date}, quoting the payment reference, to the following account:",
    pay_within_term: "Please transfer {amount} within the payment term, quoting the payment reference, to the following account:",
    not_activated: "Note: this order has not been activated with BillPay yet. The payment term has not started, so there is no due date yet.",
    post_office_ch: "Paying in at a post office counter costs extra. In that case, please add {amount} to your payment.",
    direct_debit: "BillPay GmbH will debit {amount} in the next few days from the account you gave with your order. BillPay will tell you the debit date by e-mail.",
    paylater: "The total of {amount} (including the PayLater fee) will be debited from your account in monthly instalments. BillPay will send you your instalment plan by e-mail.",
    transaction_credit: "The instalments for {amount} will be debited from your account monthly. BillPay will send you your instalment plan by e-mail.",
    transaction_credit_transfer: "Please transfer the monthly instalments of your instalment plan, quoting the payment reference, to the following account. BillPay will send you your instalment plan by e-mail.",
    label_payee: "Payee",
    label_iban: "IBAN",
    label_bic: "BIC",
    label_bank: "Bank",
    label_amount: "Amount",
    label_reference: "Payment reference",
    label_due_date: "Due date",
    notice_consent: "I agree that the data needed to process the purchase on invoice and to check my identity and credit are sent to BillPay GmbH.",
    notice_terms: "terms and conditions",
    notice_privacy: "privacy policy",
    notice_links: "BillPay GmbH's {terms} and {privacy} apply.",
    notice_consent_debit: "I agree that the data needed to process the payment and to check my identity and credit are sent to BillPay GmbH.",
    notice_mandate: "I authorise BillPay to collect payments due from my account by SEPA direct debit and instruct my bank to pay these direct debits.",
    notice_mandate_at: "I authorise BillPay and net-m privatbank 1891 AG to collect payments due from my account by SEPA direct debit and instruct my bank to pay these direct debits.",
    notice_creditor: "BillPay's creditor identifier is DE19ZZZ00000237180. I will receive the mandate reference by e-mail.",
    notice_creditor_at: "BillPay's creditor identifier is DE19ZZZ00000237180, that of net-m privatbank 1891 AG is DE62ZZZ00000009232. I will receive the mandate reference by e-mail, with a written mandate that I sign and send to BillPay.",
    notice_refund: "Note: I can ask for a refund of a debited amount within eight weeks of the debit date, on the terms agreed with my bank.",
    qr_caption_epc: "Scan with your banking app to fill in the transfer",
    qr_caption_swiss: "QR-bill",
    qr_name_epc: "EPC QR code",
};

pub static FR: Texts = Texts {
    caption: "Coordonnées bancaires pour votre paiement",
    thanks_invoice: "Merci d’avoir choisi le paiement sur facture avec BillPay.",
    thanks_direct_debit: "Merci d’avoir choisi le paiement par prélèvement avec BillPay.",
    thanks_paylater: "Merci d’avoir choisi le paiement avec BillPay PayLater.",
    thanks_transaction_credit: "Merci d’avoir choisi le paiement échelonné avec BillPay.",
    pay_until: "Veuillez virer le montant de {amount} d’ici le {date} sur le compte suivant, en indiquant la référence de paiement\u{a0}:",
    pay_within_term: "Veuillez virer le montant de {amount} dans le délai de paiement sur le compte suivant, en indiquant la référence de paiement\u{a0}:",
    not_activated: "Remarque\u{a0}: cette commande n’a pas encore été activée chez BillPay. Le délai de paiement n’a pas commencé, il n’y a donc pas encore de date d’échéance.",
    post_office_ch: "Un versement au guichet de la poste entraîne des frais supplémentaires. Dans ce cas, veuillez ajouter {amount} à votre paiement.",
    direct_debit: "Le montant de {amount} sera prélevé dans les prochains jours par BillPay GmbH sur le compte indiqué lors de votre commande. BillPay vous communiquera la date du prélèvement par e-mail.",
    paylater: "Le montant total de {amount} (frais PayLater compris) sera prélevé sur votre compte en mensualités. BillPay vous enverra votre plan de paiement par e-mail.",
    transaction_credit: "Les mensualités pour le montant de {amount} seront prélevées chaque mois sur votre compte. BillPay vous enverra votre plan de paiement par e-mail.",
    transaction_credit_transfer: "Veuillez virer les mensualités de votre plan de paiement sur le compte suivant, en indiquant la référence de paiement. BillPay vous enverra votre plan de paiement par e-mail.",
    label_payee: "Bénéficiaire",
    label_iban: "IBAN",
    label_bic: "BIC",
    label_bank: "Banque",
    label_amount: "Montant",
    label_reference: "Référence de paiement",
    label_due_date: "Échéance",
    notice_consent: "J’accepte que les données nécessaires au traitement de l’achat sur facture ainsi qu’à la vérification de mon identité et de ma solvabilité soient transmises à BillPay GmbH.",
    notice_terms: "conditions générales",
    notice_privacy: "politique de confidentialité",
    notice_links: "Les {terms} et la {privacy} de BillPay GmbH s’appliquent.",
    notice_consent_debit: "J’accepte que les données nécessaires au traitement du paiement ainsi qu’à la vérification de mon identité et de ma solvabilité soient transmises à BillPay GmbH.",
    notice_mandate: "J’autorise BillPay à prélever les paiements dus sur mon compte par prélèvement SEPA et je donne instruction à ma banque de débiter mon compte en conséquence.",
    notice_mandate_at: "J’autorise BillPay et net-m privatbank 1891 AG à prélever les paiements dus sur mon compte par prélèvement SEPA et je donne instruction à ma banque de débiter mon compte en conséquence.",
    notice_creditor: "L’identifiant créancier de BillPay est DE19ZZZ00000237180. La référence du mandat me sera communiquée par e-mail.",
    notice_creditor_at: "L’identifiant créancier de BillPay est DE19ZZZ00000237180, celui de net-m privatbank 1891 AG DE62ZZZ00000009232. La référence du mandat me sera communiquée par e-mail, avec un mandat écrit que je signerai et renverrai à BillPay.",
    notice_refund: "Remarque\u{a0}: je peux demander le remboursement d’un montant prélevé dans un délai de huit semaines à compter de la date du débit, selon les conditions convenues avec ma banque.",
    qr_caption_epc: "Scannez avec votre application bancaire pour remplir le virement",
    qr_caption_swiss: "QR-facture",
    qr_name_epc: "Code QR EPC",
};

pub static IT: Texts = Texts {
    caption: "Coordinate bancarie per il pagamento",
    thanks_invoice: "Grazie per aver scelto il pagamento su fattura con BillPay.",
    thanks_direct_debit: "Grazie per aver scelto il pagamento tramite addebito diretto con BillPay.",
    thanks_paylater: "Grazie per aver scelto il pagamento con BillPay PayLater.",
    thanks_transaction_credit: "Grazie per aver scelto il pagamento rateale con BillPay.",
    pay_until: "La preghiamo di bonificare l’importo di {amount} entro il {date} sul seguente conto, indicando la causale:",
    pay_within_term: "La preghiamo di bonificare l’importo di {amount} entro il termine di pagamento sul seguente conto, indicando la causale:",
    not_activated: "Nota: questo ordine non è ancora stato attivato presso BillPay. Il termine di pagamento non è ancora iniziato, quindi non c’è ancora una data di scadenza.",
    post_office_ch: "Il versamento allo sportello postale comporta costi aggiuntivi. In tal caso la preghiamo di aggiungere {amount} al pagamento.",
    direct_debit: "L’importo di {amount} sarà addebitato nei prossimi giorni da BillPay GmbH sul conto indicato al momento dell’ordine. BillPay le comunicherà la data dell’addebito via e-mail.",
    paylater: "L’importo totale di {amount} (inclusa la commissione PayLater) sarà addebitato sul suo conto in rate mensili. BillPay le invierà il piano rateale via e-mail.",
    transaction_credit: "Le rate per l’importo di {amount} saranno addebitate mensilmente sul suo conto. BillPay le invierà il piano rateale via e-mail.",
    transaction_credit_transfer: "La preghiamo di bonificare le rate mensili del suo piano rateale sul seguente conto, indicando la causale. BillPay le invierà il piano rateale via e-mail.",
    label_payee: "Beneficiario",
    label_iban: "IBAN",
    label_bic: "BIC",
    label_bank: "Banca",
    label_amount: "Importo",
    label_reference: "Causale",
    label_due_date: "Scadenza",
    notice_consent: "Acconsento alla trasmissione a BillPay GmbH dei dati necessari per l’elaborazione dell’acquisto su fattura e per la verifica della mia identità e solvibilità.",
    notice_terms: "condizioni generali",
    notice_privacy: "informativa sulla privacy",
    notice_links: "Si applicano le {terms} e l’{privacy} di BillPay GmbH.",
    notice_consent_debit: "Acconsento alla trasmissione a BillPay GmbH dei dati necessari per l’elaborazione del pagamento e per la verifica della mia identità e solvibilità.",
    notice_mandate: "Autorizzo BillPay ad addebitare sul mio conto i pagamenti dovuti mediante addebito diretto SEPA e incarico la mia banca di eseguire gli addebiti.",
    notice_mandate_at: "Autorizzo BillPay e net-m privatbank 1891 AG ad addebitare sul mio conto i pagamenti dovuti mediante addebito diretto SEPA e incarico la mia banca di eseguire gli addebiti.",
    notice_creditor: "L’identificativo del creditore di BillPay è DE19ZZZ00000237180. Il riferimento del mandato mi sarà comunicato via e-mail.",
    notice_creditor_at: "L’identificativo del creditore di BillPay è DE19ZZZ00000237180, quello di net-m privatbank 1891 AG è DE62ZZZ00000009232. Il riferimento del mandato mi sarà comunicato via e-mail, con un mandato scritto che firmerò e invierò a BillPay.",
    notice_refund: "Nota: posso chiedere il rimborso di un importo addebitato entro otto settimane dalla data di addebito, alle condizioni concordate con la mia banca.",
    qr_caption_epc: "Scansioni con l’app della sua banca per compilare il bonifico",
    qr_caption_swiss: "QR-fattura",
    qr_name_epc: "Codice QR EPC",
};

pub static NL: Texts = Texts {
    caption: "Bankgegevens voor uw betaling",
    thanks_invoice: "Hartelijk dank dat u heeft gekozen voor betalen achteraf op rekening met BillPay.",
    thanks_direct_debit: "Hartelijk dank dat u heeft gekozen voor betalen via automatische incasso met BillPay.",
    thanks_paylater: "Hartelijk dank dat u heeft gekozen voor betalen met BillPay PayLater.",
    thanks_transaction_credit: "Hartelijk dank dat u heeft gekozen voor betalen in termijnen met BillPay.",
    pay_until: "Gelieve het bedrag van {amount} uiterlijk op {date} onder vermelding van het betalingskenmerk over te maken naar de volgende rekening:",
    pay_within_term: "Gelieve het bedrag van {amount} binnen de betalingstermijn onder vermelding van het betalingskenmerk over te maken naar de volgende rekening:",
    not_activated: "Let op: deze bestelling is nog niet geactiveerd bij BillPay. De betalingstermijn is nog niet begonnen, er is dus nog geen vervaldatum.",
    post_office_ch: "Storten aan het postloket kost extra. Tel in dat geval {amount} bij uw betaling op.",
    direct_debit: "Het bedrag van {amount} wordt in de komende dagen door BillPay GmbH afgeschreven van de rekening die u bij uw bestelling heeft opgegeven. BillPay laat u de datum van de afschrijving per e-mail weten.",
    paylater: "Het totaalbedrag van {amount} (inclusief de PayLater-vergoeding) wordt in maandelijkse termijnen van uw rekening afgeschreven. BillPay stuurt u uw termijnplan per e-mail.",
    transaction_credit: "De termijnen voor het bedrag van {amount} worden maandelijks van uw rekening afgeschreven. BillPay stuurt u uw termijnplan per e-mail.",
    transaction_credit_transfer: "Gelieve de maandelijkse termijnen van uw termijnplan onder vermelding van het betalingskenmerk over te maken naar de volgende rekening. BillPay stuurt u uw termijnplan per e-mail.",
    label_payee: "Begunstigde",
    label_iban: "IBAN",
    label_bic: "BIC",
    label_bank: "Bank",
    label_amount: "Bedrag",
    label_reference: "Betalingskenmerk",
    label_due_date: "Vervaldatum",
    notice_consent: "Ik ga ermee akkoord dat de gegevens die nodig zijn voor de afhandeling van de aankoop op rekening en voor de controle van mijn identiteit en kredietwaardigheid aan BillPay GmbH worden doorgegeven.",
    notice_terms: "algemene voorwaarden",
    notice_privacy: "privacyverklaring",
    notice_links: "De {terms} en de {privacy} van BillPay GmbH zijn van toepassing.",
    notice_consent_debit: "Ik ga ermee akkoord dat de gegevens die nodig zijn voor de afhandeling van de betaling en voor de controle van mijn identiteit en kredietwaardigheid aan BillPay GmbH worden doorgegeven.",
    notice_mandate: "Ik machtig BillPay om verschuldigde betalingen via een SEPA-incasso van mijn rekening af te schrijven en mijn bank om deze incasso’s uit te voeren.",
    notice_mandate_at: "Ik machtig BillPay en net-m privatbank 1891 AG om verschuldigde betalingen via een SEPA-incasso van mijn rekening af te schrijven en mijn bank om deze incasso’s uit te voeren.",
    notice_creditor: "Het incassant-ID van BillPay is DE19ZZZ00000237180. Het machtigingskenmerk ontvang ik later per e-mail.",
    notice_creditor_at: "Het incassant-ID van BillPay is DE19ZZZ00000237180, dat van net-m privatbank 1891 AG DE62ZZZ00000009232. Het machtigingskenmerk ontvang ik later per e-mail, met een schriftelijke machtiging die ik onderteken en naar BillPay stuur.",
    notice_refund: "Let op: ik kan binnen acht weken na de afschrijving terugbetaling van het afgeschreven bedrag vragen, volgens de voorwaarden van mijn bank.",
    qr_caption_epc: "Scan met uw bankapp om de overschrijving in te vullen",
    qr_caption_swiss: "QR-factuur",
    qr_name_epc: "EPC-QR-code",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_is_written_without_sharp_s() {
        // Swiss customers read the German texts too (CHF blocks, the
        // checkout notice in CH), and Swiss German has no ß.
        assert!(!format!("{DE:?}").contains('ß'));
    }

    fn amount(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    #[test]
    fn amounts_per_locale() {
        let a = amount("1234567.5");
        assert_eq!(
            format_amount(a, Currency::Eur, Locale::De),
            "1.234.567,50\u{a0}EUR"
        );
        assert_eq!(
            format_amount(a, Currency::Eur, Locale::En),
            "EUR\u{a0}1,234,567.50"
        );
        assert_eq!(
            format_amount(a, Currency::Eur, Locale::Fr),
            "1\u{a0}234\u{a0}567,50\u{a0}EUR"
        );
        assert_eq!(
            format_amount(a, Currency::Eur, Locale::It),
            "1.234.567,50\u{a0}EUR"
        );
        assert_eq!(
            format_amount(a, Currency::Eur, Locale::Nl),
            "EUR\u{a0}1.234.567,50"
        );
        assert_eq!(
            format_amount(a, Currency::Chf, Locale::Fr),
            "CHF\u{a0}1\u{2019}234\u{2019}567.50"
        );
        assert_eq!(
            format_amount(amount("0.05"), Currency::Eur, Locale::De),
            "0,05\u{a0}EUR"
        );
        assert_eq!(
            format_amount(amount("100"), Currency::Eur, Locale::De),
            "100,00\u{a0}EUR"
        );
        assert_eq!(
            format_amount(amount("1000"), Currency::Eur, Locale::De),
            "1.000,00\u{a0}EUR"
        );
    }

    #[test]
    fn dates_per_locale() {
        let d = Date::parse_iso("2026-03-04").unwrap();
        assert_eq!(format_date(d, Locale::De), "04.03.2026");
        assert_eq!(format_date(d, Locale::En), "4 March 2026");
        assert_eq!(format_date(d, Locale::Fr), "04/03/2026");
        assert_eq!(format_date(d, Locale::It), "04/03/2026");
        assert_eq!(format_date(d, Locale::Nl), "04-03-2026");
    }
}
