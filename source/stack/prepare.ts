// What `kmon up`, `down` and `status` all start with: the stack's files, a pinged Docker engine and, for
// up and down, the compose CLI with the options every compose command of the project gets.
import path from 'node:path';
import {composeArgv, detectComposeCli, type ComposeCli, type ComposeProject} from './compose-cli.js';
import {composeFailure} from './compose-failure.js';
import {connectDocker, type DockerConnection} from './docker-client.js';
import type {StackOutcome, StackProblem} from './problem.js';
import {runProcess} from './run-process.js';
import {locateStack, stackProject, type StackFiles} from './stack-files.js';

export type StackRequest = {
	/** Adds the demo broker (compose profile "kafka"). */
	withKafka: boolean;
	/** Adds the demo's producer and consumer groups (compose profile "demo", with the demo broker). */
	demo?: boolean;
	/** Extra compose files layered over the bundled one (--file). */
	extraFiles: string[];
	envFile?: string;
	env?: NodeJS.ProcessEnv;
};

export type StackContext = {
	files: StackFiles;
	connection: DockerConnection;
	compose: {cli: ComposeCli; project: ComposeProject} | null;
	env: NodeJS.ProcessEnv;
};

export async function prepareStack(request: StackRequest, needCompose: boolean): Promise<StackOutcome<StackContext>> {
	const env = request.env ?? process.env;
	const files = locateStack({env, ...(request.envFile ? {envFile: request.envFile} : {})});
	if (!files.ok) {
		return files;
	}

	const connection = await connectDocker({env});
	if (!connection.ok) {
		return connection;
	}

	if (!needCompose) {
		return {ok: true, value: {files: files.value, connection: connection.value, compose: null, env}};
	}

	const cli = await detectComposeCli(env);
	if (!cli.ok) {
		return cli;
	}

	const project: ComposeProject = {
		project: stackProject,
		files: [files.value.composeFile, ...request.extraFiles.map(file => path.resolve(file))],
		profiles: [...(request.withKafka || request.demo ? ['kafka'] : []), ...(request.demo ? ['demo'] : [])],
		projectDirectory: files.value.directory,
		envFile: files.value.envFile,
	};
	return {ok: true, value: {files: files.value, connection: connection.value, compose: {cli: cli.value, project}, env}};
}

/** Runs one compose command of the project, streaming its lines to `onLine`. */
export async function runCompose(
	context: StackContext,
	command: string[],
	action: string,
	onLine?: (line: string) => void,
	project?: Partial<ComposeProject>,
): Promise<StackOutcome<string[]>> {
	if (!context.compose) {
		throw new Error('runCompose needs a context prepared with compose');
	}

	const argv = composeArgv(context.compose.cli, {...context.compose.project, ...project}, command);
	const result = await runProcess(argv, {env: context.env, ...(onLine ? {onLine: line => {
		onLine(line);
	}} : {})});
	if (result.exitCode === 0) {
		return {ok: true, value: result.lines};
	}

	const lines = result.spawnError ? [result.spawnError.message] : result.lines;
	return {ok: false, problem: composeFailure(action, lines, result.exitCode)};
}

/**
 * Compose prints each step twice, once when it starts and once with the outcome: v1 "Creating x ..." then
 * "Creating x ... done", v2 "Container x  Starting" then "Container x  Started". Progress shows the outcomes.
 */
export function isInProgressLine(line: string): boolean {
	return /\.\.\.\s*$/.test(line) || /\s(?:Creating|Starting|Stopping|Removing|Recreate|Waiting|Pulling|Restarting)\s*$/.test(line);
}

/** 4: Docker or compose is not usable here; 1: the stack itself failed. */
export function exitCodeFor(found: StackProblem): number {
	return found.kind.startsWith('docker-') || found.kind.startsWith('compose-missing') || found.kind === 'compose-too-old'
		|| found.kind === 'stack-files-missing'
		? 4
		: 1;
}
