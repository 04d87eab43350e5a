// Stand-alone entry for leakd (`node --import tsx app/leakd/main.ts ...`), used by the lab until and
// besides `burrow leakd`.
import { runLeakdCli } from './cli.js';

await runLeakdCli(process.argv.slice(2));
