// k6 scripts commonly take credentials as `-e API_TOKEN=…` on the command line. The run folder keeps the
// command so a run can be understood later, but a secret must not end up in a file under ~/.local/state.

const secretName = /pass|secret|token|key|auth|cred|cookie|session/i;
const envFlags = new Set(['-e', '--env']);

/** The k6 arguments with the value of every secret-looking `-e NAME=value` replaced. */
export function redactArguments(args: readonly string[]): string[] {
	return args.map((argument, index) => {
		const previous = index > 0 ? args[index - 1] : undefined;
		if (previous !== undefined && envFlags.has(previous)) {
			return redactAssignment(argument);
		}

		const inline = /^(--env=|-e=?)(.+)$/.exec(argument);
		return inline ? inline[1]! + redactAssignment(inline[2]!) : argument;
	});
}

function redactAssignment(assignment: string): string {
	const equals = assignment.indexOf('=');
	if (equals < 0) {
		return assignment;
	}

	const name = assignment.slice(0, equals);
	return secretName.test(name) ? `${name}=<redacted>` : assignment;
}
