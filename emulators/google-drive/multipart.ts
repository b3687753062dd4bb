// multipart/related bodies as Drive's multipart upload takes them: a JSON metadata part, then the media.
export interface Part {
  contentType: string | null;
  body: Buffer;
}

export function parseMultipart(contentType: string | undefined, body: Buffer): Part[] | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) return null;
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) return null;
    parts.push({
      contentType: /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? null,
      body: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
  return parts;
}
