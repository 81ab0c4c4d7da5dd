/** A PostgreSQL WAL position (pg_lsn, printed `16/B374D848`) as a number, so positions compare with < and >=. */
export type WalPosition = bigint;

export const WalPosition = {
  parse(text: string): WalPosition {
    const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
    if (!match) throw new Error(`not a WAL position: '${text}'`);
    return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
  },
};
