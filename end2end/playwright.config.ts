import { defineConfig, devices } from '@playwright/test';

// The real server binary, on its own fresh SQLite file with demo data, on a port of its own
// so that a developer's running instance is left alone. `E2E_PORT` lets two checkouts run
// their suites side by side.
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'es-CO',
    timezoneId: 'America/Bogota',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'escritorio', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: /movil/ },
    { name: 'movil', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, testMatch: /movil/ },
  ],
  webServer: {
    command: 'rm -rf ../target/e2e && mkdir -p ../target/e2e && ../target/debug/ventanilla serve --demo',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      DATABASE_URL: 'sqlite://../target/e2e/e2e.db',
      LEPTOS_SITE_ROOT: '../target/site',
      VENTANILLA_ATTACHMENTS_DIR: '../target/e2e/attachments',
      // Answers go straight to the customer here; quality review has its own integration test.
      VENTANILLA_REVIEW_SAMPLE_PERCENT: '0',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      RUST_LOG: 'warn',
      // Notifications go to files the tests can read; a failure is given up on after two
      // quick attempts, so the admins' page can be tested without waiting.
      VENTANILLA_OUTBOX_DIR: '../target/e2e/outbox',
      VENTANILLA_NOTIFY_MAX_ATTEMPTS: '2',
      VENTANILLA_NOTIFY_RETRY_SECONDS: '1',
      // Every customer of the suite registers from 127.0.0.1 within minutes; the hourly
      // per-address limit has its own integration test (accounts::hourly_quotas…).
      VENTANILLA_MAX_REGISTRATIONS_PER_HOUR: '500',
    },
  },
});
