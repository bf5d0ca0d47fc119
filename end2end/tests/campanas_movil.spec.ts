import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { test, expect, open, signIn, signOut } from './fixtures';

// Seed 001 §5.2, the semiannual survey over a statistical sample of the active customers: a
// supervisor (desktop) creates and launches a campaign over the demo customers; a customer
// on a phone (this project's viewport) finds it in the portal and answers it from the link in
// her e-mail; the supervisor's open campaign page shows the answer arrive without a reload.

const outbox = path.resolve(__dirname, '..', '..', 'target', 'e2e', 'outbox');

/** The campaign survey token in the invitation e-mail sent to `recipient`, if it is there. */
function invitationToken(recipient: string): string | undefined {
  if (fs.statSync(outbox, { throwIfNoEntry: false })?.isDirectory() !== true) return undefined;
  for (const name of fs.readdirSync(outbox).filter((n) => n.endsWith('.eml'))) {
    const mail = fs.readFileSync(path.join(outbox, name), 'utf8');
    if (!mail.includes(`To: ${recipient}`)) continue;
    const link = /\/campana\/([0-9a-f]{32})/.exec(mail);
    if (link) return link[1];
  }
  return undefined;
}

/** The supervisor, at a desktop size in a context of their own, failing on console errors. */
async function supervisor(browser: Browser) {
  const context = await browser.newContext({
    locale: 'es-CO',
    timezoneId: 'America/Bogota',
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  return { page, errors, close: () => context.close() };
}

test('una campaña de encuesta llega a una cliente en el celular y su respuesta se ve en vivo', async ({ page, browser }) => {
  const boss = await supervisor(browser);
  const name = `Percepción ${Date.now() % 100000}`;

  await boss.page.getByRole('link', { name: 'Campañas' }).click();
  await expect(boss.page).toHaveURL(/\/equipo\/campanas$/);
  await expect(boss.page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(boss.page.getByTestId('poblacion')).toContainText(/Población hoy: \d+ cuentas activas/);
  await boss.page.getByLabel('Nombre de la campaña').fill(name);
  await boss.page.getByLabel(/Texto libre/).check();
  // A 1 % margin samples every account of a population this small, so the demo customer
  // below is certainly drawn.
  await boss.page.getByLabel('Margen de error (%)').fill('1');
  await boss.page.getByLabel(/Estratificar por tipo de cliente/).check();
  await boss.page.getByRole('button', { name: 'Crear campaña' }).click();
  await expect(boss.page).toHaveURL(/\/equipo\/campanas\/[0-9a-f]{32}$/);
  await expect(boss.page.getByRole('heading', { level: 1 })).toHaveText(name);
  const population = Number(await boss.page.getByTestId('poblacion').locator('.figure-value').innerText());
  const sample = Number(await boss.page.getByTestId('muestra').locator('.figure-value').innerText());
  expect(population).toBeGreaterThanOrEqual(4);
  expect(sample).toBe(population);
  await expect(boss.page.getByRole('row', { name: /VIP/ })).toBeVisible();

  await boss.page.getByRole('button', { name: 'Lanzar campaña' }).click();
  await expect(boss.page.locator('.state')).toHaveText('Lanzada');
  await expect(boss.page.getByTestId('invitadas').locator('.figure-value')).toHaveText(String(sample));
  await expect(boss.page.getByTestId('tasa').locator('.figure-value')).toHaveText('0.0 %');
  await expect(boss.page.locator('.live.on')).toBeVisible();

  // The customer, signed in on her phone, is offered the survey in the portal.
  await signIn(page, 'vip@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/portal$/);
  const pending = page.getByRole('complementary', { name: 'Encuestas pendientes' });
  await expect(pending).toContainText(name);
  await expect(pending.getByRole('link', { name: 'Responder esta encuesta' })).toBeVisible();
  await signOut(page);

  // She answers from the link in her e-mail instead, without signing in.
  await expect.poll(() => invitationToken('vip@demo.ventanilla.co'), { timeout: 20_000 }).toBeTruthy();
  const token = invitationToken('vip@demo.ventanilla.co')!;
  await open(page, `/campana/${token}`);
  await expect(page.getByText(name)).toBeVisible();
  await page.getByRole('group', { name: /satisfecho/ }).getByLabel('4', { exact: true }).check();
  await page.getByRole('group', { name: /recomiende/ }).getByLabel('9', { exact: true }).check();
  await page.getByLabel('Comentario (opcional)').fill('Buen servicio, respuestas rápidas.');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Gracias! Recibimos sus respuestas.');
  await expect(page.getByRole('button', { name: 'Enviar respuestas' })).toHaveCount(0);

  // The supervisor's page, never reloaded, counts the answer.
  await expect(boss.page.getByTestId('respondidas').locator('.figure-value')).toHaveText('1');
  const rate = boss.page.getByTestId('tasa').locator('.figure-value');
  await expect(rate).not.toHaveText('0.0 %');
  expect(Number((await rate.innerText()).replace(' %', ''))).toBeCloseTo(100 / sample, 1);
  await expect(boss.page.getByTestId('nps').locator('.figure-value')).toHaveText('+100');
  await expect(boss.page.locator('.comments')).toContainText('Buen servicio, respuestas rápidas.');

  // The link now says it was answered, and the portal no longer offers it.
  await open(page, `/campana/${token}`);
  await expect(page.getByRole('status')).toContainText('ya fue respondida');
  await signIn(page, 'vip@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator('.request-card').first()).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Encuestas pendientes' })).toHaveCount(0);

  expect(boss.errors, 'errores en la consola del supervisor').toEqual([]);
  await boss.close();
});

test.describe('sin WebAssembly', () => {
  test.use({ javaScriptEnabled: false });

  // The campaign above invited every demo customer: another one answers from her link as a
  // plain HTML form, as on a slow phone before the WebAssembly arrives.
  test('la encuesta de la campaña se responde como formulario HTML simple', async ({ page }) => {
    const token = invitationToken('regular@demo.ventanilla.co');
    expect(token).toBeTruthy();
    await page.goto(`/campana/${token}`);
    await page.getByRole('group', { name: /satisfecho/ }).getByLabel('2', { exact: true }).check();
    await page.getByRole('group', { name: /recomiende/ }).getByLabel('5', { exact: true }).check();
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await expect(page).toHaveURL(new RegExp(`/campana/${token}\\?gracias=1$`));
    await expect(page.getByRole('status')).toContainText('¡Gracias! Recibimos sus respuestas.');
  });
});
