import { test as base, expect, Page } from '@playwright/test';

// Every test fails on any browser console error or uncaught exception: hydration
// mismatches and panics in the WebAssembly show up there and nowhere else.
// Chromium also logs each 4xx response as a console error; a test that provokes one on
// purpose (a wrong password answers 422) names that status in `expectedHttpErrors`, and
// only those exact statuses are let through.
export const test = base.extend<{ consoleErrors: string[]; expectedHttpErrors: number[] }>({
  expectedHttpErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedHttpErrors }, use) => {
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
        if (status && expectedHttpErrors.includes(Number(status[1]))) return;
        errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await use(errors);
      expect(errors, 'errores en la consola del navegador').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens a page and waits until the WebAssembly has hydrated it. */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export const DEMO_PASSWORD = 'Ventanilla2026';

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await open(page, '/ingresar');
  await page.getByLabel('Documento o correo electrónico').fill(login);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Salir' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Ingresar' }).first()).toBeVisible();
}

/** Registers a fresh customer through the form and lands on their portal. */
export async function registerCustomer(page: Page, name = 'Jorge Iván Restrepo') {
  const customer = freshCustomer();
  await open(page, '/registro');
  await page.getByLabel('Tipo de documento').selectOption('CC');
  await page.getByLabel('Número de documento').fill(customer.cedula);
  await page.getByLabel('Nombre completo o razón social').fill(name);
  await page.getByLabel('Correo electrónico').fill(customer.email);
  await page.getByLabel('Celular').fill('3157654321');
  await page.getByLabel('Dirección').fill('Calle 50 # 40-20, Medellín');
  await page.getByLabel('Contraseña (8 a 128 caracteres)').fill('clave-segura-1');
  await page.getByLabel('Confirme la contraseña').fill('clave-segura-1');
  await page.getByLabel(/Autorizo de manera previa/).check();
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  return customer;
}

/** A unique, valid Colombian cédula and e-mail for a fresh customer. */
export function freshCustomer() {
  const n = `${Date.now()}`.slice(-9);
  return { cedula: `1${n}`, email: `cliente${n}@correo.co` };
}
