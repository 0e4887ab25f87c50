// The Snapshot is the contract between the data layer and everything that shows data (the UI, --once,
// --json). It is plain, serialisable data. `null` always means "unknown" and never "zero".
// `kmon --once --json` prints exactly this shape; bump SCHEMA_VERSION on any breaking change.

export const SCHEMA_VERSION = 1 as const;

export type ErrorKind = 'unreachable' | 'timeout' | 'http' | 'malformed' | 'auth';

export type QueryError = {
	kind: ErrorKind;
	/** One line a person can read; never contains credentials. */
	message: string;
	/** HTTP status when Prometheus (or a proxy) answered. */
	status: number | null;
};

/** Points of one series, aligned to `Snapshot.window`; `null` where Prometheus had no sample. */
export type History = Array<number | null>;

/** A current value and its recent history. */
export type Signal = {
	value: number | null;
	history: History;
};

export type Window = {
	/** ISO-8601 time of the first point. */
	start: string;
	/** ISO-8601 time of the last point (aligned down to the step). */
	end: string;
	stepSeconds: number;
	points: number;
	rangeSeconds: number;
};

/** A domain's data, or why there is none. */
export type Section<T> =
	| {state: 'ok'; data: T}
	| {state: 'absent'; reason: string; fix: string}
	| {state: 'failed'; error: QueryError}
	| {state: 'skipped'};

export type Families = {
	/** Which JMX exporter naming the broker series use. */
	jmx: 'jmx-exporter-1.x' | 'jmx-exporter-0.x' | null;
	/** How k6 results reach Prometheus. */
	k6: 'statsd-histogram' | 'statsd-summary' | 'prometheus-remote-write' | null;
	/** Whether cAdvisor labels containers with their Docker name. */
	cadvisor: 'cadvisor-named' | 'cadvisor-unnamed' | null;
};

export type Target = {
	job: string;
	instance: string;
	health: 'up' | 'down' | 'unknown';
	lastError: string | null;
	/** ISO-8601 time of the last scrape, null if never. */
	lastScrape: string | null;
};

export type Severity = 'error' | 'warning' | 'info';

export type Diagnostic = {
	/** Stable identifier, e.g. "target-down:kafka-exporter". */
	id: string;
	severity: Severity;
	area: 'prometheus' | 'kafka' | 'containers' | 'k6' | 'kmon';
	message: string;
	/** One line saying what to do about it. */
	fix: string;
};

export type GroupStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND' | 'GONE';

export type LagTrend = 'growing' | 'draining' | 'flat';

export type PartitionLag = {
	partition: number;
	/** null when the group never committed on this partition (the exporter reports -1). */
	lag: number | null;
	committedOffset: number | null;
	logEndOffset: number | null;
};

export type ConsumerGroup = {
	group: string;
	topic: string;
	status: GroupStatus;
	/** Why the status is what it is, in words. */
	statusReason: string;
	/** Sum of lag over partitions with a committed offset; null when none has one or the group is gone. */
	lag: Signal;
	trend: LagTrend | null;
	/** Estimated seconds until lag reaches zero at current rates; null unless draining. */
	secondsToDrain: number | null;
	/** Messages per second committed by the group. */
	consumeRate: number | null;
	/** Messages per second written to the topic. */
	produceRate: number | null;
	members: number | null;
	partitions: number | null;
	partitionLags: PartitionLag[];
	/** For a gone group: ISO-8601 time its series were last seen. */
	lastSeen: string | null;
};

export type Brokers = {
	brokers: number | null;
	/**
	 * Where `brokers` comes from: kafka_exporter's broker list, else the active brokers the KRaft controller reports
	 * over JMX (ActiveBrokerCount); null when neither has it.
	 */
	brokersFrom: 'kafka_exporter' | 'jmx-controller' | null;
	activeControllers: number | null;
	underReplicatedPartitions: number | null;
	offlinePartitions: number | null;
	messagesInPerSecond: Signal;
	bytesInPerSecond: Signal;
	bytesOutPerSecond: Signal;
	requestsPerSecond: Signal;
	produceP99Ms: number | null;
	fetchP99Ms: number | null;
	heapUsedBytes: Signal;
	heapMaxBytes: number | null;
	/** Seconds spent in GC per second of wall time (0.02 = 2 %). */
	gcSecondsPerSecond: number | null;
};

