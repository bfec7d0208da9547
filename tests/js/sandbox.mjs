// Test data and the sandbox launcher (shared with the demo shop).
export { startSandbox, SANDBOX_CREDENTIALS as CREDENTIALS } from '../../www/sandbox.mjs';

export const CUSTOMER = {
  salutation: 'Frau',
  firstName: 'Erika',
  lastName: 'Mustermann',
  street: 'Heidestraße',
  streetNo: '17',
  zip: '51147',
  city: 'Köln',
  country: 'DE',
  email: 'erika@example.com',
  birthday: '1985-09-11',
};

export const CART = {
  articles: [
    { articleId: 'espresso', name: 'Espresso beans 1 kg', quantity: 2, unitNet: '20.92', unitGross: '24.90' },
    { articleId: 'mill', name: 'Hand mill', quantity: 1, unitNet: '49.58', unitGross: '59.00' },
  ],
  shipping: { name: 'DHL', net: '4.12', gross: '4.90' },
  rebate: { net: '0.00', gross: '0.00' },
};

/** Preauthorizes (auto-capture) and returns the plug-in's Order. */
export async function placeOrder(client, reference, cart = CART, customer = CUSTOMER) {
  const result = await client.preauthorize({ reference, currency: 'EUR', customer, cart });
  return {
    order: { reference, currency: 'EUR', cart, status: 'preauthorized', createdAt: '2026-11-26', bankAccount: result.bankAccount },
    result,
  };
}
