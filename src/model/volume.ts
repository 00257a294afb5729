/**
 * Storage a group claims (what a Kubernetes PersistentVolumeClaim would be).
 * @see https://developer.hashicorp.com/nomad/docs/job-specification/volume
 */
export type VolumeSpec =
  | {
      readonly type: 'host';
      /** Name of the host volume in the client configuration. */
      readonly source: string;
      readonly readOnly?: boolean;
    }
  | {
      readonly type: 'csi';
      /** CSI volume ID registered in Nomad. */
      readonly source: string;
      readonly readOnly?: boolean;
      readonly accessMode: 'single-node-reader-only' | 'single-node-writer' | 'multi-node-reader-only' | 'multi-node-single-writer' | 'multi-node-multi-writer';
      readonly attachmentMode: 'file-system' | 'block-device';
      /** One volume per allocation (`source` gets `[n]` appended). @default false */
      readonly perAlloc?: boolean;
    };

/** Mounts a group volume into a task. */
export interface VolumeMount {
  readonly volume: string;
  readonly destination: string;
  readonly readOnly?: boolean;
}
