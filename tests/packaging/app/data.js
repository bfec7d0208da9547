// What every fixture renders: a payment block and an order for the panel.
export const block = {
  method: 'invoice',
  amount: '113.70',
  currency: 'EUR',
  bankAccount: {
    accountHolder: 'BillPay GmbH',
    iban: 'DE53100500000740123456',
    bic: 'BELADEBEXXX',
    bankName: 'Berliner Sparkasse',
    invoiceReference: 'BP1001/4441',
    dueDate: '2026-12-28',
    activated: true,
  },
};

export const order = {
  reference: '1001',
  currency: 'EUR',
  status: 'preauthorized',
  createdAt: '2026-11-20',
  cart: {
    articles: [{ articleId: 'espresso', name: 'Espresso beans', quantity: 2, unitNet: '9.24', unitGross: '11.00' }],
    shipping: { name: 'DHL', net: '4.12', gross: '4.90' },
    rebate: { net: '0.00', gross: '0.00' },
  },
};
