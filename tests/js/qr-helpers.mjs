// Shared by the scannable-code tests: valid IBANs and references for any
// country, a deterministic spread of inputs, and blocks.

export function mod97(text) {
  let rest = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    rest = code >= 65 ? (rest * 100 + code - 55) % 97 : (rest * 10 + code - 48) % 97;
  }
  return rest;
}

export function iban(country, bban) {
  return `${country}${String(98 - mod97(`${bban}${country}00`)).padStart(2, '0')}${bban}`;
}

export function rf(body) {
  return `RF${String(98 - mod97(`${body}RF00`)).padStart(2, '0')}${body}`;
}

const MOD10 = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5];
export function qrr(first26) {
  let carry = 0;
  for (const d of first26) carry = MOD10[(carry + Number(d)) % 10];
  return `${first26}${(10 - carry) % 10}`;
}

export function rng(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    next,
    pick: (items) => items[Math.floor(next() * items.length)],
    digits: (n) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(''),
  };
}

export const NAMES = [
  'BillPay GmbH',
  'Müller & Söhne Kaffeerösterei GmbH',
  'François Dubois-Lefèvre SA',
  'Ørsted Æbleskiver ApS',
  'Łukasz Żółć sp. z o.o.',
  'Ștefan Țărănescu SRL',
  "O'Brien Grocers Ltd.",
  'Zweigniederlassung Schweiz der BillPay GmbH, Kundenbuchhaltung Rechnun', // 70 characters
  'Ñandú Café Ibérica S.L.',
  'Žluťoučký kůň s.r.o.',
];

export const AMOUNTS = ['0.01', '0.10', '1.00', '12.30', '113.70', '2029.50', '99999.99', '999999999.99'];

/** SEPA countries whose BBAN is digits only (length), plus NL and IT shapes. */
export const EPC_COUNTRIES = [
  ['DE', (r) => r.digits(18)],
  ['AT', (r) => r.digits(16)],
  ['BE', (r) => r.digits(12)],
  ['FI', (r) => r.digits(14)],
  ['EE', (r) => r.digits(16)],
  ['ES', (r) => r.digits(20)],
  ['PT', (r) => r.digits(21)],
  ['SK', (r) => r.digits(20)],
  ['SI', (r) => r.digits(15)],
  ['LT', (r) => r.digits(16)],
  ['HR', (r) => r.digits(17)],
  ['FR', (r) => r.digits(23)],
  ['NL', (r) => `ABNA${r.digits(10)}`],
  ['IT', (r) => `X${r.digits(22)}`],
];

export function invoiceBlock({ amount, currency, holder = 'BillPay GmbH', iban: account, bic = 'COBADEFFXXX', reference, activated = false }) {
  return {
    method: 'invoice',
    amount,
    currency,
    bankAccount: { accountHolder: holder, iban: account, bic, bankName: 'Bank', invoiceReference: reference, ...(activated ? { dueDate: '2026-12-28' } : {}), activated },
  };
}
