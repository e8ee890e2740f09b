#!/usr/bin/env node
// npm links this file at install time, so it is plain JavaScript: it registers tsx and then
// runs the TypeScript CLI, as the rest of the monorepo runs its TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('../cli/cli.ts');
