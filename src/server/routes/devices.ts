/**
 * Pairing tablets and the manager's device controls: `POST /api/devices/pair` (open, limited),
 * and for a manager the list of paired tablets, one-time pairing codes, un-pairing one tablet,
 * clearing its PIN lockout, and signing out every device.
 */
import { Hono } from 'hono';
import { DeviceId, PairRequest, type DeviceList, type PairingCode } from '../../contract/api';
import { requireRole } from '../auth';
import { notFound } from '../errors';
import type { Services } from '../services';
import { jsonBody, paramsOf } from '../validation';
import { z } from '../zod';

const IdParam = z.object({ id: DeviceId });

export function deviceRoutes({ clientId, sessions, devices, attempts }: Services) {
  const manager = requireRole('manager', sessions);
  const noSuchDevice = () => notFound('That tablet');
  return new Hono()
    .post('/pair', jsonBody(PairRequest), async (c) => {
      const { code, name } = c.req.valid('json');
      return c.json(await devices.pair(code, name, clientId(c)));
    })
    .get('/', manager, async (c) => {
      const data = await devices.list(c.get('session').dev, (id) => attempts.lockedUntil(`dev:${id}`));
      return c.json({ data } satisfies DeviceList);
    })
    .post('/codes', manager, async (c) => c.json((await devices.makeCode()) satisfies PairingCode, 201))
    .post('/sign-out', manager, async (c) => {
      await sessions.endAll();
      return c.body(null, 204);
    })
    .delete('/:id', manager, paramsOf(IdParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await devices.remove(id))) throw noSuchDevice();
      await Promise.all([sessions.endDevice(id), attempts.clear(`dev:${id}`)]);
      return c.body(null, 204);
    })
    .delete('/:id/lockout', manager, paramsOf(IdParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await devices.exists(id))) throw noSuchDevice();
      await attempts.clear(`dev:${id}`);
      return c.body(null, 204);
    });
}
