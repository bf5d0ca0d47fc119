import fs from 'node:fs';
import path from 'node:path';
import { test, expect, signIn, freshCustomer } from './fixtures';

// The e2e server writes notifications as files into this folder (playwright.config.ts).
const outbox = path.resolve(__dirname, '..', '..', 'target', 'e2e', 'outbox');

function delivered(text: string): boolean {
  return (
    fs.statSync(outbox, { throwIfNoEntry: false })?.isDirectory() === true &&
    fs
      .readdirSync(outbox)
      .filter((name) => name.endsWith('.eml'))
      .some((name) => fs.readFileSync(path.join(outbox, name), 'utf8').includes(text))
  );
}

test('el administrador ve una notificación fallida y la reintenta', async ({ page }) => {
  // The demo's own notifications go out first.
  await expect.poll(() => fs.existsSync(outbox), { timeout: 15_000 }).toBe(true);
  const customer = freshCustomer();
  // Where the files go is broken (a file stands where the folder should be), so the
  // welcome e-mail of a new customer fails both of its attempts.
  fs.rmSync(outbox, { recursive: true, force: true });
  fs.writeFileSync(outbox, 'no es una carpeta');
  try {
    const registered = await page.request.post('/api/registro', {
      form: {
        document_type: 'CC',
        document_number: customer.cedula,
        full_name: 'Marta Lucía Notificada',
        email: customer.email,
        phone: '310 555 1234',
        address: 'Carrera 7 # 45-10, Bogotá',
        password: 'clave-segura-1',
        password_confirmation: 'clave-segura-1',
        consent: 'si',
      },
    });
    expect(registered.ok()).toBe(true);

    await signIn(page, 'admin@demo.ventanilla.co');
    await expect(page).toHaveURL(/\/equipo$/);
    await page.getByRole('link', { name: 'Notificaciones' }).click();
    await expect(page.getByRole('heading', { name: 'Notificaciones sin enviar' })).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: customer.email });
    await expect(async () => {
      await page.reload();
      await expect(row).toContainText('Fallida', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await expect(row).toContainText('Bienvenida');
    await expect(row).toContainText('no se pudo escribir');
  } finally {
    fs.rmSync(outbox, { recursive: true, force: true });
    fs.mkdirSync(outbox, { recursive: true });
  }

  // With the folder back, "Reintentar" sends it and it leaves the list.
  const row = page.getByRole('row').filter({ hasText: customer.email });
  await row.getByRole('button', { name: 'Reintentar' }).click();
  await expect.poll(() => delivered(customer.email), { timeout: 15_000 }).toBe(true);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Notificaciones sin enviar' })).toBeVisible({ timeout: 1_000 });
    await expect(row).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
});
