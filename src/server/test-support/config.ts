import { ConfigError, parseConfig, type Env } from '../config';

/** The lines start-up would print for an environment (none when it is fine). */
export function configProblems(env: Env): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
