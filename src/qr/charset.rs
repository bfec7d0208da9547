//! The Swiss QR-bill character set (IG v2.3, standards §6.6) and the
//! transliteration of the characters people type that are not in it.
//!
//! Allowed: Basic Latin U+0020–U+007E, Latin-1 Supplement U+00A0–U+00FF,
//! Latin Extended-A U+0100–U+017F, `Ș ș Ț ț` (U+0218–U+021B) and `€`.
//! Letters written decomposed (a base letter followed by a combining
//! mark: macOS input, text copied out of PDFs) are composed first, as NFC
//! would (the IG's allowed letters are the composed ones). Typographic
//! quotes, dashes, ellipses and special spaces (what word processors put
//! into names and addresses) are replaced by their plain forms; zero-width characters are dropped; anything else (emoji, Greek,
//! Cyrillic, control characters) is refused with the field's path, because
//! silently dropping letters of a name is worse than an error.

use crate::error::{BillPayError, ErrorCode, Result};
use crate::prelude::*;

/// Whether `c` may appear in a Swiss QR Code (v2.3).
pub fn is_allowed(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7e}'
        | '\u{a0}'..='\u{ff}'
        | '\u{100}'..='\u{17f}'
        | '\u{218}'..='\u{21b}'
        | '\u{20ac}')
}

/// The combining marks of the letters of the set (U+0300 grave … U+0328
/// ogonek), in the order of `DECOMPOSED`'s mark letters `a`, `b`, ….
const MARKS: [u16; 14] = [
    0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x30a, 0x30b, 0x30c, 0x326, 0x327,
    0x328,
];

/// How Unicode decomposes each letter of U+00C0–U+017F and then of
/// U+0218–U+021B, two bytes a letter: the ASCII letter it is written on and
/// its mark (`a` = `MARKS[0]`, …), or two spaces for a letter that has
/// none. Generated from Unicode's decompositions; the tests compare every
/// letter with `String.prototype.normalize("NFC")`.
const DECOMPOSED: &[u8] = concat!(
    "AaAbAcAdAhAi  CmEaEbEcEhIaIbIcIh  NdOaObOcOdOh    UaUbUcUhYb    ",
    "aaabacadahai  cmeaebecehiaibicih  ndoaobocodoh    uaubucuhyb  yh",
    "AeaeAfafAnanCbcbCcccCgcgCkckDkdk    EeeeEfefEgegEnenEkekGcgcGfgf",
    "GgggGmgmHchc    IdidIeieIfifIninIg      JcjcKmkm  LblbLmlmLklk  ",
    "      NbnbNmnmNknk      OeoeOfofOjoj    RbrbRmrmRkrkSbsbScscSmsm",
    "SkskTmtmTktk    UdudUeueUfufUiuiUjujUnunWcwcYcycYhZbzbZgzgZkzk  ",
    "SlslTltl",
)
.as_bytes();

/// The letter at `index` of `DECOMPOSED`.
fn letter_at(index: usize) -> Option<char> {
    let offset = u32::try_from(index).ok()?;
    char::from_u32(if offset < 192 {
        0xc0 + offset
    } else {
        0x218 - 192 + offset
    })
}

/// The ASCII letter `base` followed by the combining `mark`, as one letter
/// of the set.
fn compose(base: u8, mark: char) -> Option<char> {
    let mark = MARKS
        .iter()
        .position(|&m| u32::from(m) == u32::from(mark))?;
    let wanted = [base, b'a' + u8::try_from(mark).ok()?];
    let index = DECOMPOSED.chunks_exact(2).position(|pair| pair == wanted)?;
    letter_at(index)
}

/// The ASCII letter a letter of the set is written on (`é` → `e`).
pub fn base_letter(letter: char) -> Option<char> {
    let code = u32::from(letter);
    let index = match code {
        0xc0..=0x17f => code - 0xc0,
        0x218..=0x21b => code - 0x218 + 192,
        _ => return None,
    };
    let base = *DECOMPOSED.get(usize::try_from(index).ok()? * 2)?;
    (base != b' ').then_some(char::from(base))
}

/// The plain replacement of a character outside the set, if it has one.
fn replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2035}' | '\u{2bc}' => {
            "'"
        }
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{2036}' => "\"",
        '\u{2039}' => "<",
        '\u{203a}' => ">",
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{2022}' | '\u{2027}' => "*",
        '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        // Pinyin vowels with caron (Latin Extended-B): the base letter.
        '\u{1cd}' => "A",
        '\u{1ce}' => "a",
        '\u{1cf}' => "I",
        '\u{1d0}' => "i",
        '\u{1d1}' => "O",
        '\u{1d2}' => "o",
        '\u{1d3}' => "U",
        '\u{1d4}' => "u",
        '\u{2122}' => "TM",
        // Letters the set writes as two or three: the capital sharp s as
        // German capitals write ß, the Croatian and Serbian digraph letters
        // and the typographic ligatures as NFKC writes them.
        '\u{1e9e}' => "SS",
        '\u{1c4}' => "DŽ",
        '\u{1c5}' => "Dž",
        '\u{1c6}' => "dž",
        '\u{1c7}' => "LJ",
        '\u{1c8}' => "Lj",
        '\u{1c9}' => "lj",
        '\u{1ca}' => "NJ",
        '\u{1cb}' => "Nj",
        '\u{1cc}' => "nj",
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        _ => return None,
    })
}

