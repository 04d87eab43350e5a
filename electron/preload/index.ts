// The sandboxed preload (bundled to CommonJS: a sandboxed preload can only require 'electron'). It exposes
// the contract-derived API as window.burrow and nothing else (Electron security checklist item 20).
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../../app/contract/ipc.js';
import { createBridgeApi } from './bridge.js';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridgeApi(ipcRenderer));
