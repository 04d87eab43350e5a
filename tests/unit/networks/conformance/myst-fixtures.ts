// What myst (mysteriumnetwork/node, tag 1.38.3) really answers, as fixtures for the conformance tests, each
// written from reading upstream's source at that tag; the file is named above each. Addresses are made up.

export const UPSTREAM = { repo: 'mysteriumnetwork/node', tag: '1.38.3' } as const;

const CONSUMER = '0x9a1f0c3e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f70';

/**
 * The error body of github.com/mysteriumnetwork/go-rest apierror (as tequilapi/endpoints/identities_test.go
 * shows it: `{"error":{"code","message"},"status","path"}`), with the codes and sentences of
 * tequilapi/endpoints/connection.go and tequilapi/contract/errcodes.go. All four are 422 (Unprocessable).
 */
export const ERRORS_422 = {
  notRegistered: { status: 422, body: { error: { code: 'err_id_not_registered', message: `Identity "${CONSUMER}" is not registered. Please register the identity first` }, status: 422, path: '/connection' } },
  alreadyExists: { status: 422, body: { error: { code: 'err_connection_already_exists', message: 'Connection already exists' }, status: 422, path: '/connection' } },
  cancelled: { status: 422, body: { error: { code: 'err_connection_cancelled', message: 'Connection cancelled' }, status: 422, path: '/connection' } },
  noConnection: { status: 422, body: { error: { code: 'err_no_connection_exists', message: 'No connection exists' }, status: 422, path: '/connection' } },
  registrationInProgress: { status: 422, body: { error: { code: 'err_id_registration_in_progress', message: 'Identity registration in progress' }, status: 422, path: `/identities/${CONSUMER}/register` } },
} as const;

/** GET /identities/{id}: tequilapi/contract/identity.go IdentityDTO (balance a big.Int, balance_tokens a Tokens). */
export const IDENTITY_IN_PROGRESS = {
  id: CONSUMER,
  registration_status: 'InProgress',
  channel_address: '0x3b2c5e7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b',
  balance: 0,
  earnings: 0,
  earnings_total: 0,
  balance_tokens: { wei: '0', ether: '0', human: '0' },
  earnings_tokens: { wei: '0', ether: '0', human: '0' },
  earnings_total_tokens: { wei: '0', ether: '0', human: '0' },
  stake: 0,
  hermes_id: '0x80ed28d84792d8b153bf2f25f0c4b7a1381de4ab',
  earnings_per_hermes: {},
};

/** GET /identities/{id}/eligibility: tequilapi/endpoints/transactor.go EligibilityResponse. */
export const ELIGIBILITY = { eligible: true };

/** The registration statuses (identity/registry/status.go) and which PUT /connection refuses with 422. */
export const REGISTRATION = { statuses: ['Registered', 'Unregistered', 'InProgress', 'RegistrationError', 'Unknown'], refused: ['Unregistered', 'RegistrationError', 'Unknown'] } as const;

/**
 * One frame of GET /events/state: tequilapi/endpoints/sse_handler.go writes `data: %s\n\n` with
 * `{"payload":…,"type":"state-change"}`; the payload's consumer.connection is ConnectionDTO (status …).
 */
export const SSE_FRAMES = `data: ${JSON.stringify({ payload: { service_info: [], sessions: [], sessions_stats: { count: 0 }, consumer: { connection: { status: 'Connecting' } }, identities: [IDENTITY_IN_PROGRESS], channels: [] }, type: 'state-change' })}\n\ndata: ${JSON.stringify({ payload: { consumer: { connection: { status: 'Connected', session_id: 'f3c1' } }, identities: [{ ...IDENTITY_IN_PROGRESS, registration_status: 'Registered' }] }, type: 'state-change' })}\n\n`;

/** config/flags_ui.go: the web UI is on by default on port 4449 (127.0.0.1 and the LAN address). */
export const UI_FLAGS = { enable: 'ui.enable', defaultOn: true, port: 4449 } as const;
