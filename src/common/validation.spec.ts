import { IsInt, IsOptional, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { createValidationPipe, ReusableValidation } from './validation';

@ReusableValidation()
class PageQuery {
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  page?: number;
}

class PlainQuery {
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  page?: number;
}

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();
  const queryParameter = (metatype: new () => object) => ({ type: 'query' as const, metatype });

  it('reuses the frozen, validated instance of a reusable query for the same query string', async () => {
    const first = await pipe.transform({ page: '2' }, queryParameter(PageQuery));
    const second = await pipe.transform({ page: '2' }, queryParameter(PageQuery));
    expect(first).toBeInstanceOf(PageQuery);
    expect(first).toEqual({ page: 2 });
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ page: '3' }, queryParameter(PageQuery))).toEqual({ page: 3 });
  });

  it('still rejects an invalid reusable query every time, naming the parameter', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(pipe.transform({ page: '0' }, queryParameter(PageQuery))).rejects.toMatchObject({
        problem: { errors: [{ parameter: 'page', message: expect.any(String) }] },
      });
    }
  });

  it('validates other queries afresh on every request', async () => {
    const first = await pipe.transform({ page: '2' }, queryParameter(PlainQuery));
    expect(await pipe.transform({ page: '2' }, queryParameter(PlainQuery))).not.toBe(first);
    expect(Object.isFrozen(first)).toBe(false);
  });
});
