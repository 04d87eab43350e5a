// Asking leakd from inside the lab, with curl, the way a user's program would.
import type { LabNamespace } from './addresses.js';
import type { Lab } from './lab.js';

export interface EchoReply {
  ip: string;
  family: string;
}

export interface ResolversReply {
  name: string;
  resolvers: { ip: string; queries: number }[];
}

export async function curlJson<T>(lab: Lab, ns: LabNamespace, url: string, opts: { socksPort?: number; timeoutS?: number } = {}): Promise<T> {
  const socks = opts.socksPort === undefined ? [] : ['--socks5-hostname', `127.0.0.1:${opts.socksPort}`];
  const { stdout } = await lab.exec(ns, ['curl', '-sS', '--fail', '--max-time', String(opts.timeoutS ?? 15), ...socks, url]);
  return JSON.parse(stdout) as T;
}

/** The address the internet sees for `ns`, as leakd's echo reports it. */
export async function echo(lab: Lab, ns: LabNamespace = 'client', opts: { socksPort?: number; v6?: boolean } = {}): Promise<EchoReply> {
  return curlJson<EchoReply>(lab, ns, `${opts.v6 === true ? lab.leakd.urlV6 : lab.leakd.url}/json`, opts);
}

/** Which resolvers asked leakd for `name` (asked from inet, so the question itself leaks nothing). */
export async function resolversOf(lab: Lab, name: string): Promise<string[]> {
  const reply = await curlJson<ResolversReply>(lab, 'inet', `${lab.leakd.url}/dns/${name}`);
  return reply.resolvers.map((r) => r.ip).sort();
}

export async function freshLeakName(lab: Lab): Promise<string> {
  return (await curlJson<{ name: string }>(lab, 'inet', `${lab.leakd.url}/name`)).name;
}
