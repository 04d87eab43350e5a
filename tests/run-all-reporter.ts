// The counting half of tests/run-all.sh: a vitest reporter that writes one small JSON summary of a
// project's run. It exists because vitest's JSON report loses what a run-all must count: unhandled errors
// (rejections after a test ended), errors in hooks (an afterAll that found leftovers) and files that
// failed to load all leave numFailedTests at 0. Here each of them is a failure, and every skipped test is
// listed with the reason it was skipped, so the closing line can say why a number is not 0.
import { writeFileSync } from 'node:fs';
import type { Reporter, SerializedError, TestCase, TestModule, TestSuite } from 'vitest/node';

export interface RunSummary {
  passed: number;
  failed: number;
  /** Failures outside any test: a file that did not load, a hook that threw, an unhandled error. */
  outside: string[];
  skipped: { name: string; reason: SkipReason }[];
  /** Files with at least one failure of any kind (tests, hooks, load). */
  failedFiles: string[];
}

/**
 * Why a test did not run. `not-root`: its suite says it needs root (the lab and netd tests) or skipped
 * itself with a note saying so. `missing`: everything else that skipped itself because the machine lacks
 * something (a tool, a namespace, a platform). `skip`: marked skip/todo in the source.
 */
export type SkipReason = 'not-root' | 'missing' | 'skip';

function skipReason(test: TestCase, note: string | undefined): SkipReason {
  if (test.options.mode === 'todo') return 'skip';
  const text = `${test.fullName} ${note ?? ''}`;
  if (/\b(needs?|requires?) root\b|\bnot root\b/i.test(text)) return 'not-root';
  return 'missing';
}

function errorLine(where: string, error: SerializedError): string {
  return `${where}: ${(error.message ?? JSON.stringify(error)).split('\n')[0] ?? ''}`;
}

export default class RunAllReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const file = process.env.BURROW_RUN_SUMMARY;
    if (file === undefined || file === '') return;
    const summary: RunSummary = { passed: 0, failed: 0, outside: [], skipped: [], failedFiles: [] };
    for (const module of modules) {
      let broken = false;
      for (const error of module.errors()) {
        summary.outside.push(errorLine(module.relativeModuleId, error));
        broken = true;
      }
      const suites: TestSuite[] = [...module.children.allSuites()];
      for (const suite of suites) {
        for (const error of suite.errors()) {
          summary.outside.push(errorLine(`${module.relativeModuleId} > ${suite.fullName}`, error));
          broken = true;
        }
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') summary.passed += 1;
        else if (result.state === 'failed') {
          summary.failed += 1;
          broken = true;
        } else if (result.state === 'skipped') {
          summary.skipped.push({ name: `${module.relativeModuleId} > ${test.fullName}`, reason: skipReason(test, result.note) });
        } else {
          // Still pending when the run ended: it never finished, which is not a pass.
          summary.outside.push(`${module.relativeModuleId} > ${test.fullName}: did not finish`);
          broken = true;
        }
      }
      // A module that failed with nothing to show for it (it did not load, or crashed its worker).
      if (module.state() === 'failed' && !broken) {
        summary.outside.push(`${module.relativeModuleId}: failed`);
        broken = true;
      }
      if (broken) summary.failedFiles.push(module.relativeModuleId);
    }
    for (const error of unhandled) summary.outside.push(errorLine('unhandled', error));
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  }
}
