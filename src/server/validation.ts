/**
 * Validation at the edge: every body, query and path parameter goes through a contract schema,
 * and a failure becomes 400 `invalid_request` whose `details` names each bad field.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type * as core from 'zod/v4/core';
import { ApiError } from './errors';
import { z } from './zod';

type Target = 'json' | 'query' | 'param';

const where: Record<Target, string> = { json: 'body', query: 'query', param: 'path' };

/** `{ "amount": "Too small: expected number to be >=1" }`; the whole input is keyed by its place. */
export function fieldErrors(error: core.$ZodError, target: Target): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : where[target];
    details[field] ??= issue.message;
  }
  return details;
}

export function invalid(details: Record<string, string>, message = 'Some fields are not valid.'): ApiError {
  return new ApiError(400, 'invalid_request', message, details);
}

function validate<S extends core.$ZodType, T extends Target>(target: T, schema: S) {
  return validator(target, (value: unknown) => {
    const result = z.safeParse(schema, value);
    if (!result.success) throw invalid(fieldErrors(result.error, target));
    return result.data;
  });
}

export const jsonBody = <S extends core.$ZodType>(schema: S) => validate('json', schema);
export const queryOf = <S extends core.$ZodType>(schema: S) => validate('query', schema);
export const paramsOf = <S extends core.$ZodType>(schema: S) => validate('param', schema);

/** Requests that carry a body must say it is JSON (415 otherwise) and be valid JSON (400). */
export const jsonOnly: MiddlewareHandler = async (c, next) => {
  if (hasBody(c)) {
    const type = c.req.header('Content-Type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the request body as application/json.');
    }
    // Read the exact bytes first: Hono then serves json() from them, and a webhook's signature
    // is checked over these same bytes, not over a re-encoding of decoded text.
    const bytes = await c.req.arrayBuffer();
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw invalid({ body: 'is not valid JSON' }, 'The request body is not valid JSON.');
    }
  }
  await next();
};

function hasBody(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false;
  const length = c.req.header('Content-Length');
  if (length !== undefined) return length !== '0';
  if (c.req.header('Transfer-Encoding') !== undefined) return true;
  // A browser's DELETE (Lock) says nothing about a body it does not have, yet the Node server
  // hands every DELETE a stream: without either header it has none (RFC 9112 §6.3).
  if (c.req.method === 'DELETE') return false;
  return c.req.raw.body !== null;
}
