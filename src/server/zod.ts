/**
 * The proxy's zod: `zod/mini` (the same flavour as the contract) with English messages, so that
 * a 400's `details` and a configuration error read as sentences. The SPA does not load them.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

z.config(en());

export { z };
