import {defineConfig} from 'vitest/config';
import E2eSequencer from './test/support/e2e-sequencer.js';

export default defineConfig({
	test: {
		// Vitest takes the sequencer from the root only; it puts two e2e files last and leaves the rest in its order.
		sequence: {sequencer: E2eSequencer},
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
				},
			},
		],
	},
});
