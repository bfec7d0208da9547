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

/**
 * An argument of the client as JSON. `JSON.stringify` writes NaN and
 * ±Infinity as null, which an optional field takes for "left out": a
 * `delayDays` of NaN would activate without the delay, a `timeoutMs` of
 * NaN wait the default. Refused wherever it stands, as itself.
 */
function clientData(value, name) {
  const json = glue.data(value, name);
  if (json.includes('null')) finiteNumbers(value, name);
  return json;
}

function finiteNumbers(original, path) {
  // What JSON.stringify writes: toJSON's result, boxed numbers unboxed.
  let value = typeof original?.toJSON === 'function' ? original.toJSON() : original;
  if (value instanceof Number) value = Number(value);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new glue.BillPayError('INVALID_TYPE', `${path}: invalid type: ${value}, which JSON cannot carry (it would arrive as null)`, { path });
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) value.forEach((item, index) => finiteNumbers(item, `${path}[${index}]`));
  else for (const key of Object.keys(value)) finiteNumbers(value[key], `${path}.${key}`);
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
