import {describe, expect, test} from 'vitest';
import {redactArguments} from '../../../source/k6/redact-arguments.js';

describe('Given k6 arguments with environment variables', () => {
	test.each([
		{args: ['-e', 'API_TOKEN=abc123'], expected: ['-e', 'API_TOKEN=<redacted>']},
		{args: ['--env', 'DB_PASSWORD=hunter2'], expected: ['--env', 'DB_PASSWORD=<redacted>']},
		{args: ['--env=SECRET_KEY=xyz'], expected: ['--env=SECRET_KEY=<redacted>']},
		{args: ['-eAUTH_HEADER=Bearer x'], expected: ['-eAUTH_HEADER=<redacted>']},
		{args: ['-e', 'BASE_URL=http://shop:8080'], expected: ['-e', 'BASE_URL=http://shop:8080']},
		{args: ['--vus', '10', '--tag', 'token=abc'], expected: ['--vus', '10', '--tag', 'token=abc']},
		{args: ['-e', 'NO_EQUALS_SIGN'], expected: ['-e', 'NO_EQUALS_SIGN']},
	])('when they are $args, then run.json keeps $expected', ({args, expected}) => {
		expect(redactArguments(args)).toEqual(expected);
	});
});
