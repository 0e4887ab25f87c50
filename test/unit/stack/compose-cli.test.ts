import {describe, expect, test} from 'vitest';
import {composeArgv, composeCandidates, detectComposeCli, parseComposeVersion, supportsProfiles} from '../../../source/stack/compose-cli.js';

describe('Given the output of a compose CLI asked for its version', () => {
	test.each([
		{output: '2.29.7\n', text: '2.29.7', major: 2},
		{output: 'v2.24.6-desktop.1', text: '2.24.6-desktop.1', major: 2},
		{output: 'Docker Compose version v2.29.7', text: '2.29.7', major: 2},
		{output: '1.29.2\n', text: '1.29.2', major: 1},
		{output: 'docker-compose version 1.29.2, build unknown\ndocker-py version: 5.0.3', text: '1.29.2', major: 1},
		{output: 'docker-compose version 1.25.0, build 0a186604', text: '1.25.0', major: 1},
	])('when it prints "$output", then the version is $text', ({output, text, major}) => {
		const version = parseComposeVersion(output);
		expect(version?.text).toBe(text);
		expect(version?.major).toBe(major);
	});

	test.each([
		'docker: unknown command: docker compose',
		"docker: 'compose' is not a docker command.",
		'',
	])('when it prints "%s", then there is no version', output => {
		expect(parseComposeVersion(output)).toBeNull();
	});

	test('then profiles need docker-compose 1.28 or any v2', () => {
		expect(supportsProfiles(parseComposeVersion('1.27.4')!)).toBe(false);
		expect(supportsProfiles(parseComposeVersion('1.28.0')!)).toBe(true);
		expect(supportsProfiles(parseComposeVersion('2.0.0')!)).toBe(true);
	});
});

describe('Given which compose command to try', () => {
	test('when nothing is set, then the v2 plugin comes before the standalone binary', () => {
		expect(composeCandidates({})).toEqual([['docker', 'compose'], ['docker-compose']]);
	});

	test('when KMON_COMPOSE is set, then only that command is tried, split into words', () => {
		expect(composeCandidates({KMON_COMPOSE: ' docker  compose '})).toEqual([['docker', 'compose']]);
		expect(composeCandidates({KMON_COMPOSE: '/opt/bin/docker-compose'})).toEqual([['/opt/bin/docker-compose']]);
	});

	test('when no candidate exists on PATH, then the problem lists what was tried and how to install one', async () => {
		const result = await detectComposeCli({PATH: '/nonexistent', KMON_COMPOSE: 'kmon-no-such-compose'});
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.problem.kind).toBe('compose-missing');
			expect(result.problem.details).toEqual(['kmon-no-such-compose: not installed (not on PATH)']);
			expect(result.problem.fix).toMatch(/docker-compose-plugin/);
		}
	});
});

describe('Given a compose project', () => {
	const project = {project: 'kmon', files: ['/p/stack/compose.yml', '/t/override.yml'], profiles: ['kafka'], projectDirectory: '/p/stack', envFile: '/home/u/.config/kmon/stack.env'};

	test('when a command is built, then it is one argument vector with every global option before the command', () => {
		expect(composeArgv({argv: ['docker', 'compose'], version: parseComposeVersion('2.29.7')!}, project, ['up', '--detach'])).toEqual([
			'docker', 'compose', '--ansi', 'never', '--project-name', 'kmon', '--project-directory', '/p/stack',
			'--file', '/p/stack/compose.yml', '--file', '/t/override.yml', '--profile', 'kafka',
			'--env-file', '/home/u/.config/kmon/stack.env', 'up', '--detach',
		]);
	});

	test('when there is no env file and no profile, then neither option appears', () => {
		const argv = composeArgv({argv: ['docker-compose'], version: parseComposeVersion('1.29.2')!}, {...project, profiles: [], envFile: null}, ['down']);
		expect(argv).not.toContain('--env-file');
		expect(argv).not.toContain('--profile');
		expect(argv[0]).toBe('docker-compose');
		expect(argv.at(-1)).toBe('down');
	});
});
