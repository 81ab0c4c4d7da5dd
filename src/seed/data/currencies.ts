export interface Currency {
  code: string;
  /** ISO 4217 minor units: prices are stored in them (cents for EUR; JPY has none, so yen). */
  minorUnits: 0 | 2;
  /** Rough exchange rate, only so a venue costs about the same everywhere. */
  unitsPerEuro: number;
  /** Prices are rounded to this many major units, as people price things (5 €, 500 ¥, 50 kr). */
  roundTo: number;
}

const currency = (code: string, unitsPerEuro: number, roundTo: number, minorUnits: 0 | 2 = 2): Currency => ({
  code,
  minorUnits,
  unitsPerEuro,
  roundTo,
});

/** The currency each seeded country prices in. */
export const CURRENCY_BY_COUNTRY: Readonly<Record<string, Currency>> = {
  AT: currency('EUR', 1, 5),
  AU: currency('AUD', 1.7, 5),
  BE: currency('EUR', 1, 5),
  BR: currency('BRL', 6.2, 10),
  CA: currency('CAD', 1.55, 5),
  CH: currency('CHF', 0.95, 5),
  CZ: currency('CZK', 25, 100),
  DE: currency('EUR', 1, 5),
  DK: currency('DKK', 7.46, 50),
  ES: currency('EUR', 1, 5),
  FR: currency('EUR', 1, 5),
  GB: currency('GBP', 0.85, 5),
  IE: currency('EUR', 1, 5),
  IT: currency('EUR', 1, 5),
  JP: currency('JPY', 165, 500, 0),
  MX: currency('MXN', 20, 50),
  NL: currency('EUR', 1, 5),
  PL: currency('PLN', 4.3, 10),
  PT: currency('EUR', 1, 5),
  SE: currency('SEK', 11.5, 50),
  SG: currency('SGD', 1.45, 5),
  US: currency('USD', 1.1, 5),
};

/** A euro amount as a round price in `currency`, in its minor units. */
export function priceInMinorUnits(euros: number, currency: Currency): number {
  return roundPrice(euros * currency.unitsPerEuro * 10 ** currency.minorUnits, currency);
}

/** An amount in minor units rounded to the currency's usual price step. */
export function roundPrice(minorUnits: number, currency: Currency): number {
  const step = currency.roundTo * 10 ** currency.minorUnits;
  return Math.round(minorUnits / step) * step;
}
