import process from 'node:process';

// Replaced by the stack-control work (issue 6). Until it lands, the command says so.
export async function runCommand(_argv: string[]): Promise<number> {
	process.stderr.write('kmon: "kmon up" is not built yet (issue 6); from a checkout use npm run stack:up / stack:down\n');
	return 2;
}
