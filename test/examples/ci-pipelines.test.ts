import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The delivery pipelines `drover init` copies into a new project (examples/ci/): their job graph
 * read with a YAML parser, and the GitHub workflow linted by actionlint when it is installed
 * (scripts/install-actionlint.sh, part of `npm test`'s pretest; with shellcheck on PATH it also
 * checks every `run:` script).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const GITHUB = join(root, 'examples/ci/github/deploy.yml');
const GITLAB = join(root, 'examples/ci/gitlab/.gitlab-ci.yml');

type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type GithubJob = { needs?: string | string[]; environment?: string | { name: string }; env?: Record<string, string>; steps: Step[] };
type GitlabJob = {
  stage: string;
  needs?: string[];
  when?: string;
  rules?: { if?: string; when?: string; allow_failure?: boolean }[];
  environment?: { name: string };
  script: string[];
  artifacts?: { when?: string; paths?: string[]; reports?: Record<string, string> };
};

const TOKENS = ['NOMAD_TOKEN', 'VAULT_TOKEN', 'CONSUL_HTTP_TOKEN'];

describe('GitHub Actions pipeline (examples/ci/github/deploy.yml)', async () => {
  const workflow = parse(await readFile(GITHUB, 'utf8')) as { jobs: Record<string, GithubJob> };
  const jobs = workflow.jobs;
  const runs = (job: string) => jobs[job]!.steps.map((s) => s.run ?? '').join('\n');

  it('runs test → deploy-qa → deploy-prod, each waiting for the one before', () => {
    expect(Object.keys(jobs)).toEqual(['test', 'deploy-qa', 'deploy-prod']);
    expect(jobs.test!.needs).toBeUndefined();
    expect([jobs['deploy-qa']!.needs].flat()).toEqual(['test']);
    expect([jobs['deploy-prod']!.needs].flat()).toEqual(['deploy-qa']);
    expect(runs('test')).toContain('npm test');
  });

  it('gates prod behind the "prod" environment (its required reviewers approve) and deploys qa in "qa"', () => {
    expect(jobs['deploy-qa']!.environment).toBe('qa');
    expect(jobs['deploy-prod']!.environment).toBe('prod');
    expect(jobs.test!.environment).toBeUndefined();
  });

  it('takes the tokens from the secrets under the names drover reads', () => {
    for (const job of ['deploy-qa', 'deploy-prod']) {
      for (const token of TOKENS) expect(jobs[job]!.env?.[token], `${job} ${token}`).toBe(`\${{ secrets.${token} }}`);
    }
    expect(JSON.stringify(jobs.test)).not.toMatch(/secrets\./);
  });

  it('deploys with ndjson output and a metrics file, archived even when the deploy fails; prod takes the release qa recorded', () => {
    for (const env of ['qa', 'prod']) {
      const job = jobs[`deploy-${env}`]!;
      expect(runs(`deploy-${env}`)).toContain(`npx drover deploy ${env} --release "$RELEASE" --git-sha "$GITHUB_SHA" --output ndjson --metrics-file deploy-${env}.prom > deploy-${env}.ndjson`);
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(upload?.if).toBe('always()');
      expect(String(upload?.with?.path)).toContain(`deploy-${env}.ndjson`);
      expect(String(upload?.with?.path)).toContain(`deploy-${env}.prom`);
      const publish = job.steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'));
      expect(publish?.if).toBe('always()');
    }
  });

  const actionlint = findExecutable('actionlint', join(root, '.tools/actionlint/bin/actionlint'));
  if (!actionlint) console.warn('\n!!!!!!!!!! SKIPPED: actionlint of examples/ci/github/deploy.yml — actionlint is not installed; run `bash scripts/install-actionlint.sh` !!!!!!!!!!\n');
  it.skipIf(!actionlint)('passes actionlint', async () => {
    const result = await run(actionlint!, ['-no-color', GITHUB]);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.skipIf(!actionlint)('actionlint finds a broken needs (the lint really runs)', async () => {
    const broken = (await readFile(GITHUB, 'utf8')).replace('needs: deploy-qa', 'needs: deploy-qq');
    const result = await run(actionlint!, ['-no-color', '-'], broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('needs job "deploy-qq" which does not exist');
  });
});

describe('GitLab CI pipeline (examples/ci/gitlab/.gitlab-ci.yml)', async () => {
  const pipeline = parse(await readFile(GITLAB, 'utf8')) as Record<string, unknown> & { stages: string[] };
  const job = (name: string) => pipeline[name] as GitlabJob;

  it('runs the stages test, qa, prod, with needs for the same order', () => {
    expect(pipeline.stages).toEqual(['test', 'qa', 'prod']);
    expect(job('test').stage).toBe('test');
    expect(job('deploy-qa')).toMatchObject({ stage: 'qa', needs: ['test'], environment: { name: 'qa' } });
    expect(job('deploy-prod')).toMatchObject({ stage: 'prod', needs: ['deploy-qa'], environment: { name: 'prod' } });
  });

  it('makes prod a manual job that blocks the pipeline until someone allowed on the protected environment runs it', () => {
    const rules = job('deploy-prod').rules ?? [];
    expect(rules.length).toBeGreaterThan(0);
    // Every way the job is added to a pipeline is manual and blocking (allow_failure: false).
    for (const rule of rules) expect(rule).toMatchObject({ when: 'manual', allow_failure: false });
    expect(job('deploy-qa').rules?.every((r) => r.when === undefined || r.when === 'on_success')).toBe(true);
  });

  it('deploys with ndjson output and a metrics file, archived always and published as a metrics report', () => {
    for (const env of ['qa', 'prod']) {
      const deploy = job(`deploy-${env}`);
      expect(deploy.script.join('\n')).toContain(`npx drover deploy ${env} --release "$RELEASE" --git-sha "$CI_COMMIT_SHA" --output ndjson --metrics-file deploy-${env}.prom > deploy-${env}.ndjson`);
      expect(deploy.artifacts).toMatchObject({ when: 'always', reports: { metrics: `deploy-${env}.prom` } });
      expect(deploy.artifacts?.paths).toEqual(expect.arrayContaining([`deploy-${env}.ndjson`, `deploy-${env}.prom`]));
    }
  });

  it('names no token: GitLab hands the CI/CD variables NOMAD_TOKEN, VAULT_TOKEN and CONSUL_HTTP_TOKEN to the job as they are', () => {
    const text = JSON.stringify(pipeline);
    for (const token of TOKENS) expect(text).not.toMatch(new RegExp(`${token}\\s*[:=]`));
  });
});

function findExecutable(name: string, preferred: string): string | undefined {
  const candidates = [preferred, ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name))];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command: string, args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }));
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
