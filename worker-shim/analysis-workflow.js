// AnalysisWorkflow: the Cloudflare Workflow of one analysis run. A thin host: the core
// names the steps (step "plan") and runs each one (event `workflow.step`,
// src/analysis_runs/analysis_workflow.cpp); this class wraps each in `step.do`, so the
// engine persists its output and retries it when it throws. A step the core reports as
// failed, or one that keeps throwing, ends in the durable step "record failure".
import { WorkflowEntrypoint } from 'cloudflare:workers';
import { runCall } from './run-call.js';

const STEP_CONFIG = {
  retries: { limit: 3, delay: '1 second', backoff: 'exponential' },
  timeout: '5 minutes',
};

export function defineAnalysisWorkflow(module, configOf) {
  return class AnalysisWorkflow extends WorkflowEntrypoint {
    async run(event, step) {
      const host = {
        module,
        config: configOf(this.env),
        env: this.env,
        ctx: this.ctx,
        object: null,
      };
      const call = async (name, extra = {}) => {
        const res = await runCall(
          {
            type: 'workflow.step',
            workflow: { class: 'AnalysisWorkflow', id: event.instanceId },
            payload: event.payload,
            step: name,
            ...extra,
          },
          host,
        );
        const body = await res.json().catch(() => ({}));
        // Not 200: a transient failure (or a fault); throwing makes the engine retry.
        if (res.status !== 200)
          throw new Error(body.error ?? `step "${name}" answered ${res.status}`);
        return body;
      };

      const outputs = {};
      let failure = null;
      try {
        const { steps } = await step.do('plan', () => call('plan'));
        for (const name of steps) {
          const answer = await step.do(name, STEP_CONFIG, () => call(name, { outputs }));
          if (typeof answer.failed === 'string') {
            failure = answer.failed;
            break;
          }
          outputs[name] = answer.output;
        }
      } catch (err) {
        failure = `unavailable: the analysis stopped after retries (${err?.message ?? err}).`;
      }
      if (failure !== null)
        await step.do('record failure', STEP_CONFIG, () =>
          call('record failure', { error: failure }),
        );
    }
  };
}
