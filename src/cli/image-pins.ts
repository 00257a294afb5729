/**
 * The image pins a deploy (and its plan) renders with: an environment that takes releases runs
 * the release's references; one with `registries` runs each tag at the digest it points at now.
 */
import { createRegistryClient, type RegistryClient } from '../clients/registry/index.ts';
import type { Environment, RegistryTarget } from '../config/environment.ts';
import type { RenderContext } from '../render/context.ts';
import { renderJob } from '../render/job.ts';
import { resolveDigestPins } from '../release/digests.ts';
import { jobImages } from '../release/fingerprint.ts';
import type { Report } from '../report/events.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { retryReporter } from './clients.ts';
import { credentialsFor, readDockerConfig } from './docker-config.ts';
import type { CliIo } from './io.ts';

/** Docker Hub's API host; `docker.io` in references is only its name. */
const DOCKER_HUB_API = 'https://registry-1.docker.io';

/** Inputs of {@link imagePinsFor}. */
export interface ImagePinsInput {
  readonly env: Environment;
  /** The jobs being deployed. */
  readonly jobs: readonly LoadedJob[];
  /** The render context without pins. */
  readonly context: Omit<RenderContext, 'images'>;
  /** The release's pins (prod): they are what runs, and nothing is looked up. */
  readonly releasePins?: Readonly<Record<string, string>>;
  readonly io: CliIo;
  readonly report: Report;
  readonly signal?: AbortSignal;
}

/** Pins for `RenderContext.images`, or undefined when the images run as written. */
export async function imagePinsFor(input: ImagePinsInput): Promise<Readonly<Record<string, string>> | undefined> {
  if (input.releasePins) return input.releasePins;
  const { env } = input;
  if (env.registries.length === 0) return undefined;
  const images = input.jobs.flatMap((job) => jobImages(renderJob(job.spec, input.context)).map((image) => image.reference));
  const clients = new Map<string, RegistryClient>();
  const dockerConfig = readDockerConfig(input.io.env, env.registries.map((r) => r.host));
  const clientFor = (host: string): RegistryClient => {
    const known = clients.get(host);
    if (known) return known;
    const target = env.registries.find((r) => r.host === host)!;
    const credentials = credentialsFor(dockerConfig, host);
    const client = createRegistryClient({ address: registryAddress(target), host, ...(credentials ? { credentials } : {}), onRetry: retryReporter(input.report) });
    clients.set(host, client);
    return client;
  };
  try {
    const result = await resolveDigestPins(
      { env: env.name, images, registries: env.registries },
      { lookup: (host, image, signal) => clientFor(host).manifestDigest(image.name, image.tag!, signal ? { signal } : {}), ...(input.signal ? { signal: input.signal } : {}) },
    );
    input.report({ type: 'images-pinned', env: env.name, pinned: result.pinned, asWritten: result.asWritten });
    return Object.keys(result.pins).length ? result.pins : undefined;
  } finally {
    for (const client of clients.values()) client.close();
  }
}

/** The API base URL of a registry entry. */
export function registryAddress(target: RegistryTarget): string {
  return target.address ?? (target.host === 'docker.io' ? DOCKER_HUB_API : `https://${target.host}`);
}
