// Adds up vitest JSON reports into the plain closing line CI reads. A missing report (the runner crashed
// before writing it) counts as one failure, so a broken suite can never look green.
import {readFileSync} from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
	try {
		const report = JSON.parse(readFileSync(file, 'utf8'));
		passed += report.numPassedTests;
		// A file that fails to load has no failed tests, only a failed suite.
		failed += report.numFailedTests || report.numFailedTestSuites || 0;
		skipped += report.numPendingTests + (report.numTodoTests ?? 0);
	} catch {
		console.log(`no test report at ${file}: counted as a failure`);
		failed += 1;
	}
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
