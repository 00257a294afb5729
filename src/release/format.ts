import type { Style } from '../report/style.ts';
import { describeSmokeFailure } from '../smoke/result.ts';
import type { JobDeployment, PromotionOutcome, Release } from './record.ts';

/** Text views of release records for `drover releases` and `drover release show`. Pure. */

/** One row per release: id, commit, status, creation, and the outcome in the source and each target. */
export function formatReleaseTable(releases: readonly Release[], envs: { readonly source: string; readonly targets: readonly string[] }, style: Style): string {
  const targets = [...new Set([...envs.targets, ...releases.flatMap((r) => Object.keys(r.promotions))])].sort();
  const header = ['ID', 'SHA', 'STATUS', 'CREATED', 'BY', envs.source.toUpperCase(), ...targets.map((t) => t.toUpperCase())];
  const rows = releases.map((r) => [r.id, r.gitSha.slice(0, 12), r.status, minute(r.createdAt), r.createdBy, sourceSummary(r), ...targets.map((t) => promotionSummary(r.promotions[t]))]);
  const colour = (status: string, text: string) => (status === 'verified' ? style.green(text) : status === 'failed' ? style.red(text) : status === 'awaiting-promotion' ? style.yellow(text) : text);
  return table([header, ...rows], (row, line) => (row === 0 ? line : colour(rows[row - 1]![2]!, line)));
}

/** Everything about one release, sectioned: summary, jobs, smoke checks, soak, promotions. */
export function formatReleaseDetail(release: Release, style: Style): string {
  const status =
    release.status === 'verified' ? style.green(release.status) : release.status === 'failed' ? style.red(release.status) : release.status === 'awaiting-promotion' ? style.yellow(release.status) : release.status;
  const lines = [
    `Release ${style.bold(release.id)}  ${status}`,
    `  commit   ${release.gitSha}`,
    `  project  ${release.project}`,
    `  created  ${release.createdAt} by ${release.createdBy} in ${release.sourceEnv}`,
  ];
  if (release.failure) lines.push(`  failure  ${release.failure}`);
  if (release.status === 'awaiting-promotion') lines.push(style.yellow(`  waiting  for promotion in ${release.sourceEnv}: run \`drover promote ${release.sourceEnv}\`, which then verifies the release`));
  if (release.promoted) lines.push(`  promoted ${release.promoted.at} by ${release.promoted.by}`);
  lines.push('', 'Jobs');
  const jobs = Object.values(release.jobs);
  lines.push(
    ...table(
      [['JOB', `${release.sourceEnv.toUpperCase()}`, 'DEPLOYMENT', 'ENV-FREE HASH', 'IMAGES'], ...jobs.map((j) => [j.id, deploymentSummary(j.source), j.source.deploymentId?.slice(0, 8) ?? '-', j.envFreeHash, j.images.map((i) => i.reference).join(', ') || '-'])],
      (_, line) => line,
    )
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`),
  );
  for (const job of jobs.filter((j) => j.maskedPaths.length)) lines.push(style.dim(`  ${job.id} varies by environment in: ${job.maskedPaths.join(', ')}`));
  lines.push(...verificationLines(release, style));
  const promotions = Object.entries(release.promotions);
  if (promotions.length) lines.push('', 'Promotions', ...promotions.map(([env, p]) => `  ${env}  ${promotionLine(env, p)}`));
  return `${lines.join('\n')}\n`;
}

function verificationLines(release: Release, style: Style): string[] {
  const v = release.verification;
  if (!v) return ['', `Verification  not run yet`];
  const lines = ['', `Verification  ${v.ok ? style.green('passed') : style.red('failed')} (${v.startedAt} – ${v.finishedAt})`];
  for (const r of v.smoke) {
    if (r.ok) lines.push(style.green(`  ✔ ${r.job} / ${r.check}: ${r.request?.method} ${r.request?.url} → ${r.response?.status} in ${r.response?.latencyMs} ms`));
    else lines.push(...describeSmokeFailure(r).split('\n').map((l, i) => (i === 0 ? style.red(`  ✖ ${l}`) : `      ${l}`)));
  }
  if (v.smoke.length === 0) lines.push('  no smoke checks');
  const problems = v.soak.problems.length;
  lines.push(`  soak ${Math.round(v.soak.durationMs / 1000)} s: ${problems ? `${problems} problem${problems === 1 ? '' : 's'}` : 'no allocation failed or restarted'}`);
  for (const p of v.soak.problems) lines.push(style.red(`    ${p.job} ${p.allocName} (${p.allocId.slice(0, 8)}): ${p.detail}`));
  return lines;
}

function sourceSummary(release: Release): string {
  const jobs = Object.values(release.jobs);
  const bad = jobs.filter((j) => j.source.status !== 'succeeded' && j.source.status !== 'unchanged');
  return bad.length ? `${bad.map((j) => `${j.id} ${j.source.status}`).join(', ')}` : `${jobs.length} jobs ok`;
}

function promotionSummary(outcome: PromotionOutcome | undefined): string {
  return outcome ? `${outcome.status} ${minute(outcome.at)}${outcome.forced ? ' (forced)' : ''}` : '-';
}

function promotionLine(env: string, p: PromotionOutcome): string {
  const jobs = Object.entries(p.jobs).map(([id, d]) => `${id} ${deploymentSummary(d)}`).join(', ');
  const forced = p.forced ? `\n      forced: ${p.forced.reason}${p.forced.overrode.length ? ` (overrode: ${p.forced.overrode.join('; ')})` : ''}` : '';
  const promoted = p.promoted ? `\n      promoted ${p.promoted.at} by ${p.promoted.by}` : '';
  const waiting = p.status === 'awaiting-promotion' ? `\n      waiting for promotion: run \`drover promote ${env}\`` : '';
  return `${p.status} ${p.at} by ${p.by}: ${jobs}${forced}${promoted}${waiting}`;
}

function deploymentSummary(d: JobDeployment): string {
  return `${d.status}${d.version === undefined ? '' : ` v${d.version}`}`;
}

/** `2024-01-31 09:45` (UTC), enough to tell releases apart in a table. */
function minute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

function table(rows: readonly (readonly string[])[], paint: (row: number, line: string) => string): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r, i) => paint(i, r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd())).join('\n') + '\n';
}
