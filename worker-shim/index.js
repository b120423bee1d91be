// Worker entry of the production server: core.wasm built with the production catalogs.
import coreModule from '../build/wasm/core.wasm';
import { makeWorker } from './worker.js';

const worker = makeWorker(coreModule);
export const McpSession = worker.McpSession;
export default worker.handler;
