// Flat config: strict TypeScript rules everywhere, and a hard boundary around workflow code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'clients/typescript/dist/**',
      'clients/typescript/src/generated/**',
      'node_modules/**',
      '.data/**',
      '.tools/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed deterministically: no Node built-ins, no I/O. It reaches activities
    // through contract/ only: types from the layers below are fine, their code is not.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
          patterns: [
            {
              group: [
                '**/store',
                '**/store/**',
                '**/activities',
                '**/activities/**',
                '**/connectors',
                '**/connectors/**',
              ],
              allowTypeImports: true,
              message: 'Workflow code imports only types from here; shared values belong in contract/.',
            },
            {
              group: ['**/api', '**/api/**', '**/events', '**/events/**', '**/worker', '**/worker/**'],
              message: 'Workflow code never depends on the API, the publisher or the worker.',
            },
          ],
        },
      ],
    },
  },
);
