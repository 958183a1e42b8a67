/**
 * The card transport on Cloudflare Workers: the platform's fetch, never following redirects by
 * itself. Workers give no control over DNS or the connection, so a name is not resolved and
 * checked here as on Node; what policy.ts checks from the URL still holds (https, no user info,
 * no private, loopback or metadata IP literal, no local names), redirects are still checked one
 * by one, and deadlines and the size cap are the same. A Worker's fetch leaves from Cloudflare's
 * network, where the deployment has no private network or metadata service to reach (README,
 * "Tap to pay with a Bolt Card").
 *
 * Chosen by package.json `imports` (`#card-transport`) under the `workerd` condition.
 */
import type { CardTransport } from './fetch';

export function defaultCardTransport(): CardTransport {
  return (url, init) => fetch(url, { ...init, redirect: 'manual' });
}
