import { run } from './cli.ts';

// `npm run migrate -- <command>`: everything the CLI needs comes from argv and the environment, read once here.
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
