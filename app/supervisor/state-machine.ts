// The one tunnel state machine for every network, as a pure function: (state, event, policy) → state.
// Mullvad's model: switching goes through disconnecting{then: reconnect}; a failure tears down through
// disconnecting{then: block} into error{blocking}. Everything not listed here is an illegal transition.
import type { ConnectionDetails, ErrorInfo, Progress, Target, TunnelState } from '../domain/index.js';

export type SupervisorEvent =
  | { type: 'connect'; target: Target; now: string }
  | { type: 'disconnect' }
  | { type: 'driverProgress'; progress: Progress }
  | { type: 'driverConnected'; details: ConnectionDetails; now: string }
  /** A connect attempt failed or an established tunnel was lost; retry says whether to try again. */
  | { type: 'driverFailed'; cause: ErrorInfo; retry: boolean; now: string }
  /** The driver finished tearing down. */
  | { type: 'driverStopped'; now: string }
  | { type: 'lockdownChanged'; lockdown: boolean };

export interface StatePolicy {
  killSwitch: boolean;
  lockdown: boolean;
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: TunnelState['state'],
    readonly event: SupervisorEvent['type'],
  ) {
    super(`Illegal transition: ${event} while ${from}`);
    this.name = 'IllegalTransitionError';
  }
}

function sameTarget(a: Target, b: Target): boolean {
  return a.profileId === b.profileId && a.network === b.network;
}

function startConnecting(target: Target, now: string, attempt = 1): TunnelState {
  return { state: 'connecting', target, attempt, since: now };
}

/** Connect while a tunnel is up or coming up: the same target changes nothing; another goes through teardown. */
function switchTo(state: Extract<TunnelState, { target: Target }>, target: Target): TunnelState {
  return sameTarget(state.target, target) ? state : { state: 'disconnecting', target: state.target, then: 'reconnect', next: target };
}

/** A failure that retrying will not fix: tear down, then block (error{blocking}). */
function tearDownFor(target: Target, cause: ErrorInfo): TunnelState {
  return { state: 'disconnecting', target, then: 'block', cause };
}

function disconnected(policy: StatePolicy): TunnelState {
  return { state: 'disconnected', lockedDown: policy.lockdown };
}

/** The next state, with `blocking` set on connecting/disconnecting from the kill-switch policy. */
export function transition(state: TunnelState, event: SupervisorEvent, policy: StatePolicy): TunnelState {
  const next = nextState(state, event, policy);
  if (next.state !== 'connecting' && next.state !== 'disconnecting') return next;
  const blocking = policy.killSwitch || policy.lockdown;
  return next.blocking === blocking ? next : { ...next, blocking };
}

function nextState(state: TunnelState, event: SupervisorEvent, policy: StatePolicy): TunnelState {
  const illegal = (): never => {
    throw new IllegalTransitionError(state.state, event.type);
  };

  switch (state.state) {
    case 'disconnected':
      switch (event.type) {
        case 'connect':
          return startConnecting(event.target, event.now);
        case 'disconnect':
          return disconnected(policy);
        case 'lockdownChanged':
          return { state: 'disconnected', lockedDown: event.lockdown };
        default:
          return illegal();
      }

    case 'connecting':
      switch (event.type) {
        case 'connect':
          return switchTo(state, event.target);
        case 'disconnect':
          return { state: 'disconnecting', target: state.target, then: 'nothing' };
        case 'driverProgress':
          return { ...state, progress: event.progress };
        case 'driverConnected':
          return { state: 'connected', target: state.target, since: event.now, details: event.details };
        case 'driverFailed':
          return event.retry ? startConnecting(state.target, event.now, state.attempt + 1) : tearDownFor(state.target, event.cause);
        case 'lockdownChanged':
          return state;
        default:
          return illegal();
      }

    case 'connected':
      switch (event.type) {
        case 'connect':
          return switchTo(state, event.target);
        case 'disconnect':
          return { state: 'disconnecting', target: state.target, then: 'nothing' };
        case 'driverConnected':
          // A refresh of the details (new circuit, new exit address).
          return { ...state, details: event.details };
        case 'driverFailed':
          return event.retry ? startConnecting(state.target, event.now) : tearDownFor(state.target, event.cause);
        case 'lockdownChanged':
          return state;
        default:
          return illegal();
      }

    case 'disconnecting':
      switch (event.type) {
        case 'connect':
          return { state: 'disconnecting', target: state.target, then: 'reconnect', next: event.target };
        case 'disconnect':
          return { state: 'disconnecting', target: state.target, then: 'nothing' };
        case 'driverFailed':
          // A failure while tearing down changes nothing: teardown goes on.
          return state;
        case 'driverStopped':
          if (state.then === 'reconnect') return startConnecting(state.next ?? state.target, event.now);
          if (state.then === 'block') {
            return {
              state: 'error',
              cause: state.cause ?? { code: 'internal', message: 'The connection failed.' },
              // Rules that could not be applied leave the strictest ones netd can still put in place.
              blocking: policy.killSwitch || policy.lockdown || state.cause?.code === 'firewall_failed',
              target: state.target,
            };
          }
          return disconnected(policy);
        case 'lockdownChanged':
          return state;
        default:
          return illegal();
      }

    case 'error':
      switch (event.type) {
        case 'connect':
          return startConnecting(event.target, event.now);
        case 'disconnect':
          return disconnected(policy);
        case 'lockdownChanged':
          return { ...state, blocking: state.blocking || event.lockdown };
        default:
          return illegal();
      }
  }
}

/** Whether the kill switch must block all traffic but the tunnel's own in this state. */
export function isBlocking(state: TunnelState, policy: StatePolicy): boolean {
  switch (state.state) {
    case 'disconnected':
      return state.lockedDown;
    case 'connected':
      return false;
    case 'error':
      return state.blocking;
    case 'connecting':
    case 'disconnecting':
      return policy.killSwitch || policy.lockdown;
  }
}
