import { Transform } from 'class-transformer';

/** PostgreSQL `integer`: an id or count beyond it could only fail inside a statement. */
export const MAX_INT4 = 2_147_483_647;

/**
 * Turns a plain decimal string ("7") into a number and leaves anything else ("1e1", "7abc",
 * " 7", "0x7") as it is, for IsInt to reject by name. An empty value means absent.
 */
export function PlainInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (value === '') return undefined;
    return typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  });
}