export type Kafka = {
	/** The busiest groups by lag, plus every group with a problem and every gone group (one row per group and topic). */
	groups: ConsumerGroup[];
	/**
	 * Group-and-topic pairs kafka_exporter reports in all (more than `groups` holds when there are many); null
	 * without kafka_exporter's series, when the groups are unknown.
	 */
	groupCount: number | null;
	/** Lag of all groups together (committed partitions only). */
	totalLag: Signal;
	/** Absent when no broker metrics (JMX exporter) and no kafka_exporter broker count exist. */
	brokers: Section<Brokers>;
};

export type Container = {
	/** cAdvisor's cgroup id, e.g. "/docker/3f2a…" or "/system.slice/x.service". */
	id: string;
	/** What kmon calls it: the Docker name (from cAdvisor, else asked of Docker by id), else the compose service, else a short id. */
	name: string;
	nameSource: 'name' | 'docker' | 'compose-service' | 'id';
	composeProject: string | null;
	composeService: string | null;
	image: string | null;
	/** CPU in percent of one core (200 = two cores busy). */
	cpuPercent: Signal;
	memoryWorkingSetBytes: Signal;
	/** null when the container has no memory limit (cAdvisor reports 0). */
	memoryLimitBytes: number | null;
	networkReceiveBytesPerSecond: number | null;
	networkTransmitBytesPerSecond: number | null;
	diskReadBytesPerSecond: number | null;
	diskWriteBytesPerSecond: number | null;
	/** What the Docker engine says of it; null when it is not a Docker container or Docker was not reachable. */
	docker: {
		state: string;
		health: 'healthy' | 'unhealthy' | 'starting' | 'none';
		restartCount: number;
		uptimeSeconds: number | null;
	} | null;
	/** Part of kmon's own monitoring stack (compose project "kmon"), to tell it from the user's services. */
	monitoringStack: boolean;
};

export type Containers = {
	containers: Container[];
	/** How many containers cAdvisor reports in all (the list may be cut to the busiest). */
	total: number;
};

export type K6Figures = {
	requestsPerSecond: Signal;
	failedPercent: Signal;
	p95Ms: Signal;
	p99Ms: Signal;
	/** Requests in the window. */
	requests: number | null;
};

export type K6TagRow = K6Figures & {value: string};

export type K6 = {
	tagKey: string;
	/** Tag keys present on k6's request series, for switching. */
	tagKeys: string[];
	/** False when requests arrive without tag labels (K6_STATSD_ENABLE_TAGS not set). */
	tagged: boolean;
	totals: K6Figures & {
		vus: Signal;
		iterationsPerSecond: Signal;
		checksPassed: number | null;
		checksFailed: number | null;
	};
	byTag: K6TagRow[];
	/** How many values the tag has in all (the rows may be cut to the busiest). */
	tagValueCount: number;
};

/** A k6 run started through kmon, from the run store; drawn as start/end marks on every chart. */
export type RunMarker = {
	id: string;
	script: string;
	/** ISO-8601. */
	startedAt: string;
	/** ISO-8601, null while running. */
	endedAt: string | null;
	state: 'running' | 'stopping' | 'finished' | 'failed' | 'detached';
	exitCode: number | null;
};

export type PrometheusInfo = {
	/** Without credentials. */
	url: string;
	version: string | null;
	/** Milliseconds the poll took, all queries included. */
	pollMs: number;
	/** HTTP requests the poll sent (several queries can share one: source/prometheus/query-batch.ts). */
	queries: number;
	/** Response bytes the poll received, after any decompression. */
	bytes: number;
};

export type Snapshot = {
	schema: typeof SCHEMA_VERSION;
	/** ISO-8601 evaluation time of the instant queries (the poll's start, aligned down to 5 s); histories end at `window.end`. */
	takenAt: string;
	prometheus: PrometheusInfo;
	window: Window;
	families: Families;
	targets: Target[];
	kafka: Section<Kafka>;
	containers: Section<Containers>;
	k6: Section<K6>;
	/** k6 runs overlapping the window, oldest first. */
	runs: RunMarker[];
	diagnostics: Diagnostic[];
};

export type DomainName = 'kafka' | 'containers' | 'k6';
