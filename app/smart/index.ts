// Smart connect: the ladder for a goal, the walk, and what worked per network.
export { GOALS, RUNGS, RUNG_LABELS, fallbackFrom, ladderFor, type Goal, type Rung } from './ladder.js';
export { networkKey, openSmartMemory, type NetworkIdentity, type RungOutcome, type SmartMemory } from './memory.js';
export { getsThroughByNetwork } from './gets-through.js';
export { walkLadder, type SmartOutcome, type SmartStep, type WalkOptions } from './walk.js';
export { createSmartConnect, RUNG_TIMEOUT_MS, type SmartDeps } from './handler.js';
export { profilesByRung, rungOf } from './rungs.js';
export { currentNetwork } from './network-identity.js';
