/** PIN → session, and Lock (docs/api.md `POST /api/session`, `DELETE /api/session`). */
import { Hono } from 'hono';
import { DEVICE_HEADER, SessionRequest } from '../../contract/api';
import { PinChecker, requireRole, waitFor, type PinSubject } from '../auth';
import { ApiError } from '../errors';
import { clientBucket } from '../quota';
import type { Services } from '../services';
import { jsonBody } from '../validation';

export const deviceNotPaired = () =>
  new ApiError(401, 'device_not_paired', 'This tablet is not paired with the POS. Pair it with the set-up code or a code from a manager.');

export function sessionRoutes({ config, clientId, sessions, devices, attempts }: Services) {
  const checker = PinChecker.create(config);

  return new Hono()
    .post('/', jsonBody(SessionRequest), async (c) => {
      // Outside the demo, nothing is counted and no PIN is checked for a tablet the shop has not paired.
      const credential = c.req.header(DEVICE_HEADER);
      const device = await devices.verify(credential);
      if (!device && config.pairingRequired) throw deviceNotPaired();
      const subject: PinSubject = device ? { key: `dev:${device.id}`, stranger: false } : { key: `ip:${clientBucket(clientId(c))}`, stranger: true };

      await attempts.begin(subject);
      const owner = await (await checker).ownerOf(c.req.valid('json').pin);
      if (!owner) {
        const { attemptsLeft, lockedForMs } = await attempts.failed(subject);
        throw new ApiError(
          401,
          'invalid_pin',
          lockedForMs === null ? 'Wrong PIN. Please try again.' : `Wrong PIN. The POS is now locked for ${waitFor(lockedForMs)}.`,
          { attemptsLeft },
        );
      }
      await attempts.succeeded(subject);
      const session = await sessions.issue(owner, device?.id ?? null);
      // Un-paired while this session was being made (on another instance): it ends with the pairing.
      if (device && !(await devices.verify(credential))) {
        await sessions.endDevice(device.id);
        throw deviceNotPaired();
      }
      return c.json(session);
    })
    .delete('/', requireRole('cashier', sessions), async (c) => {
      await sessions.end(c.get('session'));
      return c.body(null, 204);
    });
}
