// Entry point of dist/electron/main.cjs: hand the real host to the desktop shell.
import { createHost } from '../../app/host/create-host.js';
import { resolveDataDir } from '../../app/store/data-dir.js';
import { runDesktop } from './desktop.js';

runDesktop({ createHost: (options) => createHost(options), resolveDataDir: (flag) => resolveDataDir(flag) });

