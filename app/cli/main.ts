// `burrow`: the command line. Subcommands either run a long-lived process (host, leakd) or talk to a
// running host over its control socket.
import { runLeakdCli } from '../leakd/cli.js';
import { runClientCommand, isClientCommand } from './client-commands.js';
import { HELP } from './help.js';
import { runHost } from './host-command.js';
import { runNetd } from './netd-command.js';
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
  try {
    if (command === 'host') return await runHost(rest);
    if (command === 'netd') return await runNetd(rest);
    if (command === 'leakd') {
      await runLeakdCli(rest);
      return EXIT.ok;
    }
  } catch (error) {
    return reportError(error, rest.includes('--json'));
  }
  if (isClientCommand(command)) return runClientCommand(command, rest);
  process.stderr.write(`burrow: unknown command "${command}".\n\n${HELP}`);
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
