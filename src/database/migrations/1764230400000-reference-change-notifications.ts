import { MigrationInterface, QueryRunner } from 'typeorm';

const WATCHED_TABLES = ['public_holidays', 'app_config', 'cities', 'categories', 'add_ons'];

/**
 * In-process caches of rarely changing tables (holiday calendar, app_config, reference data) are
 * told about changes by NOTIFY, on every API instance, instead of polling the table per request.
 */
export class ReferenceChangeNotifications1764230400000 implements MigrationInterface {
  name = 'ReferenceChangeNotifications1764230400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_reference_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('reference_data_changed', TG_TABLE_NAME);
        RETURN NULL;
      END
      $$;
    `);
    for (const table of WATCHED_TABLES) {
      await queryRunner.query(`
        CREATE TRIGGER ${table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_data_changed();
      `);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of WATCHED_TABLES) await queryRunner.query(`DROP TRIGGER ${table}_changed ON ${table}`);
    await queryRunner.query('DROP FUNCTION notify_reference_data_changed()');
  }
}
