/**
 * The keypad paints with first-screen.css alone, whose Tailwind reads only the directories it
 * names. Code that the entry chunk imports statically and that sets class names must be inside
 * them, or its utilities would be missing until another screen brought all-screens.css.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const client = resolve(here, '..');

/** Every module main.tsx reaches through static imports (type-only imports and `import()` aside). */
function entryModules(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, specifier] of code.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) {
      const base = resolve(dirname(file), specifier!);
      const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => existsSync(path));
      if (found) visit(found);
    }
  };
  visit(join(client, 'main.tsx'));
  return [...seen];
}

/** The `@source` paths of first-screen.css, relative to src/client. */
function firstScreenSources(): string[] {
  const css = readFileSync(join(here, 'first-screen.css'), 'utf8');
  return [...css.matchAll(/^@source '([^']+)';/gm)].map(([, path]) => relative(client, resolve(here, path!)));
}

function covered(file: string, sources: readonly string[]): boolean {
  return sources.some((source) => {
    if (source.endsWith('/*.tsx')) return dirname(file) === dirname(source) && file.endsWith('.tsx');
    return file === source || file.startsWith(`${source}/`);
  });
}

describe('the first screen’s stylesheet', () => {
  it('reads every entry module that sets class names', () => {
    const sources = firstScreenSources();
    const styled = entryModules()
      .filter((file) => /\bclassName\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(client, file));
    expect(styled.length).toBeGreaterThan(5);
    expect(styled.filter((file) => !covered(file, sources))).toEqual([]);
  });

  it('tells a module outside its sources', () => {
    expect(covered('features/history/HistoryScreen.tsx', firstScreenSources())).toBe(false);
    expect(covered('ui/receipt/Receipt.tsx', firstScreenSources())).toBe(false);
    expect(covered('ui/Keypad.tsx', firstScreenSources())).toBe(true);
  });
});
