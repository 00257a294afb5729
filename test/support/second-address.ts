/**
 * A second private IPv4 address on this host, as docker0 (172.17.0.1) gives every Nomad client
 * running the docker driver: a dummy interface, or a veth pair where the kernel has no dummy
 * module. Needs root (CAP_NET_ADMIN) and iproute2's `ip`. The name carries the test process's pid,
 * so two runs on one host do not remove each other's interface.
 */
import { spawnSync } from 'node:child_process';
import { findOnPath } from './real-process.ts';

export interface SecondAddress {
  /** The interface, e.g. `drover4711`. */
  readonly name: string;
  /** Adds `address/32` to the interface (another address this host then has). */
  add(address: string): void;
  /** Removes an address `add` put there. */
  remove(address: string): void;
  /** Deletes the interface (and its veth peer). Safe to call twice. */
  destroy(): void;
}

/** The interface, up, holding `cidr`; or why it cannot be made here. */
export function addSecondAddress(cidr: string): { readonly ok: true; readonly iface: SecondAddress } | { readonly ok: false; readonly reason: string } {
  if (!findOnPath('ip')) return { ok: false, reason: 'no `ip` command (iproute2) on PATH' };
  const name = `drover${process.pid}`.slice(0, 15);
  ip('link', 'del', name);
  const dummy = ip('link', 'add', name, 'type', 'dummy');
  const made = dummy.status === 0 ? dummy : ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`.slice(0, 15));
  if (made.status !== 0) return { ok: false, reason: `\`ip link add ${name}\` failed (${dummy.stderr.trim()}; veth: ${made.stderr.trim()}); needs root or CAP_NET_ADMIN` };
  const destroy = () => void ip('link', 'del', name);
  const steps = [['addr', 'add', cidr, 'dev', name], ['link', 'set', name, 'up'], ...(dummy.status === 0 ? [] : [['link', 'set', `${name}p`.slice(0, 15), 'up']])];
  for (const step of steps) {
    const result = ip(...step);
    if (result.status !== 0) {
      destroy();
      return { ok: false, reason: `\`ip ${step.join(' ')}\` failed: ${result.stderr.trim()}` };
    }
  }
  return {
    ok: true,
    iface: {
      name,
      add: (address) => must('addr', 'add', `${address}/32`, 'dev', name),
      remove: (address) => void ip('addr', 'del', `${address}/32`, 'dev', name),
      destroy,
    },
  };
}

/** The IPv4 address of the interface holding the default route, as go-sockaddr's GetDefaultInterfaces finds it. */
export function defaultRouteIpv4(): string | undefined {
  const device = /\bdev (\S+)/.exec(ip('-4', '-o', 'route', 'show', 'default').stdout)?.[1];
  if (!device) return undefined;
  return /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(ip('-4', '-o', 'addr', 'show', 'dev', device).stdout)?.[1];
}

function ip(...args: string[]) {
  return spawnSync('ip', args, { encoding: 'utf8' });
}

function must(...args: string[]): void {
  const result = ip(...args);
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
}
