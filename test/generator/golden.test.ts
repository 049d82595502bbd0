import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { renderAll, type GeneratedFiles } from '../../generator/src/outputs';
import { parseModel } from '../../generator/src/parse';

const FIXTURES = join(import.meta.dirname, 'fixtures');

// The expected files end in `.txt` so that `npm run typecheck`, which covers test/, does not try to
// compile them: their imports point into a server/src tree that is not next to them.
// Update them with `npx vitest run test/generator/golden.test.ts -u` and review the diff.
const CASES = [
  { name: 'minimal', stub: 'server/src/handlers/project-things/createThing.ts' },
  { name: 'public-and-binary', stub: 'server/src/handlers/misc/deleteThingPhoto.ts' },
];

async function render(name: string): Promise<GeneratedFiles> {
  const text = await readFile(join(FIXTURES, name, 'openapi.yaml'), 'utf8');
  return renderAll(parseModel(text));
}

describe.each(CASES)('golden files of $name', ({ name, stub }) => {
  const expected = (file: string) => `./fixtures/${name}/expected/${file}.txt`;

  it('matches operations.gen.ts', async () => {
    const files = await render(name);
    await expect(files.owned.get('server/src/generated/operations.gen.ts')).toMatchFileSnapshot(expected('operations.gen.ts'));
  });

  it('matches handlers.gen.ts', async () => {
    const files = await render(name);
    await expect(files.owned.get('server/src/generated/handlers.gen.ts')).toMatchFileSnapshot(expected('handlers.gen.ts'));
  });

  it('matches handler stub', async () => {
    const files = await render(name);
    await expect(files.stubs.get(stub)).toMatchFileSnapshot(expected(stub.split('/').at(-1) ?? stub));
  });

  it('renders same output twice', async () => {
    const [first, second] = await Promise.all([render(name), render(name)]);
    expect([...second.owned]).toEqual([...first.owned]);
  });
});

describe('handler stub paths', () => {
  it('lists one stub per operation', async () => {
    const files = await render('public-and-binary');
    expect([...files.stubs.keys()]).toEqual([
      'server/src/handlers/meta/getHealth.ts',
      'server/src/handlers/things/getThingPhoto.ts',
      'server/src/handlers/misc/deleteThingPhoto.ts',
    ]);
  });

  it('kebab-cases multi-word tags', async () => {
    const files = await render('minimal');
    expect([...files.stubs.keys()]).toEqual([
      'server/src/handlers/things/retrieveThing.ts',
      'server/src/handlers/project-things/createThing.ts',
    ]);
  });
});
