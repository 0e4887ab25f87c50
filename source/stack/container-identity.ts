// Container identity for the Containers tab: given the cgroup ids cAdvisor reports ("/docker/<64 hex>",
// "/system.slice/docker-<id>.scope", ...), what Docker knows about each container: name, compose project and
// service, image, state, health, restarts, uptime, and whether it belongs to kmon's own monitoring stack.
//
// Made to be called from the poller on every poll (not concurrently): one `docker ps` per TTL (default 5 s)
// for all ids, and `docker inspect` only for containers whose `docker ps` state text changed, or whose
// details are older than 30 s. It never
// throws; when Docker is unreachable it returns the problem (cached for a back-off, so a dead engine costs
// one attempt per 30 s, not one per poll).
import type Docker from 'dockerode';
import type {ContainerInfo} from 'dockerode';
import {connectDocker, withTimeout} from './docker-client.js';
import {classifyDockerError} from './docker-errors.js';
import type {DockerEndpoint} from './docker-endpoint.js';
import type {StackProblem} from './problem.js';
import {composeLabels, fromInspect, healthFromStatus, type ContainerHealth, type ContainerState, uptimeSeconds} from './project-containers.js';
import {stackProject} from './stack-files.js';

export type ContainerIdentity = {
	/** Full 64-hex Docker id. */
	id: string;
	/** Docker's container name, without the leading "/". */
	name: string;
	composeProject: string | null;
	composeService: string | null;
	image: string;
	state: ContainerState;
	health: ContainerHealth;
	restartCount: number;
	/** ISO-8601 start of the current run, null when not running. */
	startedAt: string | null;
	/** Seconds since startedAt at lookup time, null when not running. */
	uptimeSeconds: number | null;
	/** True for containers of kmon's own monitoring stack (compose project "kmon"). */
	monitoringStack: boolean;
};

export type IdentityResult =
	/** `identities` has an entry for every requested cgroup id Docker knows; others are absent. */
	| {ok: true; identities: Map<string, ContainerIdentity>}
	| {ok: false; problem: StackProblem};

export type ContainerIdentityLookup = {
	/** Identity per cAdvisor cgroup id. Cheap to call every poll. */
	lookup: (cgroupIds: readonly string[]) => Promise<IdentityResult>;
	/** Forgets every cached answer (e.g. after kmon up / down). */
	invalidate: () => void;
};

export type IdentityOptions = {
	/** How long one `docker ps` answer is reused. Default 5000 ms. */
	ttlMs?: number;
	/** Inspected details (restart count, start time) are refreshed at least this often. Default 30000 ms. */
	inspectTtlMs?: number;
	/** How long a "Docker unreachable" answer is reused before trying again. Default 30000 ms. */
	failureTtlMs?: number;
	/** Per Docker request. Default 2000 ms. */
	timeoutMs?: number;
	env?: NodeJS.ProcessEnv;
	/** An already connected engine (tests, or a caller that has one). */
	docker?: {docker: Docker; endpoint: DockerEndpoint};
	now?: () => number;
};

const hex64 = /^[\da-f]{64}$/;

/**
 * The Docker container id inside a cgroup path, or null for cgroups that are not containers ("/",
 * "/system.slice/ssh.service"). Handles cgroupfs ("/docker/<id>"), the systemd driver
 * ("/system.slice/docker-<id>.scope"), nested paths ("/kubepods/.../docker-<id>.scope", "/docker/<id>/...")
 * and podman's "libpod-<id>.scope". The innermost id wins. Pure.
 */
export function dockerIdFromCgroup(cgroupId: string): string | null {
	const segments = cgroupId.split('/').filter(Boolean);
	for (let index = segments.length - 1; index >= 0; index--) {
		const segment = segments[index]!.replace(/\.scope$/, '').replace(/^(?:docker|libpod)-/, '');
		if (hex64.test(segment)) {
			return segment;
		}
	}

	return null;
}

