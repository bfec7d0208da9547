// The storefront: Vendure's Shop API for the checkout, billpay-wasm's
// storefront module for BillPay's consent notice and the payment block, which
// is rendered from the payment's public metadata exactly as Vendure returns it.
import init, { renderCheckoutNotice, renderPaymentBlock } from '/storefront/billpay/storefront.js';

async function shop(query, variables = {}) {
  // Vendure keeps the guest's session in a cookie (same origin).
  const response = await fetch('/shop-api', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
}

/** Fails on Vendure's error results (they come back as data with an errorCode). */
function checked(result) {
  if (result?.errorCode) {
    throw new Error(result.paymentErrorMessage ?? result.eligibilityCheckerMessage ?? result.transitionError ?? result.message);
  }
  return result;
}

/** Integer cents → the decimal string the package takes (no floating point). */
const decimal = (cents) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

await init();
const form = document.getElementById('checkout');
const error = document.getElementById('error');

function showNotice() {
  document.getElementById('notice').innerHTML = renderCheckoutNotice({ country: form.elements.country.value, locale: 'de' });
}
form.elements.country.addEventListener('change', showNotice);
showNotice();

const { products } = await shop('{ products { items { name variants { id sku priceWithTax currencyCode } } } }');
const rows = document.querySelector('#products tbody');
const quantities = { 'COFFEE-500': 3, 'TEA-100': 7, 'HAND-MILL': 1 };
for (const product of products.items) {
  for (const variant of product.variants) {
    const row = rows.insertRow();
    row.insertCell().textContent = product.name;
    row.insertCell().textContent = `${decimal(variant.priceWithTax)} ${variant.currencyCode}`;
    const input = document.createElement('input');
    Object.assign(input, { type: 'number', min: 0, value: quantities[variant.sku] ?? 0, name: `qty-${variant.id}` });
    input.dataset.variant = variant.id;
    row.insertCell().append(input);
  }
}
form.hidden = false;

function showOrder(order) {
  const payment = order.payments.find((p) => p.state === 'Authorized' || p.state === 'Settled');
  document.getElementById('code').textContent = order.code;
  document.getElementById('total').textContent = `${decimal(order.totalWithTax)} ${order.currencyCode}`;
  document.getElementById('billpay').innerHTML = renderPaymentBlock(
    { method: 'invoice', amount: decimal(order.totalWithTax), currency: order.currencyCode, bankAccount: payment.metadata.public.bankAccount },
    { locale: 'de' },
  );
  form.hidden = true;
  document.getElementById('confirmation').hidden = false;
}

const ORDER = 'code state totalWithTax currencyCode payments { state metadata }';

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const f = form.elements;
  try {
    // A second attempt (e.g. after a declined payment) starts from an empty cart.
    const { activeOrder } = await shop('{ activeOrder { state } }');
    if (activeOrder?.state === 'ArrangingPayment') await shop('mutation { transitionOrderToState(state: "AddingItems") { ... on Order { id } } }');
    if (activeOrder) await shop('mutation { removeAllOrderLines { ... on Order { id } } }');
    for (const input of form.querySelectorAll('input[data-variant]')) {
      const quantity = Number(input.value);
      if (quantity > 0) checked((await shop('mutation ($id: ID!, $q: Int!) { addItemToOrder(productVariantId: $id, quantity: $q) { ... on ErrorResult { errorCode message } } }', { id: input.dataset.variant, q: quantity })).addItemToOrder);
    }
    checked((await shop('mutation ($input: CreateCustomerInput!) { setCustomerForOrder(input: $input) { ... on ErrorResult { errorCode message } } }', { input: { firstName: f.firstName.value, lastName: f.lastName.value, emailAddress: f.email.value } })).setCustomerForOrder);
    const address = { fullName: `${f.firstName.value} ${f.lastName.value}`, streetLine1: f.street.value, postalCode: f.postalCode.value, city: f.city.value, countryCode: f.country.value };
    await shop('mutation ($input: CreateAddressInput!) { setOrderShippingAddress(input: $input) { ... on Order { id } } }', { input: address });
    await shop('mutation ($input: CreateAddressInput!) { setOrderBillingAddress(input: $input) { ... on Order { id } } }', { input: address });
    const { eligibleShippingMethods } = await shop('{ eligibleShippingMethods { id name } }');
    const delivery = eligibleShippingMethods.find((m) => m.name === 'DHL') ?? eligibleShippingMethods[0];
    await shop('mutation ($id: [ID!]!) { setOrderShippingMethod(shippingMethodId: $id) { ... on Order { id } } }', { id: [delivery.id] });
    checked((await shop('mutation { transitionOrderToState(state: "ArrangingPayment") { ... on OrderStateTransitionError { errorCode message transitionError } } }')).transitionOrderToState);
    const { eligiblePaymentMethods } = await shop('{ eligiblePaymentMethods { code isEligible eligibilityMessage } }');
    const billpay = eligiblePaymentMethods.find((m) => m.code === 'billpay');
    if (!billpay?.isEligible) throw new Error(billpay?.eligibilityMessage ?? 'Invoice is not available');
    const metadata = { termsAccepted: f.termsAccepted.checked, birthday: f.birthday.value };
    const { addPaymentToOrder } = await shop(
      `mutation ($input: PaymentInput!) { addPaymentToOrder(input: $input) { ... on Order { ${ORDER} } ... on ErrorResult { errorCode message } ... on PaymentDeclinedError { paymentErrorMessage } ... on PaymentFailedError { paymentErrorMessage } ... on IneligiblePaymentMethodError { eligibilityCheckerMessage } } }`,
      { input: { method: 'billpay', metadata } },
    );
    showOrder(checked(addPaymentToOrder));
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  }
});
