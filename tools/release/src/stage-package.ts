/**
 * `nx run <package>:stage` (a dependency of `nx release publish`): stages one
 * package for npm into `dist/<projectRoot>`. Run from the workspace root:
 *
 *   tsx tools/release/src/stage-package.ts packages/models
 */
import { relative } from 'node:path';
import { ReleaseError } from './published-manifest.ts';
import { stagePackage } from './staging.ts';

const [projectRoot] = process.argv.slice(2);
if (projectRoot === undefined) {
  console.error('usage: stage-package.ts <projectRoot>');
  process.exit(2);
}
try {
  const staged = await stagePackage(process.cwd(), projectRoot);
  console.log(`staged ${staged.name}@${staged.version} in ${relative(process.cwd(), staged.dir)}`);
} catch (error) {
  if (!(error instanceof ReleaseError)) throw error;
  console.error(`cannot stage ${error.message}`);
  process.exit(1);
}
