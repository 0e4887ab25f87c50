import process from 'node:process';

// Replaced by the k6 runner work (issue 5). Until it lands, the command says so.
export async function runCommand(_argv: string[]): Promise<number> {
	process.stderr.write('kmon: "kmon run" is not built yet (issue 5)\n');
	return 2;
}