export function createContainerIdentity(options: IdentityOptions = {}): ContainerIdentityLookup {
	const ttlMs = options.ttlMs ?? 5000;
	const failureTtlMs = options.failureTtlMs ?? 30_000;
	const inspectTtlMs = options.inspectTtlMs ?? 30_000;
	const timeoutMs = options.timeoutMs ?? 2000;
	const now = options.now ?? Date.now;

	let engine = options.docker;
	let listed: {at: number; byId: Map<string, ContainerInfo>} | undefined;
	let failure: {at: number; problem: StackProblem} | undefined;
	/** Inspected containers, keyed by id, with the `docker ps` text they were inspected at. */
	const inspected = new Map<string, {stamp: string; at: number; identity: Omit<ContainerIdentity, 'uptimeSeconds'>}>();

	async function refresh(cgroupIds: readonly string[]): Promise<IdentityResult> {
		if (failure && now() - failure.at < failureTtlMs) {
			return {ok: false, problem: failure.problem};
		}

		if (!engine) {
			const connection = await connectDocker({timeoutMs, ...(options.env ? {env: options.env} : {})});
			if (!connection.ok) {
				failure = {at: now(), problem: connection.problem};
				return {ok: false, problem: connection.problem};
			}

			engine = {docker: connection.value.docker, endpoint: connection.value.endpoint};
		}

		const {docker, endpoint} = engine;
		try {
			if (!listed || now() - listed.at >= ttlMs) {
				const containers = await withTimeout(docker.listContainers({all: true}), timeoutMs);
				listed = {at: now(), byId: new Map(containers.map(container => [container.Id, container]))};
			}

			const wanted = new Map<string, string>();
			for (const cgroupId of cgroupIds) {
				const id = dockerIdFromCgroup(cgroupId);
				if (id && listed.byId.has(id)) {
					wanted.set(cgroupId, id);
				}
			}

			const stale = [...new Set(wanted.values())].filter(id => {
				const known = inspected.get(id);
				return known?.stamp !== stampOf(listed!.byId.get(id)!) || now() - known.at >= inspectTtlMs;
			});
			await Promise.all(stale.map(async id => {
				try {
					const info = await withTimeout(docker.getContainer(id).inspect(), timeoutMs);
					inspected.set(id, {stamp: stampOf(listed!.byId.get(id)!), at: now(), identity: identityOf(fromInspect(info))});
				} catch {
					// Gone since the list, or slow: fall back to what `docker ps` said.
					inspected.set(id, {stamp: '', at: now(), identity: identityFromList(listed!.byId.get(id)!)});
				}
			}));

			const at = now();
			const identities = new Map<string, ContainerIdentity>();
			for (const [cgroupId, id] of wanted) {
				const known = inspected.get(id);
				if (known) {
					identities.set(cgroupId, {...known.identity, uptimeSeconds: uptimeSeconds(known.identity, at)});
				}
			}

			for (const id of inspected.keys()) {
				if (!listed.byId.has(id)) {
					inspected.delete(id);
				}
			}

			failure = undefined;
			return {ok: true, identities};
		} catch (error) {
			const found = classifyDockerError(error, endpoint);
			failure = {at: now(), problem: found};
			listed = undefined;
			if (found.kind !== 'docker-api' && found.kind !== 'docker-timeout') {
				// The engine went away: connect afresh next time (DOCKER_HOST may have been a restarted daemon).
				engine = options.docker;
			}

			return {ok: false, problem: found};
		}
	}

	return {
		lookup: refresh,
		invalidate() {
			listed = undefined;
			failure = undefined;
			inspected.clear();
		},
	};
}

/** Changes whenever state, health or restart behaviour shows in `docker ps` ("Up 5 minutes (healthy)"). */
function stampOf(container: ContainerInfo): string {
	return `${container.State}|${container.Status.replace(/\d+ (?:second|minute|hour|day|week|month|year)s?|About an? \w+|Less than a second/g, '')}`;
}

function identityOf(container: ReturnType<typeof fromInspect>): Omit<ContainerIdentity, 'uptimeSeconds'> {
	return {
		id: container.id,
		name: container.name,
		composeProject: container.project,
		composeService: container.service,
		image: container.image,
		state: container.state,
		health: container.health,
		restartCount: container.restartCount,
		startedAt: container.startedAt,
		monitoringStack: container.project === stackProject,
	};
}

function identityFromList(container: ContainerInfo): Omit<ContainerIdentity, 'uptimeSeconds'> {
	const project = container.Labels[composeLabels.project] ?? null;
	const state = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'].includes(container.State)
		? container.State as ContainerState
		: 'unknown';
	return {
		id: container.Id,
		name: (container.Names[0] ?? container.Id.slice(0, 12)).replace(/^\//, ''),
		composeProject: project,
		composeService: container.Labels[composeLabels.service] ?? null,
		image: container.Image,
		state,
		health: healthFromStatus(container.Status),
		restartCount: 0,
		startedAt: null,
		monitoringStack: project === stackProject,
	};
}
