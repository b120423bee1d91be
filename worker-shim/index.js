// Worker entry of the production server: core.wasm built with the production catalogs.
import coreModule from '../build/wasm/core.wasm';
import { makeWorker } from './worker.js';
import { configOf } from './config.js';
import { defineAnalysisWorkflow } from './analysis-workflow.js';

const worker = makeWorker(coreModule);
export const McpSession = worker.McpSession;
export const UserHub = worker.UserHub;
export const AnalysisWorkflow = defineAnalysisWorkflow(coreModule, configOf);
export default worker.handler;