/// Returns `text` in the QR-bill character set, transliterated where a plain
/// form exists; an error naming `path` and the character otherwise.
pub fn to_swiss(text: &str, path: &str) -> Result<String> {
    if text.chars().all(is_allowed) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    // The ASCII letter just copied from `text`, which a combining mark
    // right after it composes with (NFC composes nothing across a
    // replacement or a dropped character).
    let mut base = None;
    for c in text.chars() {
        if let Some(letter) = base.and_then(|b| compose(b, c)) {
            // The base is one byte, the last of `out`.
            out.pop();
            out.push(letter);
            base = None;
        } else if c == '\u{30c}' && base.is_some_and(|b| b"AIOUaiou".contains(&b)) {
            // A Pinyin vowel with caron, written decomposed: its base
            // letter, as the composed one is transliterated below.
            base = None;
        } else if is_allowed(c) {
            out.push(c);
            base = u8::try_from(c).ok().filter(u8::is_ascii_alphabetic);
        } else if let Some(plain) = replacement(c) {
            out.push_str(plain);
            base = None;
        } else {
            return Err(BillPayError::new(
                ErrorCode::UnsupportedCharacter,
                [
                    "U+",
                    &code_point(c),
                    " is outside the Swiss QR-bill character set and has no plain replacement",
                ]
                .concat(),
            )
            .at(path));
        }
    }
    Ok(out)
}

/// `c`'s code point as Unicode writes it: at least four upper-case hex digits.
fn code_point(c: char) -> String {
    let value = u32::from(c);
    let digits = (32 - value.leading_zeros()).div_ceil(4).max(4);
    (0..digits)
        .rev()
        .map(|i| {
            let nibble = (value >> (4 * i)) & 0xf;
            char::from_digit(nibble, 16).map_or('0', |d| d.to_ascii_uppercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_v23_set_and_transliterates_typography() {
        let kept = "Zürich Genève Łódź Şişli Ștefan Țară 5 € ½ ß Œuvre ÿ";
        assert_eq!(to_swiss(kept, "x").unwrap(), kept);
        assert_eq!(
            to_swiss("Café “Zum Löwen” – O’Brien…\u{202f}AG\u{200b}", "x").unwrap(),
            "Café \"Zum Löwen\" - O'Brien... AG"
        );
        assert_eq!(
            to_swiss(
                "GROẞE STRAẞE, ǅakovo, ǈubljana, ǊEGOŠ, ǆ ǉ ǌ, ﬀ ﬁ ﬂ ﬃ ﬄ",
                "x"
            )
            .unwrap(),
            "GROSSE STRASSE, Džakovo, Ljubljana, NJEGOŠ, dž lj nj, ff fi fl ffi ffl"
        );
    }

    #[test]
    fn composes_decomposed_letters() {
        assert_eq!(
            to_swiss("Zu\u{308}rich Gene\u{300}ve S\u{326}tefan C\u{327}a", "x").unwrap(),
            "Zürich Genève Ștefan Ça"
        );
        let mut letters = 0;
        for (index, pair) in DECOMPOSED.chunks_exact(2).enumerate() {
            let letter = letter_at(index).unwrap();
            assert!(is_allowed(letter), "{letter}");
            if let [base, mark] = *pair {
                if base == b' ' {
                    assert_eq!(base_letter(letter), None);
                    continue;
                }
                let mark = char::from_u32(u32::from(MARKS[usize::from(mark - b'a')])).unwrap();
                assert_eq!(compose(base, mark), Some(letter));
                assert_eq!(base_letter(letter), Some(char::from(base)));
                letters += 1;
            }
        }
        assert_eq!(letters, 165);
        assert_eq!(DECOMPOSED.len(), 2 * (192 + 4));
        // Pinyin written decomposed is transliterated as written composed.
        assert_eq!(to_swiss("Wa\u{30c}ng Lu\u{30c}", "x").unwrap(), "Wang Lu");
        assert_eq!(to_swiss("W\u{1ce}ng", "x").unwrap(), "Wang");
        // A mark with no letter of the set to compose with stays outside
        // it: also after a replacement or a dropped character, across which
        // NFC composes nothing.
        for bad in [
            "q\u{308}",
            "\u{308}a",
            "e\u{301}\u{301}",
            "x\u{20d7}",
            "\u{1ce}\u{301}",
            "u\u{200b}\u{308}",
        ] {
            let e = to_swiss(bad, "creditor.town").unwrap_err();
            assert_eq!(e.code, ErrorCode::UnsupportedCharacter, "{bad:?}");
        }
    }

    #[test]
    fn refuses_what_has_no_plain_form() {
        for bad in ["😀", "Ελλάδα", "Москва", "a\tb", "a\nb", "\u{7f}", "李"] {
            let e = to_swiss(bad, "creditor.name").unwrap_err();
            assert_eq!(e.code, ErrorCode::UnsupportedCharacter, "{bad:?}");
            assert_eq!(e.path.as_deref(), Some("creditor.name"));
        }
    }

    #[test]
    fn code_points_are_written_as_unicode_does() {
        assert_eq!(code_point('\u{7f}'), "007F");
        assert_eq!(code_point('\u{2603}'), "2603");
        assert_eq!(code_point('\u{1f600}'), "1F600");
        assert_eq!(code_point('\u{10ffff}'), "10FFFF");
    }
}
