// `burrow`: the command line. Subcommands either run a long-lived process (host, leakd, netd) or talk to a
// running host over its control socket. Each kind is imported only when it is asked for: a client
// command (`burrow connect`) never evaluates the host, the store, the networks or better-sqlite3, and
// `burrow netd` never evaluates anything but the launcher — start-up is most of what a short command costs.
import { HELP } from './help.js';
import { helpOrVersion, runEntry } from './entry.js';
import { EXIT, reportError } from './output.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // No command is answered with the help (and a usage exit code).
  const answered = helpOrVersion(command);
  if (answered !== undefined || command === undefined) return answered ?? EXIT.usage;
  try {
    if (command === 'host') return await (await import('./host-command.js')).runHost(rest);
    if (command === 'netd') {
      // netd runs on in this process and sets the exit code itself when it stops.
      await (await import('./netd-command.js')).runNetd(rest);
      return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
    }
    if (command === 'leakd') {
      await (await import('../leakd/cli.js')).runLeakdCli(rest);
      return EXIT.ok;
    }
  } catch (error) {
    return reportError(error, rest.includes('--json'));
  }
  const client = await import('./client-commands.js');
  if (client.isClientCommand(command)) return client.runClientCommand(command, rest);
  process.stderr.write(`burrow: unknown command "${command}".\n\n${HELP}`);
  return EXIT.usage;
}

runEntry(main);
