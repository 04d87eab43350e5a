// `burrow-client`: the command line's client half alone (connect, disconnect, status, profile, leaktest,
// compare, settings, logs, ...), bundled small and minified (dist/node/burrow-client.mjs) for what a
// short command costs: most of `burrow connect`'s time from the shell is Node starting and reading the
// bundle, and this one holds no host, store, networks, leak server or netd launcher. `burrow` itself
// stays the one entry for everything; this is the same client code, nothing of its own.
import { isClientCommand, runClientCommand } from './client-commands.js';
import { helpOrVersion, runEntry } from './entry.js';
import { EXIT } from './output.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // No command is answered with the help (and a usage exit code).
  const answered = helpOrVersion(command);
  if (answered !== undefined || command === undefined) return answered ?? EXIT.usage;
  if (isClientCommand(command)) return runClientCommand(command, rest);
  process.stderr.write(`burrow-client: "${command}" is not a client command; run it as: burrow ${command}\n`);
  return EXIT.usage;
}

runEntry(main);
