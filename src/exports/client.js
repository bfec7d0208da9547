// Written into pkg/api/full.js by src/exports/generate.rs, ahead of the
// BillPayClient class: what only the client needs, kept out of glue.js,
// which every storefront page loads.

/**
 * The client's configuration before Rust checks it: in a browser a path on
 * the page's own origin (`{ endpoint: '/billpay' }`, the shop's relay) becomes
 * an absolute URL.
 */
function clientConfig(config) {
  try {
    return resolveEndpoint(config);
  } catch (error) {
    throw glue.plainData(error, 'config');
  }
}

function resolveEndpoint(config) {
  if (
    config !== null &&
    typeof config === 'object' &&
    typeof config.endpoint === 'string' &&
    config.endpoint.startsWith('/') &&
    !config.endpoint.startsWith('//') &&
    globalThis.location?.href
  ) {
    return { ...config, endpoint: new URL(config.endpoint, globalThis.location.href).href };
  }
  return config;
}

/** The client's engine, built from the module's wasm-bindgen classes. */
function makeEngine(build) {
  run.ensureReady();
  try {
    return build(run.bindings());
  } catch (thrown) {
    throw glue.fromWasm(thrown);
  }
}

/** An operation's promise of JSON (`null` resolves to undefined). */
async function settle(operation) {
  run.ensureReady();
  let answer;
  try {
    answer = await operation();
  } catch (thrown) {
    throw glue.fromWasm(thrown);
  }
  const value = JSON.parse(answer);
  return value === null ? undefined : value;
}
