// Which compose CLI this machine has: `docker compose` (the v2 plugin) first, else a standalone
// `docker-compose` (v1.28+ or a v2 binary). KMON_COMPOSE overrides ("docker-compose", "docker compose",
// "/opt/bin/docker-compose"). The parsing and argument building are pure; detection runs the candidates.
import {problem, type StackOutcome} from './problem.js';
import {runProcess} from './run-process.js';

export type ComposeVersion = {major: number; minor: number; patch: number; text: string};

export type ComposeCli = {
	/** The command to run, before compose's own arguments: ["docker", "compose"] or ["docker-compose"]. */
	argv: string[];
	version: ComposeVersion;
};

/** The options kmon gives every compose command. */
export type ComposeProject = {
	project: string;
	files: string[];
	profiles: string[];
	projectDirectory: string;
	envFile: string | null;
};

/** Reads a version from `version --short` or `version` output of either generation, e.g.
 * "2.29.7", "v2.24.0-desktop.1", "Docker Compose version v2.29.7", "docker-compose version 1.29.2, build unknown". */
export function parseComposeVersion(output: string): ComposeVersion | null {
	const match = /\bv?(\d+)\.(\d+)\.(\d+)([-+][\w.+-]*)?/.exec(output);
	if (!match) {
		return null;
	}

	const [text, major, minor, patch] = match;
	return {major: Number(major), minor: Number(minor), patch: Number(patch), text: text.replace(/^v/, '')};
}

/** Candidate commands in the order kmon tries them. */
export function composeCandidates(env: NodeJS.ProcessEnv): string[][] {
	const override = env['KMON_COMPOSE']?.trim();
	if (override) {
		return [override.split(/\s+/)];
	}

	return [['docker', 'compose'], ['docker-compose']];
}

/** Profiles (`--profile`) appeared in docker-compose 1.28; every v2 has them. */
export function supportsProfiles(version: ComposeVersion): boolean {
	return version.major >= 2 || (version.major === 1 && version.minor >= 28);
}

/** The full argument vector of one compose command, global options first (both generations accept them there). */
export function composeArgv(cli: ComposeCli, project: ComposeProject, command: string[]): string[] {
	return [
		...cli.argv,
		'--ansi', 'never',
		'--project-name', project.project,
		'--project-directory', project.projectDirectory,
		...project.files.flatMap(file => ['--file', file]),
		...project.profiles.flatMap(profile => ['--profile', profile]),
		...(project.envFile ? ['--env-file', project.envFile] : []),
		...command,
	];
}

type Attempt = {argv: string[]; outcome: string};

/** Runs `<candidate> version --short` for each candidate; the first that answers with a version wins. */
export async function detectComposeCli(env: NodeJS.ProcessEnv = process.env): Promise<StackOutcome<ComposeCli>> {
	const attempts: Attempt[] = [];
	for (const candidate of composeCandidates(env)) {
		// In order: the first that works wins.
		const result = await runProcess([...candidate, 'version', '--short'], {env, timeoutMs: 15_000});
		const version = result.exitCode === 0 ? parseComposeVersion(result.lines.join('\n')) : null;
		if (version) {
			if (!supportsProfiles(version)) {
				return {ok: false, problem: problem('compose-too-old', `${candidate.join(' ')} is version ${version.text}; kmon's stack needs docker-compose 1.28 or later (or Compose v2)`,
					'install the Docker Compose plugin (docker compose): https://docs.docker.com/compose/install/linux/')};
			}

			return {ok: true, value: {argv: candidate, version}};
		}

		attempts.push({argv: candidate, outcome: describeAttempt(result)});
	}

	return {ok: false, problem: problem('compose-missing', 'no Docker Compose CLI found: kmon up and kmon down need `docker compose` or `docker-compose`',
		'install the Compose plugin: sudo apt-get install docker-compose-plugin (from Docker\'s apt repository),\n'
		+ 'or Debian/Ubuntu\'s docker-compose package, or see https://docs.docker.com/compose/install/.\n'
		+ 'To use a compose binary elsewhere: KMON_COMPOSE=/path/to/docker-compose',
		attempts.map(attempt => `${attempt.argv.join(' ')}: ${attempt.outcome}`))};
}

function describeAttempt(result: Awaited<ReturnType<typeof runProcess>>): string {
	if (result.spawnError) {
		return result.spawnError.code === 'ENOENT' ? 'not installed (not on PATH)' : result.spawnError.message;
	}

	const last = result.lines.find(line => line.trim());
	return `exit ${result.exitCode ?? result.signal}${last ? `: ${last.trim()}` : ''}`;
}
