// `burrow-client`: the command line's client half alone (connect, disconnect, status, profile, leaktest,
// compare, settings, logs, ...), bundled small and minified (dist/node/burrow-client.mjs) for what a
// short command costs: most of `burrow connect`'s time from the shell is Node starting and reading the
// bundle, and this one holds no host, store, networks, leak server or netd launcher. `burrow` itself
// stays the one entry for everything; this is the same client code, nothing of its own.
import { isClientCommand, runClientCommand } from './client-commands.js';
import { HELP } from './help.js';
import { EXIT, reportError } from './output.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version') {
    process.stdout.write('burrow 0.1.0\n');
    return EXIT.ok;
  }
  if (isClientCommand(command)) return runClientCommand(command, rest);
  process.stderr.write(`burrow-client: "${command}" is not a client command; run it as: burrow ${command}\n`);
  return EXIT.usage;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, process.argv.includes('--json'));
  },
);
