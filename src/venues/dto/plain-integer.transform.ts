/** PostgreSQL `integer`: an id or count beyond it could only fail inside a statement. */
export const MAX_INT4 = 2_147_483_647;
