// ESLint for the UI: the recommended JavaScript and TypeScript rules and eslint-plugin-vue's
// recommended rules for templates. Formatting is left to the rules the code already follows;
// `cargo xtask test` fails on any error or warning (`--max-warnings 0`).
import js from '@eslint/js'
import globals from 'globals'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/bindings/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Layout, not correctness: the templates keep a short element's attributes and text on
      // one line, which reads better in a dense office form than one attribute a line.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      // `const { page: _p, ...query } = q` drops fields on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The full-width space (U+3000) is Chinese typography (a gap after a title, around a separator),
    // written as the character in labels; elsewhere in the code it is still an error.
    files: ['**/*.vue'],
    rules: {
      'no-irregular-whitespace': 'off',
      'vue/no-irregular-whitespace': ['error', { skipStrings: true, skipHTMLTextContents: true, skipTemplates: true }],
    },
  },
)
