import type { Language } from './texts';

export interface CityData {
  slug: string;
  name: string;
  countryCode: string;
  timezone: string;
  /** City centre (city hall or main square). */
  lat: number;
  lng: number;
  /** Street names and address format. */
  language: Language;
  /** Relative number of venues (1 small … 3 metropolis). */
  weight: number;
}

/**
 * Real cities with their centre coordinates and IANA time zones. Scales take a prefix of this
 * list, so the first five (demo) sit in five countries and five time zones, Berlin among them
 * with a city-only holiday.
 */
export const CITIES: readonly CityData[] = [
  { slug: 'berlin', name: 'Berlin', countryCode: 'DE', timezone: 'Europe/Berlin', lat: 52.52, lng: 13.405, language: 'de', weight: 3 },
  { slug: 'london', name: 'London', countryCode: 'GB', timezone: 'Europe/London', lat: 51.5074, lng: -0.1278, language: 'en', weight: 3 },
  { slug: 'new-york', name: 'New York', countryCode: 'US', timezone: 'America/New_York', lat: 40.7128, lng: -74.006, language: 'en', weight: 3 },
  { slug: 'tokyo', name: 'Tokyo', countryCode: 'JP', timezone: 'Asia/Tokyo', lat: 35.6762, lng: 139.6503, language: 'ja', weight: 3 },
  { slug: 'sydney', name: 'Sydney', countryCode: 'AU', timezone: 'Australia/Sydney', lat: -33.8688, lng: 151.2093, language: 'en', weight: 2 },
  { slug: 'paris', name: 'Paris', countryCode: 'FR', timezone: 'Europe/Paris', lat: 48.8566, lng: 2.3522, language: 'fr', weight: 3 },
  { slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 40.4168, lng: -3.7038, language: 'es', weight: 2 },
  { slug: 'rome', name: 'Rome', countryCode: 'IT', timezone: 'Europe/Rome', lat: 41.9028, lng: 12.4964, language: 'it', weight: 2 },
  { slug: 'amsterdam', name: 'Amsterdam', countryCode: 'NL', timezone: 'Europe/Amsterdam', lat: 52.3676, lng: 4.9041, language: 'nl', weight: 2 },
  { slug: 'toronto', name: 'Toronto', countryCode: 'CA', timezone: 'America/Toronto', lat: 43.6532, lng: -79.3832, language: 'en', weight: 2 },
  { slug: 'lisbon', name: 'Lisbon', countryCode: 'PT', timezone: 'Europe/Lisbon', lat: 38.7223, lng: -9.1393, language: 'pt', weight: 2 },
  { slug: 'vienna', name: 'Vienna', countryCode: 'AT', timezone: 'Europe/Vienna', lat: 48.2082, lng: 16.3738, language: 'de', weight: 2 },
  { slug: 'zurich', name: 'Zurich', countryCode: 'CH', timezone: 'Europe/Zurich', lat: 47.3769, lng: 8.5417, language: 'de', weight: 1 },
  { slug: 'stockholm', name: 'Stockholm', countryCode: 'SE', timezone: 'Europe/Stockholm', lat: 59.3293, lng: 18.0686, language: 'sv', weight: 2 },
  { slug: 'copenhagen', name: 'Copenhagen', countryCode: 'DK', timezone: 'Europe/Copenhagen', lat: 55.6761, lng: 12.5683, language: 'da', weight: 2 },
  { slug: 'dublin', name: 'Dublin', countryCode: 'IE', timezone: 'Europe/Dublin', lat: 53.3498, lng: -6.2603, language: 'en', weight: 2 },
  { slug: 'warsaw', name: 'Warsaw', countryCode: 'PL', timezone: 'Europe/Warsaw', lat: 52.2297, lng: 21.0122, language: 'pl', weight: 2 },
  { slug: 'prague', name: 'Prague', countryCode: 'CZ', timezone: 'Europe/Prague', lat: 50.0755, lng: 14.4378, language: 'cs', weight: 2 },
  { slug: 'mexico-city', name: 'Mexico City', countryCode: 'MX', timezone: 'America/Mexico_City', lat: 19.4326, lng: -99.1332, language: 'es', weight: 3 },
  { slug: 'sao-paulo', name: 'São Paulo', countryCode: 'BR', timezone: 'America/Sao_Paulo', lat: -23.5505, lng: -46.6333, language: 'pt', weight: 3 },
  { slug: 'singapore', name: 'Singapore', countryCode: 'SG', timezone: 'Asia/Singapore', lat: 1.2903, lng: 103.8519, language: 'en', weight: 2 },
  { slug: 'barcelona', name: 'Barcelona', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 41.3874, lng: 2.1686, language: 'es', weight: 2 },
  { slug: 'milan', name: 'Milan', countryCode: 'IT', timezone: 'Europe/Rome', lat: 45.4642, lng: 9.19, language: 'it', weight: 2 },
  { slug: 'munich', name: 'Munich', countryCode: 'DE', timezone: 'Europe/Berlin', lat: 48.1374, lng: 11.5755, language: 'de', weight: 2 },
  { slug: 'san-francisco', name: 'San Francisco', countryCode: 'US', timezone: 'America/Los_Angeles', lat: 37.7749, lng: -122.4194, language: 'en', weight: 2 },
  { slug: 'chicago', name: 'Chicago', countryCode: 'US', timezone: 'America/Chicago', lat: 41.8781, lng: -87.6298, language: 'en', weight: 2 },
  { slug: 'los-angeles', name: 'Los Angeles', countryCode: 'US', timezone: 'America/Los_Angeles', lat: 34.0522, lng: -118.2437, language: 'en', weight: 3 },
  { slug: 'osaka', name: 'Osaka', countryCode: 'JP', timezone: 'Asia/Tokyo', lat: 34.6937, lng: 135.5023, language: 'ja', weight: 2 },
  { slug: 'melbourne', name: 'Melbourne', countryCode: 'AU', timezone: 'Australia/Melbourne', lat: -37.8136, lng: 144.9631, language: 'en', weight: 2 },
  { slug: 'manchester', name: 'Manchester', countryCode: 'GB', timezone: 'Europe/London', lat: 53.4808, lng: -2.2426, language: 'en', weight: 1 },
  { slug: 'edinburgh', name: 'Edinburgh', countryCode: 'GB', timezone: 'Europe/London', lat: 55.9533, lng: -3.1883, language: 'en', weight: 1 },
  { slug: 'lyon', name: 'Lyon', countryCode: 'FR', timezone: 'Europe/Paris', lat: 45.764, lng: 4.8357, language: 'fr', weight: 1 },
  { slug: 'marseille', name: 'Marseille', countryCode: 'FR', timezone: 'Europe/Paris', lat: 43.2965, lng: 5.3698, language: 'fr', weight: 1 },
  { slug: 'hamburg', name: 'Hamburg', countryCode: 'DE', timezone: 'Europe/Berlin', lat: 53.5511, lng: 9.9937, language: 'de', weight: 2 },
  { slug: 'cologne', name: 'Cologne', countryCode: 'DE', timezone: 'Europe/Berlin', lat: 50.9375, lng: 6.9603, language: 'de', weight: 1 },
  { slug: 'frankfurt', name: 'Frankfurt', countryCode: 'DE', timezone: 'Europe/Berlin', lat: 50.1109, lng: 8.6821, language: 'de', weight: 1 },
  { slug: 'valencia', name: 'Valencia', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 39.4699, lng: -0.3763, language: 'es', weight: 1 },
  { slug: 'florence', name: 'Florence', countryCode: 'IT', timezone: 'Europe/Rome', lat: 43.7696, lng: 11.2558, language: 'it', weight: 1 },
  { slug: 'rotterdam', name: 'Rotterdam', countryCode: 'NL', timezone: 'Europe/Amsterdam', lat: 51.9244, lng: 4.4777, language: 'nl', weight: 1 },
  { slug: 'porto', name: 'Porto', countryCode: 'PT', timezone: 'Europe/Lisbon', lat: 41.1579, lng: -8.6291, language: 'pt', weight: 1 },
  { slug: 'geneva', name: 'Geneva', countryCode: 'CH', timezone: 'Europe/Zurich', lat: 46.2044, lng: 6.1432, language: 'fr', weight: 1 },
  { slug: 'krakow', name: 'Kraków', countryCode: 'PL', timezone: 'Europe/Warsaw', lat: 50.0647, lng: 19.945, language: 'pl', weight: 1 },
  { slug: 'montreal', name: 'Montreal', countryCode: 'CA', timezone: 'America/Toronto', lat: 45.5017, lng: -73.5673, language: 'fr', weight: 2 },
  { slug: 'vancouver', name: 'Vancouver', countryCode: 'CA', timezone: 'America/Vancouver', lat: 49.2827, lng: -123.1207, language: 'en', weight: 1 },
  { slug: 'seattle', name: 'Seattle', countryCode: 'US', timezone: 'America/Los_Angeles', lat: 47.6062, lng: -122.3321, language: 'en', weight: 1 },
  { slug: 'boston', name: 'Boston', countryCode: 'US', timezone: 'America/New_York', lat: 42.3601, lng: -71.0589, language: 'en', weight: 1 },
  { slug: 'austin', name: 'Austin', countryCode: 'US', timezone: 'America/Chicago', lat: 30.2672, lng: -97.7431, language: 'en', weight: 1 },
  { slug: 'kyoto', name: 'Kyoto', countryCode: 'JP', timezone: 'Asia/Tokyo', lat: 35.0116, lng: 135.7681, language: 'ja', weight: 1 },
  { slug: 'rio-de-janeiro', name: 'Rio de Janeiro', countryCode: 'BR', timezone: 'America/Sao_Paulo', lat: -22.9068, lng: -43.1729, language: 'pt', weight: 2 },
  { slug: 'brussels', name: 'Brussels', countryCode: 'BE', timezone: 'Europe/Brussels', lat: 50.8467, lng: 4.3525, language: 'fr', weight: 1 },
];
