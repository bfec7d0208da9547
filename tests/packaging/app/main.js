// The shop page every browser fixture builds: the stylesheet, both custom
// elements, and a direct call of the storefront API, each through the
// package's public entries only.
import 'billpay-wasm/billpay.css';
import 'billpay-wasm/elements';
import init, { renderPaymentBlock } from 'billpay-wasm/storefront';
import { block, order } from './data.js';

document.querySelector('billpay-payment-block').block = block;
const panel = document.querySelector('billpay-order-panel');
panel.setAttribute('today', '2026-11-26');
panel.order = order;

await init();
document.querySelector('#text').textContent = renderPaymentBlock(block, { locale: 'en', format: 'text' });
