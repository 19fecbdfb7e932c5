import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL back end's migrations (src/main/core/db/pg); drizzle.config.ts is SQLite's. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/main/core/db/pg/schema.ts',
  out: './src/main/core/db/pg/migrations',
});
