// Where the bundled compose stack lives: `stack/` at the package root, found from this module's own location
// so `kmon up` works from any directory, from a checkout (dist/ or source/ via tsx) and from `npm i -g`.
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {parseEnv} from 'node:util';
import {fileURLToPath} from 'node:url';
import {problem, type StackOutcome} from './problem.js';

/** The compose project name of the bundled stack: container labels, network and volume names derive from it. */
export const stackProject = 'kmon';

export type StackFiles = {
	directory: string;
	composeFile: string;
	/** An env file kmon passes to compose, or null to let compose read `<directory>/.env` itself. */
	envFile: string | null;
};

export type StackFileOptions = {
	env?: NodeJS.ProcessEnv;
	/** --env-file from the command line. */
	envFile?: string;
	/** This module's URL; tests point it elsewhere. */
	moduleUrl?: string;
	exists?: (file: string) => boolean;
};

/**
 * The stack folder: KMON_STACK_DIR if set (for development), else `../../stack` from this module
 * (dist/stack/stack-files.js and source/stack/stack-files.ts both sit two levels under the package root).
 * The env file: --env-file, else `<stack>/.env` if present (compose reads it itself), else
 * `$XDG_CONFIG_HOME/kmon/stack.env` (default ~/.config/kmon/stack.env), the place for settings when the
 * package is installed globally and its folder is not yours to edit.
 */
export function locateStack(options: StackFileOptions = {}): StackOutcome<StackFiles> {
	const env = options.env ?? process.env;
	const exists = options.exists ?? existsSync;
	const directory = env['KMON_STACK_DIR']
		? path.resolve(env['KMON_STACK_DIR'])
		: path.resolve(path.dirname(fileURLToPath(options.moduleUrl ?? import.meta.url)), '..', '..', 'stack');
	const composeFile = path.join(directory, 'compose.yml');
	if (!exists(composeFile)) {
		return {ok: false, problem: problem('stack-files-missing', `the monitoring stack's compose file is missing: ${composeFile}`,
			'reinstall kmon (npm i -g kmon), or set KMON_STACK_DIR to a folder holding compose.yml')};
	}

	if (options.envFile) {
		const envFile = path.resolve(options.envFile);
		if (!exists(envFile)) {
			return {ok: false, problem: problem('stack-files-missing', `--env-file ${envFile} does not exist`,
				`copy ${path.join(directory, '.env.example')} there and edit it`)};
		}

		return {ok: true, value: {directory, composeFile, envFile}};
	}

	if (exists(path.join(directory, '.env'))) {
		return {ok: true, value: {directory, composeFile, envFile: null}};
	}

	const configHome = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
	const userEnv = path.join(configHome, 'kmon', 'stack.env');
	return {ok: true, value: {directory, composeFile, envFile: exists(userEnv) ? userEnv : null}};
}

/**
 * Extra compose files from KMON_STACK_FILES, separated like COMPOSE_FILE (`:`, `;` on Windows): layered over the
 * bundled one by `kmon up` and by the monitor's `u`, e.g. an override for a host that cannot run privileged containers.
 */
export function extraFilesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
	return (env['KMON_STACK_FILES'] ?? '').split(path.delimiter).map(file => file.trim()).filter(Boolean);
}

/**
 * The Kafka the stack's exporters are pointed at (KMON_KAFKA_BROKERS from the environment, else from the
 * stack's env file), or null when none is set: then the stack's default is the demo broker's name, which only
 * answers with `--with-kafka`.
 */
export function configuredBrokers(files: StackFiles, env: NodeJS.ProcessEnv = process.env): string | null {
	const fromEnv = env['KMON_KAFKA_BROKERS']?.trim();
	if (fromEnv) {
		return fromEnv;
	}

	const envFile = files.envFile ?? path.join(files.directory, '.env');
	try {
		return parseEnv(readFileSync(envFile, 'utf8'))['KMON_KAFKA_BROKERS']?.trim() || null;
	} catch {
		return null;
	}
}
