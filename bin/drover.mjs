#!/usr/bin/env node
// Entry point: registers tsx so that drover's sources and the user's jobs/*.ts load as TypeScript.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
