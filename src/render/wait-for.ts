import type { ServiceDependency } from '../model/service.ts';
import type { NomadTask } from '../wire/nomad-job.ts';
import { pinImage } from './image.ts';

/** Image of the prestart tasks that wait for upstream services; pinnable like any other image. */
export const WAIT_FOR_IMAGE = 'busybox:1.36';

/**
 * A prestart task that blocks until `dependency` has a passing instance in Consul: the template
 * lists healthy instances (consul-template's `service` returns passing ones only) and the script
 * waits until the first one accepts TCP connections. Nomad's documented pattern for task
 * dependencies, without relying on Consul DNS on the client.
 */
export function renderWaitForTask(dependency: ServiceDependency, images: Readonly<Record<string, string>> | undefined): NomadTask {
  const file = `local/upstream-${dependency.service}`;
  const script = [
    `until [ -s /${file} ] && nc -z $(head -n 1 /${file}); do`,
    `  echo "waiting for a healthy ${dependency.service} instance"; sleep 2;`,
    'done',
  ].join('\n');
  return {
    Name: `await-${dependency.service}`,
    Driver: 'docker',
    Config: { image: pinImage(WAIT_FOR_IMAGE, images), command: 'sh', args: ['-c', script] },
    Resources: { CPU: 50, MemoryMB: 32 },
    Lifecycle: { Hook: 'prestart', Sidecar: false },
    Templates: [
      {
        DestPath: file,
        EmbeddedTmpl: `{{ range service ${JSON.stringify(dependency.service)} }}{{ .Address }} {{ .Port }}\n{{ end }}`,
        ChangeMode: 'noop',
        Envvars: false,
        ErrMissingKey: false,
        Perms: '0644',
      },
    ],
  };
}
