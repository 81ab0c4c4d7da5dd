export interface Scale {
  name: ScaleName;
  cityCount: number;
  venueCount: number;
  /** Hosts own the venues; they are spread evenly over the cities. */
  hostCount: number;
  /** Guests book, review and favourite. */
  guestCount: number;
}

export type ScaleName = 'demo' | 'medium' | 'large';

/**
 * `large` keeps medium's 50 cities and puts ten times the venues in them (~10,000 a city): that
 * is what stresses the per-city discovery indexes, whereas 500 cities of 1,000 venues would
 * only repeat medium's per-city picture.
 */
export const SCALES: Readonly<Record<ScaleName, Scale>> = {
  demo: { name: 'demo', cityCount: 5, venueCount: 2_000, hostCount: 40, guestCount: 400 },
  medium: { name: 'medium', cityCount: 50, venueCount: 50_000, hostCount: 500, guestCount: 10_000 },
  large: { name: 'large', cityCount: 50, venueCount: 500_000, hostCount: 2_500, guestCount: 100_000 },
};

export function isScaleName(value: string): value is ScaleName {
  return Object.hasOwn(SCALES, value);
}
