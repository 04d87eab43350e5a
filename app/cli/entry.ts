// What both command-line entries (`burrow`, main.ts, and the small `burrow-client`, client-main.ts) do the
// same way: answer help and --version before anything is imported, and turn main's outcome into the exit
// code (an error thrown anywhere is reported as the command's own errors are).
import { HELP } from './help.js';
import { EXIT, reportError } from './output.js';

/** The exit code for help or --version (printed), or undefined for any other command. */
export function helpOrVersion(command: string | undefined): number | undefined {
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version') {
    process.stdout.write('burrow 0.1.0\n');
    return EXIT.ok;
  }
  return undefined;
}

export function runEntry(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, process.argv.includes('--json'));
    },
  );
}
