import { test, expect, open, signOut, freshCustomer } from './fixtures';
import type { Page } from '@playwright/test';

// Customers mostly use phones: this file runs at 390×844 (the "movil" project).

async function fillRegistration(page: Page, cedula: string, email: string) {
  await page.getByLabel('Tipo de documento').selectOption('CC');
  await page.getByLabel('Número de documento').fill(cedula);
  await page.getByLabel('Nombre completo o razón social').fill('María Fernanda Ortiz');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Celular').fill('310 555 1234');
  await page.getByLabel('Dirección').fill('Carrera 7 # 45-10, Bogotá');
  await page.getByLabel('Contraseña (8 a 128 caracteres)').fill('clave-segura-1');
  await page.getByLabel('Confirme la contraseña').fill('clave-segura-1');
}

test('un cliente se registra, sale e ingresa de nuevo desde el celular', async ({ page }) => {
  const customer = freshCustomer();
  await open(page, '/registro');

  // Ley 1581 art. 12: the notice is on the form before submitting, the box starts unchecked.
  await expect(page.getByText('Responsable del tratamiento')).toBeVisible();
  await expect(page.getByText('Sus derechos')).toBeVisible();
  const consent = page.getByLabel(/Autorizo de manera previa, expresa e informada/);
  await expect(consent).not.toBeChecked();

  await fillRegistration(page, customer.cedula, customer.email);
  await consent.check();
  await page.getByRole('button', { name: 'Crear cuenta' }).click();

  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('heading', { name: 'Mis solicitudes' })).toBeVisible();
  await expect(page.getByText('María Fernanda Ortiz')).toBeVisible();
  await expect(page.getByText('Aún no tiene solicitudes radicadas.')).toBeVisible();

  await signOut(page);

  await open(page, '/ingresar');
  await page.getByLabel('Documento o correo electrónico').fill(customer.cedula);
  await page.getByLabel('Contraseña').fill('clave-segura-1');
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByText('María Fernanda Ortiz')).toBeVisible();
  await signOut(page);
});

test('la cliente ve sus solicitudes de demostración en el celular', async ({ page }) => {
  await open(page, '/ingresar');
  await page.getByLabel('Documento o correo electrónico').fill('regular@demo.ventanilla.co');
  await page.getByLabel('Contraseña').fill('Ventanilla2026');
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator('.request-card')).toHaveCount(1);
  await expect(page.locator('.request-card .radicado')).toHaveText(/^\d{4}-\d{6}$/);
  await expect(page.locator('.request-card')).toContainText('Última actualización:');
  await expect(page.locator('.request-card .next')).not.toBeEmpty();
  // The page fits a phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe('un documento ya registrado', () => {
  test.use({ expectedHttpErrors: [409] });

  test('recibe un mensaje claro y no entra', async ({ page }) => {
    await open(page, '/registro');
    await fillRegistration(page, '1020304050', 'otra.persona@correo.co');
    await page.getByLabel(/Autorizo de manera previa/).check();
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await expect(page.getByRole('alert')).toHaveText(/Ya existe una cuenta con ese documento/);
    await expect(page).toHaveURL(/\/registro$/);
  });
});

test.describe('sin WebAssembly', () => {
  test.use({ javaScriptEnabled: false });

  test('el ingreso funciona como formulario HTML simple', async ({ page }) => {
    await page.goto('/ingresar');
    await page.getByLabel('Documento o correo electrónico').fill('regular@demo.ventanilla.co');
    await page.getByLabel('Contraseña').fill('no-es-la-clave');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expect(page.getByRole('alert')).toHaveText('Documento, correo o contraseña incorrectos.');
    await page.getByLabel('Documento o correo electrónico').fill('regular@demo.ventanilla.co');
    await page.getByLabel('Contraseña').fill('Ventanilla2026');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await expect(page).toHaveURL(/\/portal$/);
    await expect(page.locator('.request-card')).toHaveCount(1);
  });
});
