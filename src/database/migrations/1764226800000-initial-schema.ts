import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole data model of SPEC §3. Integrity lives in the database: capacities, ratings, weekdays
 * and prices are CHECKed, and one confirmed booking per (venue, slot, date) is a partial unique
 * index, so no code path can double-book.
 *
 * Discovery indexes are planned for 50,000 venues (~1,000 per city): every listing filters by
 * city (or a lat/lng bounding box) on active venues, so each sort order has a partial index led by
 * city_id that hands rows over already ordered, with id as the documented tie-break.
 */
export class InitialSchema1764226800000 implements MigrationInterface {
  name = 'InitialSchema1764226800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cities (
        id           serial PRIMARY KEY,
        slug         text NOT NULL UNIQUE,
        name         text NOT NULL,
        country_code char(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
        timezone     text NOT NULL,
        lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng          double precision NOT NULL CHECK (lng BETWEEN -180 AND 180)
      );
      CREATE INDEX cities_country_code_idx ON cities (country_code);

      CREATE TABLE categories (
        id   serial PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL
      );

      CREATE TABLE add_ons (
        id   serial PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL
      );

      CREATE TABLE users (
        id            serial PRIMARY KEY,
        email         text NOT NULL CHECK (email = btrim(email) AND email <> ''),
        name          text NOT NULL,
        password_hash text NOT NULL,
        role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'host', 'admin')),
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

      CREATE TABLE venues (
        id               serial PRIMARY KEY,
        slug             text NOT NULL UNIQUE,
        name             text NOT NULL,
        description      text NOT NULL DEFAULT '',
        address          text NOT NULL,
        city_id          integer NOT NULL REFERENCES cities (id),
        category_id      integer NOT NULL REFERENCES categories (id),
        host_id          integer NOT NULL REFERENCES users (id),
        lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng              double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        min_capacity     integer NOT NULL CHECK (min_capacity >= 1),
        max_capacity     integer NOT NULL,
        base_price_cents integer NOT NULL CHECK (base_price_cents >= 0),
        currency         char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        rating           numeric(2, 1) CHECK (rating BETWEEN 0 AND 5),
        review_count     integer NOT NULL DEFAULT 0 CHECK (review_count >= 0),
        instant_book     boolean NOT NULL DEFAULT false,
        is_active        boolean NOT NULL DEFAULT true,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT venues_capacity_range_check CHECK (max_capacity >= min_capacity),
        CONSTRAINT venues_rating_needs_reviews_check CHECK ((review_count = 0) = (rating IS NULL))
      );
      CREATE INDEX venues_category_id_idx ON venues (category_id);
      CREATE INDEX venues_host_id_idx ON venues (host_id);
      -- One index per discovery sort, led by the city filter and ending with the id tie-break.
      CREATE INDEX venues_city_relevance_idx ON venues (city_id, rating DESC NULLS LAST, review_count DESC, id)
        WHERE is_active;
      CREATE INDEX venues_city_price_idx ON venues (city_id, base_price_cents, id) WHERE is_active;
      CREATE INDEX venues_city_capacity_idx ON venues (city_id, max_capacity DESC, id) WHERE is_active;
      -- Radius searches without a city: a bounding box on latitude, refined on longitude and distance.
      CREATE INDEX venues_location_idx ON venues (lat, lng) WHERE is_active;

      CREATE TABLE venue_photos (
        id       serial PRIMARY KEY,
        venue_id integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        url      text NOT NULL,
        caption  text,
        position integer NOT NULL CHECK (position >= 0),
        CONSTRAINT venue_photos_venue_position_key UNIQUE (venue_id, position)
      );

      CREATE TABLE venue_add_ons (
        venue_id    integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        add_on_id   integer NOT NULL REFERENCES add_ons (id),
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        PRIMARY KEY (venue_id, add_on_id)
      );
      -- The addOns filter looks up venues by add-on.
      CREATE INDEX venue_add_ons_add_on_venue_idx ON venue_add_ons (add_on_id, venue_id);

      CREATE TABLE venue_slots (
        id          serial PRIMARY KEY,
        venue_id    integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        code        text NOT NULL CHECK (code ~ '^[a-z0-9-]+$'),
        starts_at   time NOT NULL,
        ends_at     time NOT NULL,
        price_cents integer CHECK (price_cents >= 0),
        CONSTRAINT venue_slots_time_order_check CHECK (ends_at > starts_at),
        CONSTRAINT venue_slots_venue_weekday_code_key UNIQUE (venue_id, weekday, code),
        -- Lets bookings reference (slot, venue) together so a booking's slot belongs to its venue.
        CONSTRAINT venue_slots_id_venue_key UNIQUE (id, venue_id)
      );

      CREATE TABLE venue_blackouts (
        venue_id integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        date     date NOT NULL,
        reason   text,
        PRIMARY KEY (venue_id, date)
      );

      CREATE TABLE venue_price_overrides (
        venue_id    integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        date        date NOT NULL,
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        PRIMARY KEY (venue_id, date)
      );

      CREATE TABLE bookings (
        id                bigserial PRIMARY KEY,
        venue_id          integer NOT NULL REFERENCES venues (id),
        slot_id           integer NOT NULL,
        user_id           integer NOT NULL REFERENCES users (id),
        date              date NOT NULL,
        guests            integer NOT NULL CHECK (guests >= 1),
        add_on_ids        integer[] NOT NULL DEFAULT '{}',
        total_price_cents integer NOT NULL CHECK (total_price_cents >= 0),
        status            text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
        idempotency_key   text,
        created_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT bookings_slot_fkey FOREIGN KEY (slot_id, venue_id) REFERENCES venue_slots (id, venue_id)
      );
      -- The rule "one confirmed booking per venue, slot and date", held by the database.
      CREATE UNIQUE INDEX bookings_one_confirmed_per_slot_key ON bookings (venue_id, slot_id, date)
        WHERE status = 'confirmed';
      CREATE INDEX bookings_user_date_idx ON bookings (user_id, date);
      CREATE UNIQUE INDEX bookings_user_idempotency_key ON bookings (user_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;

      CREATE TABLE public_holidays (
        id           serial PRIMARY KEY,
        country_code char(2) NOT NULL,
        city_id      integer REFERENCES cities (id) ON DELETE CASCADE,
        date         date NOT NULL,
        name         text NOT NULL
      );
      CREATE UNIQUE INDEX public_holidays_scope_date_key ON public_holidays (country_code, COALESCE(city_id, 0), date);
      CREATE INDEX public_holidays_city_id_idx ON public_holidays (city_id) WHERE city_id IS NOT NULL;

      CREATE TABLE favorites (
        user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        venue_id   integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, venue_id)
      );
      CREATE INDEX favorites_venue_id_idx ON favorites (venue_id);

      CREATE TABLE reviews (
        id         serial PRIMARY KEY,
        venue_id   integer NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
        user_id    integer NOT NULL REFERENCES users (id),
        rating     smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        body       text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX reviews_venue_newest_idx ON reviews (venue_id, created_at DESC, id DESC);
      CREATE INDEX reviews_user_id_idx ON reviews (user_id);

      CREATE TABLE app_config (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE app_config, reviews, favorites, public_holidays, bookings, venue_price_overrides,
        venue_blackouts, venue_slots, venue_add_ons, venue_photos, venues, users, add_ons,
        categories, cities;
    `);
  }
}
