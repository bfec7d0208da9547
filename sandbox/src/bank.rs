//! Dynamic bank data: every order gets its own IBAN so that each incoming payment can be
//! matched to exactly one order, as BillPay did. Orders in EUR are paid to a German account,
//! orders in CHF to a Swiss one (BillPay's layout for Swiss customers, reference §4: the Swiss
//! branch's account, paid with a Swiss QR-bill).

pub const ACCOUNT_HOLDER: &str = "BillPay GmbH";

struct Bank {
    blz: &'static str,
    bic: &'static str,
    name: &'static str,
}

// Real Berlin bank codes with their real BICs, so that BIC/BLZ plausibility checks in a client
// pass; the account numbers are synthetic.
const BANKS: [Bank; 3] = [
    Bank {
        blz: "10050000",
        bic: "BELADEBEXXX",
        name: "Berliner Sparkasse",
    },
    Bank {
        blz: "10070000",
        bic: "DEUTDEBBXXX",
        name: "Deutsche Bank Berlin",
    },
    Bank {
        blz: "10040000",
        bic: "COBADEBBXXX",
        name: "Commerzbank Berlin",
    },
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankAccount {
    pub iban: String,
    pub bic: String,
    pub bank_name: String,
}

/// PostFinance's institution id (IID 09000; not a QR-IID, 30000–31999, so the account takes
/// payments with an RF or BillPay reference) and its real BIC.
const SWISS_BANK: Bank = Bank {
    blz: "09000",
    bic: "POFICHBEXXX",
    name: "PostFinance AG",
};

/// Bank data for the order with the given (unique, positive) sequence number and currency.
/// The account number embeds the sequence, so IBANs never repeat.
pub fn account_for(sequence: i64, currency: &str) -> BankAccount {
    if currency == "CHF" {
        let account = format!(
            "{:012}",
            700_000_000_000i64 + sequence.rem_euclid(300_000_000_000)
        );
        return BankAccount {
            iban: iban_from_bban("CH", &format!("{}{account}", SWISS_BANK.blz)),
            bic: SWISS_BANK.bic.to_string(),
            bank_name: SWISS_BANK.name.to_string(),
        };
    }
    let [first, ..] = &BANKS;
    let index = usize::try_from(sequence.rem_euclid(BANKS.len() as i64)).unwrap_or(0);
    let bank = BANKS.get(index).unwrap_or(first);
    let account = format!(
        "{:010}",
        7_000_000_000i64 + sequence.rem_euclid(3_000_000_000)
    );
    let bban = format!("{}{}", bank.blz, account);
    BankAccount {
        iban: iban_from_bban("DE", &bban),
        bic: bank.bic.to_string(),
        bank_name: bank.name.to_string(),
    }
}

/// ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters A=10 … Z=35).
pub fn mod97(text: &str) -> u32 {
    let mut rem: u32 = 0;
    for c in text.chars() {
        if let Some(v) = c.to_digit(36) {
            if v >= 10 {
                rem = (rem * 100 + v) % 97;
            } else {
                rem = (rem * 10 + v) % 97;
            }
        }
    }
    rem
}

/// Check digits are `98 - (BBAN + CC + "00") mod 97`, which is always in 02..=98.
pub fn iban_from_bban(country: &str, bban: &str) -> String {
    let rem = mod97(&format!("{bban}{country}00"));
    format!("{country}{:02}{bban}", 98 - rem)
}

/// Length 15..34, letters and digits, check digits 02..98 and MOD 97-10 remainder 1.
pub fn iban_is_valid(iban: &str) -> bool {
    if !(15..=34).contains(&iban.len()) || !iban.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (Some(country), Some(check), Some(bban)) = (iban.get(..2), iban.get(2..4), iban.get(4..))
    else {
        return false;
    };
    let check_ok = check.parse::<u32>().is_ok_and(|c| (2..=98).contains(&c));
    country.bytes().all(|b| b.is_ascii_uppercase())
        && check_ok
        && mod97(&format!("{bban}{country}{check}")) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // The standard example IBAN from the ISO 13616 documentation.
        assert_eq!(
            iban_from_bban("DE", "370400440532013000"),
            "DE89370400440532013000"
        );
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(!iban_is_valid("DE99370400440000000024"));
    }

    #[test]
    fn generated_ibans_are_valid_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for seq in 1..5000 {
            let acc = account_for(seq, "EUR");
            assert_eq!(acc.iban.len(), 22);
            assert!(acc.iban.starts_with("DE"));
            assert!(iban_is_valid(&acc.iban), "{}", acc.iban);
            assert!(seen.insert(acc.iban));
            let swiss = account_for(seq, "CHF");
            // CH, check digits, IID 09000, 12-digit account: 21 characters.
            assert_eq!(swiss.iban.len(), 21);
            assert!(swiss.iban.starts_with("CH") && &swiss.iban[4..9] == "09000");
            assert!(iban_is_valid(&swiss.iban), "{}", swiss.iban);
            assert!(seen.insert(swiss.iban));
        }
    }
}
