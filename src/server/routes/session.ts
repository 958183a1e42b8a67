/** PIN → session token (docs/api.md `POST /api/session`). */
import { Hono } from 'hono';
import { SessionRequest } from '../../contract/api';
import type { Services } from '../services';
import { issueToken, PinAttempts, PinChecker } from '../auth';
import { ApiError } from '../errors';
import { jsonBody } from '../validation';

export function sessionRoutes({ config, store, now, clientId }: Services) {
  const checker = PinChecker.create(config.pins);
  const attempts = new PinAttempts(store, now);

  return new Hono().post('/', jsonBody(SessionRequest), async (c) => {
    const client = clientId(c);
    await attempts.begin(client);
    const role = await (await checker).roleFor(c.req.valid('json').pin);
    if (!role) {
      const attemptsLeft = await attempts.failed(client);
      throw new ApiError(
        401,
        'invalid_pin',
        attemptsLeft > 0 ? 'Wrong PIN. Please try again.' : 'Wrong PIN. The POS is now locked for 5 minutes.',
        { attemptsLeft },
      );
    }
    await attempts.succeeded(client);
    return c.json(await issueToken(role, config.sessionSecret, now()));
  });
}
