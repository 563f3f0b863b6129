// `npm run lint`: @eslint/js and typescript-eslint recommended (syntax only, not type-checked, for speed).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'out/', 'dist/', 'evidence/', 'catalogs/', 'templates/', 'test/golden/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // AWS responses, OSCAL documents and result.json are walked as `any` once an ajv schema has checked
      // their shape (src/evidence/schemas.ts); tests read the same documents. The schemas are the types.
      '@typescript-eslint/no-explicit-any': 'off',
      // Sanitising names and terminal output means matching control characters on purpose.
      'no-control-regex': 'off',
      // `const { $metadata: _m, ...rest } = page` drops a member; a leading underscore marks it unused.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The few plain JavaScript files (entries, tool configs) run on Node; TypeScript files need no such list.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', module: 'writable', require: 'readonly' } },
  },
);
