// Helpers for building PromQL from values that came from users or from Prometheus itself (filters, tag
// values, container ids). Everything that reaches a label matcher goes through here.

/** A label value as a PromQL string literal: quotes, backslashes and newlines escaped. */
export function quoteLabelValue(value: string): string {
	return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** A regular expression (RE2) matching exactly one of `values`, for `label=~…`. */
export function anyOf(values: string[]): string {
	const escaped = values.map(value => value.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&'));
	return quoteLabelValue(escaped.join('|'));
}

/** Label names are checked, not escaped: anything else is refused before it reaches a query. */
export function isLabelName(name: string): boolean {
	return /^[a-zA-Z_]\w*$/.test(name);
}
