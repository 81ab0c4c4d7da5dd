/** Mean Earth radius (IUGG), so distances match what map tools report. */
export const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE_OF_LATITUDE = (Math.PI * EARTH_RADIUS_KM) / 180;

export interface Position {
  lat: number;
  lng: number;
}

/** Closed latitude range and longitude ranges (two when the box crosses the antimeridian; none when every longitude is in). */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  lngRanges: Array<[number, number]>;
}

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * The smallest lat/lng box holding every point within `radiusKm` of `center`, so an index on
 * (lat, lng) can narrow the candidates before the exact great-circle test. The longitude span is
 * taken at the box's latitude farthest from the equator, where a degree of longitude is shortest.
 */
export function boundingBox(center: Position, radiusKm: number): BoundingBox {
  const latSpan = radiusKm / KM_PER_DEGREE_OF_LATITUDE;
  const minLat = Math.max(-90, center.lat - latSpan);
  const maxLat = Math.min(90, center.lat + latSpan);
  const widestCos = Math.cos(toRadians(Math.max(Math.abs(minLat), Math.abs(maxLat))));
  const lngSpan = widestCos <= 0 ? 360 : latSpan / widestCos;
  if (maxLat >= 90 || minLat <= -90 || lngSpan >= 180) return { minLat, maxLat, lngRanges: [] };

  const west = center.lng - lngSpan;
  const east = center.lng + lngSpan;
  if (west < -180) return { minLat, maxLat, lngRanges: [[west + 360, 180], [-180, east]] };
  if (east > 180) return { minLat, maxLat, lngRanges: [[west, 180], [-180, east - 360]] };
  return { minLat, maxLat, lngRanges: [[west, east]] };
}

/** Haversine great-circle distance in km between a row's lat/lng columns and two SQL parameters. */
export function greatCircleKmSql(lat: string, lng: string, centerLat: string, centerLng: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(
      power(sin(radians(${lat} - ${centerLat}) / 2), 2)
      + cos(radians(${centerLat})) * cos(radians(${lat})) * power(sin(radians(${lng} - ${centerLng}) / 2), 2)))))`;
}
