import type {Diagnostic, Snapshot} from './types.js';

/**
 * Consumer groups come only from kafka_exporter. Without its series an empty list of groups means "unknown",
 * not "none": the diagnostic the data layer raised then says why, and how to fix it.
 */
export function groupsUnknown(snapshot: Snapshot): Diagnostic | undefined {
	return snapshot.diagnostics.find(diagnostic => diagnostic.id === 'kafka-exporter-absent');
}
