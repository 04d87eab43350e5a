// TequilAPI's answers to a connect, in sentences a person can act on and codes the supervisor understands
// (retriable ones are tried again while the kill switch holds; the others wait for the person). Pure.
import { BurrowError } from '../../domain/errors.js';
import { TequilapiError } from './tequilapi.js';

/** myst refuses Unregistered, RegistrationError and Unknown (and any status it does not know); InProgress connects. */
export function mayConnect(status: string): boolean {
  return status === 'Registered' || status === 'InProgress';
}

export function registrationError(identity: string, status: string | undefined): BurrowError {
  return new BurrowError(
    'unauthorized',
    `Your Mysterium identity ${identity} is not registered (status: ${status ?? 'unknown'}). Mysterium connects only registered identities with a balance: register and top it up (registration is free where Mysterium offers it: Burrow can send it for you, or use myst cli "identities register"), then connect again. Burrow never pays for you.`,
    { identity, registrationStatus: status ?? 'unknown' },
  );
}

export function connectError(error: unknown, identity: string): BurrowError {
  if (error instanceof BurrowError) return error;
  if (error instanceof TequilapiError) {
    const evidence = { status: error.status, code: error.code, ...(Object.keys(error.fields).length > 0 ? { fields: error.fields } : {}) };
    if (error.code === 'err_id_not_registered') return registrationError(identity, /status:? (\w+)/i.exec(error.message)?.[1] ?? 'Unregistered');
    if (error.code === 'err_id_locked' || error.code === 'err_id_unlock' || error.code === 'err_to_id_use_or_create') {
      return new BurrowError('unauthorized', `Mysterium could not unlock identity ${identity}: ${error.message}. Put its passphrase in the profile (IdentityPassphrase) and import it again.`, evidence);
    }
    if (error.status === 499 || error.code === 'err_connection_cancelled') return new BurrowError('cancelled', 'The Mysterium connection was cancelled.', evidence);
    if (error.code === 'err_connection_already_exists') return new BurrowError('conflict', 'myst already has a connection that Burrow did not make; Burrow tried to close it. Connect again.', evidence);
    if (/balance|top.?up|insufficient|funds/i.test(error.message)) return new BurrowError('unauthorized', `Mysterium refused to connect: ${error.message}. Top up the identity's balance, then connect again.`, evidence);
    if (error.status === 401) return new BurrowError('unauthorized', 'myst refused Burrow\'s TequilAPI login. If you changed its password, put it in the profile (TequilapiPassword).', evidence);
    if (error.status === 400 || error.status === 422) return new BurrowError('invalid_request', `myst refused the connect request: ${error.message}${Object.keys(error.fields).length > 0 ? ` (${Object.entries(error.fields).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}.`, evidence);
    return new BurrowError('host_unreachable', `Mysterium could not connect to the node: ${error.message}`, evidence);
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new BurrowError('timeout', 'myst did not finish connecting within 90 s. The node may be offline: choose another one.');
  }
  return new BurrowError('helper_failed', `Talking to myst failed: ${error instanceof Error ? error.message : String(error)}`);
}
