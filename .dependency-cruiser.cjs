// The import graph `npm test` checks (dependency-cruiser): no cycles, and no folder of source/ importing one of
// a higher layer or a sibling of its own layer. Type-only imports count: a type from a higher layer couples too.
// The picture and the why: source/README.md.

/** Lowest first. A module may import its own group and the groups of lower layers, nothing else. */
const layers = [
	[{name: 'format', path: '^source/format/'}],
	[{name: 'prometheus', path: '^source/prometheus/'}],
	[{name: 'config', path: '^source/config/'}],
	// The Snapshot type is the contract every domain fills in; the rest of snapshot/ collects with the domains.
	[{name: 'contract', path: '^source/snapshot/types[.]ts$'}],
	[{name: 'domains', path: '^source/domains/'}],
	[{name: 'snapshot', path: '^source/snapshot/'}],
	[{name: 'report', path: '^source/report/'}, {name: 'poller', path: '^source/poller[.]ts$'}],
	[{name: 'k6', path: '^source/k6/'}, {name: 'stack', path: '^source/stack/'}, {name: 'ui', path: '^source/ui/'}],
	// kmon demo puts a stack and k6 together; the monitor it opens is handed to it by the root.
	[{name: 'demo', path: '^source/demo/'}],
	// The composition roots: they alone see every part, and nothing imports them but bin/ and each other.
	[{name: 'root', path: '^source/[^/]+$'}],
];

/** A group's own pattern, minus the patterns of groups listed before it (contract before the rest of snapshot/). */
const groups = layers.flat();
const claimed = group => groups.slice(0, groups.indexOf(group)).map(other => other.path);

const layerRules = layers.flatMap((layer, rank) => layer.map(group => ({
	name: `${group.name}-imports-only-below`,
	comment: `${group.name} may import itself and ${layers.slice(0, rank).flat().map(other => other.name).join(', ') || 'nothing of kmon'}`,
	severity: 'error',
	from: {path: group.path, pathNot: claimed(group)},
	to: {
		path: '^source/',
		pathNot: [
			group.path,
			...layers.slice(0, rank).flat().map(other => other.path),
		],
	},
})));

module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			comment: 'a cycle means two modules cannot be understood, tested or moved one without the other',
			severity: 'error',
			from: {},
			to: {circular: true},
		},
		{
			name: 'source-not-tests',
			comment: 'kmon itself never depends on its tests or benchmarks',
			severity: 'error',
			from: {path: '^source/'},
			to: {path: '^(test|bench)/'},
		},
		...layerRules,
	],
	options: {
		tsConfig: {fileName: 'tsconfig.json'},
		tsPreCompilationDeps: true,
		doNotFollow: {path: 'node_modules'},
		exclude: {path: '^dist/'},
	},
};
