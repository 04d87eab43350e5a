// Kept for the modules that import `./dns.js`: DNS lives in ./dns/ (one folder, one file per case).
export * from './dns/index.js';
