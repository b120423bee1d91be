// Worker entry of the conformance fixture: the same shim as production around core.wasm
// built with -DBMCP_FLAVOR=conformance (scripts/conformance.sh builds and serves it).
import coreModule from '../../build/wasm-conformance/core.wasm';
import { makeWorker } from '../../worker-shim/worker.js';

const worker = makeWorker(coreModule);
export const McpSession = worker.McpSession;
export default worker.handler;
