// `import 'billpay-wasm/billpay.css'` is a stylesheet for the bundler's CSS
// handling; it has no exports.
export {};
