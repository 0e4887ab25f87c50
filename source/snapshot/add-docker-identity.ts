import type {ContainerIdentityLookup} from '../stack/container-identity.js';
import type {Container, Snapshot} from './types.js';

/**
 * Adds what Docker knows (name when cAdvisor has none, compose labels, state, health, restarts, uptime) to
 * the snapshot's containers. Docker being unreachable is not an error of the snapshot: containers simply keep
 * what cAdvisor said, and a diagnostic says why Docker's part is missing.
 */
export async function addDockerIdentity(snapshot: Snapshot, identity: ContainerIdentityLookup): Promise<Snapshot> {
	if (snapshot.containers.state !== 'ok' || snapshot.containers.data.containers.length === 0) {
		return snapshot;
	}

	const {containers} = snapshot.containers.data;
	const result = await identity.lookup(containers.map(container => container.id));
	if (!result.ok) {
		return {
			...snapshot,
			diagnostics: [...snapshot.diagnostics, {
				id: `docker-${result.problem.kind}`,
				severity: 'info',
				area: 'containers',
				message: `container state and health from Docker are unknown: ${result.problem.message}`,
				fix: result.problem.fix,
			}],
		};
	}

	const enriched = containers.map((container): Container => {
		const known = result.identities.get(container.id);
		if (!known) {
			return container;
		}

		const named = container.nameSource === 'name';
		return {
			...container,
			name: named ? container.name : known.name,
			nameSource: named ? 'name' : 'docker',
			composeProject: container.composeProject ?? known.composeProject,
			composeService: container.composeService ?? known.composeService,
			image: container.image ?? known.image,
			docker: {state: known.state, health: known.health, restartCount: known.restartCount, uptimeSeconds: known.uptimeSeconds},
			monitoringStack: known.monitoringStack,
		};
	});
	return {...snapshot, containers: {state: 'ok', data: {...snapshot.containers.data, containers: enriched}}};
}

/**
 * `addDockerIdentity` for a caller that polls: Docker (and dockerode) is touched only once cAdvisor reports a
 * Docker container, and the lookup, with its caches, is made once and kept.
 */
export function dockerIdentityAdder(): (snapshot: Snapshot) => Promise<Snapshot> {
	let identity: ContainerIdentityLookup | undefined;
	return async snapshot => {
		const containers = snapshot.containers.state === 'ok' ? snapshot.containers.data.containers : [];
		const {dockerIdFromCgroup, createContainerIdentity} = await import('../stack/container-identity.js');
		if (!containers.some(container => dockerIdFromCgroup(container.id) !== null)) {
			return snapshot;
		}

		identity ??= createContainerIdentity();
		return addDockerIdentity(snapshot, identity);
	};
}
