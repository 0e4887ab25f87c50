import process from 'node:process';
import type {Config} from '../config/config.js';

// Replaced by the Ink UI (issue 4). Until it lands, UI mode says so rather than pretending.
export async function startUi(_config: Config): Promise<number> {
	process.stderr.write('kmon: the full-screen monitor is not built yet; use kmon --once (or kmon --once --json)\n');
	return 2;
}
