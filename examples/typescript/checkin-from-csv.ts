// Checks in every visitor of a CSV file (name,email,company,host_id) at one location, then
// lists who is on site. Run from the repository root, with `npm start` running:
//   VISITORFLOW_API_KEY=vfp_test_… npx tsx examples/typescript/checkin-from-csv.ts [file.csv] [location_id]
import { readFile } from 'node:fs/promises';

import { BadRequestError, VisitorFlow } from '@visitorflow/sdk';

const [csvPath = new URL('visitors.csv', import.meta.url).pathname, locationId = 'loc_mty_01'] = process.argv.slice(2);

// Reads the simple CSV this example ships with: a header line, commas, no quoted fields.
async function readVisitors(path: string): Promise<Record<string, string>[]> {
  const [header = '', ...rows] = (await readFile(path, 'utf8')).trim().split(/\r?\n/);
  const columns = header.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((value, index) => [columns[index] ?? `column${index}`, value.trim()])));
}

// The API key comes from VISITORFLOW_API_KEY, the server from VISITORFLOW_BASE_URL or 127.0.0.1:8080.
const client = new VisitorFlow();

for (const row of await readVisitors(csvPath)) {
  try {
    const visit = await client.visits.create({
      type: 'visitor',
      host_id: row.host_id ?? '',
      visitor: { name: row.name ?? '', email: row.email ?? '', company: row.company },
      location_id: locationId,
    });
    console.log(`checked in ${row.name}: ${visit.id}`);
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    console.error(`skipped ${row.name}: ${error.message}`, error.fieldErrors);
  }
}

for await (const visit of client.visits.list({ location_id: locationId, status: 'onsite' })) {
  const name = visit.type === 'visitor' ? visit.visitor.name : `${visit.driver.name} (driver)`;
  console.log(`on site: ${visit.id} ${name}`);
}
