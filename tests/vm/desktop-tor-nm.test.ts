// System-wide Tor under the installed unit on a desktop with NetworkManager alone writing resolv.conf:
// netd hands NetworkManager 127.0.0.1 (tor's DNSPort behind the firewall) as its global DNS. The suite is
// desktop-tor-suite.ts.
import { desktopTorSuite } from './desktop-tor-suite.js';

desktopTorSuite('nm');
