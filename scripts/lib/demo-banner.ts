// The demo part of `npm start`'s banner: where the emulators are, which connections reach them, and a
// curl pair that lists the demo Google Drive and copies it to the demo Dropbox.
import type { DemoConnection } from './demo-connections';
import type { DemoEmulator } from './demo';

export const DEMO_DESTINATION = '/From Google Drive';

export function demoBannerLines(
  apiUrl: string,
  apiKey: string,
  emulators: DemoEmulator[],
  connections: DemoConnection[],
): string[] {
  const idOf = (service: string) => connections.find((c) => c.service === service)?.id ?? '(none)';
  const rows = emulators.map((e) => {
    const { files, documents, bytes } = e.sample;
    const docs = documents ? ` + ${documents} Google Docs` : '';
    const sample = `${files} ${files === 1 ? 'file' : 'files'}${docs}, ${megabytes(bytes)}`;
    const name = `"${connections.find((c) => c.service === e.service)?.name ?? '?'}"`;
    return `  ${name.padEnd(20)} ${idOf(e.service)}   emulator ${e.url}   (${sample})`;
  });
  const auth = `-H "Authorization: Bearer ${apiKey}"`;
  const body = JSON.stringify({
    source: { connection_id: idOf('google_drive'), path: '/' },
    destination: { connection_id: idOf('dropbox'), path: DEMO_DESTINATION },
  });
  return [
    'Demo mode: emulated clouds with sample files (kept in memory: every start begins afresh)',
    ...rows,
    '',
    'List the demo Google Drive, then copy all of it to the demo Dropbox:',
    `  curl ${auth} "${apiUrl}/v1/files/list?connection_id=${idOf('google_drive')}&path=/"`,
    `  curl ${auth} -H "Content-Type: application/json" -X POST ${apiUrl}/v1/migrations \\`,
    `    -d '${body}'`,
  ];
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
