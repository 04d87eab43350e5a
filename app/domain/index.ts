export * from './errors.js';
export * from './network.js';
export * from './profile.js';
export * from './records.js';
export * from './settings.js';
export * from './tunnel-state.js';
