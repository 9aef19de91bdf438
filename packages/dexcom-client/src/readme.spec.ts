import { readmeExportCoverage } from '@vitals/local-dynamodb';
import { join } from 'node:path';

describe('README', () => {
  describe('.exports', () => {
    it('when the package exports a name, the README lists it in backticks', () => {
      // Jest runs specs as CommonJS, where __dirname is this folder.
      const { names, missing } = readmeExportCoverage(join(__dirname, 'index.ts'), join(__dirname, '..', 'README.md'));
      expect(names.length).toBeGreaterThan(30);
      expect(missing).toEqual([]);
    });
  });
});
