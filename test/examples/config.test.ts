/** The example apps read their configuration from the variables the jobs' templates write. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../examples/apps/api/config.ts';
import { formatProblems, Secret } from '../../examples/apps/shared/config.ts';
import { loadWorkerConfig } from '../../examples/apps/worker/config.ts';
import { loadWwwConfig } from '../../examples/apps/www/config.ts';
import { apiEnv, DB_USER, PASSWORD, workerEnv } from './fixtures.ts';

describe('example app configuration', () => {
  it('reads the api settings, with the feature flags sorted and de-duplicated', () => {
    const loaded = loadApiConfig(apiEnv({ PORT: '8080', FEATURE_FLAGS: 'search-v2, new_checkout,search-v2', LOG_LEVEL: 'WARN' }));
    expect(loaded.ok && loaded.config).toMatchObject({ port: 8080, host: '0.0.0.0', logLevel: 'warn', databaseHost: 'postgres.service.consul', databaseName: 'shop', featureFlags: ['new_checkout', 'search-v2'], chaos: { errorRatio: 0, latencyMs: 0 }, shutdownTimeoutMs: 15_000 });
    expect(loaded.ok && loaded.config.databasePassword.reveal()).toBe(PASSWORD);
  });

  it('lists every missing or invalid variable at once, naming who should have set it', () => {
    const loaded = loadApiConfig({ PORT: 'eighty', DATABASE_PASSWORD: '', LOG_LEVEL: 'loud', EXAMPLE_ERROR_RATIO: '1.5', FEATURE_FLAGS: 'ok,<bad>' });
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.problems).toEqual([
      'PORT must be an integer from 0 to 65535, got "eighty"',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud"',
      'EXAMPLE_ERROR_RATIO must be a number from 0 to 1, got "1.5"',
      'DATABASE_HOST is not set (set in the env of jobs/api.ts)',
      'DATABASE_NAME is not set (set in the env of jobs/api.ts)',
      "DATABASE_USER is not set (written by the job's Vault template from shop/api/database)",
      "DATABASE_PASSWORD is empty (written by the job's Vault template from shop/api/database)",
      'FEATURE_FLAGS: "<bad>" is not a flag name (letters, digits, ".", "_", "-")',
    ]);
  });

  it('never shows a secret in a problem, even a malformed one', () => {
    const loaded = loadApiConfig(apiEnv({ DATABASE_HOST: '', DATABASE_PASSWORD: '   ', PORT: '-1' }));
    const text = formatProblems('api', loaded.ok ? [] : loaded.problems);
    expect(text).toContain('DATABASE_PASSWORD is empty');
    expect(text).not.toContain(DB_USER);
    expect(text.startsWith('api: cannot start, the configuration is invalid:\n  - ')).toBe(true);
  });

  it('takes PORT first, then Nomad\'s NOMAD_PORT_<label>, then the port the job maps', () => {
    const port = (env: Record<string, string>) => {
      const loaded = loadWwwConfig(env);
      return loaded.ok ? loaded.config.port : undefined;
    };
    expect(port({ PORT: '8081', NOMAD_PORT_http: '23456' })).toBe(8081);
    expect(port({ NOMAD_PORT_http: '23456' })).toBe(23456);
    expect(port({})).toBe(80);
    const worker = loadWorkerConfig(workerEnv({ PORT: '', NOMAD_PORT_metrics: '31000' }), []);
    expect(worker.ok && worker.config.port).toBe(31000);
  });

  it('reads the chaos knob and the shutdown bound', () => {
    const loaded = loadWwwConfig({ EXAMPLE_ERROR_RATIO: '0.25', EXAMPLE_LATENCY_MS: '150', SHUTDOWN_TIMEOUT_MS: '900' });
    expect(loaded.ok && loaded.config).toMatchObject({ chaos: { errorRatio: 0.25, latencyMs: 150 }, shutdownTimeoutMs: 900, apiBaseUrl: '/api' });
    expect(loadWwwConfig({ EXAMPLE_LATENCY_MS: '1e9' })).toEqual({ ok: false, problems: ['EXAMPLE_LATENCY_MS must be an integer from 0 to 60000, got "1e9"'] });
  });

  it('accepts a path or an http(s) URL as API_BASE_URL, without its trailing slash', () => {
    const base = (value: string) => {
      const loaded = loadWwwConfig({ API_BASE_URL: value });
      return loaded.ok ? loaded.config.apiBaseUrl : loaded.problems;
    };
    expect(base('/api/')).toBe('/api');
    expect(base('https://api.example.com')).toBe('https://api.example.com');
    expect(base('api')).toEqual(['API_BASE_URL must be a path starting with "/" or an http(s) URL, got "api"']);
  });

  it('reads the worker\'s --concurrency argument as the job passes it', () => {
    const concurrency = (argv: string[]) => {
      const loaded = loadWorkerConfig(workerEnv(), argv);
      return loaded.ok ? loaded.config.concurrency : loaded.problems;
    };
    expect(concurrency(['--concurrency', '8'])).toBe(8);
    expect(concurrency([])).toBe(1);
    expect(concurrency(['--concurrency', '0'])).toEqual(['--concurrency must be an integer from 1 to 64, got "0"']);
    expect(String(concurrency(['--threads', '2']))).toMatch(/^arguments: .*--threads.* \(the worker takes only --concurrency N\)$/);
  });

  it('keeps a secret out of strings, JSON and inspection', () => {
    const secret = new Secret(PASSWORD);
    const config = { user: 'u', password: secret };
    expect([`${secret}`, JSON.stringify(config), inspect(config), String(secret)].join(' ')).not.toContain(PASSWORD);
    expect(JSON.stringify(config)).toBe('{"user":"u","password":"[secret]"}');
    expect(secret.reveal()).toBe(PASSWORD);
  });
});
