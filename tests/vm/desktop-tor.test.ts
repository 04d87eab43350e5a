// System-wide Tor under the installed unit on a Debian desktop as installed: NetworkManager with
// systemd-resolved (resolv.conf is resolved's stub). The suite is desktop-tor-suite.ts.
import { desktopTorSuite } from './desktop-tor-suite.js';

desktopTorSuite('resolved');
