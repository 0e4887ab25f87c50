import process from 'node:process';
import type Docker from 'dockerode';
import meow from 'meow';
import {withTimeout} from './docker-client.js';
import {describeProblem, type StackProblem} from './problem.js';
import {classifyDockerError} from './docker-errors.js';
import {exitCodeFor, isInProgressLine, prepareStack, runCompose, type StackContext} from './prepare.js';
import {composeLabels, listProjectContainers} from './project-containers.js';
import {stackProject} from './stack-files.js';

const help = `
	Usage
	  $ kmon down [--volumes] [options]

	Stops and removes the monitoring stack's containers and network (compose project "${stackProject}"),
	the demo broker included. Its data (Prometheus's, the demo broker's) stays in named volumes unless
	--volumes is given. Running it when nothing runs is harmless.

	Options
	  --volumes, -v       also delete the stack's volumes (Prometheus data, demo broker data)
	  --env-file FILE     the settings kmon up used, if any
	  --file, -f FILE     extra compose files kmon up used, repeatable

	Exit codes
	  0 stopped (or nothing ran) · 1 something is left · 2 bad usage · 4 Docker or Compose not usable
`;

export async function runCommand(argv: string[]): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {
			volumes: {type: 'boolean', shortFlag: 'v', default: false},
			envFile: {type: 'string'},
			file: {type: 'string', shortFlag: 'f', isMultiple: true},
		},
	});
	if (cli.input.length > 0) {
		process.stderr.write(`kmon down: unexpected argument "${cli.input[0]}" (see kmon down --help)\n`);
		return 2;
	}

	// The kafka and demo profiles are always on, so the demo broker and its load count as part of the project and go too.
	const prepared = await prepareStack({
		withKafka: true,
		demo: true,
		extraFiles: cli.flags.file ?? [],
		...(cli.flags.envFile ? {envFile: cli.flags.envFile} : {}),
	}, true);
	if (!prepared.ok) {
		return fail(prepared.problem);
	}

	try {
		return await stopStack(prepared.value, cli.flags.volumes);
	} catch (error) {
		return fail(classifyDockerError(error, prepared.value.connection.endpoint));
	}
}

async function stopStack(context: StackContext, volumes: boolean): Promise<number> {
	const say = (line: string) => process.stderr.write(`${line}\n`);
	const {docker} = context.connection;
	const before = await listProjectContainers(docker, stackProject);
	const networksBefore = await projectNetworks(context.connection.docker);
	if (before.length === 0 && networksBefore.length === 0 && !volumes) {
		process.stdout.write(`kmon down: nothing to stop (no containers or networks of compose project ${stackProject})\n`);
		return 0;
	}

	say(`kmon down: stopping ${before.map(container => container.service ?? container.name).join(', ') || 'nothing'}`);
	const down = await runCompose(context, ['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], 'compose down', line => {
		if (line.trim() && !isInProgressLine(line)) {
			say(`  │ ${line.trim()}`);
		}
	});
	if (!down.ok) {
		return fail(down.problem);
	}

	const left = await listProjectContainers(docker, stackProject);
	const networksLeft = await projectNetworks(docker);
	if (left.length > 0 || networksLeft.length > 0) {
		process.stderr.write(`kmon down: still there: ${[...left.map(container => `container ${container.name}`), ...networksLeft.map(name => `network ${name}`)].join(', ')}\n`
			+ '  → remove them by hand: docker rm -f NAME, docker network rm NAME\n');
		return 1;
	}

	process.stdout.write(`kmon down: removed ${before.length} container${before.length === 1 ? '' : 's'}`
		+ `${networksBefore.length > 0 ? ` and network ${networksBefore.join(', ')}` : ''}`
		+ `${volumes ? ', volumes deleted' : ', volumes kept (kmon down --volumes deletes them)'}\n`);
	return 0;
}

async function projectNetworks(docker: Docker): Promise<string[]> {
	const networks = await withTimeout(docker.listNetworks({filters: {label: [`${composeLabels.project}=${stackProject}`]}}), 5000);
	return networks.map(network => network.Name).sort();
}

function fail(found: StackProblem): number {
	process.stderr.write(`${describeProblem(found).join('\n')}\n`);
	return exitCodeFor(found);
}
