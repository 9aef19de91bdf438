import { ReleaseError, SOURCE_CONDITION, publishedManifest } from './published-manifest.ts';

const workspaceManifest = {
  name: '@vitals/models',
  version: '0.3.0',
  type: 'module',
  exports: {
    '.': { [SOURCE_CONDITION]: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  types: './dist/index.d.ts',
  files: ['dist'],
  peerDependencies: { zod: '^4.6.7' },
  devDependencies: { zod: '4.6.7' },
  nx: { tags: ['type:lib'] },
};

function problemsOf(manifest: Record<string, unknown>): readonly string[] {
  try {
    publishedManifest(manifest);
  } catch (error) {
    if (error instanceof ReleaseError) return error.problems;
    throw error;
  }
  return [];
}

describe(publishedManifest.name, () => {
  it('drops the source condition, the nx block and devDependencies, and keeps everything else in order', () => {
    const published = publishedManifest(workspaceManifest);
    expect(published).toEqual({
      name: '@vitals/models',
      version: '0.3.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      types: './dist/index.d.ts',
      files: ['dist'],
      peerDependencies: { zod: '^4.6.7' },
    });
    expect(Object.keys(published)).toEqual(['name', 'version', 'type', 'exports', 'types', 'files', 'peerDependencies']);
  });

  it('leaves the workspace manifest as it was', () => {
    const copy = structuredClone(workspaceManifest);
    publishedManifest(copy);
    expect(copy).toEqual(workspaceManifest);
  });

  describe('when the package cannot be published as it stands', () => {
    it('names every problem and where it is', () => {
      const problems = problemsOf({
        ...workspaceManifest,
        private: true,
        version: '',
        files: undefined,
        exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' }, './extra': './src/extra.ts' },
        main: './index.js',
      });
      expect(problems).toEqual([
        'is private ("private": true) and must not be published',
        '"version" is missing',
        '"files" is missing: list what a consumer needs (dist), or npm publishes everything',
        'exports["."]: "types" must come first among the conditions, or TypeScript may never read it',
        'exports["./extra"] is "./src/extra.ts": published entry points live in ./dist',
        'main is "./index.js": published entry points live in ./dist',
      ]);
    });

    it('refuses a manifest without exports', () => {
      expect(problemsOf({ ...workspaceManifest, exports: undefined })).toEqual([
        '"exports" is missing',
        'exports must be a path or an object of conditions',
      ]);
    });

    it('says which manifest in the message', () => {
      expect(() => publishedManifest({ ...workspaceManifest, private: true }, 'packages/models/package.json')).toThrow(
        /^packages\/models\/package.json:\n {2}- is private/,
      );
    });
  });
});
