/** Helpers shared by rules: tolerant readers, name grammars, walkers. Not rules themselves. */
export * from './shape.ts';
export * from './names.ts';
export { itemsOf } from './visit.ts';
