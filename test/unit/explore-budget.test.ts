import { entryBytes, pageSizeFor, RESULT_BUDGET_BYTES } from '../../activities/listing/budget';

describe('explore payload budget', () => {
  it('keeps full pages for ordinary paths and shrinks them for long ones', () => {
    expect(pageSizeFor('/Photos/2024/Holidays', 1000)).toBe(1000);
    expect(pageSizeFor('/Photos', 300)).toBe(300);
    const deep = `/${'a-long-folder-name/'.repeat(60)}end`; // ~1,150 bytes
    const size = pageSizeFor(deep, 1000);
    expect(size).toBeLessThan(400);
    // Even with 255-byte names the page fits in about a megabyte.
    expect(size * entryBytes(deep, 'n'.repeat(255))).toBeLessThanOrEqual(1024 * 1024);
    expect(pageSizeFor(`/${'x'.repeat(200_000)}`, 1000)).toBe(10);
  });

  it('counts bytes, not characters', () => {
    expect(entryBytes('/データ', 'é.txt')).toBe(2 * (1 + 9 + 1 + 6) + 200);
    expect(RESULT_BUDGET_BYTES).toBe(512 * 1024);
  });
});
