import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { emitPythonSdk, PYTHON_PACKAGE_DIR } from '../../generator/src/emit/python/index';
import { parseModel } from '../../generator/src/parse';

const FIXTURES = join(import.meta.dirname, 'fixtures/python');

// One tiny spec per case, with every emitted Python file committed beside it as `.txt` (so
// neither ruff nor pytest picks them up). Update them with
// `npx vitest run test/generator/python-golden.test.ts -u` and review the diff.
const CASES = [
  { name: 'discriminated-union', files: ['models.py', 'types.py', 'resources/__init__.py', 'resources/pets.py'] },
  { name: 'nullable-enums-nested', files: ['models.py', 'types.py', 'resources/orders.py'] },
  { name: 'parameters', files: ['models.py', 'resources/__init__.py', 'resources/photo_albums.py', 'resources/device_token.py'] },
];

async function render(name: string): Promise<Map<string, string>> {
  const text = await readFile(join(FIXTURES, name, 'openapi.yaml'), 'utf8');
  return emitPythonSdk(parseModel(text));
}

describe.each(CASES)('Python golden files of $name', ({ name, files }) => {
  it.each(files)('matches %s', async (file) => {
    const emitted = await render(name);
    const expected = `./fixtures/python/${name}/expected/${file.replaceAll('/', '__')}.txt`;
    await expect(emitted.get(`${PYTHON_PACKAGE_DIR}/${file}`)).toMatchFileSnapshot(expected);
  });

  it('emits no other files', async () => {
    const emitted = await render(name);
    const always = ['models.py', 'types.py', 'resources/__init__.py'];
    const paths = [...emitted.keys()].map((path) => path.slice(PYTHON_PACKAGE_DIR.length + 1)).sort();
    expect(paths).toEqual([...new Set([...files, ...always])].sort());
  });
});

describe('Python method names', () => {
  it('follows x-sdk-method', async () => {
    const emitted = await render('parameters');
    expect(emitted.get(`${PYTHON_PACKAGE_DIR}/resources/photo_albums.py`)).toContain('def photo_jpeg(');
  });

  it('drops the resource noun', async () => {
    const emitted = await render('parameters');
    const module = emitted.get(`${PYTHON_PACKAGE_DIR}/resources/photo_albums.py`) ?? '';
    expect(module).toContain('def list(');
    expect(module).toContain('def archive(');
  });

  it('reports clashing method names', () => {
    const spec = `openapi: 3.1.0
info: { title: Clash, version: 1.0.0 }
paths:
  /a:
    get:
      operationId: listThings
      tags: [Things]
      responses: { '204': { description: None. } }
  /b:
    get:
      operationId: listThing
      tags: [Things]
      responses: { '204': { description: None. } }
`;
    expect(() => emitPythonSdk(parseModel(spec))).toThrow(/"list" is already used by listThings in Things; set x-sdk-method/);
  });
});
