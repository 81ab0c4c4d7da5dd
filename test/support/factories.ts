import type { DataSource } from 'typeorm';

/**
 * Row factories for tests: each inserts one row with SQL and returns it as stored (defaults and
 * generated ids included) with camelCase keys. Dates come back as 'YYYY-MM-DD' strings and
 * timestamps as ISO strings, because rows are returned through to_jsonb, never as JS Dates.
 *
 *   const { newCity, newHoliday } = factories(t.dataSource);
 *   const city = await newCity({ name: 'Madrid' });
 *
 * To add one: declare its row type, then a method that spreads unique defaults under the
 * overrides and calls `insert('table_name', values)`.
 */

export interface CityRow {
  id: number;
  slug: string;
  name: string;
  countryCode: string;
  timezone: string;
  lat: number;
  lng: number;
}

export interface CategoryRow {
  id: number;
  slug: string;
  name: string;
}

export type AddOnRow = CategoryRow;

export type UserRole = 'user' | 'host' | 'admin';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
  createdAt: string;
}

export interface HolidayRow {
  id: number;
  countryCode: string;
  cityId: number | null;
  date: string;
  name: string;
}

/** Factory users cannot log in: this is not a hash any password produces. */
export const FACTORY_PASSWORD_HASH = 'factory-user-without-password';

/** Unique per test file (each file has its own database and its own module registry). */
let sequence = 0;
const nextNumber = () => ++sequence;

const toSnakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

export function factories(dataSource: DataSource) {
  async function insert<Row>(table: string, values: Record<string, unknown>): Promise<Row> {
    const defined = Object.entries(values).filter(([, value]) => value !== undefined);
    const columns = defined.map(([key]) => toSnakeCase(key)).join(', ');
    const placeholders = defined.map((_, index) => `$${index + 1}`).join(', ');
    // A builder's RETURNING gives the driver's types (numeric as strings, Dates); the tests compare responses with JSON types.
    // Raw: `RETURNING to_jsonb(inserted)` hands back any table's row in JSON types (numbers, ISO dates).
    const [{ row }] = await dataSource.query(
      `INSERT INTO ${table} AS inserted (${columns}) VALUES (${placeholders}) RETURNING to_jsonb(inserted) AS row`,
      defined.map(([, value]) => value),
    );
    return Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([key, value]) => [toCamelCase(key), value])) as Row;
  }

  return {
    newCity(overrides: Partial<Omit<CityRow, 'id'>> = {}): Promise<CityRow> {
      const n = nextNumber();
      return insert('cities', { slug: `city-${n}`, name: `City ${n}`, countryCode: 'ES', timezone: 'Europe/Madrid', lat: 40.4168, lng: -3.7038, ...overrides });
    },

    newCategory(overrides: Partial<Omit<CategoryRow, 'id'>> = {}): Promise<CategoryRow> {
      const n = nextNumber();
      return insert('categories', { slug: `category-${n}`, name: `Category ${n}`, ...overrides });
    },

    newAddOn(overrides: Partial<Omit<AddOnRow, 'id'>> = {}): Promise<AddOnRow> {
      const n = nextNumber();
      return insert('add_ons', { slug: `add-on-${n}`, name: `Add-on ${n}`, ...overrides });
    },

    newUser(overrides: Partial<Pick<UserRow, 'email' | 'name' | 'role' | 'passwordHash'>> = {}): Promise<UserRow> {
      const n = nextNumber();
      return insert('users', { email: `user-${n}@example.test`, name: `User ${n}`, role: 'user', passwordHash: FACTORY_PASSWORD_HASH, ...overrides });
    },

    /** A country-wide holiday unless cityId is given. */
    newHoliday(fields: { countryCode: string; date: string; cityId?: number; name?: string }): Promise<HolidayRow> {
      return insert('public_holidays', { name: `Holiday ${nextNumber()}`, ...fields });
    },

    /** An active venue of `cityId`, `categoryId` and `hostId`; a rating without reviewCount gets one review. */
    newVenue(fields: Pick<VenueRow, 'cityId' | 'categoryId' | 'hostId'> & Partial<Omit<VenueRow, 'id'>>): Promise<VenueRow> {
      const n = nextNumber();
      return insert('venues', {
        slug: `venue-${n}`,
        name: `Venue ${n}`,
        address: `${n} Factory Street`,
        lat: 40.4168,
        lng: -3.7038,
        minCapacity: 1,
        maxCapacity: 100,
        basePriceCents: 10000,
        currency: 'EUR',
        reviewCount: fields.rating == null ? 0 : 1,
        ...fields,
      });
    },

    /** A slot of `venueId` on `weekday` (0 = Sunday); no price of its own unless given. */
    newSlot(fields: Pick<SlotRow, 'venueId' | 'weekday'> & Partial<Omit<SlotRow, 'id'>>): Promise<SlotRow> {
      return insert('venue_slots', { code: `slot-${nextNumber()}`, startsAt: '10:00', endsAt: '14:00', ...fields });
    },

    newBooking(fields: Pick<BookingRow, 'venueId' | 'slotId' | 'userId' | 'date'> & Partial<Omit<BookingRow, 'id'>>): Promise<BookingRow> {
      return insert('bookings', { guests: 1, totalPriceCents: 10000, status: 'confirmed', ...fields });
    },

    newBlackout(fields: VenueDateRow & { reason?: string }): Promise<BlackoutRow> {
      return insert('venue_blackouts', { ...fields });
    },

    newPriceOverride(fields: PriceOverrideRow): Promise<PriceOverrideRow> {
      return insert('venue_price_overrides', { ...fields });
    },

    newPhoto(fields: Pick<PhotoRow, 'venueId' | 'position'> & Partial<Omit<PhotoRow, 'id'>>): Promise<PhotoRow> {
      const n = nextNumber();
      return insert('venue_photos', { url: `https://img.example.test/photo-${n}.jpg`, ...fields });
    },

    /** `venueId` offers add-on `addOnId`. */
    newVenueAddOn(fields: Pick<VenueAddOnRow, 'venueId' | 'addOnId'> & Partial<VenueAddOnRow>): Promise<VenueAddOnRow> {
      return insert('venue_add_ons', { priceCents: 5000, ...fields });
    },

    /** A review of `venueId` by `userId`, written now unless createdAt is given. */
    newReview(fields: Pick<ReviewRow, 'venueId' | 'userId' | 'rating'> & Partial<Omit<ReviewRow, 'id'>>): Promise<ReviewRow> {
      return insert('reviews', { body: `Review ${nextNumber()}`, ...fields });
    },
  };
}

