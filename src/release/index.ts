/**
 * Releases: what QA verified, what prod may take. The deploy command calls, in order:
 * QA — `releaseId()` (render with it as `drover.release`), deploy, `createRelease()`, `verifyRelease()`;
 * prod — `loadReleaseForProd()` (render with its `images`), deploy, `recordProdOutcome()`.
 */
export { createRelease, type CreateReleaseInput, type ReleaseProject } from './create.ts';
export { ReleaseVerificationError, forceNeedsReason, releaseNotFound } from './errors.ts';
export { formatReleaseEvent, type ReleaseEvent, type ReleaseReport } from './events.ts';
export { envFreeHash, fingerprintJobs, type JobFingerprint } from './fingerprint.ts';
export { compareWithRelease, decideProdRelease, pinsForProd, type ProdGateDecision, type ProdGateInput } from './gate.ts';
export { localReleaseDir } from './local.ts';
export { currentOperator } from './operator.ts';
export { loadReleaseForProd, recordProdOutcome, type LoadForProdInput, type ProdRelease } from './prod.ts';
export { buildRelease, releaseId, type PromotionOutcome, type Release, type ReleaseStatus, type Verification } from './record.ts';
export { createReleaseStore, type ReleaseStore } from './store.ts';
export { verifyRelease, type VerifyReleaseDeps, type VerifyReleaseInput } from './verify.ts';
