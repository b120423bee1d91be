// The configuration handed to the core: every string var and secret of the environment
// (bindings are objects and stay in the shim). Validated by the core (src/app/config.cpp).
let cachedEnv = null;
let cachedConfig = null;

export function configOf(env) {
  if (env === cachedEnv && cachedConfig) return cachedConfig;
  const config = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') config[k] = v;
  cachedEnv = env;
  cachedConfig = config;
  return config;
}
