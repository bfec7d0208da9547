export * from './api/full.js';

/** Already initialised on import (the .wasm is imported as a module); provided so browser-style code runs unchanged. */
export declare function init(input?: unknown): Promise<void>;
export default init;
