import { DiscoveryQuery } from './dto/discovery.query';
import { normalizedQuery } from './normalized-query';

function query(fields: Partial<DiscoveryQuery>): DiscoveryQuery {
  return Object.assign(new DiscoveryQuery(), fields);
}

describe('normalizedQuery', () => {
  it('lists the parameters that have a value, in name order, lists joined', () => {
    const key = normalizedQuery(query({ page: 2, city: 'berlin', category: ['garden', 'rooftop'], minPrice: undefined }));
    expect(key).toMatch(/^category=garden%2Crooftop&city=berlin&.*page=2/);
    expect(key).not.toContain('minPrice');
  });

  it('keeps the key of a frozen (reused) query, and builds it again for one that may still change', () => {
    const frozen = Object.freeze(query({ city: 'berlin', date: '2026-12-07' }));
    expect(normalizedQuery(frozen)).toBe(normalizedQuery(frozen));
    expect(normalizedQuery(frozen)).toContain('date=2026-12-07');

    const open = query({ city: 'berlin' });
    const before = normalizedQuery(open);
    open.city = 'madrid';
    expect(normalizedQuery(open)).not.toBe(before);
    expect(normalizedQuery(open)).toContain('city=madrid');
  });
});
