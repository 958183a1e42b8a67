// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { readdirSync } from 'node:fs';

/** Every folder under src/client/features is a feature, present or future. */
const clientFeatures = readdirSync(new URL('./src/client/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', '.wrangler'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: {
      // One-way imports (docs/architecture.md): contract ← server, contract ← client; never client ↔ server.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src/contract', from: './src/server', message: 'The contract imports only zod.' },
            { target: './src/contract', from: './src/client', message: 'The contract imports only zod.' },
            { target: './src/client', from: './src/server', message: 'The SPA never imports the proxy.' },
            { target: './src/server', from: './src/client', message: 'The proxy never imports the SPA.' },
            // The SPA's layers, the bulletproof-react way: app → features → shared, never back.
            ...['api', 'lib', 'ui', 'stores', 'sale'].map((layer) => ({
              target: `./src/client/${layer}`,
              from: ['./src/client/features', './src/client/app'],
              message: `src/client/${layer}/ is shared: it imports no feature and not the app shell.`,
            })),
            ...clientFeatures.map((feature) => ({
              target: `./src/client/features/${feature}`,
              from: ['./src/client/app', './src/client/features'],
              except: [`./${feature}`],
              message: 'A feature imports no other feature and not the app shell: share through api/, lib/, ui/, stores/ or sale/.',
            })),
          ],
        },
      ],
      'import-x/no-cycle': 'error',
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // Interface methods may be async for implementations that are not (the in-memory store).
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod(/|$)|\\./).*', message: 'The contract imports only zod and itself.' }] },
      ],
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests inspect arbitrary JSON answers and pass matchers around.
    files: ['**/*.test.ts', 'src/server/test-support/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
);
