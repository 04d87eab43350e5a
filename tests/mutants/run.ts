// Runs the mutants of mutants.ts: each in its own throw-away git worktree of HEAD (the checkout itself is
// never touched), built, then its lab tests run there with vitest. A mutant is "caught" when every test it
// names failed, each with its expected failure; anything else (a test that passed, or failed for another
// reason) is "missed" and the run exits 1. Needs root (the lab) and takes several minutes per mutant.
//
//   node --import tsx tests/mutants/run.ts [mutant-name …]     (all mutants when none is named)
//
// The report (what failed, and the first lines of each failure) goes to stdout and to
// test-output/mutants.md, for the evidence note of issue 17.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MUTANTS, type Edit, type Mutant } from './mutants.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface AssertionResult {
  title: string;
  status: string;
  failureMessages?: string[];
}

interface Report {
  testResults?: { name: string; message?: string; assertionResults?: AssertionResult[] }[];
}

interface Outcome {
  file: string;
  title: string;
  caught: boolean;
  detail: string;
}

/** The one place `find` occurs in the file, replaced; throws when it occurs zero or several times. */
function applyEdit(tree: string, edit: Edit): void {
  const path = join(tree, edit.file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(edit.find).length - 1;
  if (count !== 1) throw new Error(`The mutant's text occurs ${count} times in ${edit.file} (it must occur once): ${edit.find}`);
  writeFileSync(path, text.replace(edit.find, () => edit.replace));
}

/** The first lines of a failure, without colours: enough to see which assertion failed and on what. */
function firstLines(message: string, lines = 12): string {
  // eslint-disable-next-line no-control-regex -- vitest colours its messages with ANSI escapes.
  return message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').slice(0, lines).join('\n');
}

function runMutant(mutant: Mutant): Outcome[] {
  const tree = mkdtempSync(join(tmpdir(), `burrow-mutant-${mutant.name}-`));
  const outcomes: Outcome[] = [];
  try {
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', tree, 'HEAD'], { cwd: ROOT, stdio: 'inherit' });
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    for (const edit of mutant.edits) applyEdit(tree, edit);
    execFileSync('node', ['resources/build/build.mjs'], { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const expectation of mutant.expect) {
      const json = join(tree, 'test-output', `mutant-${outcomes.length}.json`);
      mkdirSync(join(tree, 'test-output'), { recursive: true });
      const argv = ['vitest', 'run', '--project', 'lab', expectation.file, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`];
      if (expectation.only !== undefined) argv.push('-t', expectation.only);
      console.log(`\n--- ${mutant.name}: ${expectation.file}${expectation.only === undefined ? '' : ` (-t "${expectation.only}")`}`);
      spawnSync('npx', argv, { cwd: tree, stdio: 'inherit', timeout: 20 * 60_000, env: { ...process.env, ...expectation.env } });
      let report: Report = {};
      try {
        report = JSON.parse(readFileSync(json, 'utf8')) as Report;
      } catch {
        // No report: every test below counts as missed, with that as the reason.
      }
      const results = report.testResults?.flatMap((file) => file.assertionResults ?? []) ?? [];
      for (const must of expectation.mustFail) {
        const result = results.find((r) => r.title.includes(must.title));
        const message = (result?.failureMessages ?? []).join('\n');
        const caught = result?.status === 'failed' && must.because.test(message);
        const detail = result === undefined ? 'not run (no such test in the report)' : result.status !== 'failed' ? `it ${result.status}` : firstLines(message);
        outcomes.push({ file: expectation.file, title: result?.title ?? must.title, caught, detail });
      }
    }
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'inherit' });
    rmSync(tree, { recursive: true, force: true });
  }
  return outcomes;
}

function main(): void {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !MUTANTS.some((m) => m.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown mutant(s): ${unknown.join(', ')}. Known: ${MUTANTS.map((m) => m.name).join(', ')}.`);
    process.exit(2);
  }
  const chosen = names.length === 0 ? MUTANTS : MUTANTS.filter((m) => names.includes(m.name));
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const report: string[] = [`# Mutants at ${head} (${new Date().toISOString()})`, ''];
  let missed = 0;
  for (const mutant of chosen) {
    const outcomes = runMutant(mutant);
    report.push(`## ${mutant.name}: ${mutant.kind}`, '', mutant.what, '');
    for (const o of outcomes) {
      if (!o.caught) missed++;
      report.push(`- ${o.caught ? 'caught' : 'MISSED'}: ${o.file} — ${o.title}`, '', '```', o.detail, '```', '');
    }
  }
  report.push(`${chosen.length} mutants, ${missed} expected failures missed`);
  const text = report.join('\n');
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'mutants.md'), `${text}\n`);
  console.log(`\n${text}`);
  process.exit(missed === 0 ? 0 : 1);
}

main();
