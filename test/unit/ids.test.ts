import { newId, randomBase62 } from '../../common/ids';

describe('ids', () => {
  it('makes base62 strings of the asked length', () => {
    const s = randomBase62(40);
    expect(s).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(randomBase62(40)).not.toEqual(s);
  });
  it('prefixes ids with their type', () => {
    expect(newId('mig')).toMatch(/^mig_[0-9A-Za-z]{20}$/);
  });
});
