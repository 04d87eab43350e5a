// zod, set up for the renderer (the contract's schemas run here too). zod compiles fast parsers with
// `new Function` and probes for it when the first object schema is made; the window's CSP has no
// 'unsafe-eval', so the probe logs a CSP violation on every load. `jitless` skips the probe and the
// compiler. main.tsx imports this module first: zod reads the setting when a schema is created.
import { z } from 'zod';

z.config({ jitless: true });
