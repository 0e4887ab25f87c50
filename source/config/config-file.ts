import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import type {ConfigInput} from './config.js';
import {UsageError} from './usage-error.js';

const stringKeys = ['prometheus', 'interval', 'range', 'timeout', 'tagKey', 'caFile', 'k6Script'] as const;
const booleanKeys = ['once', 'json', 'ascii', 'insecure'] as const;

/** Where kmon looks for a config file, first match wins. */
export function configFileCandidates(cwd: string, env: NodeJS.ProcessEnv): string[] {
	const configHome = env['XDG_CONFIG_HOME'] || path.join(homedir(), '.config');
	return [path.join(cwd, 'kmon.config.json'), path.join(configHome, 'kmon', 'config.json')];
}

/** Reads the first config file that exists; none is fine, a broken one is a usage error. */
export function readConfigFile(candidates: string[]): ConfigInput {
	for (const file of candidates) {
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}

		return validate(file, text);
	}

	return {};
}

function validate(file: string, text: string): ConfigInput {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new UsageError(`${file} must hold a JSON object`);
	}

	const input: ConfigInput = {};
	for (const [key, entry] of Object.entries(value)) {
		if ((stringKeys as readonly string[]).includes(key) && typeof entry === 'string') {
			input[key as typeof stringKeys[number]] = entry;
		} else if ((booleanKeys as readonly string[]).includes(key) && typeof entry === 'boolean') {
			input[key as typeof booleanKeys[number]] = entry;
		} else if (key === 'headers' && Array.isArray(entry) && entry.every(item => typeof item === 'string')) {
			input.header = entry;
		} else {
			throw new UsageError(`${file}: unknown key or wrong type for "${key}" (keys: ${[...stringKeys, ...booleanKeys, 'headers'].join(', ')})`);
		}
	}

	return input;
}