export type Factories = ReturnType<typeof factories>;

/* Venue-side rows (venues and what hangs off them), shared by the discovery, detail and bookings suites. */

export interface VenueRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  address: string;
  cityId: number;
  categoryId: number;
  hostId: number;
  lat: number;
  lng: number;
  minCapacity: number;
  maxCapacity: number;
  basePriceCents: number;
  currency: string;
  rating: number | null;
  reviewCount: number;
  instantBook: boolean;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SlotRow {
  id: number;
  venueId: number;
  weekday: number;
  code: string;
  /** 'HH:MM:SS' */
  startsAt: string;
  endsAt: string;
  priceCents: number | null;
}

export interface BookingRow {
  id: number;
  venueId: number;
  slotId: number;
  userId: number;
  date: string;
  guests: number;
  addOnIds: number[];
  totalPriceCents: number;
  status: 'confirmed' | 'cancelled';
  idempotencyKey: string | null;
  createdAt: string;
}

export interface VenueDateRow {
  venueId: number;
  date: string;
}

export interface BlackoutRow extends VenueDateRow {
  reason: string | null;
}

export interface PriceOverrideRow extends VenueDateRow {
  priceCents: number;
}

export interface PhotoRow {
  id: number;
  venueId: number;
  url: string;
  caption: string | null;
  position: number;
}

export interface VenueAddOnRow {
  venueId: number;
  addOnId: number;
  priceCents: number;
}

export interface ReviewRow {
  id: number;
  venueId: number;
  userId: number;
  rating: number;
  body: string;
  createdAt: string;
}
