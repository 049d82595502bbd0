import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse as parseYaml } from 'yaml';

import { loadModel } from '../parse';
import { SpecError } from '../problems';
import { diffContracts, type Finding } from './diff';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CURRENT = join(REPO_ROOT, 'openapi.yaml');
const RELEASED = join(REPO_ROOT, 'contracts/v1.released.yaml');
const APPROVALS = join(REPO_ROOT, 'contracts/breaking-changes.yaml');

const APPROVALS_TEMPLATE = `# Intentional breaking changes to the released v1 contract.
#
# v1 only changes additively. A change listed here breaks clients written against
# contracts/v1.released.yaml, so it belongs in a new major version (/v2) with a 12-month
# overlap, not in v1. Add an entry only with that plan agreed; \`npm run contract:diff\` then
# prints it in a banner instead of failing. \`npm run contract:release\` empties this list.
#
# Each entry: { rule: <rule from the diff output>, path: <JSON path from the diff output>, reason: <why, and the /v2 plan> }
approved: []
`;

interface Approval {
  rule: string;
  path: string;
  reason: string;
}

/** `npm run contract:diff` and `npm run contract:release`. */
async function main(command: string | undefined): Promise<number> {
  if (command === 'release') {
    await copyFile(CURRENT, RELEASED);
    await writeFile(APPROVALS, APPROVALS_TEMPLATE);
    console.log('contracts/v1.released.yaml now matches openapi.yaml; approved breaking changes were cleared.');
    return 0;
  }
  if (command !== 'diff') {
    console.error('Usage: tsx generator/src/contract/cli.ts diff|release');
    return 2;
  }

  const findings = diffContracts(await loadModel(RELEASED), await loadModel(CURRENT));
  const approvals = await loadApprovals();
  const isApproved = (finding: Finding) => approvals.find((a) => a.rule === finding.rule && a.path === finding.path);
  const breaking = findings.filter((f) => f.severity === 'breaking' && !isApproved(f));
  const approved = findings.filter((f) => f.severity === 'breaking' && isApproved(f));
  const additive = findings.filter((f) => f.severity === 'additive');

  if (additive.length > 0) {
    console.log(`Additive changes since the released contract (${additive.length}):`);
    for (const finding of additive) console.log(`  + ${finding.path}: ${finding.message}`);
  }
  if (approved.length > 0) {
    const bar = '!'.repeat(78);
    console.log(`\n${bar}\n!! APPROVED BREAKING CHANGES: these break v1 clients and need a /v2 plan\n${bar}`);
    for (const finding of approved) console.log(`  ! ${finding.rule} at ${finding.path}: ${finding.message}\n    reason: ${isApproved(finding)?.reason}`);
    console.log(bar);
  }
  if (breaking.length > 0) {
    console.error(`\nBreaking changes against contracts/v1.released.yaml (${breaking.length}):`);
    for (const finding of breaking) console.error(`  x ${finding.rule} at ${finding.path}\n    ${finding.message}`);
    console.error('\nv1 may only change additively. Make the change additive (a new optional field, a new operation),');
    console.error('or, if it must break clients, plan /v2 and list it in contracts/breaking-changes.yaml.');
    return 1;
  }
  console.log(findings.length === 0 ? 'openapi.yaml matches the released contract.' : '\nNo breaking changes.');
  return 0;
}

async function loadApprovals(): Promise<Approval[]> {
  let text: string;
  try {
    text = await readFile(APPROVALS, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = parseYaml(text) as { approved?: Approval[] } | null;
  const approvals = parsed?.approved ?? [];
  for (const approval of approvals) {
    if (!approval.rule || !approval.path || !approval.reason) throw new Error('Each entry of contracts/breaking-changes.yaml needs rule, path and reason.');
  }
  return approvals;
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SpecError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  },
);
