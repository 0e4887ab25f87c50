import type {ErrorKind, QueryError} from '../snapshot/types.js';

/** The error shapes prometheus-query throws: plain objects, not Errors. */
type DriverError = {
	errorType?: string;
	original?: unknown;
	error?: unknown;
	code?: string;
	httpStatus?: number;
	data?: unknown;
};

export function queryError(kind: ErrorKind, message: string, status: number | null = null): QueryError {
	return {kind, message, status};
}

/** Turns whatever prometheus-query threw into a typed error with a one-line message. */
export function classifyError(thrown: unknown, url: string, timeoutMs: number): QueryError {
	let error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as DriverError;
	// prometheus-query handles its own thrown client_error a second time, wrapping it as a network_error.
	const original = error.original as DriverError | undefined;
	if (original?.errorType) {
		error = original;
	}

	const text = typeof error.error === 'string' ? error.error : String(thrown);

	switch (error.errorType) {
		case 'timeout_error': {
			return queryError('timeout', `Prometheus at ${url} did not answer within ${timeoutMs} ms`);
		}

		case 'http_error': {
			const status = error.httpStatus ?? null;
			if (status === 401 || status === 403) {
				return queryError('auth', `Prometheus at ${url} refused the credentials (HTTP ${status})`, status);
			}

			if (status !== null && status >= 300 && status < 400) {
				return queryError('http', `Prometheus at ${url} answered with a redirect (HTTP ${status}), which kmon does not follow: pass the address it redirects to as --prometheus`, status);
			}

			return queryError('http', `Prometheus answered HTTP ${status ?? '?'}: ${oneLine(text)}`, status);
		}

		case 'client_error': {
			const reason = malformedReason(error.data);
			return queryError('malformed', `Prometheus at ${url} sent a response kmon cannot read: ${reason}`);
		}

		case 'network_error':
		case 'ssl_error': {
			if (error.code === 'ERR_BAD_RESPONSE' && text.includes('maxContentLength')) {
				return queryError('malformed', `Prometheus at ${url} sent a response over the ${maxBodyMiB} MiB kmon accepts`);
			}

			if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') {
				return queryError('timeout', `Prometheus at ${url} did not answer within ${timeoutMs} ms`);
			}

			if (error.code === 'ERR_CANCELED') {
				return queryError('timeout', 'the query was cancelled');
			}

			return queryError('unreachable', `cannot reach Prometheus at ${url}: ${networkReason(error.code, text)}`);
		}

		default: {
			return queryError('malformed', `unexpected failure talking to Prometheus at ${url}: ${oneLine(text)}`);
		}
	}
}

export const maxBodyMiB = 32;

/** Marker our response parser puts in place of a body that is not Prometheus JSON. */
export type Unreadable = {kmonUnreadable: string};

function malformedReason(data: unknown): string {
	if (typeof data === 'object' && data !== null && 'kmonUnreadable' in data) {
		return String((data as Unreadable).kmonUnreadable);
	}

	return 'no "status" field (not the Prometheus HTTP API?)';
}

function networkReason(code: string | undefined, text: string): string {
	switch (code) {
		case 'ECONNREFUSED': {
			return 'connection refused (is it running? is the port right?)';
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return 'host name not found';
		}

		case 'ECONNRESET': {
			return 'connection reset';
		}

		default: {
			if (code && /CERT|SELF_SIGNED|VERIFY|ERR_TLS|ERR_SSL/.test(code)) {
				return `its TLS certificate is not trusted (${code}): pass --ca-file with the CA, or --insecure`;
			}

			return oneLine(text);
		}
	}
}

/** Outside text as one short line, for messages. */
export function oneLine(text: string): string {
	const line = text.replaceAll(/\s+/g, ' ').trim();
	return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
