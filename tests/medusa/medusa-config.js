// Medusa 2.21 for Agent Desktop's connector tests: admin dashboard off, everything from the
// environment that tests/medusa/medusa_server.py sets (a throw-away PostgreSQL database, random
// secrets, loopback origins only).
const { loadEnv, defineConfig } = require("@medusajs/framework/utils")

loadEnv(process.env.NODE_ENV || "production", process.cwd())

const origins = process.env.MEDUSA_CORS || "http://127.0.0.1"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseDriverOptions: { ssl: false, sslmode: "disable" },
    http: {
      storeCors: origins,
      adminCors: origins,
      authCors: origins,
      jwtSecret: process.env.JWT_SECRET,
      cookieSecret: process.env.COOKIE_SECRET,
    },
  },
  admin: { disable: true },
})
