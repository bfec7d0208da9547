// Shared test data.
export const account = {
  accountHolder: 'BillPay GmbH',
  iban: 'DE53100500000740123456',
  bic: 'BELADEBEXXX',
  bankName: 'Berliner Sparkasse',
  invoiceReference: 'BP1001/4441',
  dueDate: '2026-12-28',
  activated: true,
};

export const invoice = { method: 'invoice', amount: '113.70', currency: 'EUR', bankAccount: account };
