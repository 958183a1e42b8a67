/** The API suite on Node: the proxy's Hono app through `app.request`. */
import { apiSuite, SUITE_ENV } from './test-support/api-suite';
import { testProxy } from './test-support/harness';

apiSuite('API on Node', () => testProxy(SUITE_ENV, { clientId: (c) => c.req.header('CF-Connecting-IP') ?? 'unknown' }));
