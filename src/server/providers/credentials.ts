/**
 * A provider's credentials, parsed from the environment when the provider is built (at
 * start-up): a missing or malformed one stops the proxy with one line naming the variable.
 */
import type * as core from 'zod/v4/core';
import { ConfigError, withoutEmpty, type Env } from '../config';
import { z } from '../zod';

export function parseCredentials<S extends core.$ZodType>(schema: S, env: Env): core.output<S> {
  const parsed = z.safeParse(schema, withoutEmpty(env));
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return issue.code === 'invalid_type' && issue.input === undefined ? `${name}: is required` : `${name}: ${issue.message}`;
    }),
  );
}
