import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {findK6Binary} from '../../../source/k6/find-k6-binary.js';

let root: string;
let onPath: string;
let custom: string;
let notExecutable: string;

beforeAll(() => {
	root = mkdtempSync(path.join(tmpdir(), 'kmon-k6bin-'));
	mkdirSync(path.join(root, 'bin'));
	onPath = path.join(root, 'bin', 'k6');
	custom = path.join(root, 'k6-statsd');
	notExecutable = path.join(root, 'k6-plain');
	for (const file of [onPath, custom, notExecutable]) {
		writeFileSync(file, '#!/bin/sh\n');
	}

	chmodSync(onPath, 0o755);
	chmodSync(custom, 0o755);
});

describe('Given where k6 may be', () => {
	test.each([
		{case: '--k6 beats K6_BIN and PATH', flag: './k6-statsd', env: {K6_BIN: '/nope/k6'}, expected: () => ({path: custom, from: '--k6'})},
		{case: 'K6_BIN beats PATH', flag: undefined, env: {K6_BIN: 'k6-statsd'}, withRootOnPath: true, expected: () => ({path: custom, from: 'K6_BIN'})},
		{case: 'PATH is the fallback', flag: undefined, env: {}, expected: () => ({path: onPath, from: 'PATH'})},
		{case: 'a bare --k6 name is looked up on PATH', flag: 'k6', env: {}, expected: () => ({path: onPath, from: '--k6'})},
	])('when $case, then kmon picks it', ({flag, env, withRootOnPath, expected}) => {
		const pathVariable = [path.join(root, 'bin'), ...(withRootOnPath ? [root] : [])].join(path.delimiter);
		expect(findK6Binary({flag, env: {...env, PATH: pathVariable}, cwd: root})).toEqual({ok: true, value: expected()});
	});

	test('when k6 is nowhere, then the message names --k6, K6_BIN and PATH', () => {
		const result = findK6Binary({env: {PATH: '/nonexistent'}, cwd: root});
		expect(result).toMatchObject({ok: false, problem: {code: 'k6-not-found'}});
		if (!result.ok) {
			expect(result.problem.message).toMatch(/--k6.*K6_BIN.*PATH/);
		}
	});

	test.each([
		{case: 'does not exist', value: './missing', code: 'k6-not-executable', message: /does not exist/},
		{case: 'is not executable', value: './k6-plain', code: 'k6-not-executable', message: /is not executable/},
		{case: 'is a folder', value: './bin', code: 'k6-not-executable', message: /is not a file/},
		{case: 'is a name not on PATH', value: 'k6-nowhere', code: 'k6-not-found', message: /not on PATH/},
	])('when K6_BIN $case, then kmon says so rather than falling back to PATH', ({value, code, message}) => {
		const result = findK6Binary({env: {K6_BIN: value, PATH: path.join(root, 'bin')}, cwd: root});
		expect(result).toMatchObject({ok: false, problem: {code, message: expect.stringMatching(message)}});
	});
});
