// Lint: typescript-eslint's type-aware recommended rules on all code, tests included, with the few
// changes below, each with its reason. Formatting is prettier's alone (eslint-config-prettier turns
// off the rules that would fight it); layering is dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', '.findo/', '.tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a name kept on purpose: a field dropped from a rest spread, or
      // express's four-parameter error handler.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Off: `async` without `await` is how a port implementation (the rule-based text generator,
      // in-memory token storage) keeps the Promise-returning signature and turns a throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // Off for now: 123 findings, mostly the `as never`, `as Language` and `!` casts that issue 9's
      // refactor removes by typing the code; its autofix is unsafe here (applied blindly it broke
      // tsc in 76 places, e.g. the machines' setup types). Turn it on once those casts are gone.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Off: the Google fake throws its HTTP answers as plain `{ status, message }` data and catches
    // them one frame up to write the response; they never leave the fake as exceptions.
    files: ['integrations/google/fake-*.ts'],
    rules: { '@typescript-eslint/only-throw-error': 'off' },
  },
  {
    // Tests read JSON (the CLI's --json output, HTTP answers, stored documents) as `any` and check
    // its shape with expect(); typing each answer first would add casts, not safety.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (bin/, configs) is outside tsconfig: syntax rules only, on Node's globals.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable' } },
  },
  prettier,
);
