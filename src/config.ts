/**
 * Settings from the environment (ARCHITECTURE.md "Settings"), read in one place.
 */
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { DEPLOYMENT_ENVS, type DeploymentEnv } from './engine/types.js';

export interface Settings {
  home: string;
  env: DeploymentEnv;
  pack: string;
  bypass: boolean;
}

export function parseDeploymentEnv(value: string | undefined, source = 'ESQ_ENV'): DeploymentEnv {
  const v = (value ?? 'dev').trim().toLowerCase();
  if (!(DEPLOYMENT_ENVS as readonly string[]).includes(v)) {
    throw new ConfigError(`${source}="${value}" is not a deployment environment; use one of ${DEPLOYMENT_ENVS.join(', ')}`);
  }
  return v as DeploymentEnv;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    home: resolve(env.ESQ_HOME ?? '.esq'),
    env: parseDeploymentEnv(env.ESQ_ENV),
    pack: env.ESQ_PACK ?? 'hipaa',
    bypass: env.ESQ_BYPASS === '1' || env.ESQ_BYPASS === 'true',
  };
}
