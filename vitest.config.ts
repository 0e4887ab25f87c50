import {defineConfig} from 'vitest/config';
import E2eSequencer from './test/support/e2e-sequencer.js';

export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/ui/**/*.test.tsx'],
					environment: 'node',
				},
			},
			{
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 300_000,
					fileParallelism: false,
					sequence: {sequencer: E2eSequencer},
				},
			},
		],
	},
});
