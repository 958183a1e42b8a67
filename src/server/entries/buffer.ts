/**
 * `buffer` for the Workers bundle: the BOLT11 encoder's dependencies `require('buffer')`, which
 * an ES module on workerd cannot do. Bundling this module in its place turns that require into an
 * import of workerd's own `node:buffer` (the `nodejs_compat` flag in wrangler.toml).
 */
export { Buffer } from 'node:buffer';
