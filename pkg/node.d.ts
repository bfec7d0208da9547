export * from './core.js';

/** Already initialised on import; provided so browser-style code runs unchanged. */
export declare function init(): Promise<void>;
export default init;
