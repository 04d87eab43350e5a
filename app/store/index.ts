export * from './data-dir.js';
export * from './store.js';
