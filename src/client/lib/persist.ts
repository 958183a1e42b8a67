/**
 * Local storage is a trust boundary too (an old version's data, a hand edit, a half write):
 * persisted state is parsed before it is used, and anything that does not parse is dropped.
 */
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';

export function validatedMerge<S extends core.$ZodType<object>>(schema: S) {
  return <T extends object>(persisted: unknown, current: T): T => {
    const parsed = z.safeParse(schema, persisted);
    return parsed.success ? { ...current, ...parsed.data } : current;
  };
}
