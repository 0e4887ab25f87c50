// The linter `npm test` runs: typescript-eslint's type-checked rules, React's two hooks rules and the code's
// own layout through @stylistic. Why not xo: README.md, "Dependencies, and why".
import stylistic from '@stylistic/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', 'coverage/', '**/*.js', '**/*.mjs']},
	{
		files: ['**/*.ts', '**/*.tsx'],
		extends: [
			...tseslint.configs.recommendedTypeChecked,
			...tseslint.configs.stylisticTypeChecked,
			stylistic.configs.customize({indent: 'tab', quotes: 'single', semi: true, jsx: true, braceStyle: '1tbs', arrowParens: false}),
		],
		plugins: {'react-hooks': reactHooks},
		languageOptions: {
			parserOptions: {project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname},
		},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',

			// The code's layout: tabs, `{a}`, `x => x`, `?`/`:` leading a continued line, `=` ending one.
			'@stylistic/arrow-parens': ['error', 'as-needed'],
			'@stylistic/object-curly-spacing': ['error', 'never'],
			// `<T,>(…) =>` in a .tsx file is a generic, not JSX: its comma stays.
			'@stylistic/comma-dangle': ['error', {arrays: 'always-multiline', objects: 'always-multiline', imports: 'always-multiline', exports: 'always-multiline', functions: 'always-multiline', enums: 'always-multiline', tuples: 'always-multiline', generics: 'ignore'}],
			'@stylistic/jsx-tag-spacing': ['error', {beforeSelfClosing: 'never'}],
			'@stylistic/jsx-one-expression-per-line': ['error', {allow: 'single-line'}],
			'@stylistic/indent': ['error', 'tab', {SwitchCase: 1, flatTernaryExpressions: true}],
			'@stylistic/operator-linebreak': ['error', 'before', {overrides: {'=': 'after'}}],
			'@stylistic/quotes': ['error', 'single', {avoidEscape: true}],
			'@typescript-eslint/consistent-type-definitions': ['error', 'type'],
			'@typescript-eslint/array-type': ['error', {default: 'array-simple'}],
			// `env['KMON_X']` and `labels['id']`: index signatures are read with brackets.
			'@typescript-eslint/dot-notation': ['error', {allowIndexSignaturePropertyAccess: true}],
			// `''` and `false` fall back like a missing value on purpose (an empty label is no label).
			'@typescript-eslint/prefer-nullish-coalescing': ['error', {ignorePrimitives: {string: true, boolean: true}}],
			'@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true}],

			// The exceptions. Fakes and ports return promises from `async` functions that need no await.
			'@typescript-eslint/require-await': 'off',
			// A ternary is broken where it reads best, not by a rule; indentation is still checked.
			'@stylistic/multiline-ternary': 'off',
			// Keys are quoted where that reads better ('0.50' next to '0.99', 'X-Scope-OrgID' next to names).
			'@stylistic/quote-props': 'off',
		},
	},
	{
		// Tests read kmon's JSON output and YAML files as they come; typing every probe adds nothing.
		files: ['test/**/*.ts', 'test/**/*.tsx'],
		rules: {
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-empty-function': 'off',
		},
	},
);
