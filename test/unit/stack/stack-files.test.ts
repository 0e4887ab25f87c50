import {describe, expect, test} from 'vitest';
import {locateStack} from '../../../source/stack/stack-files.js';

describe('Given where kmon is installed', () => {
	const installed = 'file:///usr/lib/node_modules/kmon/dist/stack/stack-files.js';

	test('when it runs from a global npm install, then the stack is the package\'s own stack/ folder, whatever the working directory', () => {
		const result = locateStack({env: {HOME: '/home/u'}, moduleUrl: installed, exists: file => file === '/usr/lib/node_modules/kmon/stack/compose.yml'});
		expect(result).toEqual({ok: true, value: {directory: '/usr/lib/node_modules/kmon/stack', composeFile: '/usr/lib/node_modules/kmon/stack/compose.yml', envFile: null}});
	});

	test('when the package folder has no .env but the user config has stack.env, then that file holds the settings', () => {
		const result = locateStack({env: {XDG_CONFIG_HOME: '/home/u/.config'}, moduleUrl: installed, exists: file => file.endsWith('compose.yml') || file === '/home/u/.config/kmon/stack.env'});
		expect(result.ok && result.value.envFile).toBe('/home/u/.config/kmon/stack.env');
	});

	test('when stack/.env exists, then compose reads it itself and kmon passes no env file', () => {
		const result = locateStack({env: {XDG_CONFIG_HOME: '/c'}, moduleUrl: installed, exists: file => file.endsWith('compose.yml') || file.endsWith('/stack/.env') || file === '/c/kmon/stack.env'});
		expect(result.ok && result.value.envFile).toBeNull();
	});

	test('when --env-file names a missing file, then that is the problem', () => {
		const result = locateStack({env: {}, envFile: '/nope.env', moduleUrl: installed, exists: file => file.endsWith('compose.yml')});
		expect(!result.ok && result.problem.message).toBe('--env-file /nope.env does not exist');
	});

	test('when the compose file is missing, then the problem says to reinstall', () => {
		const result = locateStack({env: {}, moduleUrl: installed, exists: () => false});
		expect(!result.ok && result.problem.kind).toBe('stack-files-missing');
	});

	test('when KMON_STACK_DIR is set, then that folder is used', () => {
		const result = locateStack({env: {KMON_STACK_DIR: '/tmp/my-stack'}, moduleUrl: installed, exists: file => file === '/tmp/my-stack/compose.yml'});
		expect(result.ok && result.value.directory).toBe('/tmp/my-stack');
	});

	test('when run from this checkout, then the real stack/compose.yml is found', () => {
		const result = locateStack({env: {}});
		expect(result.ok && result.value.composeFile).toMatch(/\/stack\/compose\.yml$/);
	});
});
