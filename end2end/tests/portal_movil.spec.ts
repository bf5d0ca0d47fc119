import { test, expect, open, signOut, registerCustomer } from './fixtures';
import type { Page } from '@playwright/test';

// The customer portal on a phone (390×844, the "movil" project): file, follow, answer, close.

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

async function fileRequest(page: Page, subject: string) {
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.getByRole('heading', { name: 'Nueva solicitud' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await expect(page.locator('.type-hint')).not.toBeEmpty();
  await page.getByLabel('Asunto').fill(subject);
  await page.getByLabel('Descripción').fill('El paquete llegó abierto y faltan dos cajas del pedido.');
  await page.getByLabel('Adjuntos (opcional)').setInputFiles({ name: 'guia.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  await expect(page.getByRole('status')).toContainText('Su solicitud quedó radicada con el número');
  return page.url().match(/(\d{4}-\d{6})/)![1];
}

test('un cliente radica con adjunto, responde, cierra y radica una relacionada', async ({ page }) => {
  await registerCustomer(page);
  const radicado = await fileRequest(page, 'Paquete incompleto');

  // The radicado, the clocks and the attachment are on the request page.
  await expect(page.getByRole('heading', { level: 1 })).toContainText(radicado);
  await expect(page.getByText('Primera respuesta')).toBeVisible();
  await expect(page.getByText('Respuesta de fondo (término legal)')).toBeVisible();
  await expect(page.getByRole('link', { name: 'guia.pdf' })).toBeVisible();

  // And in the list.
  await page.getByRole('link', { name: 'Mis solicitudes' }).click();
  await expect(page.locator('.request-card')).toHaveCount(1);
  await expect(page.locator('.request-card .radicado')).toHaveText(radicado);
  await page.locator('.request-card .radicado').click();
  await expect(page).toHaveURL(new RegExp(`/portal/solicitudes/${radicado}$`));
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  // Reply with text.
  await page.getByLabel('Mensaje').fill('Les envío también el número de la guía: 7788.');
  await page.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(page.locator('.thread .message')).toHaveCount(2);
  await expect(page.locator('.thread')).toContainText('número de la guía: 7788');

  // Close, after confirming.
  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');
  await expect(page.getByLabel('Mensaje')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Enviar respuesta' })).toHaveCount(0);

  // A related request instead of reopening.
  await page.getByRole('link', { name: 'Nueva solicitud relacionada' }).click();
  await expect(page.getByText(`relacionada con la solicitud cerrada ${radicado}`)).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Asunto').fill('Siguen faltando las cajas');
  await page.getByLabel('Descripción').fill('Después del cierre no llegaron las dos cajas que faltaban.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page.getByRole('status')).toContainText('Su solicitud quedó radicada');
  await expect(page.getByText(`Relacionada con la solicitud ${radicado}`)).toBeVisible();

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe('la solicitud de otro cliente', () => {
  test.use({ expectedHttpErrors: [404] });

  test('no se puede abrir por su dirección', async ({ page }) => {
    await registerCustomer(page);
    const radicado = await fileRequest(page, 'Solicitud privada de Jorge');
    await signOut(page);
    await registerCustomer(page);
    await open(page, `/portal/solicitudes/${radicado}`);
    await expect(page.getByRole('heading', { name: 'Página no encontrada' })).toBeVisible();
    await expect(page.getByText('Solicitud privada de Jorge')).toHaveCount(0);
  });
});

test.describe('un adjunto disfrazado', () => {
  test.use({ expectedHttpErrors: [422] });

  test('se rechaza con un mensaje claro y conserva lo escrito', async ({ page }) => {
    await registerCustomer(page);
    await page.getByRole('link', { name: 'Nueva solicitud' }).click();
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await page.getByLabel('Asunto').fill('Factura con problema');
    await page.getByLabel('Descripción').fill('Adjunto la factura que me llegó por correo.');
    await page.getByLabel('Adjuntos (opcional)').setInputFiles({
      name: 'factura.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 este es un programa'),
    });
    await page.getByRole('button', { name: 'Radicar solicitud' }).click();
    await expect(page.getByRole('alert')).toHaveText(/no es realmente un archivo PDF/);
    await expect(page.getByLabel('Asunto')).toHaveValue('Factura con problema');
    await page.getByRole('link', { name: 'Mis solicitudes' }).click();
    await expect(page.getByText('Aún no tiene solicitudes radicadas.')).toBeVisible();
  });
});

test('una respuesta aparece en otra pestaña abierta sin recargar', async ({ page, context }) => {
  await registerCustomer(page);
  const radicado = await fileRequest(page, 'Seguimiento en vivo');
  await expect(page.locator('.live.on')).toBeVisible();

  const other = await context.newPage();
  const otherErrors: string[] = [];
  other.on('console', (msg) => msg.type() === 'error' && otherErrors.push(msg.text()));
  other.on('pageerror', (err) => otherErrors.push(err.message));
  await open(other, `/portal/solicitudes/${radicado}`);
  await other.getByLabel('Mensaje').fill('Escrito desde la otra pestaña');
  await other.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(other.locator('.thread')).toContainText('Escrito desde la otra pestaña');

  // The first tab was never reloaded.
  await expect(page.locator('.thread')).toContainText('Escrito desde la otra pestaña');
  await expect(page).toHaveURL(/\?radicada=1$/);
  expect(otherErrors).toEqual([]);
  await other.close();
});

test('lo que el cliente está escribiendo sobrevive a una actualización en vivo', async ({ page, context }) => {
  await registerCustomer(page);
  const radicado = await fileRequest(page, 'Texto a medio escribir');
  await expect(page.locator('.live.on')).toBeVisible();
  await page.getByLabel('Mensaje').fill('Estoy escribiendo esto con calma');

  const other = await context.newPage();
  await open(other, `/portal/solicitudes/${radicado}`);
  await other.getByLabel('Mensaje').fill('Mensaje desde otra pestaña');
  await other.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(other.locator('.thread')).toContainText('Mensaje desde otra pestaña');
  await other.close();

  await expect(page.locator('.thread')).toContainText('Mensaje desde otra pestaña');
  await expect(page.getByLabel('Mensaje')).toHaveValue('Estoy escribiendo esto con calma');
});
